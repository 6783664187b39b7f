import { Context, Effect, Layer } from 'effect'
import { z } from 'zod'
import {
  type Callback,
  CallbackAgentPolicy,
  CallbackInput,
  CallbackMove,
  CallbackStatus,
  LocalDateTime,
} from '../domain/callback.js'
import { Timestamp, TimeZone } from '../domain/common.js'
import {
  type Conflict,
  conflict,
  type NotFound,
  notFound,
  type ValidationFailed,
  validationFailed,
} from '../domain/errors.js'
import { AgentId, CallbackId, CampaignId, ContactId, newId, type TenantId } from '../domain/ids.js'
import { Text } from '../domain/text.js'
import { localTime, zonedInstant } from '../domain/time.js'
import type { TenantStore } from '../plugins/storage.js'
import { type Emit, EventLog, type WriteError } from './event-log.js'
import { attempt, now, parse, Storage, type StoreError, scopedStore } from './runtime.js'

/** When a callback is due, as a disposition books it: a wall-clock time in the contact's zone or an instant. */
export const CallbackTime = z
  .strictObject({
    localTime: LocalDateTime.optional(),
    dueAt: Timestamp.optional(),
    timeZone: TimeZone.optional(),
    /** Absent: the agent who coded the call. `null`: any agent. */
    agentId: AgentId.nullable().optional(),
    ifAgentAway: CallbackAgentPolicy.optional(),
    note: Text.long.optional(),
  })
  .refine((c) => (c.localTime === undefined) !== (c.dueAt === undefined), {
    message: 'give exactly one of localTime (in the contact zone) or dueAt (an instant)',
    path: ['localTime'],
  })

const CallbackListFilter = z
  .strictObject({
    campaignId: CampaignId.optional(),
    contactId: ContactId.optional(),
    agentId: AgentId.optional(),
    status: z.array(CallbackStatus).max(5).optional(),
    dueBefore: Timestamp.optional(),
    limit: z.number().int().min(1).max(1000).optional(),
  })
  .default({})

/** Leads of due callbacks are claimed before the rest of the list. */
export const CALLBACK_PRIORITY = 1_000

type BookInput = {
  readonly contactId: ContactId
  readonly campaignId: CampaignId
  readonly agentId?: AgentId | null | undefined
  readonly localTime?: string | undefined
  readonly dueAt?: Date | undefined
  readonly timeZone?: string | undefined
  readonly ifAgentAway?: 'wait' | 'anyone' | undefined
  readonly note?: string | undefined
}

/** The due instant and the local time as booked, in the zone given or the contact's. */
function resolveTime(
  input: { readonly localTime?: string | undefined; readonly dueAt?: Date | undefined },
  zone: string,
): { dueAt: Date; localTime: string } {
  if (input.localTime !== undefined) {
    const dueAt = zonedInstant(input.localTime, zone)
    if (!dueAt)
      throw validationFailed('callback', [
        { field: 'timeZone', value: zone, message: 'is not a time zone Intl knows' },
      ])
    return { dueAt, localTime: input.localTime }
  }
  const dueAt = input.dueAt!
  const lt = localTime(dueAt, zone)
  return { dueAt, localTime: lt ? `${lt.date}T${lt.hhmm}` : dueAt.toISOString().slice(0, 16) }
}

/**
 * Books a callback inside the caller's transaction: one per contact and
 * campaign (a second is a Conflict: move the first), the lead scheduled for
 * the due time ahead of the list, `callback.scheduled` recorded.
 */
export async function bookInTransaction(
  tx: TenantStore,
  emit: Emit,
  o: { readonly tenant: TenantId; readonly at: Date; readonly input: BookInput },
): Promise<Callback> {
  const { tenant, at, input } = o
  const [contact, campaign] = await Promise.all([
    tx.contacts.get(input.contactId),
    tx.campaigns.get(input.campaignId),
  ])
  if (!contact) throw notFound('contact', input.contactId)
  if (!campaign) throw notFound('campaign', input.campaignId)
  if (input.agentId && !(await tx.agents.get(input.agentId))) throw notFound('agent', input.agentId)
  const zone = input.timeZone ?? contact.timeZone
  if (!zone)
    throw validationFailed('callback', [
      { field: 'timeZone', value: undefined, message: 'the contact has no time zone: give timeZone' },
    ])
  const { dueAt, localTime: local } = resolveTime(input, zone)
  if (dueAt.getTime() < at.getTime() - 60_000)
    throw validationFailed('callback', [
      {
        field: input.localTime ? 'localTime' : 'dueAt',
        value: input.localTime ?? dueAt,
        message: `is in the past (now is ${at.toISOString()})`,
      },
    ])
  const existing = await tx.callbacks.active(campaign.id, contact.id)
  if (existing)
    throw conflict(
      'callback',
      `contact ${contact.id} already has callback ${existing.id} on this campaign at ${existing.localTime} (${existing.timeZone}): move it instead`,
    )
  const callback: Callback = {
    tenantId: tenant,
    id: newId('CallbackId') as CallbackId,
    contactId: contact.id,
    campaignId: campaign.id,
    ...(input.agentId ? { agentId: input.agentId } : {}),
    dueAt,
    timeZone: zone,
    localTime: local,
    ifAgentAway: input.ifAgentAway ?? 'anyone',
    status: 'scheduled',
    ...(input.note ? { note: input.note } : {}),
    createdAt: at,
    updatedAt: at,
  }
  await tx.callbacks.insert(callback)
  await tx.leads.schedule(campaign.id, contact.id, { notBefore: dueAt, priority: CALLBACK_PRIORITY })
  await emit('callback.scheduled', { tenantId: tenant, callback })
  return callback
}

