import cliProgress from 'cli-progress'

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

const bars = new Map<string, cliProgress.SingleBar>()
/** Labels whose bar just completed: a repeated final call draws nothing. */
const finished = new Set<string>()

/**
 * A progress bar per label on stderr (cli-progress): call it with the work done so far; it stops
 * at `done >= total`. Off a terminal it prints a plain line every five seconds and at the end.
 */
export function bar(label: string, done: number, total: number) {
  if (done < total) finished.delete(label)
  else if (finished.has(label)) return
  let b = bars.get(label)
  if (!b) {
    b = new cliProgress.SingleBar(
      {
        stream: process.stderr,
        format: `${label} {bar} {percentage}% {value}/{total} | {duration}s`,
        noTTYOutput: true,
        notTTYSchedule: 5000,
      },
      cliProgress.Presets.shades_classic,
    )
    bars.set(label, b)
    b.start(total, done)
  }
  b.update(done)
  if (done >= total) {
    b.stop()
    bars.delete(label)
    finished.add(label)
  }
}
