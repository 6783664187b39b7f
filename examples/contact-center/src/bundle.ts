// The pages' JavaScript, bundled at start with esbuild into memory (no build step, nothing written).
import { fileURLToPath } from 'node:url'
import { build } from 'esbuild'

export interface Asset {
  readonly type: string
  readonly body: string
}

const ENTRIES = { agent: 'web/agent.tsx', supervisor: 'web/supervisor.tsx' } as const

/** Bundles the agent desktop and the supervisor screen: `agent.js`, `supervisor.js` (and their CSS, if any). */
export async function bundlePages(): Promise<ReadonlyMap<string, Asset>> {
  const here = (f: string) => fileURLToPath(new URL(f, import.meta.url))
  const result = await build({
    entryPoints: Object.fromEntries(Object.entries(ENTRIES).map(([name, file]) => [name, here(file)])),
    bundle: true,
    write: false,
    outdir: '/assets',
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    jsx: 'automatic',
    minify: true,
    sourcemap: false,
    define: { 'process.env.NODE_ENV': '"production"' },
    logLevel: 'silent',
  })
  const assets = new Map<string, Asset>()
  for (const f of result.outputFiles) {
    const name = f.path.slice(f.path.lastIndexOf('/') + 1)
    assets.set(name, {
      type: name.endsWith('.css') ? 'text/css; charset=utf-8' : 'text/javascript; charset=utf-8',
      body: f.text,
    })
  }
  return assets
}
