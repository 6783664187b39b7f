import { encode, type StoreContext } from './shared.js'

/** Moves a merged contact's rows to its survivor, rewriting the stored JSON too. */
export async function reassign(
  ctx: StoreContext,
  table: 'interactions' | 'consent_records' | 'cases' | 'recordings',
  from: string,
  to: string,
  rewrite: (data: unknown) => object,
): Promise<number> {
  const { db, t } = ctx
  const rows = await db
    .selectFrom(table)
    .select(['id', 'data'])
    .where('tenant_id', '=', t)
    .where('contact_id', '=', from)
    .execute()
  for (const r of rows) {
    await db
      .updateTable(table)
      .set({ contact_id: to, data: encode(rewrite(r.data)) })
      .where('tenant_id', '=', t)
      .where('id', '=', r.id)
      .execute()
  }
  return rows.length
}
