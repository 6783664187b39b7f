import type { TenantStore } from '@switchboard/core'
import { decode } from './decode.js'
import { reassign } from './reassign.js'
import { encode, iso, type StoreContext } from './shared.js'

/** The append-only consent history. */
export function consentStore(ctx: StoreContext): TenantStore['consent'] {
  const { db, t } = ctx
  return {
    async append(r) {
      await db
        .insertInto('consent_records')
        .values({
          tenant_id: t,
          id: r.id,
          contact_id: r.contactId,
          channel: r.channel,
          purpose: r.purpose,
          status: r.status,
          captured_at: iso(r.capturedAt),
          created_at: iso(r.createdAt),
          data: encode(r),
        })
        .execute()
    },
    async history(contactId) {
      const rows = await db
        .selectFrom('consent_records')
        .select('data')
        .where('tenant_id', '=', t)
        .where('contact_id', '=', contactId)
        .orderBy('captured_at')
        .orderBy('id')
        .execute()
      return rows.map((r) => decode.consent(r.data))
    },
    reassign: (from, to) =>
      reassign(ctx, 'consent_records', from, to, (d) => ({ ...decode.consent(d), contactId: to })),
  }
}
