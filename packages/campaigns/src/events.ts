import type {
  AgentId,
  CampaignId,
  Case,
  Contact,
  ContactId,
  Interaction,
  InteractionId,
  Refusal,
  TenantId,
} from '@switchboard/core'

/**
 * The screen pop: everything an agent needs when a call reaches them, in one
 * event. An identified caller comes with the card, the timeline of every
 * channel and the open cases; an unknown, withheld or shared number comes
 * with `verification` instead (the agent picks or creates the contact with
 * `runtime.identify`).
 */
export interface CallOffered {
  readonly tenantId: TenantId
  readonly agentId: AgentId
  readonly callId: string
  readonly interactionId: InteractionId
  /** For the agent every call is incoming; this says where it came from. */
  readonly direction: 'inbound' | 'outbound'
  readonly campaignId?: CampaignId
  readonly contact?: Contact
  readonly timeline: ReadonlyArray<Interaction>
  readonly openCases: ReadonlyArray<Case>
  readonly script?: string
  readonly verification?: {
    readonly reason: 'unknown' | 'withheld' | 'ambiguous'
    readonly candidates: ReadonlyArray<Contact>
    /** What to ask the caller (date of birth, postcode...). */
    readonly verify: ReadonlyArray<string>
  }
}

// a type alias, not an interface: mitt wants a mapped type
export type RuntimeEvents = {
  'call.offered': CallOffered
  /** The agent's leg and the customer's are bridged. */
  'call.connected': {
    tenantId: TenantId
    agentId: AgentId
    callId: string
    interactionId: InteractionId
    waitSec: number
  }
  /** The customer's call ended; the agent (if any) is in wrap-up until `wrapUntil`. */
  'call.ended': {
    tenantId: TenantId
    callId: string
    interactionId: InteractionId
    agentId?: AgentId
    talkSec: number
    wrapUntil?: Date
  }
  'dial.refused': {
    tenantId: TenantId
    campaignId: CampaignId
    contactId: ContactId
    reasons: ReadonlyArray<Refusal>
  }
  /** Background work failed (logged too). */
  'runtime.error': { message: string; error: unknown }
}
