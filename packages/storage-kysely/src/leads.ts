import {
  type CampaignId,
  type ContactId,
  type Lead,
  type LeadCounts,
  type LeadStatus,
  type TenantStore,
  validationFailed,
} from '@switchboard/core'
import type { Kysely } from 'kysely'
import { orderedClaim } from './lead-order.js'
import type { CoreTables } from './schema.js'
import { chunks, iso, type StoreContext } from './shared.js'

/** Enqueues at least this large refresh the statistics (when the dialect supplies `analyze`). */
const ANALYZE_AFTER = 1000

type LeadRow = CoreTables['campaign_leads']

const ENQUEUE_CHUNK = 500

/** A worker holds a lead while it is claimed and while its dial is in flight. */
const HELD: ReadonlyArray<LeadStatus> = ['claimed', 'dialing']

/** A lead row as the contract's Lead (not a domain entity: its columns are the whole of it). */
export function toLead(r: LeadRow): Lead {
  return {
    campaignId: r.campaign_id as CampaignId,
    contactId: r.contact_id as ContactId,
    status: r.status as LeadStatus,
    priority: Number(r.priority),
    attempts: Number(r.attempts),
    enqueuedAt: new Date(r.enqueued_at),
    updatedAt: new Date(r.updated_at),
    ...(r.not_before !== null && { notBefore: new Date(r.not_before) }),
    ...(r.claimed_by !== null && { claimedBy: r.claimed_by }),
    ...(r.claimed_at !== null && { claimedAt: new Date(r.claimed_at) }),
    ...(r.outcome !== null && { outcome: r.outcome }),
    ...(r.suppressed_reason !== null && { suppressedReason: r.suppressed_reason }),
    ...(r.call_id !== null && r.call_id !== undefined && { callId: r.call_id }),
    ...(r.list_id !== null && r.list_id !== undefined && { listId: r.list_id }),
  }
}

/** The claim order: priority (high first), then enqueue time, then contact id. */
const claimOrder = (a: Lead, b: Lead) =>
  b.priority - a.priority ||
  a.enqueuedAt.getTime() - b.enqueuedAt.getTime() ||
  (a.contactId < b.contactId ? -1 : a.contactId > b.contactId ? 1 : 0)

/**
 * Campaign lists over any kysely dialect. The only dialect difference is how
 * a claim is made atomic, and it is decided by a capability flag: with row
 * locks, one `UPDATE ... WHERE contact_id IN (SELECT ... FOR UPDATE SKIP LOCKED)`
 * lets concurrent claimers pass each other; without them (SQLite), the same
 * statement runs in the backend's write transaction (one writer at a time).
 */
