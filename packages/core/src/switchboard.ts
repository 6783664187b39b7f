import { createReadStream } from 'node:fs'
import { stat } from 'node:fs/promises'
import { Clock, Effect, Fiber, Layer, ManagedRuntime } from 'effect'
import { z } from 'zod'
import { Timestamp } from './domain/common.js'
import type { Contact } from './domain/contact.js'
import { issuesFromZod, validationFailed } from './domain/errors.js'
import { TenantId } from './domain/ids.js'
import type { ConsentPurposeInput } from './domain/purpose.js'
import type { StoredEvent } from './domain/rule.js'
import { createEventBus, type EventBus, type EventHandler, type EventMap } from './events.js'
import type { ImportOptions, ImportResult } from './import/contacts.js'
import { pluginSettings } from './plugins/assemble.js'
import type { FeaturePlugin } from './plugins/feature.js'
import type { StorageBackend } from './plugins/storage.js'
import { type FollowOptions, followEvents } from './rules/follow.js'
import { type OutboxOptions, outboxSettings, processOutbox } from './rules/outbox.js'
import type { RuleHandler } from './rules/types.js'
import { AgentSessions, AgentSessionsLive } from './services/agent-sessions.js'
import { Agents, AgentsLive } from './services/agents.js'
import { Callbacks, CallbacksLive } from './services/callbacks.js'
import { Campaigns, CampaignsLive } from './services/campaigns.js'
import { Cases, CasesLive } from './services/cases.js'
import { defaultSettings, type InstanceSettings, Settings } from './services/config.js'
import { Consent, ConsentLive } from './services/consent.js'
import { Contacts, ContactsLive } from './services/contacts.js'
import { Desk, DeskLive } from './services/desk.js'
import { DialingLists, DialingListsLive } from './services/dialing-lists.js'
import { Dispositions, DispositionsLive } from './services/dispositions.js'
import { EventLog, EventLogLive } from './services/event-log.js'
import { Interactions, InteractionsLive } from './services/interactions.js'
import { Locks, LocksLive } from './services/locks.js'
import { Recordings, RecordingsLive } from './services/recordings.js'
import { Rules, RulesLive } from './services/rules.js'
import { checkArgument, Events, now, Storage, Telephony } from './services/runtime.js'
import { Scripts, ScriptsLive } from './services/scripts.js'
import { type SegmentRef, Segments, SegmentsLive } from './services/segments.js'
import { Verification, VerificationLive } from './services/verification.js'
import type { TelephonyBackend } from './telephony/index.js'

