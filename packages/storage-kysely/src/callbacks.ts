import type { Callback, CallbackStatus, TenantStore } from '@switchboard/core'
import { sql } from 'kysely'
import { decode } from './decode.js'
import type { CoreTables } from './schema.js'
import { encode, entityWrites, getById, iso, type StoreContext } from './shared.js'

/** The statuses the unique key `callbacks_active` covers: at most one per (campaign, contact). */
export const ACTIVE_CALLBACK: ReadonlyArray<CallbackStatus> = ['scheduled', 'dialing']

const callbackRow = (t: string, c: Callback): CoreTables['callbacks'] => ({
  tenant_id: t,
  id: c.id,
  contact_id: c.contactId,
  campaign_id: c.campaignId,
  agent_id: c.agentId ?? null,
  status: c.status,
  due_at: iso(c.dueAt),
  created_at: iso(c.createdAt),
  updated_at: iso(c.updatedAt),
  data: encode(c),
})

/**
 * Booked calls. The partial unique index `callbacks_active` keeps one
 * scheduled or dialing callback per contact and campaign (a second insert is
 * a Conflict); `take` is one conditional update, so one caller wins.
 */
export function callbackStore(ctx: StoreContext): TenantStore['callbacks'] {
  const { db, t, options, atomic } = ctx
  return {
    ...entityWrites(ctx, 'callbacks', callbackRow),
    get: getById(ctx, 'callbacks', decode.callback),

    async active(campaignId, contactId) {
      const row = await db
        .selectFrom('callbacks')
        .select('data')
        .where('tenant_id', '=', t)
        .where('campaign_id', '=', campaignId)
        .where('contact_id', '=', contactId)
        .where('status', 'in', ACTIVE_CALLBACK)
        .executeTakeFirst()
      return row ? decode.callback(row.data) : undefined
    },

    async list(filter) {
      let q = db.selectFrom('callbacks').select('data').where('tenant_id', '=', t)
      if (filter.campaignId !== undefined) q = q.where('campaign_id', '=', filter.campaignId)
      if (filter.contactId !== undefined) q = q.where('contact_id', '=', filter.contactId)
      if (filter.agentId !== undefined) q = q.where('agent_id', '=', filter.agentId)
      if (filter.status !== undefined) {
        if (!filter.status.length) return []
        q = q.where('status', 'in', filter.status)
      }
      if (filter.dueBefore !== undefined) q = q.where('due_at', '<=', iso(filter.dueBefore))
      const rows = await q
        .orderBy('due_at')
        .orderBy('id')
        .limit(filter.limit ?? 100)
        .execute()
      return rows.map((r) => decode.callback(r.data))
    },

    async take(id, at) {
      const when = iso(at)
      // The status column and the JSON change together, in the one statement
      // whose WHERE re-checks the status: with row locks the second taker
      // waits, re-reads and matches nothing; a single writer runs them one by one.
      const data =
        options.json === 'jsonb'
          ? sql<string>`data || jsonb_build_object('status', 'dialing', 'updatedAt', ${when}::text)`
          : sql<string>`json_set(data, '$.status', 'dialing', '$.updatedAt', ${when})`
      const res = await db
        .updateTable('callbacks')
        .set({ status: 'dialing' satisfies CallbackStatus, updated_at: when, data })
        .where('tenant_id', '=', t)
        .where('id', '=', id)
        .where('status', '=', 'scheduled' satisfies CallbackStatus)
        .executeTakeFirst()
      return Number(res.numUpdatedRows) > 0
    },

    /**
     * Moves a merged contact's callbacks to the survivor. When both have an
     * active callback on the same campaign, the survivor's stays and the
     * merged contact's is moved as `cancelled` (the unique key allows one).
     */
    reassign: (from, to) =>
      atomic(async (k) => {
        const rows = await k
          .selectFrom('callbacks')
          .select(['id', 'data'])
          .where('tenant_id', '=', t)
          .where('contact_id', '=', from)
          .orderBy('id')
          .execute()
        if (!rows.length) return 0
        const taken = new Set(
          (
            await k
              .selectFrom('callbacks')
              .select('campaign_id')
              .where('tenant_id', '=', t)
              .where('contact_id', '=', to)
              .where('status', 'in', ACTIVE_CALLBACK)
              .execute()
          ).map((r) => r.campaign_id),
        )
        for (const r of rows) {
          const c = decode.callback(r.data)
          const active = ACTIVE_CALLBACK.includes(c.status)
          const clash = active && taken.has(c.campaignId)
          if (active && !clash) taken.add(c.campaignId)
          const moved: Callback = {
            ...c,
            contactId: to,
            ...(clash ? { status: 'cancelled' as const, updatedAt: new Date() } : {}),
          }
          await k
            .updateTable('callbacks')
            .set({
              contact_id: to,
              status: moved.status,
              updated_at: iso(moved.updatedAt),
              data: encode(moved),
            })
            .where('tenant_id', '=', t)
            .where('id', '=', r.id)
            .execute()
        }
        return rows.length
      }),
  }
}
