/** Combined reports: CRM sales and revenue joined with contact-center operations, per campaign, agent, list or hour. */
export type { SessionInfo } from './agent-time.js'
export { NONE_KEY, ReportBuilder, TOTAL_KEY } from './builder.js'
export { csvField, reportCsv } from './csv.js'
export { type HourBucket, hourBucket } from './hour.js'
export type { CodeInfo } from './kpis.js'
export { campaignReport } from './report.js'
export type {
  CampaignReport,
  ReportGroupBy,
  ReportOptions,
  ReportRange,
  ReportRow,
  RevenueFigure,
} from './types.js'
