import { z } from 'zod'
import { Channel, EntityBase, Timestamp } from './common.js'
import { ConsentStatus } from './consent.js'
import { LifecycleStage } from './contact.js'
import { DispositionCategory } from './disposition.js'
import { closest } from './errors.js'
import { AgentId, type ContactId, SegmentId } from './ids.js'
import { Direction } from './interaction.js'
import { PurposeName } from './purpose.js'
import { Text } from './text.js'

/**
 * The segment language: a JSON tree a UI can build and a host can store.
 * Leaves compare one field of a contact (or a fact about it) with values;
 * `and`, `or` and `not` combine them. It runs in the database (compiled to
 * SQL by the storage backend), never by loading contacts into memory.
 *
 * Missing values: a comparison with a value the contact does not have (no
 * such attribute, no interactions) is false, and its `not` is true.
 *
 * @example
 * ```ts
 * import type { SegmentFilter } from '@switchboard/core'
 * const debtors: SegmentFilter = {
 *   and: [
 *     { field: 'lifecycle', op: 'eq', value: 'customer' },
 *     { field: 'openBalance', op: 'gt', value: 10_000 },
 *     { not: { field: 'doNotCall', op: 'eq', value: true } },
 *   ],
 * }
 * ```
 */
export const SEGMENT_OPS = [
  'eq',
  'ne',
  'lt',
  'lte',
  'gt',
  'gte',
  'in',
  'between',
  'exists',
  'prefix',
] as const
export type SegmentOp = (typeof SEGMENT_OPS)[number]

/** What a field holds, which decides the operators and values it takes. */
export type SegmentFieldType = 'string' | 'number' | 'boolean' | 'date' | 'tags' | 'any'

interface FieldSpec {
  readonly type: SegmentFieldType
  /** The values a closed field takes. */
  readonly values?: ReadonlyArray<string>
  /** Parameters of a fact (channel, purpose, time window). */
  readonly params?: ReadonlyArray<'channel' | 'purpose' | 'withinDays' | 'direction'>
  readonly ops?: ReadonlyArray<SegmentOp>
  readonly doc: string
}

const ORDERED: ReadonlyArray<SegmentOp> = ['lt', 'lte', 'gt', 'gte', 'between', 'exists']
const FACT_PARAMS = ['withinDays', 'channel', 'direction'] as const

/** Every built-in field of the language, with its type and what it means. */
export const SEGMENT_FIELDS = {
  kind: { type: 'string', values: ['person', 'company'], doc: 'person or company' },
  displayName: { type: 'string', doc: 'the name shown' },
  firstName: { type: 'string', doc: 'first name as typed' },
  lastName: { type: 'string', doc: 'last name as typed' },
  company: { type: 'string', doc: 'company name' },
  account: { type: 'string', doc: 'account number or name' },
  externalRef: { type: 'string', doc: "the host's own key" },
  lifecycle: { type: 'string', values: LifecycleStage.options, doc: 'lead, prospect, customer or former' },
  ownerId: { type: 'string', doc: 'the owning agent id' },
  country: { type: 'string', doc: "the address's ISO country code" },
  timeZone: { type: 'string', doc: 'the IANA zone, when known for sure' },
  createdAt: { type: 'date', doc: 'when the contact was created' },
  updatedAt: { type: 'date', doc: 'when the contact last changed' },
  openBalance: { type: 'number', doc: 'open balance, in minor units of its currency' },
  lifetimeValue: { type: 'number', doc: 'lifetime value, in minor units of its currency' },
  tags: {
    type: 'tags',
    ops: ['eq', 'ne', 'in', 'exists', 'prefix'],
    doc: 'eq: has the tag; ne: has not; in: has any; exists: has a tag; prefix: a tag starts with',
  },
  consent: {
    type: 'string',
    values: ConsentStatus.options,
    params: ['channel', 'purpose'],
    ops: ['eq', 'ne', 'in'],
    doc: 'the current consent for { channel, purpose } (latest record, a "*" record counts, an expired one is unknown)',
  },
  doNotCall: {
    type: 'boolean',
    ops: ['eq', 'ne'],
    doc: 'one of its numbers is on a do-not-call list (an unexpired entry)',
  },
  'interactions.count': {
    type: 'number',
    params: FACT_PARAMS,
    doc: 'how many interactions (in the last withinDays days, of a channel and direction)',
  },
  'interactions.lastChannel': {
    type: 'string',
    values: Channel.options,
    params: FACT_PARAMS,
    doc: 'the channel of the newest interaction',
  },
  'interactions.lastDisposition': {
    type: 'string',
    params: FACT_PARAMS,
    doc: 'the disposition code of the newest interaction',
  },
  'interactions.lastDispositionCategory': {
    type: 'string',
    values: DispositionCategory.options,
    params: FACT_PARAMS,
    ops: ['eq', 'ne', 'in', 'exists'],
    doc: "the category of the newest interaction's disposition (codes the instance knows)",
  },
  'interactions.daysSinceLast': {
    type: 'number',
    params: FACT_PARAMS,
    ops: ORDERED,
    doc: 'days since the newest interaction (fractional; compared with the evaluation time)',
  },
  'cases.open': { type: 'number', doc: 'how many open or pending cases' },
} as const satisfies Record<string, FieldSpec>

