import { z } from 'zod'
import type { Contact } from '../domain/contact.js'
import { Text } from '../domain/text.js'

/**
 * A branch condition: a small language of its own rather than the segment
 * filter, because segments compile to SQL over database facts (consent,
 * interactions, cases) a pure runner holding one contact cannot evaluate, and
 * they know nothing of answers. It keeps the segment language's operator names
 * and its rule for missing values: a comparison with a value that is not there
 * is false, and its `not` is true.
 *
 * A leaf names either `contact` (a path into the contact: `lifecycle`,
 * `tags`, `attributes.plan`, `openBalance` in minor units) or `answer` (the id
 * of a question node answered so far).
 *
 * @example
 * ```ts
 * import type { ScriptCondition } from '@switchboard/core'
 * const vipSaidYes: ScriptCondition = {
 *   and: [
 *     { contact: 'attributes.vip', op: 'eq', value: true },
 *     { answer: 'interested', op: 'eq', value: true },
 *   ],
 * }
 * ```
 */
export const SCRIPT_OPS = ['eq', 'ne', 'lt', 'lte', 'gt', 'gte', 'in', 'exists'] as const
export type ScriptOp = (typeof SCRIPT_OPS)[number]

export type ScriptScalar = string | number | boolean

interface Comparison {
  readonly op: ScriptOp
  /** eq, ne, lt, lte, gt, gte. */
  readonly value?: ScriptScalar
  /** in. */
  readonly values?: ReadonlyArray<ScriptScalar>
}

export type ScriptCondition =
  | (Comparison & { readonly contact: string })
  | (Comparison & { readonly answer: string })
  | { readonly and: ReadonlyArray<ScriptCondition> }
  | { readonly or: ReadonlyArray<ScriptCondition> }
  | { readonly not: ScriptCondition }

/** A question node's id: also the key of its answer (`{{answers.<id>}}`). */
export const ScriptNodeId = z
  .string()
  .regex(/^[A-Za-z][A-Za-z0-9_-]{0,63}$/, 'must be 1-64 letters, digits, _ or - starting with a letter')

const Scalar = z.union([Text.short, z.number().finite(), z.boolean()], {
  error: 'must be a string, a finite number or a boolean',
})

const comparison = {
  op: z.enum(SCRIPT_OPS),
  value: Scalar.optional(),
  values: z.array(Scalar).min(1, 'name at least one value').max(1000).optional(),
}

const checkShape = (
  c: { op: ScriptOp; value?: ScriptScalar | undefined; values?: ScriptScalar[] | undefined },
  ctx: z.RefinementCtx,
) => {
  const wants = c.op === 'in' ? 'values' : c.op === 'exists' ? undefined : 'value'
  for (const key of ['value', 'values'] as const) {
    if (key === wants && c[key] === undefined)
      ctx.addIssue({ code: 'custom', message: `${c.op} needs ${key}`, path: [key] })
    if (key !== wants && c[key] !== undefined)
      ctx.addIssue({ code: 'custom', message: `${c.op} does not take ${key}`, path: [key], input: c[key] })
  }
}

const ContactPath = z
  .string()
  .regex(/^[A-Za-z_][A-Za-z0-9_.-]{0,127}$/, 'must be a field path such as lifecycle or attributes.plan')

export const ScriptCondition: z.ZodType<ScriptCondition> = z.lazy(() =>
  z.union(
    [
      z.strictObject({ and: z.array(ScriptCondition).min(1, 'and needs at least one condition').max(50) }),
      z.strictObject({ or: z.array(ScriptCondition).min(1, 'or needs at least one condition').max(50) }),
      z.strictObject({ not: ScriptCondition }),
      z.strictObject({ contact: ContactPath, ...comparison }).superRefine(checkShape),
      z.strictObject({ answer: ScriptNodeId, ...comparison }).superRefine(checkShape),
    ],
    {
      error:
        'must be { contact | answer, op, value | values } or { and: [...] }, { or: [...] }, { not: ... }',
    },
  ),
) as z.ZodType<ScriptCondition>

/** The leaves of a condition, depth first. */
export function conditionLeaves(
  c: ScriptCondition,
): Array<Exclude<ScriptCondition, { and: unknown } | { or: unknown } | { not: unknown }>> {
  if ('and' in c) return c.and.flatMap(conditionLeaves)
  if ('or' in c) return c.or.flatMap(conditionLeaves)
  if ('not' in c) return conditionLeaves(c.not)
  return [c]
}

/**
 * The value at a dotted path of the contact. Money reads as its minor units
 * (as in segments); anything that is not there is undefined.
 */
export function contactValue(contact: Contact, path: string): unknown {
  let v: unknown = contact
  for (const key of path.split('.')) {
    if (v === null || typeof v !== 'object' || !Object.hasOwn(v, key)) return undefined
    v = (v as Record<string, unknown>)[key]
  }
  if (v !== null && typeof v === 'object' && 'amountMinor' in v)
    return (v as { amountMinor: number }).amountMinor
  return v ?? undefined
}

const order = (a: unknown, b: ScriptScalar): number | undefined =>
  typeof a === 'number' && typeof b === 'number'
    ? a - b
    : typeof a === 'string' && typeof b === 'string'
      ? a < b
        ? -1
        : a > b
          ? 1
          : 0
      : undefined

function compare(v: unknown, c: Comparison): boolean {
  if (v === undefined || v === null) return false
  if (c.op === 'exists') return Array.isArray(v) ? v.length > 0 : v !== ''
  // A list (tags) holds the value when one of its items does.
  if (Array.isArray(v)) {
    if (c.op === 'eq') return v.includes(c.value)
    if (c.op === 'ne') return !v.includes(c.value)
    if (c.op === 'in') return (c.values ?? []).some((x) => v.includes(x))
    return false
  }
  if (c.op === 'eq') return v === c.value
  if (c.op === 'ne') return v !== c.value
  if (c.op === 'in') return (c.values ?? []).includes(v as ScriptScalar)
  const d = order(v, c.value!)
  if (d === undefined) return false
  return c.op === 'lt' ? d < 0 : c.op === 'lte' ? d <= 0 : c.op === 'gt' ? d > 0 : d >= 0
}

/** Whether the condition holds for this contact and these answers. */
export function evaluateCondition(
  c: ScriptCondition,
  contact: Contact,
  answers: Readonly<Record<string, ScriptScalar>>,
): boolean {
  if ('and' in c) return c.and.every((x) => evaluateCondition(x, contact, answers))
  if ('or' in c) return c.or.some((x) => evaluateCondition(x, contact, answers))
  if ('not' in c) return !evaluateCondition(c.not, contact, answers)
  const v =
    'answer' in c
      ? Object.hasOwn(answers, c.answer)
        ? answers[c.answer]
        : undefined
      : contactValue(contact, c.contact)
  return compare(v, c)
}
