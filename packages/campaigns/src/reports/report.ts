import {
  type AgentSession,
  type AgentState,
  type CampaignId,
  type InteractionId,
  localTime,
  type TenantApi,
  validationFailed,
} from '@switchboard/core'
import type { SessionInfo } from './agent-time.js'
import { ReportBuilder } from './builder.js'
import type { CodeInfo } from './kpis.js'
import type { CampaignReport, ReportOptions } from './types.js'

/** Page size of every read (the tenant API's maximum for interactions). */
const PAGE = 1000
const GROUPS = ['campaign', 'agent', 'list', 'hour']

function check(o: ReportOptions): void {
  const bad = (field: string, value: unknown, message: string) =>
    validationFailed('campaign report', [{ field, value, message }])
  if (o === null || typeof o !== 'object') throw bad('options', o, 'must be { from, to, groupBy }')
  if (!(o.from instanceof Date) || Number.isNaN(o.from.getTime())) throw bad('from', o.from, 'must be a Date')
  if (!(o.to instanceof Date) || Number.isNaN(o.to.getTime())) throw bad('to', o.to, 'must be a Date')
  if (o.to <= o.from) throw bad('to', o.to, 'must be after from')
  if (!GROUPS.includes(o.groupBy)) throw bad('groupBy', o.groupBy, `must be one of ${GROUPS.join(', ')}`)
  if (o.now !== undefined && (!(o.now instanceof Date) || Number.isNaN(o.now.getTime())))
    throw bad('now', o.now, 'must be a Date')
  if (o.zone !== undefined && (typeof o.zone !== 'string' || !localTime(new Date(0), o.zone)))
    throw bad('zone', o.zone, 'must be an IANA time zone such as Europe/Madrid')
}

/** A session as the event log's JSON payload carries it (dates as ISO strings). */
interface SessionPayload {
  readonly id: string
  readonly agentId: string
  readonly campaignIds: ReadonlyArray<string>
  readonly startedAt: string
  readonly endedAt?: string
}

const info = (s: Pick<AgentSession, 'id' | 'agentId' | 'campaignIds'> | SessionPayload): SessionInfo => ({
  id: s.id,
  agentId: s.agentId,
  campaignIds: s.campaignIds,
})

/**
 * The sessions that may overlap the range: the open ones (`sessions.open()`), and the closed ones
 * that ended at or after its start (`agent.logged_out` events since `from`, whose payload is the
 * closed session with its campaigns). Only their ids, agents, campaigns and bounds are kept.
 */
async function sessionsOf(t: TenantApi, from: Date, to: Date) {
  const open = new Map<string, AgentSession>()
  for (const s of await t.sessions.open()) if (s.startedAt < to) open.set(s.id, s)
  const closed = new Map<string, { info: SessionInfo; startedAt: number; endedAt: number }>()
  let after: string | undefined
  for (;;) {
    const page = await t.events.list({
      types: ['agent.logged_out'],
      since: from,
      limit: PAGE,
      ...(after !== undefined ? { after } : {}),
    })
    for (const e of page) {
      const s = (e.payload as { session?: SessionPayload } | null)?.session
      if (!s || typeof s.id !== 'string' || !Array.isArray(s.campaignIds)) continue
      const startedAt = Date.parse(s.startedAt)
      const endedAt = s.endedAt ? Date.parse(s.endedAt) : e.occurredAt.getTime()
      if (startedAt < to.getTime()) closed.set(s.id, { info: info(s), startedAt, endedAt })
    }
    if (page.length < PAGE) break
    after = page[page.length - 1]!.id
  }
  return { open, closed }
}

/** The state a session held before its first change at or after `at`, if that change is found. */
async function stateBefore(
  t: TenantApi,
  agentId: string,
  sessionId: string,
  at: Date,
): Promise<AgentState | undefined> {
  // One agent has one session at a time: the agent's next changes are this session's.
  const next = await t.sessions.states({ agentId: agentId as AgentSession['agentId'], from: at, limit: 10 })
  return next.find((c) => c.sessionId === sessionId)?.from
}