export type BuiltinSegmentField = keyof typeof SEGMENT_FIELDS

/**
 * Fields a feature plugin adds (a lead score, a payment status). Declare the
 * field on the plugin (`segmentFields`) and its value type here:
 *
 * ```ts
 * declare module '@switchboard/core' {
 *   interface SegmentFields { 'scores.lead': number }
 * }
 * ```
 */
// biome-ignore lint/suspicious/noEmptyInterface: filled by declaration merging
export interface SegmentFields {}

/** A custom attribute: `attributes.<name>`; its type comes from the value compared with. */
export type AttributeField = `attributes.${string}`

export type SegmentFieldName = BuiltinSegmentField | AttributeField | (keyof SegmentFields & string)

export type SegmentScalar = string | number | boolean

/** One comparison. Which of value / values / min+max it takes depends on `op`. */
export interface SegmentCondition {
  readonly field: SegmentFieldName
  readonly op: SegmentOp
  /** eq, ne, lt, lte, gt, gte, prefix. */
  readonly value?: SegmentScalar
  /** in. */
  readonly values?: ReadonlyArray<SegmentScalar>
  /** between (inclusive). */
  readonly min?: SegmentScalar
  readonly max?: SegmentScalar
  /** consent, interactions.*: the channel. */
  readonly channel?: Channel
  /** consent: the purpose (its key, lower case). */
  readonly purpose?: string
  /** interactions.*: only interactions of the last N days. */
  readonly withinDays?: number
  /** interactions.*: only inbound or outbound ones. */
  readonly direction?: Direction
}

export type SegmentFilter =
  | SegmentCondition
  | { readonly and: ReadonlyArray<SegmentFilter> }
  | { readonly or: ReadonlyArray<SegmentFilter> }
  | { readonly not: SegmentFilter }

const ATTRIBUTE = /^attributes\.[A-Za-z_][A-Za-z0-9_.-]{0,63}$/
/** A plugin field: `<plugin id>.<name>`. */
export const PLUGIN_FIELD = /^[a-z][a-z0-9-]{0,39}\.[A-Za-z_][A-Za-z0-9_]{0,63}$/

/** A field only a plugin can declare (not built in, not an attribute). */
export const isPluginField = (field: string): boolean => PLUGIN_FIELD.test(field) && !segmentFieldSpec(field)

const Scalar = z.union([Text.short, z.number().finite(), z.boolean()], {
  error: 'must be a string, a finite number or a boolean',
})

const MAX_NODES = 200

const Condition = z.strictObject({
  field: z.string().max(120),
  op: z.enum(SEGMENT_OPS),
  value: Scalar.optional(),
  values: z.array(Scalar).min(1, 'name at least one value').max(1000).optional(),
  min: Scalar.optional(),
  max: Scalar.optional(),
  channel: Channel.optional(),
  purpose: PurposeName.optional(),
  withinDays: z.number().positive().max(36_500).optional(),
  direction: Direction.optional(),
})

const typeOfValue = (v: SegmentScalar): SegmentFieldType =>
  typeof v === 'number' ? 'number' : typeof v === 'boolean' ? 'boolean' : 'string'

/** The field's spec: a built-in one, an attribute (typed by its values) or a plugin's (checked by the instance). */
export function segmentFieldSpec(field: string): FieldSpec | undefined {
  if (Object.hasOwn(SEGMENT_FIELDS, field)) return SEGMENT_FIELDS[field as BuiltinSegmentField]
  if (ATTRIBUTE.test(field)) return { type: 'any', doc: 'a custom attribute' }
  return undefined
}

