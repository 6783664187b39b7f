import mittImport, { type Emitter } from 'mitt'
import type { Agent } from './domain/agent.js'
import type { AgentSession, AgentStateChange } from './domain/agent-session.js'
import type { Callback } from './domain/callback.js'
import type { Campaign, CampaignStatus } from './domain/campaign.js'
import type { Case, CaseStatus } from './domain/case.js'
import type { ConsentRecord, DoNotCallEntry } from './domain/consent.js'
import type { Contact } from './domain/contact.js'
import type { DispositionCategory, DispositionCode } from './domain/disposition.js'
import type { ContactId, TenantId } from './domain/ids.js'
import type { Interaction } from './domain/interaction.js'
import type { SoftLock } from './domain/lock.js'
import type { ConsentPurpose } from './domain/purpose.js'
import type { Recording } from './domain/recording.js'

/**
 * Domain events. Feature plugins add their own through declaration merging:
 *
 * ```ts
 * declare module '@switchboard/core' {
 *   interface SwitchboardEvents { 'payment.received': { tenantId: TenantId; amountMinor: number } }
 * }
 * ```
 */
export interface SwitchboardEvents {
  'contact.created': { tenantId: TenantId; contact: Contact }
  'contact.updated': { tenantId: TenantId; contact: Contact; previous: Contact }
  'contact.merged': { tenantId: TenantId; survivor: Contact; merged: ContactId[] }
  'consent.changed': { tenantId: TenantId; record: ConsentRecord; suppressedLeads: number }
  'consent.purpose_declared': { tenantId: TenantId; purpose: ConsentPurpose }
  'dnc.added': { tenantId: TenantId; entry: DoNotCallEntry; suppressedLeads: number }
  'dnc.removed': { tenantId: TenantId; phone: string; list: string; removed: number }
  'interaction.logged': { tenantId: TenantId; interaction: Interaction }
  'case.created': { tenantId: TenantId; case: Case }
  'case.escalated': { tenantId: TenantId; case: Case; reason: string }
  'case.status_changed': { tenantId: TenantId; case: Case; from: CaseStatus; to: CaseStatus }
  'campaign.created': { tenantId: TenantId; campaign: Campaign }
  'campaign.status_changed': {
    tenantId: TenantId
    campaign: Campaign
    from: CampaignStatus
    to: CampaignStatus
  }
  'agent.created': { tenantId: TenantId; agent: Agent }
  'leads.suppressed': { tenantId: TenantId; contactId: ContactId; reason: string; suppressed: number }
  'callback.scheduled': { tenantId: TenantId; callback: Callback }
  'callback.moved': { tenantId: TenantId; callback: Callback; previous: Callback }
  'callback.cancelled': { tenantId: TenantId; callback: Callback }
  'callback.done': { tenantId: TenantId; callback: Callback }
  'disposition.defined': { tenantId: TenantId; code: DispositionCode }
  /** A call was coded: what the code implied for the list (retry, done, callback) and do-not-call. */
  'interaction.disposed': {
    tenantId: TenantId
    interaction: Interaction
    code: string
    category: DispositionCategory
    lead: 'done' | 'retry' | 'callback' | 'none'
    retryAt?: Date
    doNotCall: boolean
  }
  'interaction.updated': { tenantId: TenantId; interaction: Interaction }
  'recording.started': { tenantId: TenantId; recording: Recording }
  'recording.stopped': { tenantId: TenantId; recording: Recording }
  'agent.logged_in': { tenantId: TenantId; session: AgentSession }
  'agent.state_changed': { tenantId: TenantId; session: AgentSession; change: AgentStateChange }
  'agent.logged_out': { tenantId: TenantId; session: AgentSession }
  'import.completed': { tenantId: TenantId; imported: number; rejected: number; duplicates: number }
  /** An agent took a soft lock on a contact or a case (a renewal by the holder is not one). */
  'lock.acquired': { tenantId: TenantId; lock: SoftLock }
  /** The holder gave the lock up (an expiry is not announced: the lock is simply free). */
  'lock.released': { tenantId: TenantId; lock: SoftLock }
  /** A handler of another event threw or rejected. The write that published the event had committed. */
  'handler.failed': { event: string; error: unknown }
}

// mitt wants a type alias (mapped type), not an interface.
export type EventMap = { [K in keyof SwitchboardEvents]: SwitchboardEvents[K] }

export type EventHandler<K extends keyof EventMap> = (event: EventMap[K]) => void | Promise<void>

/**
 * Delivers domain events after the write that caused them has committed.
 *
 * - Handlers run in subscription order, on the write's turn, after commit.
 * - A handler that throws, or whose promise rejects, never fails the write
 *   (it had committed): the failure is published as `handler.failed`, and
 *   logged when nobody listens to that.
 * - Async handlers are **queued**, not awaited by the write: the call
 *   returns once the data is committed. `idle()` resolves when every queued
 *   handler has settled; `Switchboard.close()` waits for it.
 */
export interface EventBus {
  on<K extends keyof EventMap>(type: K, handler: EventHandler<K>): () => void
  publish<K extends keyof EventMap>(type: K, event: EventMap[K]): void
  /** Resolves when the async handlers started so far have settled. */
  idle(): Promise<void>
}

// mitt ships CJS-flavoured typings for an ESM default export: take whichever the loader gave.
const mitt = ((mittImport as unknown as { default?: unknown }).default ??
  mittImport) as typeof mittImport.default

export interface EventBusOptions {
  /** Where handler failures go when nobody listens to `handler.failed` (default: console.error). */
  readonly log?: (message: string, error: unknown) => void
}

export function createEventBus(options: EventBusOptions = {}): EventBus {
  const emitter: Emitter<EventMap> = mitt<EventMap>()
  const pending = new Set<Promise<void>>()
  const log = options.log ?? ((message, error) => console.error(message, error))
  let failing = false

  const report = (event: string, error: unknown) => {
    const listeners = emitter.all.get('handler.failed')
    if (event === 'handler.failed' || failing || !listeners?.length) {
      log(`@switchboard/core: a handler of "${event}" failed (the write had committed)`, error)
      return
    }
    failing = true
    try {
      emitter.emit('handler.failed', { event, error })
    } finally {
      failing = false
    }
  }

  return {
    on(type, handler) {
      const wrapped = (e: EventMap[typeof type]) => {
        try {
          const out = handler(e)
          if (out && typeof (out as Promise<void>).then === 'function') {
            const p: Promise<void> = (out as Promise<void>).then(
              () => undefined,
              (error) => report(type, error),
            )
            pending.add(p)
            void p.finally(() => pending.delete(p))
          }
        } catch (error) {
          report(type, error)
        }
      }
      emitter.on(type, wrapped as never)
      return () => emitter.off(type, wrapped as never)
    },
    publish(type, event) {
      emitter.emit(type, event)
    },
    async idle() {
      while (pending.size) await Promise.allSettled([...pending])
    },
  }
}
