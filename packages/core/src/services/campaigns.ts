import { Context, Effect, Layer } from 'effect'
import { regimes } from '../consent/regimes.js'
import { Campaign, type CampaignInput } from '../domain/campaign.js'
import type { CampaignId, TenantId } from '../domain/ids.js'
import { newId } from '../domain/ids.js'
import { issuesFromZod, type NotFound, notFound, type ValidationFailed, validationFailed } from '../errors.js'
import { attempt, Events, Storage, type StoreError, scopedStore } from './runtime.js'

export class Campaigns extends Context.Service<
  Campaigns,
  {
    create(tenant: TenantId, input: CampaignInput): Effect.Effect<Campaign, ValidationFailed | StoreError>
    get(tenant: TenantId, id: CampaignId): Effect.Effect<Campaign, NotFound | StoreError>
    list(tenant: TenantId): Effect.Effect<Campaign[], StoreError>
    setStatus(
      tenant: TenantId,
      id: CampaignId,
      status: Campaign['status'],
    ): Effect.Effect<Campaign, NotFound | StoreError>
  }
>()('@switchboard/core/Campaigns') {}

export const CampaignsLive = Layer.effect(
  Campaigns,
  Effect.gen(function* () {
    const storage = yield* Storage
    const events = yield* Events
    const get = (tenant: TenantId, id: CampaignId) =>
      Effect.flatMap(
        attempt('campaigns.get', () => scopedStore(storage, tenant).campaigns.get(id)),
        (c) => (c ? Effect.succeed(c) : Effect.fail(notFound('campaign', id))),
      )
    return {
      create: (tenant, input) =>
        Effect.gen(function* () {
          const now = new Date()
          const candidate = {
            status: 'draft',
            listSources: [],
            dispositionCodes: [],
            answeringMachine: 'hangup',
            attempts: { max: 3, retry: [] },
            ...input,
            regime: typeof input.regime === 'string' ? regimes[input.regime] : input.regime,
            id: newId('CampaignId'),
            tenantId: tenant,
            createdAt: now,
            updatedAt: now,
          }
          const parsed = Campaign.safeParse(candidate)
          if (!parsed.success) {
            return yield* Effect.fail(
              validationFailed('campaign', issuesFromZod(candidate, parsed.error.issues)),
            )
          }
          yield* attempt('campaigns.insert', () => scopedStore(storage, tenant).campaigns.insert(parsed.data))
          events.emit('campaign.created', { tenantId: tenant, campaign: parsed.data })
          return parsed.data
        }),
      get,
      list: (tenant) => attempt('campaigns.list', () => scopedStore(storage, tenant).campaigns.list()),
      setStatus: (tenant, id, status) =>
        Effect.gen(function* () {
          const next = { ...(yield* get(tenant, id)), status, updatedAt: new Date() }
          yield* attempt('campaigns.update', () => scopedStore(storage, tenant).campaigns.update(next))
          return next
        }),
    }
  }),
)
