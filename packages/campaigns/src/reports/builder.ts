import type { AgentState, AgentStateChange, Interaction } from '@switchboard/core'
import { AgentTimeTally, type SessionInfo } from './agent-time.js'
import { hourBucket } from './hour.js'
import { type CodeInfo, isDial, KpiTally, rowOf } from './kpis.js'
import type { CampaignReport, ReportOptions, ReportRow } from './types.js'

/** The key of dials without an agent (agent groups) or without a list (list groups). */
export const NONE_KEY = '(none)'
/** The key of the totals row. */
export const TOTAL_KEY = '(total)'

/**
 * The pure aggregation behind `campaignReport`: feed it interactions, state changes and sessions
 * (from pages, in any number), then `build`. It keeps only the aggregates: a tally per group, and
 * agent time per session.
 *
 * @example
 * ```ts
 * import { ReportBuilder } from '@switchboard/campaigns'
 *
 * const b = new ReportBuilder(
 *   { from: new Date('2026-01-06T00:00Z'), to: new Date('2026-01-07T00:00Z'), groupBy: 'hour' },
 *   new Map([['SALE', { category: 'sale', flags: { countsAsContact: true, countsAsSale: true } }]]),
 * )
 * for (const i of await acme.interactions.find({ limit: 1000 })) b.addInteraction(i, 0.03)
 * const report = b.build()
 * ```
 */
export class ReportBuilder {
  private readonly groups = new Map<string, KpiTally>()
  private readonly totals = new KpiTally()
  private readonly time: AgentTimeTally
  private readonly sessions = new Map<string, SessionInfo>()
  private readonly hourStarts = new Map<string, number>()
  private readonly from: number
  private readonly to: number

  constructor(
    private readonly options: ReportOptions,
    private readonly codes: ReadonlyMap<string, CodeInfo>,
  ) {
    this.from = options.from.getTime()
    this.to = options.to.getTime()
    this.time = new AgentTimeTally(options, options.groupBy, options.zone, options.now?.getTime())
  }

  private keyOf(i: Interaction): string {
    switch (this.options.groupBy) {
      case 'campaign':
        return i.campaignId ?? NONE_KEY
      case 'agent':
        return i.agentId ?? NONE_KEY
      case 'list':
        return i.listId ?? NONE_KEY
      case 'hour': {
        const b = hourBucket(i.startedAt.getTime(), this.options.zone)
        this.hourStarts.set(b.key, b.start)
        return b.key
      }
    }
  }

  /**
   * Counts an interaction if it is a dial (outbound, voice, of a campaign) started inside the
   * range (and of the report's campaign, if any); `amdFalsePositiveRate` is its campaign's
   * `regime.abandonment.amdFalsePositiveRate`.
   */
  addInteraction(i: Interaction, amdFalsePositiveRate: number): void {
    if (!isDial(i)) return
    const at = i.startedAt.getTime()
    if (at < this.from || at >= this.to) return
    if (this.options.campaignId !== undefined && i.campaignId !== this.options.campaignId) return
    const code = i.disposition === undefined ? undefined : this.codes.get(i.disposition)
    const key = this.keyOf(i)
    let g = this.groups.get(key)
    if (!g) {
      g = new KpiTally()
      this.groups.set(key, g)
    }
    g.add(i, code, amdFalsePositiveRate)
    this.totals.add(i, code, amdFalsePositiveRate)
  }

  /** One agent state change inside the range, in time order. */
  addStateChange(c: Pick<AgentStateChange, 'sessionId' | 'agentId' | 'from' | 'to' | 'at'>): void {
    this.time.change(c)
  }

  /** A session that held `state` through the whole range, without a change inside it. */
  addSpan(session: SessionInfo, state: AgentState): void {
    this.sessions.set(session.id, session)
    this.time.span(session.id, session.agentId, state)
  }

  /** A session's campaigns (for campaign attribution and the campaign filter). */
  addSession(session: SessionInfo): void {
    this.sessions.set(session.id, session)
  }

  /** Whether a state change of this session was given. */
  hasChanges(sessionId: string): boolean {
    return this.time.seen(sessionId)
  }

  build(): CampaignReport {
    const { from, to, groupBy, zone, campaignId } = this.options
    this.time.finish()
    const { byGroup, total } = this.time.result((id) => this.sessions.get(id), campaignId)
    const keys = new Set(this.groups.keys())
    for (const k of byGroup?.keys() ?? []) keys.add(k)
    for (const [k, s] of this.time.hourStarts) this.hourStarts.set(k, s)
    const order =
      groupBy === 'hour'
        ? (a: string, b: string) => (this.hourStarts.get(a) ?? 0) - (this.hourStarts.get(b) ?? 0)
        : (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0)
    const rows: ReportRow[] = [...keys]
      .sort(order)
      .map((k) => rowOf(k, this.groups.get(k) ?? new KpiTally(), byGroup ? (byGroup.get(k) ?? 0) : null))
    return {
      range: { from, to },
      groupBy,
      ...(zone !== undefined ? { zone } : {}),
      ...(campaignId !== undefined ? { campaignId } : {}),
      rows,
      totals: rowOf(TOTAL_KEY, this.totals, total),
    }
  }
}
