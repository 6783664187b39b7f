import { IdentityCheck, type TenantStore } from '@switchboard/core'
import { decoder } from './decode.js'
import { encode, iso, type StoreContext } from './shared.js'

const decodeCheck = decoder('identity_checks', IdentityCheck)

/** Identity verifications, a row each, found by interaction or by call. */
export function identityCheckStore(ctx: StoreContext): TenantStore['identityChecks'] {
  const { db, t } = ctx
  return {
    async append(check) {
      await db
        .insertInto('identity_checks')
        .values({
          tenant_id: t,
          id: check.id,
          interaction_id: check.interactionId ?? null,
          call_id: check.callId ?? null,
          checked_at: iso(check.checkedAt),
          data: encode(check),
        })
        .execute()
    },
    async list({ interactionId, callId }) {
      let q = db.selectFrom('identity_checks').select('data').where('tenant_id', '=', t)
      if (interactionId !== undefined) q = q.where('interaction_id', '=', interactionId)
      if (callId !== undefined) q = q.where('call_id', '=', callId)
      const rows = await q.orderBy('checked_at').orderBy('id').limit(1000).execute()
      return rows.map((r) => decodeCheck(r.data))
    },
  }
}