export interface SwitchboardOptions {
  readonly storage: StorageBackend
  readonly telephony?: TelephonyBackend
  readonly plugins?: ReadonlyArray<FeaturePlugin>
  /** Apply pending migrations on start (default true). */
  readonly migrate?: boolean
  /**
   * Consent purposes every tenant has declared from the start (default:
   * marketing, sales, collections, service, survey). A tenant adds its own with
   * `consent.declarePurpose`.
   */
  readonly purposes?: ReadonlyArray<ConsentPurposeInput>
  /** Where a failing event handler is reported when nobody listens to `handler.failed` (default: console.error). */
  readonly log?: (message: string, error: unknown) => void
  /**
   * Host handlers that rules call (`{ type: 'handler', name }`), through the
   * transactional outbox: retried until they resolve, with an idempotency key.
   */
  readonly ruleHandlers?: { readonly [name: string]: RuleHandler }
  /**
   * The outbox processor this instance runs (default: on, polling every
   * 500 ms). `false` for an instance that must not run host handlers.
   */
  readonly outbox?: OutboxOptions | false
  /** This instance's name in the event log, e.g. "api-1" or "dialer-worker-3" (default: a random one). */
  readonly origin?: string
  /**
   * The clock the tenant API stamps writes with and decides by (calling
   * windows, retry times): default the system's. A simulation passes the
   * telephony backend's virtual clock so that a campaign day runs in seconds.
   */
  readonly clock?: { now(): number }
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

/**
 * Everything of one tenant, as Promises. Every argument is parsed at the
 * boundary: bad input rejects with a `ValidationFailed` naming the field and
 * the value; an id of another tenant is a `NotFound`.
 */
export interface TenantApi {
  readonly tenantId: TenantId
  readonly contacts: Omit<Promised<Contacts['Service']>, 'importCsv'> &
    /** Identity verification of a caller: `verification` (the questions), `verify`, `verifications` (the log). */
    Promised<Verification['Service']> & {
      /**
       * Imports a CSV file (a path) or a stream; see ImportOptions. Bad rows are
       * reported with their line and reasons and never stop the good ones.
       */
      import(
        source: string | AsyncIterable<string | Uint8Array>,
        options: ImportOptions,
      ): Promise<ImportResult>
    }
  readonly interactions: Promised<Interactions['Service']>
  readonly consent: Promised<Consent['Service']>
  readonly campaigns: Promised<Campaigns['Service']>
  readonly cases: Promised<Cases['Service']>
  readonly agents: Promised<Agents['Service']>
  /** Agents' sessions: log in, ready, pause with a reason, log out; the state history. */
  readonly sessions: Promised<AgentSessions['Service']>
  /** Disposition codes: the catalogue, each campaign's set, and coding a call. */
  readonly dispositions: Promised<Dispositions['Service']>
  /** Callbacks: book in the contact's zone, move, cancel, list. */
  readonly callbacks: Promised<Callbacks['Service']>
  /** Recordings linked to interactions, playable from the contact's history. */
  readonly recordings: Promised<Recordings['Service']>
  /** Campaign dialing lists: enqueue from the CRM, atomic claims for dialer workers, suppression. */
  readonly lists: Promised<DialingLists['Service']>
  /** Segments: the segment language run in the database, saved segments and their membership over time. */
  readonly segments: Promised<Segments['Service']> & {
    /** Every member, streamed in pages by id (one evaluation time for the whole stream). */
    members(
      segment: SegmentRef,
      options?: { readonly batchSize?: number; readonly at?: Date },
    ): AsyncIterable<Contact>
  }
  /** Event rules and their recorded firings. */
  readonly rules: Promised<Rules['Service']>
  /** The service desk: tiers, business calendars, SLA policies, SLA clocks, the escalation sweep, the ordered queue. */
  readonly desk: Promised<Desk['Service']>
  /** Soft locks on contacts and cases: who is working it and since when, expiring (collision avoidance). */
  readonly locks: Promised<Locks['Service']>
  /** Call scripts stored by version, and their runs recorded on interactions. */
  readonly scripts: Promised<Scripts['Service']>
  /** The durable event log: record a plugin's event, read or follow what any process recorded. */
  readonly events: Omit<Promised<EventLog['Service']>, 'write'> & {
    /**
     * Calls `handler` with every event of this tenant recorded from now on
     * (or after `after`), by any process on the same database. Returns a
     * function that stops following.
     */
    follow(handler: (event: StoredEvent) => void | Promise<void>, options?: FollowOptions): () => void
  }
}

export type CoreServices =
  | Storage
  | Events
  | EventLog
  | Settings
  | Contacts
  | Consent
  | Interactions
  | Campaigns
  | Cases
  | Agents
  | DialingLists
  | Segments
  | Rules
  | AgentSessions
  | Dispositions
  | Callbacks
  | Recordings
  | Desk
  | Locks
  | Scripts
  | Verification

export interface Switchboard {
  /** Everything of one tenant. Data of other tenants is unreachable from it. */
  tenant(id: string): TenantApi
  /**
   * Subscribes to a domain event. Handlers run after the write committed; a
   * handler's failure never fails the write (see `handler.failed`); async
   * handlers are queued, not awaited (see `idle`).
   */
  on<K extends keyof EventMap>(event: K, handler: EventHandler<K>): () => void
  /** Resolves when the async event handlers started so far have settled. */
  idle(): Promise<void>
  readonly storage: StorageBackend
  readonly telephony: TelephonyBackend | undefined
  /** The same services as Effect layers, for Effect users: `Effect.provide(program, sb.layer)`. */
  readonly layer: Layer.Layer<CoreServices>
  /**
   * Runs an Effect program on the instance's services and clock (the host's
   * `clock` option when given): what the campaign runtime uses.
   */
  run<A, E>(program: Effect.Effect<A, E, CoreServices>): Promise<A>
  /** The instance's runtime (its services, its clock): `sb.runtime.runPromise(program)`. */
  readonly runtime: ManagedRuntime.ManagedRuntime<CoreServices, never>
  /** The rule outbox: `drain()` runs due host handlers now (the instance's processor also does, every few hundred ms). */
  readonly outbox: { drain(): Promise<number> }
  /** This instance's name in the event log (`StoredEvent.origin` of what it records). */
  readonly origin: string
  /** Waits for queued event handlers, then releases the runtime and the storage. */
  close(): Promise<void>
}

/**
 * Core's services over a storage backend and an event bus, as one layer.
 * Effect users provide it (or `sb.layer`) to programs that use the services.
 */
export const layerFor = (
  storage: StorageBackend,
  bus: EventBus = createEventBus(),
  settings: InstanceSettings = defaultSettings,
): Layer.Layer<CoreServices> => {
  const base = Layer.mergeAll(
    Layer.succeed(Storage, storage),
    Layer.succeed(Events, bus),
    Layer.succeed(Settings, settings),
  )
  const log = EventLogLive.pipe(Layer.provideMerge(base))
  const consent = ConsentLive.pipe(Layer.provideMerge(log))
  return Layer.mergeAll(
    ContactsLive,
    InteractionsLive,
    CampaignsLive,
    CasesLive,
    AgentsLive,
    DialingListsLive,
    SegmentsLive,
    RulesLive,
    AgentSessionsLive,
    DispositionsLive,
    CallbacksLive,
    RecordingsLive,
    DeskLive,
    LocksLive,
    // Recording a run sets contact fields through the contacts service.
    ScriptsLive.pipe(Layer.provide(ContactsLive)),
    VerificationLive,
  ).pipe(Layer.provideMerge(consent))
}

/** Effect's clock reading the host's time (sleeping stays on the real clock: only timestamps move). */
function hostClock(host: { now(): number }): Clock.Clock {
  const base = Clock.Clock.defaultValue()
  return {
    ...base,
    currentTimeMillisUnsafe: () => host.now(),
    currentTimeMillis: Effect.sync(() => host.now()),
    currentTimeNanosUnsafe: () => BigInt(Math.round(host.now())) * 1_000_000n,
    currentTimeNanos: Effect.sync(() => BigInt(Math.round(host.now())) * 1_000_000n),
  }
}

const PLUGIN_ID = /^[a-z][a-z0-9-]{0,39}$/

const MembersInput = z
  .strictObject({ batchSize: z.number().int().min(1).max(1000).optional(), at: Timestamp.optional() })
  .optional()

const AssemblyInput = z.object({
  outbox: z
    .union([
      z.literal(false),
      z.strictObject({
        intervalMs: z.number().int().min(10).max(3_600_000).optional(),
        leaseMs: z.number().int().min(100).max(3_600_000).optional(),
        maxAttempts: z.number().int().min(1).max(1000).optional(),
        batchSize: z.number().int().min(1).max(1000).optional(),
        retryBaseMs: z.number().int().min(1).max(3_600_000).optional(),
      }),
    ])
    .optional(),
  origin: z
    .string()
    .regex(/^[A-Za-z0-9_.:-]{1,64}$/, 'must be 1-64 letters, digits, _ . : -')
    .optional(),
})

const bind = <S extends object>(
  service: S,
  tenant: TenantId,
  run: <A>(effect: Effect.Effect<A, unknown, never>) => Promise<A>,
): Promised<S> => {
  const out: Record<string, unknown> = {}
  for (const [name, fn] of Object.entries(service)) {
    if (typeof fn === 'function')
      out[name] = (...args: unknown[]) => run((fn as TenantMethod)(tenant, ...args))
  }
  return out as Promised<S>
}

/** Opens a CSV file for import, or says plainly why it cannot be read. */
async function openFile(path: string) {
  const fail = (message: string) => validationFailed('import', [{ field: 'source', value: path, message }])
  if (typeof path !== 'string' || !path) throw fail('must be a file path or a stream of text')
  try {
    const info = await stat(path)
    if (info.isDirectory()) throw fail('is a directory; give the path of a CSV file')
    if (!info.isFile()) throw fail('is not a regular file')
    return { stream: createReadStream(path, { highWaterMark: 1 << 16 }), size: info.size }
  } catch (e) {
    const code = (e as { code?: string }).code
    if (code === 'ENOENT') throw fail('no such file')
    if (code === 'EACCES' || code === 'EPERM') throw fail('cannot be read (permission denied)')
    throw e
  }
}

/**
 * Assembles a Switchboard instance from a storage backend, an optional
 * telephony backend and feature plugins: migrations applied, plugin event
 * handlers subscribed, services built once in the instance's runtime.
 *
 * @example
 * ```ts
 * import { createSwitchboard } from '@switchboard/core'
 * import { sqliteStorage } from '@switchboard/storage-sqlite'
 *
 * const sb = await createSwitchboard({ storage: sqliteStorage({ file: ':memory:' }) })
 * const acme = sb.tenant('acme')
 * const ana = await acme.contacts.create({ firstName: 'Ana', phones: ['+34 612 345 678'] })
 * const may = await acme.consent.canContact(ana.id, { channel: 'voice', purpose: 'marketing' })
 * console.log(may.allowed, may.reasons)
 * await sb.close()
 * ```
 */
export async function createSwitchboard(options: SwitchboardOptions): Promise<Switchboard> {
  const { storage, telephony, plugins = [] } = options
  const seen = new Set<string>()
  for (const p of plugins) {
    if (typeof p?.id !== 'string' || !PLUGIN_ID.test(p.id)) {
      throw validationFailed('plugins', [
        { field: 'plugins[].id', value: p?.id, message: `must match ${PLUGIN_ID} (lower case, digits, -)` },
      ])
    }
    if (seen.has(p.id)) {
      throw validationFailed('plugins', [
        { field: 'plugins[].id', value: p.id, message: 'two plugins have this id' },
      ])
    }
    seen.add(p.id)
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
  const checkedOptions = AssemblyInput.safeParse({ outbox: options.outbox, origin: options.origin })
  if (!checkedOptions.success)
    throw validationFailed('switchboard options', issuesFromZod(options, checkedOptions.error.issues))
  const settings: InstanceSettings = {
    ...defaultSettings,
    ...(options.purposes ? { purposes: options.purposes } : {}),
    ...pluginSettings(plugins, options.ruleHandlers ?? {}),
    origin: options.origin ?? `switchboard-${Math.random().toString(36).slice(2, 10)}`,
  }
  if (options.migrate !== false) {
    await storage.migrate(
      plugins.filter((p) => p.migrations?.length).map((p) => ({ id: p.id, migrations: p.migrations ?? [] })),
    )
  }
  const bus = createEventBus(options.log ? { log: options.log } : {})
  for (const p of plugins) {
    for (const [event, handler] of Object.entries(p.on ?? {})) {
      bus.on(event as keyof EventMap, handler as EventHandler<keyof EventMap>)
    }
  }
  const core = layerFor(storage, bus, settings)
  const layer = (
    telephony ? Layer.merge(core, Layer.succeed(Telephony, telephony)) : core
  ) as Layer.Layer<CoreServices>
  const runtime = ManagedRuntime.make(layer)
  const outbox = outboxSettings(options.outbox || {})
  const drainOnce = processOutbox(storage, settings, outbox)
  const services = await runtime.runPromise(
    Effect.gen(function* () {
      return {
        contacts: yield* Contacts,
        consent: yield* Consent,
        interactions: yield* Interactions,
        campaigns: yield* Campaigns,
        cases: yield* Cases,
        agents: yield* Agents,
        lists: yield* DialingLists,
        segments: yield* Segments,
        rules: yield* Rules,
        events: yield* EventLog,
        sessions: yield* AgentSessions,
        dispositions: yield* Dispositions,
        callbacks: yield* Callbacks,
        recordings: yield* Recordings,
        desk: yield* Desk,
        locks: yield* Locks,
        scripts: yield* Scripts,
        verification: yield* Verification,
      }
    }),
  )
  const clock = options.clock ? hostClock(options.clock) : undefined
  const run = <A>(effect: Effect.Effect<A, unknown, never>) =>
    runtime.runPromise(clock ? Effect.provideService(effect, Clock.Clock, clock) : effect)
  // The outbox processor: a fiber of the instance's runtime, interrupted by close().
  const processor =
    options.outbox === false
      ? undefined
      : runtime.runFork(
          Effect.forever(
            Effect.andThen(
              Effect.catchCause(drainOnce, (cause) =>
                Effect.sync(() =>
                  (options.log ?? console.error)('@switchboard/core: the rule outbox failed a pass', cause),
                ),
              ),
              Effect.sleep(outbox.intervalMs),
            ),
          ),
        )

  const tenants = new Map<string, TenantApi>()
  return {
    tenant(id) {
      const cached = tenants.get(id)
      if (cached) return cached
      const parsed = TenantId.safeParse(id)
      if (!parsed.success) throw validationFailed('tenant', issuesFromZod(id, parsed.error.issues))
      const tenantId = parsed.data
      const { importCsv: _, ...contacts } = bind(services.contacts, tenantId, run)
      const api: TenantApi = {
        tenantId,
        contacts: {
          ...contacts,
          ...bind(services.verification, tenantId, run),
          async import(source, importOptions) {
            if (typeof source === 'string') {
              const file = await openFile(source)
              return run(
                services.contacts.importCsv(tenantId, file.stream, {
                  totalBytes: file.size,
                  ...importOptions,
                }),
              )
            }
            if (
              source == null ||
              typeof (source as AsyncIterable<unknown>)[Symbol.asyncIterator] !== 'function'
            ) {
              throw validationFailed('import', [
                {
                  field: 'source',
                  value: source,
                  message: 'must be a file path or an async iterable of text chunks',
                },
              ])
            }
            return run(services.contacts.importCsv(tenantId, source, importOptions))
          },
        },
        interactions: bind(services.interactions, tenantId, run),
        consent: bind(services.consent, tenantId, run),
        campaigns: bind(services.campaigns, tenantId, run),
        cases: bind(services.cases, tenantId, run),
        agents: bind(services.agents, tenantId, run),
        sessions: bind(services.sessions, tenantId, run),
        dispositions: bind(services.dispositions, tenantId, run),
        callbacks: bind(services.callbacks, tenantId, run),
        recordings: bind(services.recordings, tenantId, run),
        desk: bind(services.desk, tenantId, run),
        locks: bind(services.locks, tenantId, run),
        scripts: bind(services.scripts, tenantId, run),
        lists: bind(services.lists, tenantId, run),
        segments: {
          ...bind(services.segments, tenantId, run),
          async *members(segment, memberOptions) {
            const o = checkArgument('segment members', MembersInput, memberOptions, 'options')
            if (!o.ok) throw o.error
            const batch = o.value?.batchSize ?? 500
            const at = o.value?.at ?? (await run(now))
            let after: Contact['id'] | undefined
            for (;;) {
              const page = await run(
                services.segments.preview(tenantId, segment, {
                  limit: batch,
                  at,
                  ...(after ? { after } : {}),
                }),
              )
              for (const c of page) yield c
              if (page.length < batch) return
              after = page[page.length - 1]!.id
            }
          },
        },
        rules: bind(services.rules, tenantId, run),
        events: {
          record: (type, payload) => run(services.events.record(tenantId, type, payload)),
          list: (listOptions) => run(services.events.list(tenantId, listOptions)),
          follow: (handler, followOptions) =>
            followEvents(runtime, services.events, tenantId, handler, followOptions),
        },
      }
      if (tenants.size < 10_000) tenants.set(id, api)
      return api
    },
    on: (event, handler) => bus.on(event, handler),
    idle: () => bus.idle(),
    storage,
    telephony,
    layer,
    runtime,
    run: (program) => run(program as Effect.Effect<never, unknown, never>),
    origin: settings.origin,
    outbox: {
      async drain() {
        let total = 0
        for (;;) {
          const n = await run(drainOnce)
          total += n
          if (n === 0) return total
        }
      },
    },
    async close() {
      if (processor) await runtime.runPromise(Fiber.interrupt(processor))
      await bus.idle()
      await runtime.dispose()
      await storage.close()
    },
  }
}
