import { Data } from 'effect'
import type { ScriptAnswerRefused } from '../scripts/refused.js'

/**
 * Errors are values: each is tagged (`_tag`), has a `reason` (a stable code to
 * branch on), says whether trying again may help (`retryable`), and its
 * `message` says what to do. Storage and telephony errors follow the same
 * convention. Promise users branch with the guards below:
 *
 * @example
 * ```ts
 * import { isSwitchboardError, type TenantApi } from '@switchboard/core'
 * declare const acme: TenantApi
 * try {
 *   await acme.contacts.create({ phone: '+34 612 345 678' } as never)
 * } catch (e) {
 *   if (isSwitchboardError(e, 'ValidationFailed')) console.log(e.issues) // [{ field: 'phone', message: 'unknown key; did you mean "phones"?' }]
 *   else throw e
 * }
 * ```
 */

/** One rejected field: which one, the value that was given, and why. */
export interface FieldIssue {
  readonly field: string
  readonly value: unknown
  readonly message: string
  /** In an import: the file's column the value came from. */
  readonly column?: string
}

const show = (v: unknown) => {
  let s: string | undefined
  try {
    s = typeof v === 'string' ? JSON.stringify(v) : v === undefined ? 'undefined' : JSON.stringify(v)
  } catch {
    s = String(v)
  }
  s ??= String(v)
  return s.length > 60 ? `${s.slice(0, 57)}...` : s
}

/** The entity does not exist for this tenant (or belongs to another tenant). */
export class NotFound extends Data.TaggedError('NotFound')<{
  readonly reason: 'not_found'
  readonly entity: string
  readonly id: string
  readonly message: string
}> {
  readonly retryable = false
}

export const notFound = (entity: string, id: string, hint?: string) =>
  new NotFound({
    reason: 'not_found',
    entity,
    id,
    message: `${entity} ${id} was not found in this tenant; ${hint ?? 'check the id, or that you are using the tenant that owns it'}`,
  })

/** Input did not pass the domain schema; every bad field is listed with its value. */
export class ValidationFailed extends Data.TaggedError('ValidationFailed')<{
  readonly reason: 'validation_failed'
  readonly entity: string
  readonly issues: ReadonlyArray<FieldIssue>
  readonly message: string
}> {
  readonly retryable = false
}

export const validationFailed = (entity: string, issues: ReadonlyArray<FieldIssue>) =>
  new ValidationFailed({
    reason: 'validation_failed',
    entity,
    issues,
    message: `invalid ${entity}: ${issues
      .map((i) => `${i.field || '(root)'} = ${show(i.value)}: ${i.message}`)
      .join('; ')}`,
  })

/** The change collides with existing data (duplicate key, stale version, merged contact, a forbidden transition). */
export class Conflict extends Data.TaggedError('Conflict')<{
  readonly reason: 'conflict'
  readonly entity: string
  readonly detail: string
  readonly message: string
}> {
  readonly retryable = false
}

export const conflict = (entity: string, detail: string) =>
  new Conflict({ reason: 'conflict', entity, detail, message: `${entity}: ${detail}` })

/** An operation tried to cross tenants. */
export class ForbiddenTenant extends Data.TaggedError('ForbiddenTenant')<{
  readonly reason: 'forbidden_tenant'
  readonly tenantId: string
  readonly message: string
}> {
  readonly retryable = false
}

export const forbiddenTenant = (tenantId: string, detail: string) =>
  new ForbiddenTenant({
    reason: 'forbidden_tenant',
    tenantId,
    message: `tenant ${JSON.stringify(tenantId)}: ${detail}; use switchboard.tenant(id) for the tenant that owns the data`,
  })

/**
 * The storage backend failed. Whether trying again may help is decided by the
 * backend (it knows its driver's error codes), never guessed by core.
 */
export class StorageFailure extends Data.TaggedError('StorageFailure')<{
  readonly reason: 'storage_failure'
  readonly operation: string
  readonly retryable: boolean
  readonly cause: unknown
  readonly message: string
}> {}

export const storageFailure = (operation: string, cause: unknown, retryable = false) =>
  new StorageFailure({
    reason: 'storage_failure',
    operation,
    retryable,
    cause,
    message: `storage failed during ${operation}: ${cause instanceof Error ? cause.message : String(cause)}${
      retryable ? ' (transient: retry)' : ''
    }`,
  })

export type SwitchboardError =
  | NotFound
  | ValidationFailed
  | Conflict
  | ForbiddenTenant
  | StorageFailure
  /** An answer a call script's question does not take (see scripts/refused). */
  | ScriptAnswerRefused

type Tag = SwitchboardError['_tag']
const TAGS: ReadonlySet<string> = new Set<Tag>([
  'NotFound',
  'ValidationFailed',
  'Conflict',
  'ForbiddenTenant',
  'StorageFailure',
  'ScriptAnswerRefused',
])

/**
 * Whether `e` is one of core's errors (optionally: of this tag). Works across
 * copies of the package (it checks the tag, not the class).
 */
export function isSwitchboardError(e: unknown): e is SwitchboardError
export function isSwitchboardError<T extends Tag>(
  e: unknown,
  tag: T,
): e is Extract<SwitchboardError, { _tag: T }>
export function isSwitchboardError(e: unknown, tag?: Tag): boolean {
  if (typeof e !== 'object' || e === null) return false
  const t = (e as { _tag?: unknown })._tag
  return typeof t === 'string' && TAGS.has(t) && (tag === undefined || t === tag)
}