/**
 * Combined CRM and contact-center KPIs of a tenant over `[from, to)`, grouped by campaign, agent,
 * list or hour, with the totals: dials, contacts, person-answered connects, handle time,
 * abandonment by the US and the UK formula, sales, revenue per currency, and sales and revenue per
 * agent-hour.
 *
 * Everything is read through the tenant API, page by page (interactions, agent state changes,
 * `agent.logged_out` events); only the aggregates stay in memory. Definitions:
 * - a dial is an outbound voice interaction of a campaign that started in the range; every KPI
 *   counts dials only (an inbound sale is not a campaign's);
 * - agent-hours are logged-in time (any state but offline) from `sessions.states`, inside the
 *   range; a state current at the range end counts until the range end. By campaign, a session's
 *   time is split equally among its `campaignIds` (a session on no campaign counts in the totals
 *   only); by hour, time goes to the hours it falls in; **by list, agent-hours are null**: agent
 *   time is not attributable to a list (the totals still have them);
 * - with `campaignId`, only that campaign's dials count, and only the share of agent time of the
 *   sessions logged in to it;
 * - the UK formula's false positives are estimated: each call coded `machine` adds its campaign's
 *   `regime.abandonment.amdFalsePositiveRate`.
 *
 * @example
 * ```ts
 * import { campaignReport, reportCsv } from '@switchboard/campaigns'
 *
 * const report = await campaignReport(acme, {
 *   from: new Date('2026-01-06T00:00Z'),
 *   to: new Date('2026-01-07T00:00Z'),
 *   groupBy: 'hour',
 *   zone: 'Europe/Madrid',
 * })
 * for (const r of report.rows) console.log(r.key, r.dials, r.connectRate, r.abandonment.uk, r.salesPerAgentHour)
 * console.log(report.totals.revenue) // [{ currency: 'EUR', amountMinor: 129900, perAgentHourMinor: 16237.5 }]
 * const csv = reportCsv(report)
 * ```
 */
export async function campaignReport(t: TenantApi, options: ReportOptions): Promise<CampaignReport> {
  check(options)
  const { from, to, campaignId } = options
  const codes = new Map<string, CodeInfo>()
  for (const c of await t.dispositions.list()) codes.set(c.code, { category: c.category, flags: c.flags })
  // time not yet lived is not agent time: the default instant is the system's now
  const b = new ReportBuilder({ ...options, now: options.now ?? new Date() }, codes)

  // Interactions, oldest first, keyset on the last id.
  const rates = new Map<string, number>()
  const rateOf = async (id: string) => {
    let r = rates.get(id)
    if (r === undefined) {
      r = (await t.campaigns.get(id as CampaignId)).regime.abandonment.amdFalsePositiveRate
      rates.set(id, r)
    }
    return r
  }
  let after: string | undefined
  for (;;) {
    const page = await t.interactions.find({
      from,
      to,
      channel: 'voice',
      limit: PAGE,
      ...(campaignId !== undefined ? { campaignId: campaignId as CampaignId } : {}),
      ...(after !== undefined ? { after: after as InteractionId } : {}),
    })
    for (const i of page)
      if (i.direction === 'outbound' && i.campaignId) b.addInteraction(i, await rateOf(i.campaignId))
    if (page.length < PAGE) break
    after = page[page.length - 1]!.id
  }

  // Sessions (campaigns per session), then the state history inside the range, in time order.
  const { open, closed } = await sessionsOf(t, from, to)
  for (const s of open.values()) b.addSession(info(s))
  for (const s of closed.values()) b.addSession(s.info)
  let cursor: { sessionId: AgentSession['id']; seq: number } | undefined
  for (;;) {
    const page = await t.sessions.states({ from, to, limit: PAGE, ...(cursor ? { after: cursor } : {}) })
    for (const c of page) b.addStateChange(c)
    if (page.length < PAGE) break
    const last = page[page.length - 1]!
    cursor = { sessionId: last.sessionId, seq: last.seq }
  }

  // Sessions logged in through the whole range without a change inside it.
  for (const s of open.values()) {
    if (b.hasChanges(s.id) || s.startedAt >= from) continue
    const state = s.stateSince < from ? s.state : await stateBefore(t, s.agentId, s.id, to)
    if (state) b.addSpan(info(s), state)
  }
  for (const s of closed.values()) {
    if (b.hasChanges(s.info.id) || s.startedAt >= from.getTime() || s.endedAt < to.getTime()) continue
    const state = await stateBefore(t, s.info.agentId, s.info.id, to)
    if (state) b.addSpan(s.info, state)
  }
  return b.build()
}
