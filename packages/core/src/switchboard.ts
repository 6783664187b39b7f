import { createReadStream } from 'node:fs'
import { stat } from 'node:fs/promises'
import { Effect, Layer, ManagedRuntime } from 'effect'
import { TenantId } from './domain/ids.js'
import { issuesFromZod, validationFailed } from './errors.js'
import { createEventBus, type EventBus, type EventMap } from './events.js'
import type { ImportOptions, ImportResult } from './import/contacts.js'
import type { FeaturePlugin } from './plugins/feature.js'
import type { StorageBackend } from './plugins/storage.js'
import { Campaigns, CampaignsLive } from './services/campaigns.js'
import { Cases, CasesLive } from './services/cases.js'
import { Consent, ConsentLive } from './services/consent.js'
import { Contacts, ContactsLive } from './services/contacts.js'
import { DialingLists, DialingListsLive } from './services/dialing-lists.js'
import { Interactions, InteractionsLive } from './services/interactions.js'
import { Events, Storage, Telephony } from './services/runtime.js'
import type { TelephonyBackend } from './telephony/index.js'

export interface SwitchboardOptions {
  readonly storage: StorageBackend
  readonly telephony?: TelephonyBackend
  readonly plugins?: ReadonlyArray<FeaturePlugin>
  /** Apply pending migrations on start (default true). */
  readonly migrate?: boolean
}

// biome-ignore lint/suspicious/noExplicitAny: matches any service method shape
type TenantMethod = (tenant: TenantId, ...args: any[]) => Effect.Effect<any, any, never>

/** A service's methods with the tenant bound and the Effect run to a Promise. */
export type Promised<S> = {
  readonly [K in keyof S]: S[K] extends (
    tenant: TenantId,
    ...args: infer A
  ) => Effect.Effect<infer R, infer _E, never>
    ? (...args: A) => Promise<R>
    : never
}

export interface TenantApi {
  readonly tenantId: TenantId
  readonly contacts: Omit<Promised<Contacts['Service']>, 'importCsv'> & {
    /** Imports a CSV file (path) or stream; see ImportOptions. */
    import(source: string | AsyncIterable<string | Uint8Array>, options: ImportOptions): Promise<ImportResult>
  }
  readonly interactions: Promised<Interactions['Service']>
  readonly consent: Promised<Consent['Service']>
  readonly campaigns: Promised<Campaigns['Service']>
  readonly cases: Promised<Cases['Service']>
  /** Campaign dialing lists: enqueue from the CRM, atomic claims for dialer workers, suppression. */
  readonly lists: Promised<DialingLists['Service']>
}

export type CoreServices =
  | Storage
  | Events
  | Contacts
  | Consent
  | Interactions
  | Campaigns
  | Cases
  | DialingLists

export interface Switchboard {
  /** Everything of one tenant. Data of other tenants is unreachable from it. */
  tenant(id: string): TenantApi
  on<K extends keyof EventMap>(event: K, handler: (e: EventMap[K]) => void): () => void
  readonly storage: StorageBackend
  readonly telephony: TelephonyBackend | undefined
  /** The same services as Effect layers, for Effect users: `Effect.provide(program, sb.layer)`. */
  readonly layer: Layer.Layer<CoreServices>
  close(): Promise<void>
}

/** Core's services over a storage backend and an event bus. */
export const layerFor = (
  storage: StorageBackend,
  bus: EventBus = createEventBus(),
): Layer.Layer<CoreServices> => {
  const base = Layer.mergeAll(Layer.succeed(Storage, storage), Layer.succeed(Events, bus))
  return Layer.mergeAll(
    ContactsLive,
    ConsentLive,
    InteractionsLive,
    CampaignsLive,
    CasesLive,
    DialingListsLive,
  ).pipe(Layer.provideMerge(base))
}

const bind = <S extends object>(service: S, tenant: TenantId): Promised<S> => {
  const out: Record<string, unknown> = {}
  for (const [name, fn] of Object.entries(service)) {
    if (typeof fn === 'function') {
      out[name] = (...args: unknown[]) => Effect.runPromise((fn as TenantMethod)(tenant, ...args))
    }
  }
  return out as Promised<S>
}

/**
 * Assembles a Switchboard instance from a storage backend, an optional
 * telephony backend and feature plugins: migrations applied, plugin event
 * handlers subscribed, services built once.
 */
export async function createSwitchboard(options: SwitchboardOptions): Promise<Switchboard> {
  const { storage, telephony, plugins = [] } = options
  for (const p of plugins) {
    for (const need of p.needs ?? []) {
      const ok =
        need === 'telephony'
          ? telephony !== undefined
          : need === 'storage.concurrentWriters'
            ? storage.capabilities.concurrentWriters
            : storage.capabilities.skipLocked
      if (!ok) {
        throw validationFailed('plugins', [
          {
            field: `plugins[${p.id}].needs`,
            value: need,
            message: `this instance lacks ${need}; pick a backend that has it`,
          },
        ])
      }
    }
  }
  if (options.migrate !== false) {
    await storage.migrate(
      plugins.filter((p) => p.migrations?.length).map((p) => ({ id: p.id, migrations: p.migrations ?? [] })),
    )
  }
  const bus = createEventBus()
  for (const p of plugins) {
    for (const [event, handler] of Object.entries(p.on ?? {})) {
      // biome-ignore lint/suspicious/noExplicitAny: handler types are checked in FeaturePlugin
      bus.on(event as keyof EventMap, handler as any)
    }
  }
  const layer = telephony
    ? Layer.merge(layerFor(storage, bus), Layer.succeed(Telephony, telephony))
    : layerFor(storage, bus)
  const runtime = ManagedRuntime.make(layer)
  const services = await runtime.runPromise(
    Effect.gen(function* () {
      return {
        contacts: yield* Contacts,
        consent: yield* Consent,
        interactions: yield* Interactions,
        campaigns: yield* Campaigns,
        cases: yield* Cases,
        lists: yield* DialingLists,
      }
    }),
  )

  const tenants = new Map<string, TenantApi>()
  return {
    tenant(id) {
      const cached = tenants.get(id)
      if (cached) return cached
      const parsed = TenantId.safeParse(id)
      if (!parsed.success) throw validationFailed('tenant', issuesFromZod(id, parsed.error.issues))
      const tenantId = parsed.data
      const { importCsv: _, ...contacts } = bind(services.contacts, tenantId)
      const api: TenantApi = {
        tenantId,
        contacts: {
          ...contacts,
          async import(source, importOptions) {
            if (typeof source === 'string') {
              const { size } = await stat(source)
              return Effect.runPromise(
                services.contacts.importCsv(tenantId, createReadStream(source, { highWaterMark: 1 << 16 }), {
                  totalBytes: size,
                  ...importOptions,
                }),
              )
            }
            return Effect.runPromise(services.contacts.importCsv(tenantId, source, importOptions))
          },
        },
        interactions: bind(services.interactions, tenantId),
        consent: bind(services.consent, tenantId),
        campaigns: bind(services.campaigns, tenantId),
        cases: bind(services.cases, tenantId),
        lists: bind(services.lists, tenantId),
      }
      tenants.set(id, api)
      return api
    },
    on(event, handler) {
      bus.on(event, handler)
      return () => bus.off(event, handler)
    },
    storage,
    telephony,
    layer,
    async close() {
      await runtime.dispose()
      await storage.close()
    },
  }
}
