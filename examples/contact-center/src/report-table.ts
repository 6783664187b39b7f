// The combined report as a plain-text table (one line per group, then the totals).
import type { CampaignReport, ReportRow } from '@switchboard/campaigns'

const pct = (r: number | null) => (r === null ? '-' : `${(r * 100).toFixed(1)} %`)
const num = (n: number | null, digits = 1) => (n === null ? '-' : n.toFixed(digits))
const money = (row: ReportRow) =>
  row.revenue.map((r) => `${(r.amountMinor / 100).toFixed(2)} ${r.currency}`).join(', ') || '0'

const COLUMNS: ReadonlyArray<[string, (r: ReportRow) => string]> = [
  ['dials', (r) => String(r.dials)],
  ['connects', (r) => String(r.connects)],
  ['contacts', (r) => String(r.contacts)],
  ['machines', (r) => String(r.machines)],
  ['abandoned', (r) => String(r.abandonment.abandoned)],
  ['abandon % (US)', (r) => pct(r.abandonment.us)],
  ['AHT s', (r) => num(r.avgHandleSec)],
  ['sales', (r) => String(r.sales)],
  ['sale rate', (r) => pct(r.saleRate)],
  ['revenue', money],
  ['agent h', (r) => num(r.agentHours, 2)],
  ['sales/agent h', (r) => num(r.salesPerAgentHour, 2)],
]

/** Renders `report` with one line per row and the totals; `label` names a row's key (an agent's name). */
export function reportTable(report: CampaignReport, label: (key: string) => string = (k) => k): string {
  const header = [report.groupBy, ...COLUMNS.map(([h]) => h)]
  const body = [
    ...report.rows.map((r) => [label(r.key), ...COLUMNS.map(([, f]) => f(r))]),
    ['total', ...COLUMNS.map(([, f]) => f(report.totals))],
  ]
  const widths = header.map((h, c) => Math.max(h.length, ...body.map((r) => r[c]!.length)))
  const line = (r: ReadonlyArray<string>) =>
    r.map((v, c) => (c ? v.padStart(widths[c]!) : v.padEnd(widths[c]!))).join('  ')
  const rule = widths.map((w) => '-'.repeat(w)).join('  ')
  return [line(header), rule, ...body.slice(0, -1).map(line), rule, line(body.at(-1)!)].join('\n')
}
