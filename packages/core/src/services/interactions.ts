import { Context, Effect, Layer } from 'effect'
import { z } from 'zod'
import { Channel, Timestamp } from '../domain/common.js'
import { type NotFound, notFound, type ValidationFailed } from '../domain/errors.js'
import { AgentId, CampaignId, ContactId, InteractionId, newId, type TenantId } from '../domain/ids.js'
import { type Interaction, InteractionInput } from '../domain/interaction.js'
import type { Recording } from '../domain/recording.js'
import { EventLog, type WriteError } from './event-log.js'
import { attempt, invalid, now, parse, Storage, type StoreError, scopedStore } from './runtime.js'

const FindFilter = z.strictObject({
  campaignId: CampaignId.optional(),
  agentId: AgentId.optional(),
  contactId: ContactId.optional(),
  disposition: z.string().min(1).max(32).optional(),
  from: Timestamp.optional(),
  to: Timestamp.optional(),
  maxTalkSec: z.number().nonnegative().finite().optional(),
  open: z.boolean().optional(),
  channel: Channel.optional(),
  limit: z.number().int().min(1).max(1000).default(100),
  after: InteractionId.optional(),
})

export class Interactions extends Context.Service<
  Interactions,
  {
    /**
     * Logs a touchpoint on the contact's timeline (any channel). The campaign,
     * case and agent it names must exist in this tenant.
     * @example
     * ```ts
     * await acme.interactions.log({ contactId: contact.id, channel: 'note', direction: 'internal', body: 'Called back  twice.' })
     * ```
     */
    log(
      tenant: TenantId,
      input: InteractionInput,
    ): Effect.Effect<Interaction, ValidationFailed | NotFound | WriteError>
    get(
      tenant: TenantId,
      id: InteractionId,
    ): Effect.Effect<Interaction, NotFound | ValidationFailed | StoreError>
    /**
     * Interactions by campaign, agent, contact, code, time and talk time,
     * oldest first, each with its recordings: the supervisor's audit query.
     * @example
     * ```ts
     * // calls coded NO_INTEREST that lasted under 30 s, with their recordings
     * const short = await acme.interactions.find({ campaignId, disposition: 'NO_INTEREST', maxTalkSec: 30 })
     * for (const i of short) console.log(i.id, i.durations.talkSec, i.recordings.map((r) => r.uri))
     * ```
     */
    find(
      tenant: TenantId,
      filter: z.input<typeof FindFilter>,
    ): Effect.Effect<Array<Interaction & { readonly recordings: Recording[] }>, ValidationFailed | StoreError>
  }
>()('@switchboard/core/Interactions') {}

export const InteractionsLive = Layer.effect(
  Interactions,
  Effect.gen(function* () {
    const storage = yield* Storage
    const log = yield* EventLog
    return {
      log: (tenant, input) =>
        Effect.gen(function* () {
          const i = yield* parse('interaction', InteractionInput, input)
          const s = scopedStore(storage, tenant)
          const at = yield* now
          const startedAt = i.startedAt ?? at
          if (i.endedAt && i.endedAt < startedAt) {
            return yield* invalid('interaction', 'endedAt', i.endedAt, 'must not be before startedAt')
          }
          const [contact, campaign, kase, agent] = yield* Effect.all([
            attempt('contacts.get', () => s.contacts.get(i.contactId)),
            i.campaignId
              ? attempt('campaigns.get', () => s.campaigns.get(i.campaignId!))
              : Effect.succeed(undefined),
            i.caseId ? attempt('cases.get', () => s.cases.get(i.caseId!)) : Effect.succeed(undefined),
            i.agentId ? attempt('agents.get', () => s.agents.get(i.agentId!)) : Effect.succeed(undefined),
          ])
          if (!contact) return yield* Effect.fail(notFound('contact', i.contactId))
          // A merged contact's touchpoints go to its survivor.
          const contactId = contact.mergedInto ?? contact.id
          if (i.campaignId && !campaign)
            return yield* invalid(
              'interaction',
              'campaignId',
              i.campaignId,
              'no campaign with this id in this tenant',
            )
          if (i.caseId && !kase)
            return yield* invalid('interaction', 'caseId', i.caseId, 'no case with this id in this tenant')
          if (kase && kase.contactId !== contactId && kase.contactId !== contact.id) {
            return yield* invalid(
              'interaction',
              'caseId',
              i.caseId,
              `the case belongs to contact ${kase.contactId}, not ${contactId}`,
            )
          }
          if (i.agentId && !agent)
            return yield* invalid('interaction', 'agentId', i.agentId, 'no agent with this id in this tenant')
          if (
            campaign &&
            i.disposition &&
            campaign.dispositionCodes.length &&
            !campaign.dispositionCodes.includes(i.disposition)
          ) {
            return yield* invalid(
              'interaction',
              'disposition',
              i.disposition,
              `is not in the campaign's disposition set (${campaign.dispositionCodes.join(', ')})`,
            )
          }
          const interaction: Interaction = {
            ...i,
            contactId,
            id: newId('InteractionId') as InteractionId,
            tenantId: tenant,
            startedAt,
            durations: {
              ringSec: i.durations?.ringSec ?? 0,
              talkSec: i.durations?.talkSec ?? 0,
              holdSec: i.durations?.holdSec ?? 0,
              wrapSec: i.durations?.wrapSec ?? 0,
            },
            recordingIds: i.recordingIds ?? [],
            createdAt: at,
            updatedAt: at,
          }
          yield* log.write(tenant, 'interactions.insert', async (tx, emit) => {
            await tx.interactions.insert(interaction)
            await emit('interaction.logged', { tenantId: tenant, interaction })
          }) as Effect.Effect<void, WriteError>
          return interaction
        }),
      find: (tenant, filter) =>
        Effect.gen(function* () {
          const f = yield* parse('interaction filter', FindFilter, filter, 'filter')
          const s = scopedStore(storage, tenant)
          const rows = yield* attempt('interactions.find', () => s.interactions.find(f as never))
          const recs = yield* attempt('recordings.forInteractions', () =>
            rows.length ? s.recordings.forInteractions(rows.map((r) => r.id)) : Promise.resolve([]),
          )
          return rows.map((r) => ({ ...r, recordings: recs.filter((x) => x.interactionId === r.id) }))
        }),
      get: (tenant, id) =>
        Effect.gen(function* () {
          const iid = yield* parse('interaction', InteractionId, id, 'id')
          const found = yield* attempt('interactions.get', () =>
            scopedStore(storage, tenant).interactions.get(iid),
          )
          return found ?? (yield* Effect.fail(notFound('interaction', iid)))
        }),
    }
  }),
)
