import type { z } from 'zod'
import type { ContactId, TenantId } from '../domain/ids.js'
import type { RuleFiring, StoredEvent } from '../domain/rule.js'
import type { TenantStore } from '../plugins/storage.js'

/** What a host handler (a rule's `handler` action) is called with. */
export interface RuleHandlerCall {
  readonly tenantId: TenantId
  readonly event: StoredEvent
  readonly firing: RuleFiring
  readonly contactId?: ContactId
  /**
   * The same on every attempt of this action (`<firing id>:<action index>`):
   * a handler with an outside effect (a webhook, a payment provider) passes
   * it on, so that a retry after a crash does not do it twice.
   */
  readonly idempotencyKey: string
  /** How many times it was tried before this call. */
  readonly attempt: number
}

/** A host-supplied action, run through the outbox: retried until it resolves. */
export type RuleHandler = (call: RuleHandlerCall) => Promise<void> | void

/** What a plugin's rule action runs with: inside the event's transaction. */
export interface PluginActionCall<P> {
  readonly tenantId: TenantId
  /** The transaction's store: what the action writes commits with the event. */
  readonly tx: TenantStore
  readonly event: StoredEvent
  readonly contactId?: ContactId
  readonly params: P
  readonly now: Date
}

/** A plugin's rule action: its params' schema, and what it does (returns a line for the firing's record). */
export interface PluginRuleActionDefinition<P = unknown> {
  readonly params: z.ZodType<P>
  run(call: PluginActionCall<P>): Promise<string | undefined>
}
