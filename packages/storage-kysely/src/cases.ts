import type { Case, TenantStore } from '@switchboard/core'
import { writeCaseTiers } from './case-tiers.js'
import { decode } from './decode.js'
import { reassign } from './reassign.js'
import type { CoreTables } from './schema.js'
import { encode, entityWrites, getById, iso, precompiled, type StoreContext } from './shared.js'

/** The statuses a screen pop and `openOnly` show. */
export const OPEN_STATUSES = ['open', 'pending'] as const

const caseRow = (t: string, c: Case): CoreTables['cases'] => ({
  tenant_id: t,
  id: c.id,
  contact_id: c.contactId,
  status: c.status,
  priority: c.priority,
  created_at: iso(c.createdAt),
  updated_at: iso(c.updatedAt),
  data: encode(c),
})

const openNewestFirst = precompiled<{ data: unknown }>((db, arg) =>
  db
    .selectFrom('cases')
    .select('data')
    .where('tenant_id', '=', arg(0) as string)
    .where('contact_id', '=', arg(1) as string)
    .where('status', 'in', OPEN_STATUSES)
    .orderBy('created_at', 'desc')
    .compile(),
)

/** A contact's open and pending cases, newest first (the screen pop's too). */
export async function openCases(ctx: StoreContext, contactId: string): Promise<Case[]> {
  return (await openNewestFirst(ctx.db, ctx.t, contactId)).map((r) => decode.case(r.data))
}

export function caseStore(ctx: StoreContext): TenantStore['cases'] {
  const { db, t } = ctx
  return {
    // The case and its tier spans, together.
    insert: (c) =>
      ctx.atomic(async (k) => {
        await entityWrites({ ...ctx, db: k }, 'cases', caseRow).insert(c)
        await writeCaseTiers(k, t, c)
      }),
    update: (c) =>
      ctx.atomic(async (k) => {
        await entityWrites({ ...ctx, db: k }, 'cases', caseRow).update(c)
        await writeCaseTiers(k, t, c)
      }),
    get: getById(ctx, 'cases', decode.case),
    async listByContact(contactId, filter = {}) {
      if (filter.openOnly) return openCases(ctx, contactId)
      const rows = await db
        .selectFrom('cases')
        .select('data')
        .where('tenant_id', '=', t)
        .where('contact_id', '=', contactId)
        .orderBy('created_at', 'desc')
        .execute()
      return rows.map((r) => decode.case(r.data))
    },
    reassign: (from, to) => reassign(ctx, 'cases', from, to, (d) => ({ ...decode.case(d), contactId: to })),
    async listOpen(page = {}) {
      let q = db
        .selectFrom('cases')
        .select('data')
        .where('tenant_id', '=', t)
        .where('status', 'in', OPEN_STATUSES)
        .orderBy('id')
        .limit(Math.min(page.limit ?? 500, 5_000))
      if (page.after) q = q.where('id', '>', page.after)
      return (await q.execute()).map((r) => decode.case(r.data))
    },
    replace: (c, expectedUpdatedAt) =>
      ctx.atomic(async (k) => {
        const { tenant_id: _t, id: _i, created_at: _c, ...set } = caseRow(t, c)
        const r = await k
          .updateTable('cases')
          .set(set)
          .where('tenant_id', '=', t)
          .where('id', '=', c.id)
          .where('updated_at', '=', iso(expectedUpdatedAt))
          .executeTakeFirst()
        if (Number(r.numUpdatedRows) !== 1) return false
        await writeCaseTiers(k, t, c)
        return true
      }),
  }
}