/** The values a condition compares with, in order (value, values, min and max). */
export function conditionValues(c: SegmentCondition): SegmentScalar[] {
  if (c.op === 'in') return [...(c.values ?? [])]
  if (c.op === 'between') return [c.min!, c.max!]
  if (c.op === 'exists') return []
  return [c.value!]
}

function checkCondition(c: z.infer<typeof Condition>, ctx: z.RefinementCtx, path: PropertyKey[]) {
  const issue = (message: string, at: string) =>
    ctx.addIssue({ code: 'custom', message, path: [...path, at], input: (c as Record<string, unknown>)[at] })
  let spec = segmentFieldSpec(c.field)
  if (!spec && PLUGIN_FIELD.test(c.field)) spec = { type: 'any', doc: 'a plugin field' }
  if (!spec) {
    const hint = closest(c.field, Object.keys(SEGMENT_FIELDS))
    return issue(
      `is not a segment field${hint ? ` (did you mean '${hint}'?)` : ''}; use one of ${Object.keys(SEGMENT_FIELDS).join(', ')}, attributes.<name>, or a plugin's <plugin>.<name>`,
      'field',
    )
  }
  const ops = (spec.ops ?? (spec.type === 'boolean' ? ['eq', 'ne', 'exists'] : SEGMENT_OPS)) as SegmentOp[]
  if (!ops.includes(c.op)) return issue(`${c.field} takes ${ops.join(', ')}`, 'op')
  const shape: Record<SegmentOp, ReadonlyArray<'value' | 'values' | 'min' | 'max'>> = {
    eq: ['value'],
    ne: ['value'],
    lt: ['value'],
    lte: ['value'],
    gt: ['value'],
    gte: ['value'],
    prefix: ['value'],
    in: ['values'],
    between: ['min', 'max'],
    exists: [],
  }
  for (const key of ['value', 'values', 'min', 'max'] as const) {
    const wanted = shape[c.op].includes(key)
    if (wanted && c[key] === undefined) return issue(`${c.op} needs ${key}`, key)
    if (!wanted && c[key] !== undefined) return issue(`${c.op} does not take ${key}`, key)
  }
  const params = (spec as FieldSpec).params ?? []
  for (const key of ['channel', 'purpose', 'withinDays', 'direction'] as const) {
    if (c[key] !== undefined && !params.includes(key)) return issue(`${c.field} does not take ${key}`, key)
  }
  if (c.field === 'consent') {
    if (!c.channel) return issue('consent needs a channel', 'channel')
    if (!c.purpose) return issue('consent needs a purpose', 'purpose')
  }
  const values = conditionValues(c as SegmentCondition)
  const types = new Set(values.map(typeOfValue))
  if (types.size > 1) return issue('values must all be of one type', c.op === 'in' ? 'values' : 'min')
  const at = c.op === 'in' ? 'values' : c.op === 'between' ? 'min' : 'value'
  const got = [...types][0]
  if (!got) return
  const want = spec.type === 'tags' ? 'string' : spec.type === 'date' ? 'string' : spec.type
  if (want !== 'any' && got !== want) return issue(`${c.field} holds ${spec.type} values, not ${got}s`, at)
  if (got === 'boolean' && !['eq', 'ne', 'exists'].includes(c.op))
    return issue('a boolean takes eq, ne or exists', 'op')
  if (c.op === 'prefix' && got !== 'string') return issue('prefix takes a string', 'value')
  if (spec.type === 'date') {
    for (const v of values)
      if (Number.isNaN(Date.parse(String(v))) || !/^\d{4}-\d\d-\d\dT/.test(String(v)))
        return issue('must be an ISO-8601 date-time such as 2026-03-11T15:00:00Z', at)
  }
  const closed = (spec as FieldSpec).values
  if (closed && c.op !== 'prefix' && !['lt', 'lte', 'gt', 'gte', 'between'].includes(c.op)) {
    const bad = values.find((v) => !closed.includes(String(v)))
    if (bad !== undefined) {
      const hint = closest(String(bad), closed)
      return issue(
        `${JSON.stringify(bad)} is not one of ${closed.join(', ')}${hint ? ` (did you mean '${hint}'?)` : ''}`,
        at,
      )
    }
  }
}

