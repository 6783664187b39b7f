import { Context, Effect, Layer } from 'effect'
import { z } from 'zod'
import type { Campaign } from '../domain/campaign.js'
import { Timestamp } from '../domain/common.js'
import {
  type Conflict,
  conflict,
  type NotFound,
  notFound,
  type ValidationFailed,
  validationFailed,
} from '../domain/errors.js'
import { CampaignId, ContactId, type TenantId } from '../domain/ids.js'
import { Text } from '../domain/text.js'
import type { Lead, LeadClaim, LeadCounts } from '../plugins/storage.js'
import { EventLog, type WriteError } from './event-log.js'
import { attempt, now, parse, Storage, type StoreError, scopedStore } from './runtime.js'

const ContactIds = z
  .array(ContactId, { error: 'must be an array of contact ids (not a single id or a string)' })
  .min(1, 'name at least one contact')
  .max(10_000, 'at most 10,000 contacts per call')
const Worker = z.string().min(1, 'name the dialer worker that claims (it is recorded on the lead)').max(128)

const EnqueueOptions = z
  .strictObject({
    priority: z.number().int().min(-1_000_000).max(1_000_000).optional(),
    notBefore: Timestamp.optional(),
    listId: z.string().min(1).max(128).optional(),
  })
  .optional()
const ClaimInput = z.strictObject({
  worker: Worker,
  limit: z.number().int().min(1, 'must be at least 1').max(1000),
  now: Timestamp.optional(),
})
const CompleteInput = z.strictObject({ worker: Worker, outcome: z.string().min(1).max(64).optional() })
const ReleaseInput = z.strictObject({ worker: Worker, notBefore: Timestamp.optional() })

/**
 * Campaign dialing lists, filled from the CRM and handed out to dialer
 * workers. Claims are atomic across processes (the backend's job, proven by
 * the conformance suite); a suppressed contact is never claimed again.
 * Leads are claimed only from an active campaign.
 */
export class DialingLists extends Context.Service<
  DialingLists,
  {
    /** Puts contacts of this tenant on a campaign's list (already listed ones are left as they are). */
    enqueue(
      tenant: TenantId,
      campaignId: CampaignId,
      contactIds: ReadonlyArray<ContactId>,
      /** `listId` names the list (an import) for reports by list. */
      options?: { readonly priority?: number; readonly notBefore?: Date; readonly listId?: string },
    ): Effect.Effect<number, NotFound | ValidationFailed | Conflict | StoreError>
    claim(
      tenant: TenantId,
      campaignId: CampaignId,
      claim: LeadClaim,
    ): Effect.Effect<Lead[], NotFound | ValidationFailed | Conflict | StoreError>
    complete(
      tenant: TenantId,
      campaignId: CampaignId,
      contactIds: ReadonlyArray<ContactId>,
      options: { readonly worker: string; readonly outcome?: string },
    ): Effect.Effect<number, ValidationFailed | StoreError>
    release(
      tenant: TenantId,
      campaignId: CampaignId,
      contactIds: ReadonlyArray<ContactId>,
      options: { readonly worker: string; readonly notBefore?: Date },
    ): Effect.Effect<number, ValidationFailed | StoreError>
    counts(
      tenant: TenantId,
      campaignId: CampaignId,
    ): Effect.Effect<LeadCounts, NotFound | ValidationFailed | StoreError>
    /** The contact's lead on the campaign's list (status, attempts, next time), or undefined. */
    get(
      tenant: TenantId,
      campaignId: CampaignId,
      contactId: ContactId,
    ): Effect.Effect<Lead | undefined, NotFound | ValidationFailed | StoreError>
    /** Takes a contact off every list now (it paid, it complained): no claim returns it once this resolves. */
    suppress(
      tenant: TenantId,
      contactId: ContactId,
      reason: string,
    ): Effect.Effect<number, NotFound | ValidationFailed | WriteError>
  }
>()('@switchboard/core/DialingLists') {}

