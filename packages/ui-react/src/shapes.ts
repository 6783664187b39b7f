import type {
  AgentState,
  Case,
  Contact,
  DispositionCategory,
  Interaction,
  Money,
  Recording,
  Refusal,
} from '@switchboard/core/domain'
import type { Json } from './json.js'

// The JSON shapes of what the campaign runtime sends (its package is Node-only, so they are restated
// structurally here: the client's inferred responses are assignable to them).

/** One timeline entry: an interaction, with its recordings when the server joined them. */
export type TimelineEntry = Json<Interaction> & { readonly recordings?: ReadonlyArray<Json<Recording>> }

/** Why a caller must be verified, who they may be, and what to ask. */
export interface VerificationRequest {
  readonly reason: 'unknown' | 'withheld' | 'ambiguous'
  readonly candidates: ReadonlyArray<Json<Contact>>
  readonly verify: ReadonlyArray<string>
}

/** The screen pop (`call.offered`) as JSON. */
export interface CallOfferJson {
  readonly callId: string
  readonly interactionId: string
  readonly direction: 'inbound' | 'outbound'
  readonly campaignId?: string
  readonly contact?: Json<Contact>
  readonly timeline: ReadonlyArray<TimelineEntry>
  readonly openCases: ReadonlyArray<Json<Case>>
  readonly script?: string
  readonly verification?: VerificationRequest
}

/** A code an agent may pick (core's resolved disposition). */
export interface DispositionOption {
  readonly code: string
  readonly label: string
  readonly category: DispositionCategory
}

/** A campaign's run figures (the runtime's `CampaignRunStatus`). */
export interface RunStatusJson {
  readonly campaignId: string
  readonly state: 'running' | 'paused' | 'stopping' | 'stopped' | 'lost_lease'
  readonly callsInFlight: number
  readonly dials: number
  readonly connects: number
  readonly abandoned: number
  readonly refused: number
  readonly lastDecision?: { readonly launch: number; readonly mode: string; readonly reason: string }
}

/** Abandonment now and the regime's ceiling, both fractions. */
export interface AbandonmentVsTarget {
  readonly rate: number
  readonly target: number
}

/** One point of a campaign's live series. */
export interface PacingPoint {
  readonly at: string
  readonly dials: number
  readonly connects: number
  readonly abandoned: number
  readonly callsInFlight: number
  readonly rate: number
}

/** One row of the combined report (the runtime's `ReportRow`). */
export interface ReportRowJson {
  readonly key: string
  readonly dials: number
  readonly contacts: number
  readonly contactRate: number | null
  readonly connects: number
  readonly connectRate: number | null
  readonly handleSec: number
  readonly avgHandleSec: number | null
  readonly machines: number
  readonly abandonment: { readonly us: number; readonly uk: number }
  readonly sales: number
  readonly saleRate: number | null
  readonly revenue: ReadonlyArray<{ readonly currency: string; readonly amountMinor: number }>
  readonly agentHours: number | null
  readonly salesPerAgentHour: number | null
}

/** An agent's own state as the live store keeps it. */
export interface AgentStateJson {
  readonly state: AgentState
  readonly since: string
  readonly reason?: string
}

/** What a coded call sends (core's `DispositionInput`, with the callback as an instant). */
export interface DispositionSubmission {
  readonly code: string
  readonly note?: string
  readonly outcomeValue?: Money
  readonly wrapSec?: number
  readonly callback?: { readonly dueAt: string; readonly timeZone?: string; readonly note?: string }
}

/** An escalation as the case view sends it (core's `EscalateInput`, `by` set by the server). */
export interface EscalationSubmission {
  readonly toTier: string
  readonly reason: 'manual' | 'sla_breach' | 'vip' | 'unknown_fault' | 'sla_at_risk'
  readonly note?: string
}

/** A tier a case may be escalated to. */
export interface TierOption {
  readonly id: string
  readonly name: string
  readonly level: number
}

/** A refusal the server gave (a 422 `reasons` list). */
export type RefusalJson = Refusal
