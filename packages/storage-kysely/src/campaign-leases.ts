import type { CampaignId, CampaignLease, TenantStore } from '@switchboard/core'
import { sql } from 'kysely'
import type { CoreTables } from './schema.js'
import { iso, type StoreContext } from './shared.js'

type LeaseRow = CoreTables['campaign_leases']

const toLease = (r: LeaseRow): CampaignLease => ({
  campaignId: r.campaign_id as CampaignId,
  owner: r.owner,
  until: new Date(r.until),
  fence: Number(r.fence),
  acquiredAt: new Date(r.acquired_at),
})

/**
 * Who runs a campaign. `acquire` is one upsert whose conflict branch only
 * fires when the lease is free (released, or run out at `now`) or already the
 * caller's: PostgreSQL locks the row and re-checks the condition on its
 * latest version, so of several processes racing for a free lease exactly
 * one gets it; SQLite has one writer. The row stays after a release, so the
 * fence keeps growing across owners.
 */
export function campaignLeaseStore(ctx: StoreContext): TenantStore['campaignLeases'] {
  const { db, t } = ctx

  const read = async (campaignId: string) =>
    db
      .selectFrom('campaign_leases')
      .selectAll()
      .where('tenant_id', '=', t)
      .where('campaign_id', '=', campaignId)
      .executeTakeFirst()

  return {
    async acquire(campaignId, { owner, now, until }) {
      const at = iso(now)
      const same = sql<boolean>`campaign_leases.owner = excluded.owner and campaign_leases.released_at is null`
      const [won] = await db
        .insertInto('campaign_leases')
        .values({
          tenant_id: t,
          campaign_id: campaignId,
          owner,
          until: iso(until),
          fence: 1,
          acquired_at: at,
          released_at: null,
        })
        .onConflict((oc) =>
          oc
            .columns(['tenant_id', 'campaign_id'])
            .doUpdateSet({
              owner: sql.ref('excluded.owner'),
              until: sql.ref('excluded.until'),
              fence: sql`case when campaign_leases.owner = excluded.owner then campaign_leases.fence else campaign_leases.fence + 1 end`,
              acquired_at: sql`case when ${same} then campaign_leases.acquired_at else excluded.acquired_at end`,
              released_at: null,
            })
            .where((eb) =>
              eb.or([
                eb('campaign_leases.owner', '=', eb.ref('excluded.owner')),
                eb('campaign_leases.released_at', 'is not', null),
                eb('campaign_leases.until', '<=', at),
              ]),
            ),
        )
        .returningAll()
        .execute()
      if (won) return toLease(won)
      // Held by another: the lease as it stands.
      const held = await read(campaignId)
      if (!held) throw new Error(`the lease of campaign ${campaignId} vanished while it was acquired`)
      return toLease(held)
    },

    async release(campaignId, owner) {
      const res = await db
        .updateTable('campaign_leases')
        .set({ released_at: iso(new Date()) })
        .where('tenant_id', '=', t)
        .where('campaign_id', '=', campaignId)
        .where('owner', '=', owner)
        .where('released_at', 'is', null)
        .executeTakeFirst()
      return Number(res.numUpdatedRows) > 0
    },

    async get(campaignId) {
      const row = await read(campaignId)
      // A released lease is held by nobody.
      return row && row.released_at === null ? toLease(row) : undefined
    },
  }
}
