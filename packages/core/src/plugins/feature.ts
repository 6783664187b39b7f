import type { z } from 'zod'
import type { DispositionCode } from '../domain/disposition.js'
import type { EventHandler, EventMap } from '../events.js'
import type { PluginRuleActionDefinition } from '../rules/types.js'
import type { PluginMigration } from './migration.js'
import type { PluginSegmentField } from './storage.js'

/**
 * A feature plugin (enrichment, payments, scoring, a channel) is a factory
 * returning one of these literals: what it needs, the event handlers,
 * disposition codes and migrations it contributes.
 *
 * Its handlers run after the write that published the event has committed;
 * an async handler is queued (the write does not wait for it), and a handler
 * that throws or rejects is reported as `handler.failed`, never failing the
 * write. Its tables are its own: named `<plugin id>_...` (see
 * `pluginTablePrefix`), reached with `TenantStore.rows(table)`.
 *
 * @example
 * ```ts
 * import { definePlugin } from '@switchboard/core'
 * export const audit = () =>
 *   definePlugin({
 *     id: 'audit',
 *     migrations: [{ id: '001', createTables: [{ name: 'audit_log', columns: [{ name: 'line', type: 'text' }] }] }],
 *     on: { 'contact.created': async (e) => console.log('created', e.contact.id) },
 *   })
 * ```
 */
export interface FeaturePlugin {
  /** Lower case letters, digits and -, at most 40 characters; unique in an instance. */
  readonly id: string
  /** Capabilities it needs from the instance; assembly fails with a clear error when missing. */
  readonly needs?: ReadonlyArray<'telephony' | 'storage.concurrentWriters' | 'storage.skipLocked'>
  readonly migrations?: ReadonlyArray<PluginMigration>
  readonly on?: { readonly [K in keyof EventMap]?: EventHandler<K> }
  readonly dispositionCodes?: ReadonlyArray<Pick<DispositionCode, 'code' | 'label' | 'category' | 'flags'>>
  /**
   * Fields it adds to the segment language (a lead score): a column of one of
   * its tables, keyed by contact. Name them `<plugin id>.<name>` and type
   * them with `SegmentFields` (declaration merging).
   */
  readonly segmentFields?: ReadonlyArray<PluginSegmentField>
  /**
   * Events it declares, with their payload's schema (`payment.recorded`): the
   * host records them with `tenant.events.record`, and rules may listen to
   * them. A payload's `contactId` names the contact the event is about.
   * Type them with `SwitchboardEvents` (declaration merging).
   */
  readonly events?: { readonly [type: string]: z.ZodType }
  /**
   * Rule actions it adds, named `<plugin id>.<name>`; they run in the
   * event's transaction. Type their params with `RuleActions`.
   */
  // biome-ignore lint/suspicious/noExplicitAny: each action has its own params type (checked by its schema)
  readonly ruleActions?: { readonly [type: string]: PluginRuleActionDefinition<any> }
}

/** Identity helper that keeps the literal's types. */
export const definePlugin = <P extends FeaturePlugin>(plugin: P): P => plugin
