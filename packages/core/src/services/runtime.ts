import { Context, Effect } from 'effect'
import type { TenantId } from '../domain/ids.js'
import { ForbiddenTenant, forbiddenTenant, type StorageFailure, storageFailure } from '../errors.js'
import type { EventBus } from '../events.js'
import type { StorageBackend, TenantStore } from '../plugins/storage.js'
import type { TelephonyBackend } from '../telephony/index.js'

/** The storage backend an instance runs on (a backend package supplies it). */
export class Storage extends Context.Service<Storage, StorageBackend>()('@switchboard/core/Storage') {}

/** The domain event bus. */
export class Events extends Context.Service<Events, EventBus>()('@switchboard/core/Events') {}

/** The telephony backend, when the instance has one. */
export class Telephony extends Context.Service<Telephony, TelephonyBackend>()(
  '@switchboard/core/Telephony',
) {}

export const TRANSIENT = /SQLITE_BUSY|ECONNRESET|ECONNREFUSED|timeout|terminat|Connection|57P01|40001|40P01/i

/** What any storage call can fail with. */
export type StoreError = StorageFailure | ForbiddenTenant

/** Lifts a backend call into Effect, mapping a thrown error to a typed StorageFailure. */
export const attempt = <A>(operation: string, run: () => Promise<A>): Effect.Effect<A, StoreError> =>
  Effect.tryPromise({
    try: run,
    catch: (cause) =>
      cause instanceof ForbiddenTenant
        ? cause
        : storageFailure(operation, cause, TRANSIENT.test(String((cause as Error)?.message ?? cause))),
  })

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
    rows: (table) => store.rows(table),
    transaction: (fn) => store.transaction((tx) => fn(guardStore(tx, tenant))),
  }
}
