import { Context, Effect, Layer } from 'effect'
import { CAMPAIGN_TRANSITIONS, Campaign, CampaignInput, CampaignStatus } from '../domain/campaign.js'
import { type Conflict, conflict, type NotFound, notFound, type ValidationFailed } from '../domain/errors.js'
import { CampaignId, newId, type TenantId } from '../domain/ids.js'
import { ALL_PURPOSES, purposeKey } from '../domain/purpose.js'
import { regimes } from '../domain/regime.js'
import type { Page } from '../plugins/storage.js'
import { Consent } from './consent.js'
import { EventLog, type WriteError } from './event-log.js'
import { attempt, invalid, now, PageInput, parse, Storage, type StoreError, scopedStore } from './runtime.js'

export class Campaigns extends Context.Service<
  Campaigns,
  {
    /**
     * Creates a campaign, as a draft. Its purpose must be one of the tenant's declared purposes.
     * @example
     * ```ts
     * const c = await acme.campaigns.create({ name: 'Renewals', kind: 'telemarketing',
     *   dialMode: { mode: 'predictive' }, regime: 'US', consentPurpose: 'marketing' })
     * await acme.campaigns.setStatus(c.id, 'active')
     * ```
     */
    create(tenant: TenantId, input: CampaignInput): Effect.Effect<Campaign, ValidationFailed | WriteError>
    get(tenant: TenantId, id: CampaignId): Effect.Effect<Campaign, NotFound | ValidationFailed | StoreError>
    list(
      tenant: TenantId,
      page?: { limit?: number; after?: string },
    ): Effect.Effect<Campaign[], ValidationFailed | StoreError>
    /**
     * Moves the campaign along its lifecycle: draft -> active <-> paused -> completed
     * (completed is final). Publishes `campaign.status_changed`.
     */
    setStatus(
      tenant: TenantId,
      id: CampaignId,
      status: Campaign['status'],
    ): Effect.Effect<Campaign, NotFound | ValidationFailed | Conflict | StoreError>
  }
>()('@switchboard/core/Campaigns') {}

export const CampaignsLive = Layer.effect(
  Campaigns,
  Effect.gen(function* () {
    const storage = yield* Storage
    const log = yield* EventLog
    const consent = yield* Consent
    const load = (tenant: TenantId, id: CampaignId) =>
      Effect.flatMap(
        attempt('campaigns.get', () => scopedStore(storage, tenant).campaigns.get(id)),
        (c) => (c ? Effect.succeed(c) : Effect.fail(notFound('campaign', id))),
      )
    const get = (tenant: TenantId, id: unknown) =>
      Effect.flatMap(parse('campaign', CampaignId, id, 'id'), (cid) => load(tenant, cid))
    return {
      create: (tenant, input) =>
        Effect.gen(function* () {
          const c = yield* parse('campaign', CampaignInput, input)
          if (c.consentPurpose === ALL_PURPOSES) {
            return yield* invalid(
              'campaign',
              'consentPurpose',
              c.consentPurpose,
              'a campaign needs one declared purpose, not "*"',
            )
          }
          const declared = yield* consent.purposes(tenant)
          const purpose = declared.find((p) => p.key === purposeKey(c.consentPurpose))
          if (!purpose) {
            return yield* invalid(
              'campaign',
              'consentPurpose',
              c.consentPurpose,
              `is not a declared purpose of this tenant (declared: ${declared.map((p) => p.name).join(', ')})`,
            )
          }
          const at = yield* now
          const campaign: Campaign = yield* parse('campaign', Campaign, {
            ...c,
            regime: typeof c.regime === 'string' ? regimes[c.regime] : c.regime,
            consentPurpose: purpose.key,
            id: newId('CampaignId'),
            tenantId: tenant,
            status: 'draft',
            createdAt: at,
            updatedAt: at,
          })
          yield* log.write(tenant, 'campaigns.insert', async (tx, emit) => {
            await tx.campaigns.insert(campaign)
            await emit('campaign.created', { tenantId: tenant, campaign })
          }) as Effect.Effect<void, WriteError>
          return campaign
        }),
      get,
      list: (tenant, page) =>
        Effect.gen(function* () {
          const p = yield* parse('campaign list', PageInput, page, 'page')
          return yield* attempt('campaigns.list', () =>
            scopedStore(storage, tenant).campaigns.list((p ?? {}) as Page),
          )
        }),
      setStatus: (tenant, id, status) =>
        Effect.gen(function* () {
          const current = yield* get(tenant, id)
          const to = yield* parse('campaign status', CampaignStatus, status, 'status')
          if (to === current.status) return current
          if (!CAMPAIGN_TRANSITIONS[current.status].includes(to)) {
            const allowed = CAMPAIGN_TRANSITIONS[current.status]
            return yield* Effect.fail(
              conflict(
                'campaign',
                `${current.id} is ${current.status} and cannot become ${to}${
                  allowed.length
                    ? ` (from ${current.status}: ${allowed.join(' or ')})`
                    : ` (${current.status} is final)`
                }`,
              ),
            )
          }
          const next: Campaign = { ...current, status: to, updatedAt: yield* now }
          yield* log.write(tenant, 'campaigns.update', async (tx, emit) => {
            await tx.campaigns.update(next)
            await emit('campaign.status_changed', {
              tenantId: tenant,
              campaign: next,
              from: current.status,
              to,
            })
          }) as Effect.Effect<void, WriteError>
          return next
        }),
    }
  }),
)
