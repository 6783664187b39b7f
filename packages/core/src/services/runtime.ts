import { Clock, Context, Effect } from 'effect'
import { z } from 'zod'
import {
  type ForbiddenTenant,
  forbiddenTenant,
  isSwitchboardError,
  issuesFromZod,
  type StorageFailure,
  type SwitchboardError,
  storageFailure,
  type ValidationFailed,
  validationFailed,
} from '../domain/errors.js'
import type { TenantId } from '../domain/ids.js'
import type { EventBus } from '../events.js'
import type { StorageBackend, TenantStore } from '../plugins/storage.js'
import type { TelephonyBackend } from '../telephony/index.js'

/** The storage backend an instance runs on (a backend package supplies it). */
export class Storage extends Context.Service<Storage, StorageBackend>()('@switchboard/core/Storage') {}

/** The domain event bus (events are published after the write commits). */
export class Events extends Context.Service<Events, EventBus>()('@switchboard/core/Events') {}

/** The telephony backend, when the instance has one. */
export class Telephony extends Context.Service<Telephony, TelephonyBackend>()(
  '@switchboard/core/Telephony',
) {}

/** What any storage call can fail with. */
export type StoreError = StorageFailure | ForbiddenTenant

/**
 * Lifts a backend call into Effect. The backend rejects with core's typed
 * errors (and decides what is retryable); anything else it throws is a bug
 * of the backend, reported as a non-retryable StorageFailure.
 */
export const attempt = <A>(operation: string, run: () => Promise<A>): Effect.Effect<A, StoreError> =>
  Effect.tryPromise({
    try: run,
    catch: (cause) =>
      isSwitchboardError(cause) ? (cause as StoreError) : storageFailure(operation, cause, false),
  })

/** Like `attempt`, for calls that may also fail with a Conflict or a ValidationFailed (unique keys, plugin tables). */
export const attemptAny = <A>(operation: string, run: () => Promise<A>): Effect.Effect<A, SwitchboardError> =>
  Effect.tryPromise({
    try: run,
    catch: (cause) => (isSwitchboardError(cause) ? cause : storageFailure(operation, cause, false)),
  })

/** Now, on the instance's clock (Effect's `Clock`: a `TestClock` in tests). */
export const now: Effect.Effect<Date> = Effect.map(Clock.currentTimeMillis, (ms) => new Date(ms))

/**
 * Parses one argument of a public method at the boundary. `field` names the
 * argument for positional ones (`id`, `mergedIds`); an object argument's
 * issues name their own fields.
 */
export function parse<S extends z.ZodType>(
  entity: string,
  schema: S,
  value: unknown,
  field?: string,
): Effect.Effect<z.output<S>, ValidationFailed> {
  const r = checkArgument(entity, schema, value, field)
  return r.ok ? Effect.succeed(r.value) : Effect.fail(r.error)
}

/** `parse` outside Effect: the value, or the ValidationFailed to throw (for synchronous entry points). */
export function checkArgument<S extends z.ZodType>(
  entity: string,
  schema: S,
  value: unknown,
  field?: string,
): { ok: true; value: z.output<S> } | { ok: false; error: ValidationFailed } {
  const r = schema.safeParse(value)
  if (r.success) return { ok: true, value: r.data }
  const issues = issuesFromZod(value, r.error.issues, schema).map((i) =>
    field ? { ...i, field: i.field ? `${field}${i.field.startsWith('[') ? '' : '.'}${i.field}` : field } : i,
  )
  return { ok: false, error: validationFailed(entity, issues) }
}

/** A single-issue validation failure. */
export const invalid = (entity: string, field: string, value: unknown, message: string) =>
  Effect.fail(validationFailed(entity, [{ field, value, message }]))

/** A page of a list (keyset): at most 1,000 rows, after an id. */
export const PageInput = z
  .strictObject({
    limit: z.number().int().min(1).max(1000).optional(),
    after: z.string().min(1).max(128).optional(),
  })
  .optional()

type Written = { readonly tenantId: string }

/**
 * The store of one tenant, with every write checked: an entity stamped with
 * another tenant is refused (ForbiddenTenant) before it reaches the backend,
 * whatever the backend does.
 */
export function scopedStore(storage: StorageBackend, tenant: TenantId): TenantStore {
  // Built once per backend and tenant: the screen pop path should not rebuild it per call.
  const stores = scopedStores.get(storage) ?? new Map<string, TenantStore>()
  scopedStores.set(storage, stores)
  let store = stores.get(tenant)
  if (!store) {
    store = guardStore(storage.forTenant(tenant), tenant)
    if (stores.size < 10_000) stores.set(tenant, store)
  }
  return store
}

const scopedStores = new WeakMap<StorageBackend, Map<string, TenantStore>>()

function guardStore(store: TenantStore, tenant: TenantId): TenantStore {
  if (store.tenantId !== tenant) {
    throw forbiddenTenant(tenant, `the storage backend scoped the store to ${JSON.stringify(store.tenantId)}`)
  }
  const check = (entity: Written) => {
    if (entity.tenantId !== tenant) {
      throw forbiddenTenant(
        entity.tenantId,
        `an entity of this tenant was written through the store of ${JSON.stringify(tenant)}`,
      )
    }
  }
  const guard = <S extends object>(section: S, writes: ReadonlyArray<keyof S>): S => {
    const out = { ...section } as Record<PropertyKey, unknown>
    for (const name of writes) {
      const fn = section[name] as (...a: unknown[]) => Promise<unknown>
      out[name as PropertyKey] = async (arg: Written | ReadonlyArray<Written>, ...rest: unknown[]) => {
        for (const e of Array.isArray(arg) ? arg : [arg]) check(e as Written)
        return fn.call(section, arg, ...rest)
      }
    }
    return out as S
  }
  return {
    ...store,
    tenantId: store.tenantId,
    contacts: guard(store.contacts, ['insert', 'insertMany', 'update']),
    interactions: guard(store.interactions, ['insert', 'update']),
    consent: guard(store.consent, ['append']),
    dnc: guard(store.dnc, ['add']),
    campaigns: guard(store.campaigns, ['insert', 'update']),
    cases: guard(store.cases, ['insert', 'update']),
    agents: guard(store.agents, ['insert', 'update']),
    purposes: guard(store.purposes, ['upsert']),
    segments: guard(store.segments, ['insert', 'update']),
    rules: guard(store.rules, ['insert', 'update']),
    events: guard(store.events, ['append']),
    firings: guard(store.firings, ['insert', 'update']),
    dispositions: guard(store.dispositions, ['upsert']),
    callbacks: guard(store.callbacks, ['insert', 'update']),
    recordings: guard(store.recordings, ['insert', 'update']),
    agentSessions: guard(store.agentSessions, ['insert', 'update', 'appendState']),
    locks: guard(store.locks, ['acquire']),
    scripts: guard(store.scripts, ['insert', 'recordRun']),
    identityChecks: guard(store.identityChecks, ['append']),
    rows: (table) => store.rows(table),
    transaction: (fn) => store.transaction((tx) => fn(guardStore(tx, tenant))),
  }
}
