import { BusinessCalendar, EscalationTier, SlaPolicy, type TenantStore } from '@switchboard/core'
import { decoder } from './decode.js'
import { deskKpis } from './desk-kpis.js'
import { encode, iso, type StoreContext } from './shared.js'

const decodeTier = decoder('desk_settings', EscalationTier)
const decodeCalendar = decoder('desk_settings', BusinessCalendar)
const decodePolicy = decoder('desk_settings', SlaPolicy)

/** The service desk's settings: one table, a row per (kind, key), replaced whole. */
export function deskStore(ctx: StoreContext): TenantStore['desk'] {
  const { db, t } = ctx
  const put = async (kind: string, key: string, at: Date, value: object) => {
    const row = { tenant_id: t, kind, key, updated_at: iso(at), data: encode(value) }
    await db
      .insertInto('desk_settings')
      .values(row)
      .onConflict((oc) =>
        oc.columns(['tenant_id', 'kind', 'key']).doUpdateSet({ updated_at: row.updated_at, data: row.data }),
      )
      .execute()
  }
  const all = async <T>(kind: string, decode: (data: unknown) => T): Promise<T[]> => {
    const rows = await db
      .selectFrom('desk_settings')
      .select('data')
      .where('tenant_id', '=', t)
      .where('kind', '=', kind)
      .orderBy('key')
      .execute()
    return rows.map((r) => decode(r.data))
  }
  return {
    putTier: (tier) => put('tier', tier.id, tier.updatedAt, tier),
    async tiers() {
      const tiers = await all('tier', decodeTier)
      return tiers.sort((a, b) => a.level - b.level || (a.code < b.code ? -1 : a.code > b.code ? 1 : 0))
    },
    putCalendar: (calendar, at) => put('calendar', calendar.key, at, calendar),
    calendars: () => all('calendar', decodeCalendar),
    putPolicy: (policy, at) => put('policy', policy.key, at, policy),
    policies: () => all('policy', decodePolicy),
    kpis: (range) => deskKpis(ctx, range),
  }
}
