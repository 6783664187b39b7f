/** Quantile of sorted samples (nearest rank). */
export const quantile = (sorted: number[], q: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!

export function summarize(samples: number[]) {
  const s = [...samples].sort((a, b) => a - b)
  return {
    n: s.length,
    median: quantile(s, 0.5),
    p95: quantile(s, 0.95),
    p99: quantile(s, 0.99),
    max: s[s.length - 1]!,
  }
}

export function table(title: string, header: string[], rows: (string | number)[][]) {
  const cells = [header, ...rows.map((r) => r.map(String))]
  const widths = header.map((_, c) => Math.max(...cells.map((r) => r[c]!.length)))
  const line = (r: string[]) =>
    `| ${r.map((v, c) => (c ? v.padStart(widths[c]!) : v.padEnd(widths[c]!))).join(' | ')} |`
  console.log(
    `\n${title}\n${line(header)}\n|${widths.map((w, c) => (c ? `${'-'.repeat(w + 1)}:` : `${'-'.repeat(w + 2)}`)).join('|')}|`,
  )
  for (const r of cells.slice(1)) console.log(line(r))
}

export function bar(label: string, done: number, total: number) {
  const w = 30
  const f = Math.round((done / total) * w)
  process.stderr.write(
    `\r${label} ${'█'.repeat(f)}${'░'.repeat(w - f)} ${String(Math.floor((done / total) * 100)).padStart(3)}% ${done}/${total}`,
  )
  if (done >= total) process.stderr.write('\n')
}
