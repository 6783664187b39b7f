import { campaignReport, type ReportOptions, reportCsv } from '@switchboard/campaigns'
import type { TenantApi } from '@switchboard/core'
import { Hono } from 'hono'
import { z } from 'zod'
import { type Env, supervisorOnly } from './auth.js'
import { queryOf } from './validate.js'

const Instant = z.iso.datetime({ offset: true }).transform((s) => new Date(s))
const ReportQuery = z
  .strictObject({
    from: Instant,
    to: Instant,
    groupBy: z.enum(['campaign', 'agent', 'list', 'hour']),
    campaignId: z.string().min(1).max(128).optional(),
    zone: z.string().min(1).max(64).optional(),
  })
  .refine((q) => q.to > q.from, { message: 'must be after from', path: ['to'] })

type Query = z.output<typeof ReportQuery>

const report = (t: TenantApi, q: Query, now: number) =>
  campaignReport(t, {
    from: q.from,
    to: q.to,
    // the instance's clock (virtual in a simulation): an agent still logged in counts until now
    now: new Date(now),
    groupBy: q.groupBy,
    ...(q.campaignId ? { campaignId: q.campaignId } : {}),
    ...(q.zone ? { zone: q.zone } : {}),
  } satisfies ReportOptions)

/** The combined CRM and contact-center report, as JSON or CSV (supervisors). */
export const reportRoutes = (now: () => number) =>
  new Hono<Env>()
    .get('/reports/campaign', supervisorOnly, queryOf('report', ReportQuery), async (c) => {
      const r = await report(c.get('t'), c.req.valid('query'), now())
      return c.json({ rows: r.rows, total: r.totals })
    })
    .get('/reports/campaign.csv', supervisorOnly, queryOf('report', ReportQuery), async (c) => {
      const q = c.req.valid('query')
      const r = await report(c.get('t'), q, now())
      c.header('content-type', 'text/csv; charset=utf-8')
      c.header('content-disposition', `attachment; filename="campaign-report-${q.groupBy}.csv"`)
      return c.body(reportCsv(r, { totals: true }))
    })
