import { Context, Effect, Layer } from 'effect'
import type { InteractionId, TenantId } from '../domain/ids.js'
import { newId } from '../domain/ids.js'
import { Interaction, type InteractionInput } from '../domain/interaction.js'
import { issuesFromZod, type NotFound, notFound, type ValidationFailed, validationFailed } from '../errors.js'
import { attempt, Events, Storage, type StoreError, scopedStore } from './runtime.js'

export class Interactions extends Context.Service<
  Interactions,
  {
    /** Logs a touchpoint on the contact's timeline (any channel). */
    log(
      tenant: TenantId,
      input: InteractionInput,
    ): Effect.Effect<Interaction, ValidationFailed | NotFound | StoreError>
    get(tenant: TenantId, id: InteractionId): Effect.Effect<Interaction, NotFound | StoreError>
  }
>()('@switchboard/core/Interactions') {}

export const InteractionsLive = Layer.effect(
  Interactions,
  Effect.gen(function* () {
    const storage = yield* Storage
    const events = yield* Events
    return {
      log: (tenant, input) =>
        Effect.gen(function* () {
          const now = new Date()
          const candidate = {
            ...input,
            id: newId('InteractionId'),
            tenantId: tenant,
            startedAt: input.startedAt ?? now,
            durations: { ringSec: 0, talkSec: 0, holdSec: 0, wrapSec: 0, ...input.durations },
            recordingIds: input.recordingIds ?? [],
            createdAt: now,
            updatedAt: now,
          }
          const parsed = Interaction.safeParse(candidate)
          if (!parsed.success) {
            return yield* Effect.fail(
              validationFailed('interaction', issuesFromZod(candidate, parsed.error.issues)),
            )
          }
          const s = scopedStore(storage, tenant)
          const contact = yield* attempt('contacts.get', () => s.contacts.get(parsed.data.contactId))
          if (!contact) return yield* Effect.fail(notFound('contact', parsed.data.contactId))
          const interaction = contact.mergedInto
            ? { ...parsed.data, contactId: contact.mergedInto }
            : parsed.data
          yield* attempt('interactions.insert', () => s.interactions.insert(interaction))
          events.emit('interaction.logged', { tenantId: tenant, interaction })
          return interaction
        }),
      get: (tenant, id) =>
        Effect.flatMap(
          attempt('interactions.get', () => scopedStore(storage, tenant).interactions.get(id)),
          (i) => (i ? Effect.succeed(i) : Effect.fail(notFound('interaction', id))),
        ),
    }
  }),
)
