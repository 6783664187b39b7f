import type { AgentState, AgentStateChange } from '@switchboard/core'
import { splitByHour } from './hour.js'
import type { ReportGroupBy, ReportRange } from './types.js'

/** What the agent-time tally needs of a session: whose it is and the campaigns it worked. */
export interface SessionInfo {
  readonly id: string
  readonly agentId: string
  readonly campaignIds: ReadonlyArray<string>
}

interface Open {
  readonly agentId: string
  readonly state: AgentState
  readonly since: number
}

/**
 * Logged-in time of agents from their state history: a state lasts from its change to the next
 * change of the same session; every state but `offline` counts, clipped to the range; a state
 * still current at the range end counts until the range end, or until `now` when that is earlier. Feed the changes in time order
 * (as `sessions.states` pages them), then `finish`.
 *
 * Seconds are kept per session and per sub-key (the hour for `hour` groups, else one key), so
 * that campaign attribution, which needs the session's campaigns, is done at the end.
 */
export class AgentTimeTally {
  private readonly from: number
  private readonly to: number
  private readonly open = new Map<string, Open>()
  private readonly seconds = new Map<string, { agentId: string; byKey: Map<string, number> }>()
  /** Start instants of hour keys (to sort rows). */
  readonly hourStarts = new Map<string, number>()

  constructor(
    range: ReportRange,
    private readonly groupBy: ReportGroupBy,
    private readonly zone?: string,
    /** The report's instant (epoch ms): nothing counts past it (default: no limit). */
    now = Number.POSITIVE_INFINITY,
  ) {
    this.from = range.from.getTime()
    this.to = Math.max(this.from, Math.min(range.to.getTime(), now))
  }

  /** Whether a change of this session was seen. */
  seen(sessionId: string): boolean {
    return this.open.has(sessionId) || this.seconds.has(sessionId)
  }

  /** One state change (in time order). Its `from` is the state held before it, from the range start if it is the session's first change seen. */
  change(c: Pick<AgentStateChange, 'sessionId' | 'agentId' | 'from' | 'to' | 'at'>): void {
    const at = c.at.getTime()
    const cur = this.open.get(c.sessionId)
    if (!cur) this.count(c.sessionId, c.agentId, c.from, this.from, at)
    else this.count(c.sessionId, cur.agentId, cur.state, cur.since, at)
    this.open.set(c.sessionId, { agentId: c.agentId, state: c.to, since: at })
  }

  /** A session that held `state` through the whole range without any change in it. */
  span(sessionId: string, agentId: string, state: AgentState): void {
    this.count(sessionId, agentId, state, this.from, this.to)
  }

  /** Closes the states still current at the range end. */
  finish(): void {
    for (const [id, o] of this.open) this.count(id, o.agentId, o.state, o.since, this.to)
    this.open.clear()
  }

  private count(sessionId: string, agentId: string, state: AgentState, start: number, end: number): void {
    if (state === 'offline') return
    const s = Math.max(start, this.from)
    const e = Math.min(end, this.to)
    if (e <= s) return
    let entry = this.seconds.get(sessionId)
    if (!entry) {
      entry = { agentId, byKey: new Map() }
      this.seconds.set(sessionId, entry)
    }
    const byKey = entry.byKey
    const add = (key: string, sec: number) => byKey.set(key, (byKey.get(key) ?? 0) + sec)
    if (this.groupBy === 'hour')
      splitByHour(s, e, this.zone, (b, sec) => {
        this.hourStarts.set(b.key, b.start)
        add(b.key, sec)
      })
    else add('', (e - s) / 1000)
  }

  /**
   * Seconds per group key and in total. `campaign` groups split a session's time equally among its
   * campaigns (a session with none adds to the total only); with `campaignId`, only sessions on that
   * campaign count, for their share (1 / their number of campaigns). `list` groups get none (null).
   */
  result(
    sessionOf: (sessionId: string) => SessionInfo | undefined,
    campaignId?: string,
  ): { readonly byGroup: ReadonlyMap<string, number> | null; readonly total: number } {
    const byGroup = new Map<string, number>()
    const add = (k: string, sec: number) => byGroup.set(k, (byGroup.get(k) ?? 0) + sec)
    let total = 0
    for (const [sessionId, { agentId, byKey }] of this.seconds) {
      const campaigns = sessionOf(sessionId)?.campaignIds ?? []
      const share = campaigns.length ? 1 / campaigns.length : 0
      const weight = campaignId === undefined ? 1 : campaigns.includes(campaignId) ? share : 0
      if (weight === 0) continue
      for (const [k, sec] of byKey) {
        total += sec * weight
        if (this.groupBy === 'hour') add(k, sec * weight)
        else if (this.groupBy === 'agent') add(agentId, sec * weight)
        else if (this.groupBy === 'campaign') {
          if (campaignId !== undefined) add(campaignId, sec * weight)
          else for (const c of campaigns) add(c, sec * share)
        }
      }
    }
    return { byGroup: this.groupBy === 'list' ? null : byGroup, total }
  }
}
