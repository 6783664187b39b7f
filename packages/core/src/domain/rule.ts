import { z } from 'zod'
import { CasePriority } from './case.js'
import { EntityBase, Timestamp } from './common.js'
import { AttributeValue, LifecycleStage } from './contact.js'
import { AgentId, CampaignId, ContactId, EventId, RuleFiringId, RuleId, TenantId } from './ids.js'
import { SegmentFilter } from './segment.js'
import { Text } from './text.js'

/** An event type: `contact.updated`, or a plugin's own (`payment.recorded`). */
export const EventType = z
  .string()
  .regex(/^[a-z][a-z0-9_-]*(\.[a-z][a-z0-9_-]*)+$/, 'must be an event type such as "payment.recorded"')
  .max(80)

/**
 * A condition on the event's payload (`amountMinor >= 5000`). `path` is a
 * dotted path into the payload.
 */
export const PayloadCondition = z
  .strictObject({
    path: z
      .string()
      .regex(
        /^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)*$/,
        'must be a dotted path such as "amountMinor"',
      )
      .max(200),
    op: z.enum(['eq', 'ne', 'lt', 'lte', 'gt', 'gte', 'in', 'exists']),
    value: z.union([Text.short, z.number().finite(), z.boolean()]).optional(),
    values: z
      .array(z.union([Text.short, z.number().finite(), z.boolean()]))
      .min(1)
      .max(1000)
      .optional(),
  })
  .refine((c) => (c.op === 'in' ? c.values !== undefined : c.op === 'exists' || c.value !== undefined), {
    message: 'eq, ne, lt, lte, gt, gte need value; in needs values',
    path: ['value'],
  })
export type PayloadCondition = z.infer<typeof PayloadCondition>

/**
 * Actions a feature plugin adds, typed through declaration merging; the
 * plugin supplies the executor (`ruleActions`):
 *
 * ```ts
 * declare module '@switchboard/core' {
 *   interface RuleActions { 'collections.pause': { days: number } }
 * }
 * ```
 */
// biome-ignore lint/suspicious/noEmptyInterface: filled by declaration merging
export interface RuleActions {}

export type PluginRuleAction = {
  [K in keyof RuleActions & string]: { readonly type: K; readonly params: RuleActions[K] }
}[keyof RuleActions & string]

const SetField = z.union([
  z.strictObject({ type: z.literal('setField'), field: z.literal('lifecycle'), value: LifecycleStage }),
  z.strictObject({ type: z.literal('setField'), field: z.literal('ownerId'), value: AgentId.nullable() }),
  z.strictObject({
    type: z.literal('setField'),
    field: z.templateLiteral(['attributes.', z.string().regex(/^[A-Za-z_][A-Za-z0-9_.-]{0,63}$/)]),
    value: AttributeValue,
  }),
])

/** What a rule does. Data-changing actions commit with the event that triggered them. */
export const CoreRuleAction = z.union(
  [
    /** Takes the contact off one campaign's list, or off every list. */
    z.strictObject({ type: z.literal('suppress'), campaignId: CampaignId.optional(), reason: Text.label }),
    /** Adds each of the contact's numbers to a do-not-call list ("internal" by default). */
    z.strictObject({
      type: z.literal('doNotCall'),
      list: Text.requiredName.optional(),
      reason: Text.short.optional(),
    }),
    z.strictObject({ type: z.literal('tag'), tag: Text.requiredName }),
    z.strictObject({ type: z.literal('untag'), tag: Text.requiredName }),
    SetField,
    z.strictObject({
      type: z.literal('openCase'),
      subject: Text.label,
      priority: CasePriority.optional(),
    }),
    /** Puts the contact on a campaign's list (again), to be called back no earlier than `afterMinutes`. */
    z.strictObject({
      type: z.literal('scheduleCallback'),
      campaignId: CampaignId,
      afterMinutes: z.number().int().min(0).max(525_600),
      priority: z.number().int().min(-1_000_000).max(1_000_000).optional(),
    }),
    /**
     * Calls a host-supplied handler (`createSwitchboard({ ruleHandlers })`)
     * through the transactional outbox: retried until it succeeds, with an
     * idempotency key so the host can make its effect happen once.
     */
    z.strictObject({ type: z.literal('handler'), name: z.string().regex(/^[A-Za-z_][A-Za-z0-9_.-]{0,63}$/) }),
  ],
  {
    error:
      'must be an action: suppress, doNotCall, tag, untag, setField, openCase, scheduleCallback, handler, or a plugin action { type, params }',
  },
)
export type CoreRuleAction = z.infer<typeof CoreRuleAction>

