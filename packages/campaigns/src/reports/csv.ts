import { currencyDigits } from '@switchboard/core'
import type { CampaignReport, ReportRow } from './types.js'

/** Quotes a field when RFC 4180 asks for it (a comma, a double quote, CR or LF), doubling quotes. */
export function csvField(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replaceAll('"', '""')}"` : value
}

const fixed = (n: number | null, digits: number) => (n === null ? '' : n.toFixed(digits))

/** Minor units as a decimal amount in the currency's major unit (`129900` EUR: `1299.00`), exactly. */
function major(amountMinor: number, currency: string): string {
  const d = currencyDigits(currency) ?? 2
  if (d === 0) return String(amountMinor)
  const abs = String(Math.abs(amountMinor)).padStart(d + 1, '0')
  return `${amountMinor < 0 ? '-' : ''}${abs.slice(0, -d)}.${abs.slice(-d)}`
}

/**
 * The report as CSV (RFC 4180: CRLF line ends, fields quoted when needed): a header line, then one
 * line per group (the totals are not a line; pass `{ totals: true }` to append them, keyed
 * `(total)`). Numbers use a dot; rates are fractions with 4 decimals; `avg_handle_sec` has 1
 * decimal, `agent_hours`, `false_positives` and `sales_per_agent_hour` 4; revenue is in the
 * currency's major unit with its digits, in two columns per currency of the report
 * (`revenue_EUR`, `revenue_per_agent_hour_EUR`). An empty field is a null (a rate over 0, or
 * agent-hours by list).
 *
 * @example
 * ```ts
 * import { campaignReport, reportCsv } from '@switchboard/campaigns'
 * import { writeFile } from 'node:fs/promises'
 *
 * const report = await campaignReport(acme, { from: new Date('2026-01-01'), to: new Date('2026-02-01'), groupBy: 'campaign' })
 * await writeFile('january.csv', reportCsv(report, { totals: true }))
 * ```
 */
export function reportCsv(report: CampaignReport, options: { readonly totals?: boolean } = {}): string {
  const lines = options.totals ? [...report.rows, report.totals] : [...report.rows]
  const currencies = [...new Set(report.totals.revenue.map((r) => r.currency))].sort()
  const header = [
    report.groupBy,
    'dials',
    'contacts',
    'contact_rate',
    'connects',
    'connect_rate',
    'avg_handle_sec',
    'abandoned',
    'machines',
    'false_positives',
    'abandonment_us',
    'abandonment_uk',
    'sales',
    'sale_rate',
    'agent_hours',
    'sales_per_agent_hour',
    ...currencies.flatMap((c) => [`revenue_${c}`, `revenue_per_agent_hour_${c}`]),
  ]
  const line = (r: ReportRow) => {
    const revenue = currencies.flatMap((c) => {
      const f = r.revenue.find((x) => x.currency === c)
      const d = currencyDigits(c) ?? 2
      const perHour = f?.perAgentHourMinor ?? (f ? null : r.agentHours ? 0 : null)
      return [major(f?.amountMinor ?? 0, c), perHour === null ? '' : (perHour / 10 ** d).toFixed(d)]
    })
    return [
      r.key,
      String(r.dials),
      String(r.contacts),
      fixed(r.contactRate, 4),
      String(r.connects),
      fixed(r.connectRate, 4),
      fixed(r.avgHandleSec, 1),
      String(r.abandonment.abandoned),
      String(r.machines),
      fixed(r.abandonment.falsePositives, 4),
      fixed(r.abandonment.us, 4),
      fixed(r.abandonment.uk, 4),
      String(r.sales),
      fixed(r.saleRate, 4),
      fixed(r.agentHours, 4),
      fixed(r.salesPerAgentHour, 4),
      ...revenue,
    ]
  }
  return `${[header, ...lines.map(line)].map((fields) => fields.map(csvField).join(',')).join('\r\n')}\r\n`
}