/** Whether trying the same call again later may succeed (any error of the convention). */
export const isRetryable = (e: unknown): boolean =>
  typeof e === 'object' && e !== null && (e as { retryable?: unknown }).retryable === true

// --- zod issues as field issues --------------------------------------------

interface ZodIssueLike {
  readonly path: ReadonlyArray<PropertyKey>
  readonly message: string
  readonly code?: string
  readonly keys?: ReadonlyArray<string>
  readonly values?: ReadonlyArray<unknown>
  readonly input?: unknown
  readonly errors?: ReadonlyArray<ReadonlyArray<ZodIssueLike>>
}

interface SchemaLike {
  readonly _zod?: { readonly def: object }
}

const fieldName = (path: ReadonlyArray<PropertyKey>) =>
  path.map((k, i) => (typeof k === 'number' ? `[${k}]` : `${i ? '.' : ''}${String(k)}`)).join('')

const valueAt = (input: unknown, path: ReadonlyArray<PropertyKey>) => {
  let value: unknown = input
  for (const key of path) {
    value =
      value != null && typeof value === 'object' ? (value as Record<PropertyKey, unknown>)[key] : undefined
  }
  return value
}

/** The object shapes a schema may have at `path` (through optional, default, pipe, union...). */
function shapesAt(
  schema: SchemaLike | undefined,
  path: ReadonlyArray<PropertyKey>,
): Record<string, unknown>[] {
  const def = schema?._zod?.def as Record<string, unknown> | undefined
  if (!def) return []
  switch (def.type) {
    case 'optional':
    case 'nullable':
    case 'default':
    case 'prefault':
    case 'nonoptional':
    case 'readonly':
    case 'catch':
      return shapesAt(def.innerType as SchemaLike, path)
    case 'pipe':
      return shapesAt(def.in as SchemaLike, path)
    case 'union':
      return (def.options as SchemaLike[]).flatMap((o) => shapesAt(o, path))
    case 'array':
      return typeof path[0] === 'number' ? shapesAt(def.element as SchemaLike, path.slice(1)) : []
    case 'record':
      return path.length ? shapesAt(def.valueType as SchemaLike, path.slice(1)) : []
    case 'object': {
      const shape = def.shape as Record<string, SchemaLike>
      if (!path.length) return [shape]
      const next = shape[String(path[0])]
      return next ? shapesAt(next, path.slice(1)) : []
    }
    default:
      return []
  }
}

/** Edit distance, for "did you mean" suggestions. */
function distance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, j) => j)
  for (let i = 1; i <= a.length; i++) {
    let prev = row[0]!
    row[0] = i
    for (let j = 1; j <= b.length; j++) {
      const cur = row[j]!
      row[j] = Math.min(row[j]! + 1, row[j - 1]! + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1))
      prev = cur
    }
  }
  return row[b.length]!
}

/** The closest of `options` to `given`, when close enough to be a likely typo. */
export function closest(given: string, options: Iterable<string>): string | undefined {
  let best: string | undefined
  let bestD = Number.POSITIVE_INFINITY
  const g = given.toLowerCase()
  for (const o of options) {
    const l = o.toLowerCase()
    const d = l === g ? 0 : l.startsWith(g) || g.startsWith(l) ? 1 : distance(g, l)
    if (d < bestD) {
      bestD = d
      best = o
    }
  }
  return best !== undefined && bestD <= Math.max(2, Math.floor(given.length / 3)) ? best : undefined
}

/**
 * Turns zod issues into field issues that carry the offending value, with
 * messages a person can act on: an unknown key suggests the known one it is
 * closest to, a missing field says it is required, an enum says what it takes.
 * Pass the schema for the suggestions.
 */
export function issuesFromZod(
  input: unknown,
  issues: ReadonlyArray<ZodIssueLike>,
  schema?: SchemaLike,
): FieldIssue[] {
  const out: FieldIssue[] = []
  for (const issue of issues) {
    const value = valueAt(input, issue.path)
    if (issue.code === 'unrecognized_keys' && issue.keys) {
      const known = shapesAt(schema, issue.path).flatMap((s) => Object.keys(s))
      for (const key of issue.keys) {
        const near = closest(key, known)
        out.push({
          field: fieldName([...issue.path, key]),
          value: valueAt(input, [...issue.path, key]),
          message: `unknown key${near ? `; did you mean "${near}"?` : known.length ? ` (known keys: ${known.join(', ')})` : ''}`,
        })
      }
      continue
    }
    let message = issue.message
    if (issue.code === 'invalid_type' && value === undefined) message = 'is required'
    else if (issue.code === 'invalid_value' && issue.values && typeof value === 'string') {
      const near = closest(
        value,
        issue.values.filter((v): v is string => typeof v === 'string'),
      )
      message = `must be one of ${issue.values.map((v) => JSON.stringify(v)).join(', ')}${near ? `; did you mean "${near}"?` : ''}`
    } else if (issue.code === 'invalid_union' && issue.errors && /^Invalid input$/.test(message)) {
      // Say what the closest alternative wanted rather than "Invalid input".
      const inner =
        issue.errors.find((e) => e.length > 0 && e.every((i) => i.path.length > 0)) ?? issue.errors[0]
      if (inner?.length) {
        out.push(
          ...issuesFromZod(
            input,
            inner.map((i) => ({ ...i, path: [...issue.path, ...i.path] })),
            schema,
          ),
        )
        continue
      }
    }
    out.push({ field: fieldName(issue.path), value, message })
  }
  return out
}
