// The two HTML pages: a shell that loads the bundle; the seat's token travels in the URL.
const escapeHtml = (s: string) =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!)

/** `config` is handed to the page's script as JSON (see web/session.ts). */
export function pageHtml(
  page: 'agent' | 'supervisor',
  o: { readonly css: boolean; readonly config: object },
): string {
  const title = page === 'agent' ? 'Agent desktop' : 'Supervisor'
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)} · Switchboard demo</title>
${o.css ? `<link rel="stylesheet" href="/assets/${page}.css">` : ''}
<link rel="icon" href="data:,">
<style>body { margin: 1rem; font-family: system-ui, sans-serif; } .demo h1 { font-size: 1.3rem; }</style>
</head>
<body>
<div id="root" data-config="${escapeHtml(JSON.stringify(o.config))}"></div>
<script type="module" src="/assets/${page}.js"></script>
</body>
</html>`
}
