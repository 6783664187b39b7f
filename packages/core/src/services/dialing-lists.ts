import { Context, Effect, Layer } from 'effect'
import type { CampaignId, ContactId, TenantId } from '../domain/ids.js'
import { type NotFound, notFound } from '../errors.js'
import type { Lead, LeadClaim, LeadCounts } from '../plugins/storage.js'
import { attempt, Storage, type StoreError, scopedStore } from './runtime.js'

/**
 * Campaign dialing lists, filled from the CRM and handed out to dialer
 * workers. Claims are atomic across processes (the backend's job, proven by
 * the conformance suite); a suppressed contact is never claimed again.
 */
export class DialingLists extends Context.Service<
  DialingLists,
  {
    /** Puts contacts on a campaign's list (already listed ones are left as they are). */
    enqueue(
      tenant: TenantId,
      campaignId: CampaignId,
      contactIds: ReadonlyArray<ContactId>,
      options?: { readonly priority?: number; readonly notBefore?: Date },
    ): Effect.Effect<number, NotFound | StoreError>
    claim(tenant: TenantId, campaignId: CampaignId, claim: LeadClaim): Effect.Effect<Lead[], StoreError>
    complete(
      tenant: TenantId,
      campaignId: CampaignId,
      contactIds: ReadonlyArray<ContactId>,
      options: { readonly worker: string; readonly outcome?: string },
    ): Effect.Effect<number, StoreError>
    release(
      tenant: TenantId,
      campaignId: CampaignId,
      contactIds: ReadonlyArray<ContactId>,
      options: { readonly worker: string; readonly notBefore?: Date },
    ): Effect.Effect<number, StoreError>
    counts(tenant: TenantId, campaignId: CampaignId): Effect.Effect<LeadCounts, StoreError>
    /** Takes a contact off every list now (it paid, it complained): no claim returns it once this resolves. */
    suppress(tenant: TenantId, contactId: ContactId, reason: string): Effect.Effect<number, StoreError>
  }
>()('@switchboard/core/DialingLists') {}

export const DialingListsLive = Layer.effect(
  DialingLists,
  Effect.gen(function* () {
    const storage = yield* Storage
    const leads = (tenant: TenantId) => scopedStore(storage, tenant).leads
    return {
      enqueue: (tenant, campaignId, contactIds, options) =>
        Effect.gen(function* () {
          const campaign = yield* attempt('campaigns.get', () =>
            scopedStore(storage, tenant).campaigns.get(campaignId),
          )
          if (!campaign) return yield* Effect.fail(notFound('campaign', campaignId))
          return yield* attempt('leads.enqueue', () => leads(tenant).enqueue(campaignId, contactIds, options))
        }),
      claim: (tenant, campaignId, claim) =>
        attempt('leads.claim', () => leads(tenant).claim(campaignId, claim)),
      complete: (tenant, campaignId, ids, options) =>
        attempt('leads.complete', () => leads(tenant).complete(campaignId, ids, options)),
      release: (tenant, campaignId, ids, options) =>
        attempt('leads.release', () => leads(tenant).release(campaignId, ids, options)),
      counts: (tenant, campaignId) => attempt('leads.counts', () => leads(tenant).counts(campaignId)),
      suppress: (tenant, contactId, reason) =>
        attempt('leads.suppressContact', () => leads(tenant).suppressContact(contactId, reason)),
    }
  }),
)
