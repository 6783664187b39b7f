import type { AgentId, AgentSession, AgentState, CampaignId } from '@switchboard/core'

/** One agent as the runtime tracks it: the session's state and since when (epoch ms). */
export interface PooledAgent {
  readonly agentId: AgentId
  readonly state: AgentState
  readonly since: number
  readonly campaignIds: ReadonlyArray<CampaignId>
  readonly callId?: string
}

/**
 * The runtime's view of one tenant's logged-in agents, kept from the
 * sessions it writes itself, the `agent.state_changed` events of this
 * process, and a periodic read of the open sessions (changes made by other
 * processes). The database stays the truth: a reservation is a write that
 * fails when the agent changed meanwhile.
 */
export class AgentPool {
  private readonly agents = new Map<string, PooledAgent>()

  apply(session: AgentSession): void {
    if (session.endedAt || session.state === 'offline') {
      this.agents.delete(session.agentId)
      return
    }
    const known = this.agents.get(session.agentId)
    const since = session.stateSince.getTime()
    // an older snapshot (a slow read) does not undo a newer change
    if (known && known.since > since) return
    this.agents.set(session.agentId, {
      agentId: session.agentId,
      state: session.state,
      since,
      campaignIds: session.campaignIds,
      ...(session.callId ? { callId: session.callId } : {}),
    })
  }

  /** Replaces the view with the open sessions read from storage. */
  refresh(open: ReadonlyArray<AgentSession>): void {
    const seen = new Set<string>()
    for (const s of open) {
      seen.add(s.agentId)
      this.apply(s)
    }
    for (const id of [...this.agents.keys()]) if (!seen.has(id)) this.agents.delete(id)
  }

  get(agentId: string): PooledAgent | undefined {
    return this.agents.get(agentId)
  }

  /** The campaign's agents. */
  of(campaignId: CampaignId): PooledAgent[] {
    return [...this.agents.values()].filter((a) => a.campaignIds.includes(campaignId))
  }

  /** The campaign's available agents, longest idle first. */
  idle(campaignId: CampaignId, exclude: ReadonlySet<string> = new Set()): PooledAgent[] {
    return this.of(campaignId)
      .filter((a) => a.state === 'available' && !exclude.has(a.agentId))
      .sort((a, b) => a.since - b.since || (a.agentId < b.agentId ? -1 : 1))
  }

  /** Available agents of any campaign or none (inbound), longest idle first. */
  anyIdle(exclude: ReadonlySet<string> = new Set()): PooledAgent[] {
    return [...this.agents.values()]
      .filter((a) => a.state === 'available' && !exclude.has(a.agentId))
      .sort((a, b) => a.since - b.since || (a.agentId < b.agentId ? -1 : 1))
  }
}
