import type { TenantStore } from '@switchboard/core'
import { decode } from './decode.js'
import { encode, iso, rowsWhereIn, type StoreContext } from './shared.js'

/** Do-not-call entries: the tenant's own list and imported registries. */
export function dncStore(ctx: StoreContext): TenantStore['dnc'] {
  const { db, t } = ctx
  return {
    async add(e) {
      await db
        .insertInto('dnc_entries')
        .values({
          tenant_id: t,
          id: e.id,
          phone: e.phone,
          list: e.list,
          created_at: iso(e.createdAt),
          data: encode(e),
        })
        .execute()
    },
    find: rowsWhereIn(ctx, 'dnc_entries', 'phone', decode.dnc),
    async remove(phone, list) {
      const res = await db
        .deleteFrom('dnc_entries')
        .where('tenant_id', '=', t)
        .where('phone', '=', phone)
        .where('list', '=', list)
        .executeTakeFirst()
      return Number(res.numDeletedRows)
    },
  }
}