export function leadStore(ctx: StoreContext): TenantStore['leads'] {
  const { db, t, options, atomic, oneOf, listChunk } = ctx

  /** The worker's own leads, claimed or dialing (a permitted dial the worker itself ends). */
  const updateClaimed = async (
    campaignId: string,
    contactIds: ReadonlyArray<string>,
    worker: string,
    set: Partial<LeadRow>,
  ): Promise<number> => {
    let n = 0
    for (const part of chunks([...new Set(contactIds)], listChunk)) {
      const res = await db
        .updateTable('campaign_leads')
        .set({ ...set, updated_at: iso(new Date()) })
        .where('tenant_id', '=', t)
        .where('campaign_id', '=', campaignId)
        .where('status', 'in', HELD)
        .where('claimed_by', '=', worker)
        .where(oneOf('contact_id', part))
        .executeTakeFirst()
      n += Number(res.numUpdatedRows)
    }
    return n
  }

  return {
    async enqueue(campaignId: CampaignId, contactIds: ReadonlyArray<ContactId>, opts = {}) {
      const at = iso(new Date())
      const rows: LeadRow[] = [...new Set(contactIds)].map((contactId) => ({
        tenant_id: t,
        campaign_id: campaignId,
        contact_id: contactId,
        status: 'pending',
        priority: opts.priority ?? 0,
        attempts: 0,
        not_before: opts.notBefore ? iso(opts.notBefore) : null,
        claimed_by: null,
        claimed_at: null,
        outcome: null,
        suppressed_reason: null,
        call_id: null,
        list_id: opts.listId ?? null,
        enqueued_at: at,
        updated_at: at,
      }))
      if (!rows.length) return 0
      return atomic(async (k) => {
        let n = 0
        for (const part of chunks(rows, ENQUEUE_CHUNK)) {
          const res = await k
            .insertInto('campaign_leads')
            .values(part)
            .onConflict((oc) => oc.columns(['tenant_id', 'campaign_id', 'contact_id']).doNothing())
            .executeTakeFirst()
          n += Number(res.numInsertedOrUpdatedRows ?? 0)
        }
        if (n >= ANALYZE_AFTER && options.analyze) await options.analyze(k, 'campaign_leads')
        return n
      })
    },

    async claim(campaignId, { worker, limit, now = new Date(), order }) {
      if (!Number.isInteger(limit) || limit < 1)
        throw validationFailed('lead claim', [
          { field: 'limit', value: limit, message: 'must be a positive integer' },
        ])
      if (typeof worker !== 'string' || !worker)
        throw validationFailed('lead claim', [
          { field: 'worker', value: worker, message: 'name the worker that claims' },
        ])
      const at = iso(now)
      const ordered = order ? await orderedClaim(ctx, order) : undefined
      const run = async (k: Kysely<CoreTables>) => {
        let pick = k
          .selectFrom('campaign_leads as p')
          .select('contact_id')
          .where('tenant_id', '=', t)
          .where('campaign_id', '=', campaignId)
          .where('status', '=', 'pending')
          .where((eb) => eb.or([eb('not_before', 'is', null), eb('not_before', '<=', at)]))
          .orderBy('priority', 'desc')
        for (const term of ordered?.terms ?? []) pick = pick.orderBy(term)
        pick = pick.orderBy('enqueued_at').orderBy('contact_id').limit(limit)
        if (options.skipLocked) pick = pick.forUpdate().skipLocked()
        // The pick is a materialised CTE: evaluated (and its rows locked) once,
        // whatever join the planner then chooses for the update.
        const rows = await k
          .with(
            (cte) => cte('picked').materialized(),
            () => pick,
          )
          .updateTable('campaign_leads')
          .set((eb) => ({
            status: 'claimed' satisfies LeadStatus,
            claimed_by: worker,
            claimed_at: at,
            attempts: eb('attempts', '+', 1),
            updated_at: at,
          }))
          .where('tenant_id', '=', t)
          .where('campaign_id', '=', campaignId)
          .where('status', '=', 'pending')
          .where('contact_id', 'in', (eb) => eb.selectFrom('picked').select('picked.contact_id'))
          .returningAll()
          .execute()
        const leads = rows.map(toLead)
        return ordered ? ordered.sort(k, leads) : leads.sort(claimOrder)
      }
      // Row locks make the one statement safe on its own; a single-writer
      // backend takes its write lock first (SQLite: BEGIN IMMEDIATE).
      return options.skipLocked || options.inTransaction ? run(db) : options.transaction(db, run)
    },

    complete: (campaignId, contactIds, { worker, outcome }) =>
      updateClaimed(campaignId, contactIds, worker, { status: 'done', outcome: outcome ?? null }),

    release: (campaignId, contactIds, { worker, notBefore }) =>
      updateClaimed(campaignId, contactIds, worker, {
        status: 'pending',
        not_before: notBefore ? iso(notBefore) : null,
      }),

    async requeueStale(campaignId, claimedBefore) {
      const res = await db
        .updateTable('campaign_leads')
        .set({ status: 'pending', updated_at: iso(new Date()) })
        .where('tenant_id', '=', t)
        .where('campaign_id', '=', campaignId)
        .where('status', '=', 'claimed')
        .where('claimed_at', '<', iso(claimedBefore))
        .executeTakeFirst()
      return Number(res.numUpdatedRows)
    },

    async suppressContact(contactId, reason, opts = {}) {
      // One statement: with row locks it waits for a claim (or a dial permit)
      // holding the row and then re-checks it; a claim or permit that starts
      // later finds it suppressed. A dialing lead is suppressed too: its call
      // is under way, and `settle` leaves a suppressed lead as it is.
      let q = db
        .updateTable('campaign_leads')
        .set({ status: 'suppressed', suppressed_reason: reason, updated_at: iso(new Date()) })
        .where('tenant_id', '=', t)
        .where('contact_id', '=', contactId)
        .where('status', 'in', ['pending', 'claimed', 'dialing'] satisfies LeadStatus[])
      if (opts.campaignId) q = q.where('campaign_id', '=', opts.campaignId)
      const res = await q.executeTakeFirst()
      return Number(res.numUpdatedRows)
    },

    schedule: (campaignId, contactId, { notBefore, priority }) =>
      atomic(async (k) => {
        const at = iso(new Date())
        const inserted = await k
          .insertInto('campaign_leads')
          .values({
            tenant_id: t,
            campaign_id: campaignId,
            contact_id: contactId,
            status: 'pending',
            priority: priority ?? 0,
            attempts: 0,
            not_before: iso(notBefore),
            claimed_by: null,
            claimed_at: null,
            outcome: null,
            suppressed_reason: null,
            call_id: null,
            list_id: null,
            enqueued_at: at,
            updated_at: at,
          })
          .onConflict((oc) => oc.doNothing())
          .executeTakeFirst()
        if (Number(inserted.numInsertedOrUpdatedRows ?? 0) > 0) return true
        const res = await k
          .updateTable('campaign_leads')
          .set({
            status: 'pending',
            not_before: iso(notBefore),
            updated_at: at,
            ...(priority !== undefined ? { priority } : {}),
          })
          .where('tenant_id', '=', t)
          .where('campaign_id', '=', campaignId)
          .where('contact_id', '=', contactId)
          .where('status', 'in', ['pending', 'done'])
          .executeTakeFirst()
        return Number(res.numUpdatedRows) > 0
      }),

    async permit(campaignId, contactId, { worker, callId }) {
      // One conditional update: PostgreSQL row-locks the lead (a concurrent
      // suppressContact waits, or this waits for it and re-checks); SQLite runs
      // one writer at a time. Whoever comes second sees the other's result.
      const res = await db
        .updateTable('campaign_leads')
        .set({ status: 'dialing' satisfies LeadStatus, call_id: callId, updated_at: iso(new Date()) })
        .where('tenant_id', '=', t)
        .where('campaign_id', '=', campaignId)
        .where('contact_id', '=', contactId)
        .where('status', '=', 'claimed' satisfies LeadStatus)
        .where('claimed_by', '=', worker)
        .executeTakeFirst()
      return Number(res.numUpdatedRows) > 0
    },

    async settle(campaignId, contactId, { status, outcome, notBefore }) {
      const res = await db
        .updateTable('campaign_leads')
        .set({
          status,
          outcome,
          updated_at: iso(new Date()),
          ...(status === 'pending' ? { not_before: notBefore ? iso(notBefore) : null } : {}),
        })
        .where('tenant_id', '=', t)
        .where('campaign_id', '=', campaignId)
        .where('contact_id', '=', contactId)
        .where('status', 'in', HELD)
        .executeTakeFirst()
      return Number(res.numUpdatedRows) > 0
    },

    takeOver: (campaignId, worker) =>
      atomic(async (k) => {
        await k
          .updateTable('campaign_leads')
          .set({ status: 'pending' satisfies LeadStatus, updated_at: iso(new Date()) })
          .where('tenant_id', '=', t)
          .where('campaign_id', '=', campaignId)
          .where('status', '=', 'claimed' satisfies LeadStatus)
          .where((eb) => eb.or([eb('claimed_by', 'is', null), eb('claimed_by', '<>', worker)]))
          .execute()
        const rows = await k
          .selectFrom('campaign_leads')
          .selectAll()
          .where('tenant_id', '=', t)
          .where('campaign_id', '=', campaignId)
          .where('status', '=', 'dialing' satisfies LeadStatus)
          .where((eb) => eb.or([eb('claimed_by', 'is', null), eb('claimed_by', '<>', worker)]))
          .orderBy('contact_id')
          .execute()
        return rows.map(toLead)
      }),

    async list(campaignId, { status, limit }) {
      const rows = await db
        .selectFrom('campaign_leads')
        .selectAll()
        .where('tenant_id', '=', t)
        .where('campaign_id', '=', campaignId)
        .where('status', '=', status)
        .orderBy('contact_id')
        .limit(limit ?? 1000)
        .execute()
      return rows.map(toLead)
    },

    async get(campaignId, contactId) {
      const row = await db
        .selectFrom('campaign_leads')
        .selectAll()
        .where('tenant_id', '=', t)
        .where('campaign_id', '=', campaignId)
        .where('contact_id', '=', contactId)
        .executeTakeFirst()
      return row ? toLead(row) : undefined
    },

    async counts(campaignId) {
      const rows = await db
        .selectFrom('campaign_leads')
        .select((eb) => ['status', eb.fn.countAll<number>().as('n')])
        .where('tenant_id', '=', t)
        .where('campaign_id', '=', campaignId)
        .groupBy('status')
        .execute()
      const out = { pending: 0, claimed: 0, dialing: 0, done: 0, suppressed: 0, total: 0 }
      for (const r of rows) {
        const n = Number(r.n)
        if (r.status in out) out[r.status as LeadStatus] += n
        out.total += n
      }
      return out satisfies LeadCounts
    },
  }
}
