import { Context, Effect, Layer } from 'effect'
import { z } from 'zod'
import {
  type Conflict,
  type SwitchboardError,
  type ValidationFailed,
  validationFailed,
} from '../domain/errors.js'
import { EventId, type TenantId } from '../domain/ids.js'
import { EventType, type StoredEvent } from '../domain/rule.js'
import type { EventMap } from '../events.js'
import type { TenantStore } from '../plugins/storage.js'
import { emitInTransaction, type Published } from '../rules/engine.js'
import { Settings } from './config.js'
import { attempt, attemptAny, Events, now, parse, Storage, type StoreError, scopedStore } from './runtime.js'

/**
 * What a write through the log can fail with: the store's errors, and a
 * `Conflict` when the rules its events set off loop (or a rule's write takes a
 * unique key).
 */
export type WriteError = StoreError | Conflict

/** What a store write can fail with: core's errors except a script's refused answer (no store call makes one). */
type StoreWriteError = Exclude<SwitchboardError, { readonly _tag: 'ScriptAnswerRefused' }>

/** Records an event in the current write's transaction (and fires the rules that listen to it there). */
export type Emit = <K extends keyof EventMap>(type: K, payload: EventMap[K]) => Promise<StoredEvent>

/** Events core's own services emit: a host cannot record these by hand. */
export const CORE_EVENTS: ReadonlySet<string> = new Set([
  'contact.created',
  'contact.updated',
  'contact.merged',
  'consent.changed',
  'consent.purpose_declared',
  'dnc.added',
  'dnc.removed',
  'interaction.logged',
  'case.created',
  'case.escalated',
  'case.status_changed',
  'campaign.created',
  'campaign.status_changed',
  'agent.created',
  'leads.suppressed',
  'callback.scheduled',
  'callback.moved',
  'callback.cancelled',
  'callback.done',
  'disposition.defined',
  'interaction.disposed',
  'interaction.updated',
  'recording.started',
  'recording.stopped',
  'agent.logged_in',
  'agent.state_changed',
  'agent.logged_out',
  'import.completed',
  'handler.failed',
  'lock.acquired',
  'lock.released',
])

const ListInput = z
  .strictObject({
    after: EventId.optional(),
    since: z.date().optional(),
    types: z.array(EventType).max(100).optional(),
    limit: z.number().int().min(1).max(1000).default(100),
  })
  .default({ limit: 100 })

/**
 * The durable event log. Every write of core's services goes through
 * `write`: its events are recorded in the same transaction (so other
 * processes can follow them, see `list`), the rules listening to them act in
 * that transaction too, and once it commits they are published on the
 * in-process bus. Hosts and plugins record their own events (a payment)
 * with `record`.
 */
export class EventLog extends Context.Service<
  EventLog,
  {
    write<A>(
      tenant: TenantId,
      operation: string,
      fn: (tx: TenantStore, emit: Emit) => Promise<A>,
    ): Effect.Effect<A, StoreWriteError>
    /**
     * Records an event a plugin declared (`payment.recorded`), checked against
     * the plugin's schema, and runs the rules on it, all in one transaction.
     */
    record(tenant: TenantId, type: string, payload: unknown): Effect.Effect<StoredEvent, StoreWriteError>
    /** The tenant's recorded events after a cursor, oldest first. */
    list(
      tenant: TenantId,
      options?: {
        readonly after?: string
        readonly since?: Date
        readonly types?: ReadonlyArray<string>
        readonly limit?: number
      },
    ): Effect.Effect<StoredEvent[], ValidationFailed | StoreError>
  }
>()('@switchboard/core/EventLog') {}

export const EventLogLive = Layer.effect(
  EventLog,
  Effect.gen(function* () {
    const storage = yield* Storage
    const bus = yield* Events
    const settings = yield* Settings
    const write = <A>(tenant: TenantId, operation: string, fn: (tx: TenantStore, emit: Emit) => Promise<A>) =>
      Effect.gen(function* () {
        const at = yield* now
        let published: Published = []
        const result = yield* attemptAny(operation, () =>
          scopedStore(storage, tenant).transaction(async (tx) => {
            published = []
            const ctx = { tenantId: tenant, tx, now: at, settings, published }
            return fn(tx, (type, payload) => emitInTransaction(ctx, type, payload))
          }),
        ) as Effect.Effect<A, StoreWriteError>
        for (const [type, payload] of published) bus.publish(type, payload as never)
        return result
      })
    return {
      write,
      record: (tenant, type, payload) =>
        Effect.gen(function* () {
          const name = yield* parse('event', EventType, type, 'type')
          const schema = settings.eventSchemas.get(name)
          if (!schema) {
            const why = CORE_EVENTS.has(name)
              ? "is one of core's own events: core's services emit it"
              : `is not an event a plugin declared (declared: ${[...settings.eventSchemas.keys()].join(', ') || 'none'}); declare it in a plugin's \`events\``
            return yield* Effect.fail(
              validationFailed('event', [{ field: 'type', value: type, message: why }]),
            )
          }
          const body = yield* parse('event', schema, payload, 'payload')
          const contactId = (body as { contactId?: string }).contactId
          if (contactId !== undefined) {
            const c = yield* attempt('contacts.get', () =>
              scopedStore(storage, tenant).contacts.get(contactId as never),
            )
            if (!c)
              return yield* Effect.fail(
                validationFailed('event', [
                  {
                    field: 'payload.contactId',
                    value: contactId,
                    message: 'no contact with this id in this tenant',
                  },
                ]),
              )
          }
          const event = yield* write(tenant, 'events.record', (_tx, emit) =>
            emit(name as never, { ...(body as object), tenantId: tenant } as never),
          )
          return event
        }),
      list: (tenant, options) =>
        Effect.gen(function* () {
          const o = yield* parse('event list', ListInput, options, 'options')
          return yield* attempt('events.list', () =>
            scopedStore(storage, tenant).events.list({
              limit: o.limit,
              ...(o.after ? { after: o.after } : {}),
              ...(o.since ? { since: o.since } : {}),
              ...(o.types ? { types: o.types } : {}),
            }),
          )
        }),
    }
  }),
)
