import type {
  AgentId,
  CallbackId,
  Campaign,
  Contact,
  DispositionCategory,
  Emit,
  HangupCause,
  InteractionId,
  LeadOrder,
  TelephonyBackend,
  TenantApi,
  TenantStore,
} from '@switchboard/core'
import type { AgentPool } from './agent-pool.js'
import type { CampaignRun } from './campaign-run.js'
import type { RuntimeClock, Work } from './clock.js'
import type { RuntimeEvents } from './events.js'

/** A customer call the runtime handles (outbound by a campaign, inbound, or click to call). */
export interface CallSession {
  readonly callId: string
  readonly tenant: TenantApi
  /** The campaign run that placed it (absent for inbound and click-to-call calls). */
  readonly run?: CampaignRun
  /** The campaign a click-to-call was placed for (its screen pop names it and its script). */
  readonly campaign?: Campaign
  contact?: Contact
  readonly phone: string
  readonly interactionId: InteractionId
  phase: 'ringing' | 'detecting' | 'waiting' | 'connected'
  phaseSince: number
  readonly startedAt: number
  answeredAt?: number
  ringSec?: number
  agentId?: AgentId
  agentCallId?: string
  reservedAgent?: AgentId
  callbackId?: CallbackId
  recordingId?: string
  /** Its contact was suppressed after the permit: never connect it. */
  suppressed?: boolean
  /** The runner hung it up itself (stopping): if it was still being placed, coded INTERRUPTED, not FAILED. */
  cancelled?: boolean
}

/** What a campaign run needs of the runtime around it. */
export interface RuntimeContext {
  readonly clock: RuntimeClock
  readonly settings: {
    readonly leaseSec: number
    readonly ringTimeoutSec: number
    readonly tickMs: number
    /** Claims ordered by this plugin column instead of first in, first out. */
    readonly listOrder?: LeadOrder
  }
  readonly work: Work
  readonly telephony: TelephonyBackend
  store(tenant: TenantApi): TenantStore
  /** One transaction through core's event log (events recorded, rules run, published after commit). */
  write<A>(tenant: TenantApi, operation: string, fn: (tx: TenantStore, emit: Emit) => Promise<A>): Promise<A>
  agents(tenant: TenantApi): AgentPool
  /** Reserves an available agent (a write that fails when the agent changed meanwhile). */
  reserve(tenant: TenantApi, agentId: AgentId, callId?: string): Promise<boolean>
  unreserve(tenant: TenantApi, agentId: AgentId): Promise<void>
  /** Connects a waiting person to the longest-idle agent within `maxWaitSec`; the agent, or undefined. */
  connect(call: CallSession, maxWaitSec: number): Promise<AgentId | undefined>
  hangup(callId: string, cause: HangupCause): Promise<void>
  /** Follows a customer call's events from before it is placed (a suppressed one is cancelled as soon as it rings). */
  watch(call: CallSession): void
  categoryOf(code: string): DispositionCategory | undefined
  emit<K extends keyof RuntimeEvents>(type: K, event: RuntimeEvents[K]): void
  sleep(ms: number): Promise<void>
  log(message: string, error: unknown): void
}
