import { Bar, BarChart, CartesianGrid, Legend, Tooltip, XAxis, YAxis } from 'recharts'
import { clock, money, percent } from '../format.js'
import type { ReportRowJson } from '../shapes.js'

export interface CombinedReportProps {
  readonly rows: ReadonlyArray<ReportRowJson>
  readonly total: ReportRowJson
  /** What the rows are grouped by, for the first column's heading. */
  readonly groupBy: 'campaign' | 'agent' | 'list' | 'hour'
  /** Names for the group keys (campaign or agent names); the key is shown otherwise. */
  readonly labels?: Readonly<Record<string, string>>
  /** The CSV of the same report (the client's `reports.campaignCsvUrl`). */
  readonly csvUrl?: string
  readonly width?: number
  readonly height?: number
}

const revenue = (r: ReportRowJson) => r.revenue.map((x) => money(x.amountMinor, x.currency)).join(', ') || '–'

/** The combined CRM and contact-center report: a table by group with totals, a bar chart, and the CSV. */
export function CombinedReport({
  rows,
  total,
  groupBy,
  labels = {},
  csvUrl,
  width = 560,
  height = 240,
}: CombinedReportProps) {
  const name = (key: string) => labels[key] ?? key
  const data = rows.map((r) => ({ key: name(r.key), dials: r.dials, connects: r.connects, sales: r.sales }))
  const cells = (r: ReportRowJson) => [
    r.dials,
    r.contacts,
    percent(r.contactRate),
    r.connects,
    percent(r.connectRate),
    r.avgHandleSec === null ? '–' : clock(r.avgHandleSec),
    percent(r.abandonment.us),
    r.sales,
    percent(r.saleRate),
    revenue(r),
    r.salesPerAgentHour === null ? '–' : r.salesPerAgentHour.toFixed(2),
  ]
  const heads = [
    'Dials',
    'Contacts',
    'Contact rate',
    'Connects',
    'Connect rate',
    'Avg handle',
    'Abandoned (US)',
    'Sales',
    'Sale rate',
    'Revenue',
    'Sales / agent-hour',
  ]
  return (
    <section className="sb-card sb-report" aria-label="Combined report">
      <header className="sb-card__header">
        <h2>Report by {groupBy}</h2>
        {csvUrl ? (
          <a className="sb-button" href={csvUrl} download={`report-${groupBy}.csv`}>
            Download CSV
          </a>
        ) : null}
      </header>
      <div className="sb-table-wrap">
        <table className="sb-table">
          <caption>Campaign figures by {groupBy}</caption>
          <thead>
            <tr>
              <th scope="col">{groupBy}</th>
              {heads.map((h) => (
                <th key={h} scope="col">
                  {h}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {rows.map((r) => (
              <tr key={r.key}>
                <th scope="row">{name(r.key)}</th>
                {cells(r).map((v, n) => (
                  <td key={heads[n]}>{v}</td>
                ))}
              </tr>
            ))}
          </tbody>
          <tfoot>
            <tr>
              <th scope="row">Total</th>
              {cells(total).map((v, n) => (
                <td key={heads[n]}>{v}</td>
              ))}
            </tr>
          </tfoot>
        </table>
      </div>
      <figure className="sb-chart" aria-label="Report chart">
        <BarChart width={width} height={height} data={data}>
          <CartesianGrid strokeDasharray="3 3" stroke="var(--sb-border)" />
          <XAxis dataKey="key" />
          <YAxis allowDecimals={false} />
          <Tooltip />
          <Legend />
          <Bar dataKey="dials" name="Dials" fill="var(--sb-muted-fill)" isAnimationActive={false} />
          <Bar dataKey="connects" name="Connects" fill="var(--sb-accent)" isAnimationActive={false} />
          <Bar dataKey="sales" name="Sales" fill="var(--sb-success)" isAnimationActive={false} />
        </BarChart>
      </figure>
    </section>
  )
}
