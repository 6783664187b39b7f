import type { TenantStore } from '@switchboard/core'
import { decode } from './decode.js'
import { encode, iso, type StoreContext } from './shared.js'

/** The consent purposes a tenant declared (identity: the lower-cased key). */
export function purposeStore(ctx: StoreContext): TenantStore['purposes'] {
  const { db, t } = ctx
  return {
    async upsert(p) {
      const row = {
        tenant_id: t,
        key: p.key,
        created_at: iso(p.createdAt),
        updated_at: iso(p.updatedAt),
        data: encode(p),
      }
      await db
        .insertInto('consent_purposes')
        .values(row)
        .onConflict((oc) =>
          oc.columns(['tenant_id', 'key']).doUpdateSet({ updated_at: row.updated_at, data: row.data }),
        )
        .execute()
    },
    async list() {
      const rows = await db
        .selectFrom('consent_purposes')
        .select('data')
        .where('tenant_id', '=', t)
        .orderBy('key')
        .execute()
      return rows.map((r) => decode.purpose(r.data))
    },
  }
}
