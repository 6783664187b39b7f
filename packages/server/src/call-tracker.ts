import type { CallOffered } from '@switchboard/campaigns'

/** What the server knows of one call offered to an agent. */
export interface TrackedCall {
  readonly callId: string
  readonly agentId: string
  readonly interactionId: string
  offer: CallOffered
  connected: boolean
  endedAt?: Date
  wrapUntil?: Date
  recording: boolean
}

/**
 * Calls offered to agents of each tenant, from the runtime's events: whose
 * call an id is (so an agent cannot act on another's, and an id of another
 * tenant is unknown), and each agent's current or last uncoded call (the
 * screen pop a reloaded page gets back). Bounded: coded calls are dropped.
 */
export class CallTracker {
  private readonly calls = new Map<string, TrackedCall>()
  private readonly byAgent = new Map<string, string>()
  /** The call each agent went on_call for: a click-to-call's agent is on the call before its offer. */
  private readonly onCall = new Map<string, string>()
  private readonly key = (tenant: string, id: string) => `${tenant}\u0000${id}`

  offered(offer: CallOffered): void {
    const k = this.key(offer.tenantId, offer.callId)
    const previous = this.byAgent.get(this.key(offer.tenantId, offer.agentId))
    // The agent's earlier call was left uncoded (the runtime coded it): forget it.
    if (previous && previous !== k) this.calls.delete(previous)
    this.calls.set(k, {
      callId: offer.callId,
      agentId: offer.agentId,
      interactionId: offer.interactionId,
      offer,
      connected: this.onCall.get(this.key(offer.tenantId, offer.agentId)) === offer.callId,
      recording: false,
    })
    this.byAgent.set(this.key(offer.tenantId, offer.agentId), k)
  }

  /** The agent's state moved: `on_call` for a call is that call connected. */
  stateChanged(tenant: string, agentId: string, to: string, callId: string | undefined): void {
    const a = this.key(tenant, agentId)
    if (to !== 'on_call' || !callId) {
      this.onCall.delete(a)
      return
    }
    this.onCall.set(a, callId)
    const call = this.get(tenant, callId)
    if (call) call.connected = true
  }

  get(tenant: string, callId: string): TrackedCall | undefined {
    return this.calls.get(this.key(tenant, callId))
  }

  ofAgent(tenant: string, agentId: string): TrackedCall | undefined {
    const k = this.byAgent.get(this.key(tenant, agentId))
    return k ? this.calls.get(k) : undefined
  }

  /** The call with this interaction was coded: the agent's screen pop is done. */
  disposed(tenant: string, interactionId: string): void {
    for (const [k, call] of this.calls) {
      if (call.interactionId !== interactionId || !k.startsWith(`${tenant}\u0000`)) continue
      this.calls.delete(k)
      const a = this.key(tenant, call.agentId)
      if (this.byAgent.get(a) === k) this.byAgent.delete(a)
    }
  }

  /** The call (by telephony call id or interaction) a recording is on. */
  find(tenant: string, match: { callId?: string; interactionId?: string }): TrackedCall | undefined {
    if (match.callId) {
      const c = this.get(tenant, match.callId)
      if (c) return c
    }
    for (const [k, call] of this.calls)
      if (k.startsWith(`${tenant}\u0000`) && call.interactionId === match.interactionId) return call
    return undefined
  }
}