const nodeSchema: z.ZodType<SegmentFilter> = z.lazy(() =>
  z.union(
    [
      z.strictObject({ and: z.array(nodeSchema).min(1, 'and needs at least one filter').max(100) }),
      z.strictObject({ or: z.array(nodeSchema).min(1, 'or needs at least one filter').max(100) }),
      z.strictObject({ not: nodeSchema }),
      Condition.superRefine((c, ctx) => checkCondition(c, ctx, [])),
    ],
    {
      error:
        'must be a condition { field, op, value | values | min and max } or { and: [...] }, { or: [...] }, { not: ... }',
    },
  ),
) as z.ZodType<SegmentFilter>

/** Counts the nodes of a filter (a bound on what one segment may cost). */
export function segmentNodes(f: SegmentFilter): number {
  if ('and' in f) return 1 + f.and.reduce((n, x) => n + segmentNodes(x), 0)
  if ('or' in f) return 1 + f.or.reduce((n, x) => n + segmentNodes(x), 0)
  if ('not' in f) return 1 + segmentNodes(f.not)
  return 1
}

/** The strict schema of a filter: unknown keys, fields, operators and value types are refused. */
export const SegmentFilter: z.ZodType<SegmentFilter> = nodeSchema.refine(
  (f) => segmentNodes(f) <= MAX_NODES,
  {
    message: `at most ${MAX_NODES} nodes in a filter`,
  },
)

/** The leaves of a filter in depth-first order (the order `explain` reports them in). */
export function segmentConditions(f: SegmentFilter): SegmentCondition[] {
  if ('and' in f) return f.and.flatMap(segmentConditions)
  if ('or' in f) return f.or.flatMap(segmentConditions)
  if ('not' in f) return segmentConditions(f.not)
  return [f]
}

/** A saved segment of a tenant. */
export const Segment = EntityBase.extend({
  id: SegmentId,
  name: Text.requiredName,
  description: Text.short.optional(),
  ownerId: AgentId.optional(),
  filter: SegmentFilter,
})
export type Segment = z.infer<typeof Segment>

export const SegmentInput = z.strictObject({
  name: Text.requiredName,
  description: Text.short.optional(),
  ownerId: AgentId.optional(),
  filter: SegmentFilter,
})
export type SegmentInput = z.input<typeof SegmentInput>

export const SegmentPatch = SegmentInput.partial()
export type SegmentPatch = z.input<typeof SegmentPatch>

/** One evaluation of a saved segment, kept so that membership can be followed over time. */
export const SegmentSnapshot = z.object({
  segmentId: SegmentId,
  takenAt: Timestamp,
  members: z.number().int().nonnegative(),
  entered: z.number().int().nonnegative(),
  left: z.number().int().nonnegative(),
})
export type SegmentSnapshot = z.infer<typeof SegmentSnapshot>

/** Who entered and who left a segment between two evaluations. */
export interface SegmentChanges {
  readonly from: Date
  readonly to: Date
  readonly entered: ContactId[]
  readonly left: ContactId[]
}

/** Why a contact is (or is not) in a segment: every node, with whether it matched. */
export interface SegmentExplanation {
  readonly contactId: ContactId
  readonly matched: boolean
  readonly tree: ExplainedNode
}

export type ExplainedNode =
  | {
      readonly kind: 'condition'
      readonly condition: SegmentCondition
      readonly matched: boolean
      readonly text: string
    }
  | { readonly kind: 'and' | 'or'; readonly matched: boolean; readonly children: ExplainedNode[] }
  | { readonly kind: 'not'; readonly matched: boolean; readonly child: ExplainedNode }

/** A condition in words ("openBalance > 10000"), for an explanation a person reads. */
export function describeCondition(c: SegmentCondition): string {
  const params = [
    c.channel && `channel ${c.channel}`,
    c.purpose && `purpose ${c.purpose}`,
    c.direction && c.direction,
    c.withinDays !== undefined && `last ${c.withinDays} days`,
  ].filter(Boolean)
  const field = params.length ? `${c.field} (${params.join(', ')})` : c.field
  const v = (x: unknown) => JSON.stringify(x)
  switch (c.op) {
    case 'exists':
      return `${field} exists`
    case 'in':
      return `${field} in [${(c.values ?? []).map(v).join(', ')}]`
    case 'between':
      return `${field} between ${v(c.min)} and ${v(c.max)}`
    case 'prefix':
      return `${field} starts with ${v(c.value)}`
    default: {
      const sym = { eq: '=', ne: '≠', lt: '<', lte: '≤', gt: '>', gte: '≥' }[c.op]
      return `${field} ${sym} ${v(c.value)}`
    }
  }
}
