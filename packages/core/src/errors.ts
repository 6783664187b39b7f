import { Data } from 'effect'

/** One rejected field: which one, the value that was given, and why. */
export interface FieldIssue {
  readonly field: string
  readonly value: unknown
  readonly message: string
  /** In an import: the file's column the value came from. */
  readonly column?: string
}

const show = (v: unknown) => {
  const s = typeof v === 'string' ? JSON.stringify(v) : JSON.stringify(v ?? null)
  return s && s.length > 60 ? `${s.slice(0, 57)}...` : s
}

/** The entity does not exist for this tenant (or belongs to another tenant). */
export class NotFound extends Data.TaggedError('NotFound')<{
  readonly reason: 'not_found'
  readonly entity: string
  readonly id: string
  readonly message: string
}> {}

export const notFound = (entity: string, id: string) =>
  new NotFound({
    reason: 'not_found',
    entity,
    id,
    message: `${entity} ${id} was not found in this tenant; check the id, or that you are using the tenant that owns it`,
  })

/** Input did not pass the domain schema; every bad field is listed with its value. */
export class ValidationFailed extends Data.TaggedError('ValidationFailed')<{
  readonly reason: 'validation_failed'
  readonly entity: string
  readonly issues: ReadonlyArray<FieldIssue>
  readonly message: string
}> {}

export const validationFailed = (entity: string, issues: ReadonlyArray<FieldIssue>) =>
  new ValidationFailed({
    reason: 'validation_failed',
    entity,
    issues,
    message: `invalid ${entity}: ${issues
      .map((i) => `${i.field || '(root)'} = ${show(i.value)}: ${i.message}`)
      .join('; ')}`,
  })

/** The change collides with existing data (duplicate key, stale version, merged contact). */
export class Conflict extends Data.TaggedError('Conflict')<{
  readonly reason: 'conflict'
  readonly entity: string
  readonly detail: string
  readonly message: string
}> {}

export const conflict = (entity: string, detail: string) =>
  new Conflict({ reason: 'conflict', entity, detail, message: `${entity}: ${detail}` })

/** An operation tried to cross tenants. */
export class ForbiddenTenant extends Data.TaggedError('ForbiddenTenant')<{
  readonly reason: 'forbidden_tenant'
  readonly tenantId: string
  readonly message: string
}> {}

export const forbiddenTenant = (tenantId: string, detail: string) =>
  new ForbiddenTenant({
    reason: 'forbidden_tenant',
    tenantId,
    message: `tenant ${JSON.stringify(tenantId)}: ${detail}; use switchboard.tenant(id) for the tenant that owns the data`,
  })

/** The storage backend failed; `retryable` says whether trying again may help. */
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

export type SwitchboardError = NotFound | ValidationFailed | Conflict | ForbiddenTenant | StorageFailure

/** Turns zod issues into field issues that carry the offending value. */
export function issuesFromZod(
  input: unknown,
  issues: ReadonlyArray<{ path: ReadonlyArray<PropertyKey>; message: string }>,
): FieldIssue[] {
  return issues.map((issue) => {
    let value: unknown = input
    for (const key of issue.path) {
      value =
        value != null && typeof value === 'object' ? (value as Record<PropertyKey, unknown>)[key] : undefined
    }
    const field = issue.path
      .map((k, i) => (typeof k === 'number' ? `[${k}]` : `${i ? '.' : ''}${String(k)}`))
      .join('')
    return { field, value, message: issue.message }
  })
}
