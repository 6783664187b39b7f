import { Context, Effect, Layer } from 'effect'
import { z } from 'zod'
import { Timestamp } from '../domain/common.js'
import { type NotFound, notFound, type ValidationFailed } from '../domain/errors.js'
import { ContactId, InteractionId, newId, RecordingId, type TenantId } from '../domain/ids.js'
import type { Recording } from '../domain/recording.js'
import { EventLog, type WriteError } from './event-log.js'
import { attempt, now, parse, Storage, type StoreError, scopedStore } from './runtime.js'

const StartInput = z.strictObject({
  interactionId: InteractionId,
  callId: z.string().min(1).max(256).optional(),
  uri: z.string().min(1).max(2048),
  format: z.string().min(1).max(32).default('audio/wav'),
  startedAt: Timestamp.optional(),
  startedBy: z.enum(['policy', 'agent']).default('agent'),
})

const StopInput = z.strictObject({
  endedAt: Timestamp.optional(),
  durationSec: z.number().nonnegative().finite(),
  /** The final location, when the media server names it only at the end. */
  uri: z.string().min(1).max(2048).optional(),
})

/**
 * Recordings linked to interactions, playable from the contact's history:
 * where the media server wrote them and how long they are. The campaign
 * runtime records a start and a stop for each recording the telephony
 * backend makes (by policy, or on demand from the CRM screen).
 */
export class Recordings extends Context.Service<
  Recordings,
  {
    /**
     * Records that a recording started, and links it to the interaction.
     * @example
     * ```ts
     * const [call] = await acme.interactions.find({ contactId, channel: 'voice' })
     * const r = await acme.recordings.started({ interactionId: call!.id, uri: '/var/spool/rec/abc.pcap', format: 'pcap' })
     * await acme.recordings.stopped(r.id, { durationSec: 42.5 })
     * ```
     */
    started(
      tenant: TenantId,
      input: z.input<typeof StartInput>,
    ): Effect.Effect<Recording, ValidationFailed | NotFound | WriteError>
    stopped(
      tenant: TenantId,
      id: RecordingId,
      input: z.input<typeof StopInput>,
    ): Effect.Effect<Recording, ValidationFailed | NotFound | WriteError>
    get(tenant: TenantId, id: RecordingId): Effect.Effect<Recording, ValidationFailed | NotFound | StoreError>
    /** The contact's recordings, newest first (the player of the contact's history). */
    listByContact(
      tenant: TenantId,
      contactId: ContactId,
      page?: { readonly limit?: number },
    ): Effect.Effect<Recording[], ValidationFailed | StoreError>
    forInteraction(
      tenant: TenantId,
      interactionId: InteractionId,
    ): Effect.Effect<Recording[], ValidationFailed | StoreError>
  }
>()('@switchboard/core/Recordings') {}

export const RecordingsLive = Layer.effect(
  Recordings,
  Effect.gen(function* () {
    const storage = yield* Storage
    const log = yield* EventLog
    return {
      started: (tenant, input) =>
        Effect.gen(function* () {
          const i = yield* parse('recording', StartInput, input)
          const at = yield* now
          return (yield* log.write(tenant, 'recordings.start', async (tx, emit) => {
            const interaction = await tx.interactions.get(i.interactionId)
            if (!interaction) throw notFound('interaction', i.interactionId)
            const recording: Recording = {
              tenantId: tenant,
              id: newId('RecordingId') as RecordingId,
              interactionId: interaction.id,
              contactId: interaction.contactId,
              ...(interaction.campaignId ? { campaignId: interaction.campaignId } : {}),
              ...(interaction.agentId ? { agentId: interaction.agentId } : {}),
              ...(i.callId ? { callId: i.callId } : {}),
              uri: i.uri,
              format: i.format,
              startedAt: i.startedAt ?? at,
              startedBy: i.startedBy,
              createdAt: at,
              updatedAt: at,
            }
            await tx.recordings.insert(recording)
            const linked = {
              ...interaction,
              recordingIds: [...interaction.recordingIds, recording.id],
              updatedAt: at,
            }
            await tx.interactions.update(linked)
            await emit('recording.started', { tenantId: tenant, recording })
            return recording
          })) as Recording
        }) as Effect.Effect<Recording, ValidationFailed | NotFound | WriteError>,
      stopped: (tenant, idIn, input) =>
        Effect.gen(function* () {
          const id = yield* parse('recording', RecordingId, idIn, 'id')
          const i = yield* parse('recording', StopInput, input)
          const at = yield* now
          return (yield* log.write(tenant, 'recordings.stop', async (tx, emit) => {
            const r = await tx.recordings.get(id)
            if (!r) throw notFound('recording', id)
            const stopped: Recording = {
              ...r,
              endedAt: i.endedAt ?? at,
              durationSec: i.durationSec,
              ...(i.uri ? { uri: i.uri } : {}),
              updatedAt: at,
            }
            await tx.recordings.update(stopped)
            await emit('recording.stopped', { tenantId: tenant, recording: stopped })
            return stopped
          })) as Recording
        }) as Effect.Effect<Recording, ValidationFailed | NotFound | WriteError>,
      get: (tenant, idIn) =>
        Effect.gen(function* () {
          const id = yield* parse('recording', RecordingId, idIn, 'id')
          const r = yield* attempt('recordings.get', () => scopedStore(storage, tenant).recordings.get(id))
          return r ?? (yield* Effect.fail(notFound('recording', id)))
        }),
      listByContact: (tenant, contactIdIn, page) =>
        Effect.gen(function* () {
          const contactId = yield* parse('recordings', ContactId, contactIdIn, 'contactId')
          const p = yield* parse(
            'recordings',
            z.strictObject({ limit: z.number().int().min(1).max(1000).optional() }).optional(),
            page,
            'page',
          )
          return yield* attempt('recordings.listByContact', () =>
            scopedStore(storage, tenant).recordings.listByContact(contactId, (p ?? {}) as never),
          )
        }),
      forInteraction: (tenant, idIn) =>
        Effect.gen(function* () {
          const id = yield* parse('recordings', InteractionId, idIn, 'interactionId')
          return yield* attempt('recordings.forInteractions', () =>
            scopedStore(storage, tenant).recordings.forInteractions([id]),
          )
        }),
    }
  }),
)