/** A plugin's action as stored: `<plugin>.<name>` with its params (checked by the plugin's schema). */
export const PluginActionShape = z.strictObject({
  type: z.string().regex(/^[a-z][a-z0-9-]{0,39}\.[A-Za-z_][A-Za-z0-9_]{0,63}$/),
  params: z.unknown(),
})

export const RuleAction = z.union([CoreRuleAction, PluginActionShape], {
  error:
    'must be an action: suppress, doNotCall, tag, untag, setField, openCase, scheduleCallback, handler, or a plugin action { type, params }',
})
export type RuleAction = CoreRuleAction | PluginRuleAction

export const RuleCondition = z.strictObject({
  /** The segment language, applied to the event's contact. */
  contact: SegmentFilter.optional(),
  /** All must hold on the event's payload. */
  payload: z.array(PayloadCondition).max(50).optional(),
})
export type RuleCondition = z.infer<typeof RuleCondition>

/** A rule: when `on` happens and `when` holds, do `actions` (in order). */
export const Rule = EntityBase.extend({
  id: RuleId,
  name: Text.requiredName,
  on: EventType,
  when: RuleCondition,
  actions: z.array(RuleAction).min(1).max(20),
  enabled: z.boolean(),
})
/** A stored rule (a plugin action's params are checked by the plugin's schema when it runs). */
export type Rule = z.infer<typeof Rule>

export const RuleInput = z.strictObject({
  name: Text.requiredName,
  on: EventType,
  when: RuleCondition.default({}),
  actions: z.array(RuleAction).min(1, 'a rule needs at least one action').max(20),
  enabled: z.boolean().default(true),
})
export type RuleInput = Omit<z.input<typeof RuleInput>, 'actions'> & {
  readonly actions: ReadonlyArray<RuleAction>
}

/** What became of one action of a firing. */
export const ActionOutcome = z.object({
  type: z.string(),
  /** done: applied with the event; queued: waiting in the outbox; failed: see `error`. */
  status: z.enum(['done', 'queued', 'failed']),
  /** What it changed, in words ("suppressed 2 leads"). */
  detail: z.string().optional(),
  error: z.string().optional(),
  attempts: z.number().int().nonnegative().optional(),
})
export type ActionOutcome = z.infer<typeof ActionOutcome>

/** One firing of a rule: the answer to "why was this contact suppressed?". */
export const RuleFiring = z.object({
  id: RuleFiringId,
  tenantId: TenantId,
  ruleId: RuleId,
  ruleName: z.string(),
  eventId: EventId,
  eventType: z.string(),
  contactId: ContactId.optional(),
  actions: z.array(ActionOutcome),
  /** done: every action applied; pending: an outbox action waits; failed: an action failed for good. */
  outcome: z.enum(['done', 'pending', 'failed']),
  firedAt: Timestamp,
  updatedAt: Timestamp,
})
export type RuleFiring = z.infer<typeof RuleFiring>

/** A domain event as recorded in the database (the outbox other processes read). */
export const StoredEvent = z.object({
  id: EventId,
  tenantId: TenantId,
  type: z.string(),
  contactId: ContactId.optional(),
  occurredAt: Timestamp,
  /** The event's payload as JSON (dates as ISO strings). */
  payload: z.unknown(),
  /** The instance that recorded it. */
  origin: z.string(),
})
export type StoredEvent = z.infer<typeof StoredEvent>