export const DialingListsLive = Layer.effect(
  DialingLists,
  Effect.gen(function* () {
    const storage = yield* Storage
    const log = yield* EventLog
    const store = (tenant: TenantId) => scopedStore(storage, tenant)
    const campaignOf = (tenant: TenantId, id: unknown) =>
      Effect.gen(function* () {
        const cid = yield* parse('dialing list', CampaignId, id, 'campaignId')
        const c = yield* attempt('campaigns.get', () => store(tenant).campaigns.get(cid))
        return c ?? (yield* Effect.fail(notFound('campaign', cid)))
      })
    const lifecycle = (c: Campaign, action: string, allowed: ReadonlyArray<Campaign['status']>) =>
      allowed.includes(c.status)
        ? Effect.void
        : Effect.fail(
            conflict(
              'campaign',
              `${c.id} is ${c.status}: cannot ${action}${c.status === 'draft' ? "; activate it with campaigns.setStatus(id, 'active')" : ''}`,
            ),
          )
    return {
      enqueue: (tenant, campaignId, contactIds, options) =>
        Effect.gen(function* () {
          const campaign = yield* campaignOf(tenant, campaignId)
          const ids = yield* parse('dialing list', ContactIds, contactIds, 'contactIds')
          const opts = yield* parse('dialing list', EnqueueOptions, options, 'options')
          yield* lifecycle(campaign, 'add leads', ['draft', 'active', 'paused'])
          const found = yield* attempt('contacts.getMany', () =>
            store(tenant).contacts.getMany([...new Set(ids)]),
          )
          const live = new Map(found.map((c) => [c.id as string, c]))
          const issues = ids.flatMap((id, i) => {
            const c = live.get(id)
            if (!c)
              return [
                { field: `contactIds[${i}]`, value: id, message: 'no contact with this id in this tenant' },
              ]
            if (c.mergedInto)
              return [
                {
                  field: `contactIds[${i}]`,
                  value: id,
                  message: `was merged into ${c.mergedInto}; enqueue that one`,
                },
              ]
            return []
          })
          if (issues.length) return yield* Effect.fail(validationFailed('dialing list', issues))
          return yield* attempt('leads.enqueue', () =>
            store(tenant).leads.enqueue(campaign.id, ids, {
              ...(opts?.priority !== undefined ? { priority: opts.priority } : {}),
              ...(opts?.notBefore ? { notBefore: opts.notBefore } : {}),
              ...(opts?.listId ? { listId: opts.listId } : {}),
            }),
          )
        }),
      claim: (tenant, campaignId, claim) =>
        Effect.gen(function* () {
          const campaign = yield* campaignOf(tenant, campaignId)
          const c = yield* parse('lead claim', ClaimInput, claim)
          yield* lifecycle(campaign, 'hand out leads', ['active'])
          const at = c.now ?? (yield* now)
          return yield* attempt('leads.claim', () =>
            store(tenant).leads.claim(campaign.id, { worker: c.worker, limit: c.limit, now: at }),
          )
        }),
      complete: (tenant, campaignId, contactIds, options) =>
        Effect.gen(function* () {
          const cid = yield* parse('dialing list', CampaignId, campaignId, 'campaignId')
          const ids = yield* parse('dialing list', ContactIds, contactIds, 'contactIds')
          const o = yield* parse('dialing list', CompleteInput, options, 'options')
          return yield* attempt('leads.complete', () =>
            store(tenant).leads.complete(cid, ids, {
              worker: o.worker,
              ...(o.outcome ? { outcome: o.outcome } : {}),
            }),
          )
        }),
      release: (tenant, campaignId, contactIds, options) =>
        Effect.gen(function* () {
          const cid = yield* parse('dialing list', CampaignId, campaignId, 'campaignId')
          const ids = yield* parse('dialing list', ContactIds, contactIds, 'contactIds')
          const o = yield* parse('dialing list', ReleaseInput, options, 'options')
          return yield* attempt('leads.release', () =>
            store(tenant).leads.release(cid, ids, {
              worker: o.worker,
              ...(o.notBefore ? { notBefore: o.notBefore } : {}),
            }),
          )
        }),
      counts: (tenant, campaignId) =>
        Effect.gen(function* () {
          const campaign = yield* campaignOf(tenant, campaignId)
          return yield* attempt('leads.counts', () => store(tenant).leads.counts(campaign.id))
        }),
      get: (tenant, campaignId, contactId) =>
        Effect.gen(function* () {
          const campaign = yield* campaignOf(tenant, campaignId)
          const id = yield* parse('dialing list', ContactId, contactId, 'contactId')
          return yield* attempt('leads.get', () => store(tenant).leads.get(campaign.id, id))
        }),
      suppress: (tenant, contactId, reason) =>
        Effect.gen(function* () {
          const id = yield* parse('suppression', ContactId, contactId, 'contactId')
          const why = yield* parse('suppression', Text.label, reason, 'reason')
          const contact = yield* attempt('contacts.get', () => store(tenant).contacts.get(id))
          if (!contact) return yield* Effect.fail(notFound('contact', id))
          return yield* log.write(tenant, 'leads.suppressContact', async (tx, emit) => {
            const suppressed = await tx.leads.suppressContact(id, why)
            await emit('leads.suppressed', { tenantId: tenant, contactId: id, reason: why, suppressed })
            return suppressed
          }) as Effect.Effect<number, WriteError>
        }),
    }
  }),
)