/**
 * Callbacks: booked in the contact's zone for one agent or any, dialled on
 * time by the campaign runner (which reserves the owning agent first), never
 * entered twice, moved or cancelled by the agent.
 */
export class Callbacks extends Context.Service<
  Callbacks,
  {
    /**
     * Books a callback. `localTime` is read in the contact's zone.
     * @example
     * ```ts
     * const [ana] = await acme.agents.list({ limit: 1 })
     * await acme.callbacks.book({ contactId, campaignId, localTime: '2026-03-12T10:00', agentId: ana?.id })
     * ```
     */
    book(
      tenant: TenantId,
      input: CallbackInput,
    ): Effect.Effect<Callback, ValidationFailed | NotFound | Conflict | WriteError>
    /** A new time, agent or note for a scheduled callback. */
    move(
      tenant: TenantId,
      id: CallbackId,
      change: CallbackMove,
    ): Effect.Effect<Callback, ValidationFailed | NotFound | Conflict | WriteError>
    cancel(
      tenant: TenantId,
      id: CallbackId,
    ): Effect.Effect<Callback, ValidationFailed | NotFound | Conflict | WriteError>
    get(tenant: TenantId, id: CallbackId): Effect.Effect<Callback, ValidationFailed | NotFound | StoreError>
    list(
      tenant: TenantId,
      filter?: z.input<typeof CallbackListFilter>,
    ): Effect.Effect<Callback[], ValidationFailed | StoreError>
  }
>()('@switchboard/core/Callbacks') {}

export const CallbacksLive = Layer.effect(
  Callbacks,
  Effect.gen(function* () {
    const storage = yield* Storage
    const log = yield* EventLog
    const load = async (tx: TenantStore, id: CallbackId) => {
      const c = await tx.callbacks.get(id)
      if (!c) throw notFound('callback', id)
      return c
    }
    return {
      book: (tenant, input) =>
        Effect.gen(function* () {
          const c = yield* parse('callback', CallbackInput, input)
          const at = yield* now
          return (yield* log.write(tenant, 'callbacks.book', (tx, emit) =>
            bookInTransaction(tx, emit, { tenant, at, input: c }),
          )) as Callback
        }) as Effect.Effect<Callback, ValidationFailed | NotFound | Conflict | WriteError>,
      move: (tenant, idIn, change) =>
        Effect.gen(function* () {
          const id = yield* parse('callback', CallbackId, idIn, 'id')
          const m = yield* parse('callback move', CallbackMove, change)
          const at = yield* now
          return (yield* log.write(tenant, 'callbacks.move', async (tx, emit) => {
            const previous = await load(tx, id)
            if (previous.status !== 'scheduled')
              throw conflict(
                'callback',
                `callback ${id} is ${previous.status}: only a scheduled one can be moved`,
              )
            if (m.agentId && !(await tx.agents.get(m.agentId))) throw notFound('agent', m.agentId)
            const time =
              m.localTime !== undefined || m.dueAt !== undefined
                ? resolveTime(m, previous.timeZone)
                : { dueAt: previous.dueAt, localTime: previous.localTime }
            const { agentId: _a, ...rest } = previous
            const agentId = m.agentId === undefined ? previous.agentId : (m.agentId ?? undefined)
            const moved: Callback = {
              ...rest,
              ...time,
              ...(agentId ? { agentId } : {}),
              ...(m.ifAgentAway ? { ifAgentAway: m.ifAgentAway } : {}),
              ...(m.note !== undefined ? { note: m.note } : {}),
              updatedAt: at,
            }
            await tx.callbacks.update(moved)
            await tx.leads.schedule(moved.campaignId, moved.contactId, {
              notBefore: moved.dueAt,
              priority: CALLBACK_PRIORITY,
            })
            await emit('callback.moved', { tenantId: tenant, callback: moved, previous })
            return moved
          })) as Callback
        }) as Effect.Effect<Callback, ValidationFailed | NotFound | Conflict | WriteError>,
      cancel: (tenant, idIn) =>
        Effect.gen(function* () {
          const id = yield* parse('callback', CallbackId, idIn, 'id')
          const at = yield* now
          return (yield* log.write(tenant, 'callbacks.cancel', async (tx, emit) => {
            const c = await load(tx, id)
            if (c.status !== 'scheduled')
              throw conflict(
                'callback',
                `callback ${id} is ${c.status}: only a scheduled one can be cancelled`,
              )
            const cancelled: Callback = { ...c, status: 'cancelled', updatedAt: at }
            await tx.callbacks.update(cancelled)
            // The lead goes back to the list's normal order, but not before the time the
            // contact agreed to: dialling at once, minutes after the call that booked it,
            // is the call they asked not to get.
            const notBefore = c.dueAt.getTime() > at.getTime() ? c.dueAt : at
            await tx.leads.schedule(c.campaignId, c.contactId, { notBefore, priority: 0 })
            await emit('callback.cancelled', { tenantId: tenant, callback: cancelled })
            return cancelled
          })) as Callback
        }) as Effect.Effect<Callback, ValidationFailed | NotFound | Conflict | WriteError>,
      get: (tenant, idIn) =>
        Effect.gen(function* () {
          const id = yield* parse('callback', CallbackId, idIn, 'id')
          const c = yield* attempt('callbacks.get', () => scopedStore(storage, tenant).callbacks.get(id))
          return c ?? (yield* Effect.fail(notFound('callback', id)))
        }),
      list: (tenant, filter) =>
        Effect.gen(function* () {
          const f = yield* parse('callbacks', CallbackListFilter, filter, 'filter')
          return yield* attempt('callbacks.list', () =>
            scopedStore(storage, tenant).callbacks.list(f as never),
          )
        }),
    }
  }),
)
