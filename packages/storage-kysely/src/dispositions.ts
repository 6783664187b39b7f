import type { TenantStore } from '@switchboard/core'
import { decode } from './decode.js'
import { encode, iso, type StoreContext } from './shared.js'

/** The tenant's catalogue of disposition codes (identity: `code`). */
export function dispositionStore(ctx: StoreContext): TenantStore['dispositions'] {
  const { db, t } = ctx
  return {
    async upsert(d) {
      const row = {
        tenant_id: t,
        code: d.code,
        id: d.id,
        category: d.category,
        created_at: iso(d.createdAt),
        updated_at: iso(d.updatedAt),
        data: encode(d),
      }
      await db
        .insertInto('disposition_codes')
        .values(row)
        .onConflict((oc) =>
          oc.columns(['tenant_id', 'code']).doUpdateSet({
            id: row.id,
            category: row.category,
            updated_at: row.updated_at,
            data: row.data,
          }),
        )
        .execute()
    },
    async get(code) {
      const row = await db
        .selectFrom('disposition_codes')
        .select('data')
        .where('tenant_id', '=', t)
        .where('code', '=', code)
        .executeTakeFirst()
      return row ? decode.disposition(row.data) : undefined
    },
    async list() {
      const rows = await db
        .selectFrom('disposition_codes')
        .select('data')
        .where('tenant_id', '=', t)
        .orderBy('code')
        .execute()
      return rows.map((r) => decode.disposition(r.data))
    },
  }
}
