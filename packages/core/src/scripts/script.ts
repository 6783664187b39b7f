import { z } from 'zod'
import { DispositionCodeName } from '../domain/disposition.js'
import { Text } from '../domain/text.js'
import { ScriptCondition, ScriptNodeId } from './condition.js'

/**
 * What a question takes: `yes_no` (a boolean), `choice` (one option's
 * value), `text` (at most `maxLength` characters, not blank), `number`
 * (finite, within `min`/`max`, whole when `integer`) or `date` (a calendar
 * date, `YYYY-MM-DD`).
 */
export const ScriptAnswerType = z.discriminatedUnion(
  'type',
  [
    z.strictObject({ type: z.literal('yes_no') }),
    z.strictObject({
      type: z.literal('choice'),
      options: z
        .array(
          z.strictObject({
            value: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'must be 1-64 letters, digits, _ or -'),
            label: Text.short,
          }),
        )
        .min(2, 'a choice needs at least two options')
        .max(100)
        .refine((o) => new Set(o.map((x) => x.value)).size === o.length, 'option values must be unique'),
    }),
    z.strictObject({ type: z.literal('text'), maxLength: z.number().int().min(1).max(100_000) }),
    z
      .strictObject({
        type: z.literal('number'),
        min: z.number().finite().optional(),
        max: z.number().finite().optional(),
        integer: z.boolean().optional(),
      })
      .refine((n) => n.min === undefined || n.max === undefined || n.min <= n.max, 'min must not exceed max'),
    z.strictObject({ type: z.literal('date') }),
  ],
  { error: 'must be { type: yes_no | choice | text | number | date, ... }' },
)
export type ScriptAnswerType = z.infer<typeof ScriptAnswerType>

/** Branches are tried in order; the first whose condition holds names the next node. */
export const ScriptBranch = z.strictObject({ when: ScriptCondition, next: ScriptNodeId })
export type ScriptBranch = z.infer<typeof ScriptBranch>

/** The contact fields an outcome may set: the names, and any custom attribute. */
export const SETTABLE_FIELDS = ['firstName', 'lastName', 'displayName', 'company', 'account'] as const
export const SettableField = z.union(
  [z.enum(SETTABLE_FIELDS), z.string().regex(/^attributes\.[A-Za-z_][A-Za-z0-9_.-]{0,63}$/)],
  { error: `must be one of ${SETTABLE_FIELDS.join(', ')} or attributes.<name>` },
)

/** A question: its prompt (a template), the answer it takes and where to go next. */
export const ScriptQuestion = z.strictObject({
  id: ScriptNodeId,
  kind: z.literal('question'),
  /** `{{contact.<path>}}` and `{{answers.<question id>}}` are filled in when shown. */
  prompt: Text.long,
  answer: ScriptAnswerType,
  branches: z.array(ScriptBranch).max(100).default([]),
  /** Where to go when no branch holds. */
  next: ScriptNodeId.optional(),
})
export type ScriptQuestion = z.infer<typeof ScriptQuestion>

/** How a run ends: contact fields set from answers (field path -> question id) and a disposition code. */
export const ScriptOutcome = z.strictObject({
  setFields: z.record(SettableField, ScriptNodeId).optional(),
  disposition: DispositionCodeName.optional(),
})
export type ScriptOutcome = z.infer<typeof ScriptOutcome>

/** An end: what is said last (a template) and the outcome. */
export const ScriptEnd = z.strictObject({
  id: ScriptNodeId,
  kind: z.literal('end'),
  prompt: Text.long.optional(),
  outcome: ScriptOutcome.default({}),
})
export type ScriptEnd = z.infer<typeof ScriptEnd>

export const ScriptNode = z.discriminatedUnion('kind', [ScriptQuestion, ScriptEnd], {
  error: 'must be a question { kind: "question", ... } or an end { kind: "end", ... }',
})
export type ScriptNode = z.infer<typeof ScriptNode>

/**
 * A call script: a versioned map of questions that branch on the contact and
 * the answers so far, ending in outcomes. The schema checks each part; the
 * map as a whole (references, reachability, dead ends) is checked by
 * `validateScript`, and `assertValidScript` does both.
 *
 * @example
 * ```ts
 * import { CallScript } from '@switchboard/core'
 * const script = CallScript.parse({
 *   id: 'renewal',
 *   name: 'Renewal call',
 *   version: 1,
 *   start: 'hello',
 *   nodes: [
 *     { id: 'hello', kind: 'question', prompt: 'Hello {{contact.firstName}}, still interested?', answer: { type: 'yes_no' },
 *       branches: [{ when: { answer: 'hello', op: 'eq', value: true }, next: 'sold' }], next: 'bye' },
 *     { id: 'sold', kind: 'end', outcome: { disposition: 'SALE' } },
 *     { id: 'bye', kind: 'end', outcome: { disposition: 'NO_INTEREST' } },
 *   ],
 * })
 * console.log(script.nodes.length) // 3
 * ```
 */
export const CallScript = z.strictObject({
  id: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_.-]{0,127}$/, 'must be 1-128 letters, digits, _ . or -'),
  name: Text.requiredName,
  version: z.number().int().positive(),
  start: ScriptNodeId,
  nodes: z.array(ScriptNode).min(1, 'a script needs at least one node').max(1000),
})
export type CallScript = z.infer<typeof CallScript>
export type CallScriptInput = z.input<typeof CallScript>
