import { ConsentAuditSettings, ConsentDecisionLog, type TenantStore, type TimeRange } from '@switchboard/core'
import { type Kysely, sql } from 'kysely'
import { decode, decoder } from './decode.js'
import type { CoreTables } from './schema.js'
import { encode, iso, type StoreContext } from './shared.js'

const decodeDecision = decoder('consent_decisions', ConsentDecisionLog)
const decodeSettings = decoder('consent_settings', ConsentAuditSettings)

/** A time-ordered page of a tenant's rows: `time` then `id`, after the keyset cursor. */
function page(
  db: Kysely<CoreTables>,
  table: 'consent_records' | 'consent_decisions',
  time: 'captured_at' | 'decided_at',
  t: string,
  range: TimeRange,
) {
  // biome-ignore lint/suspicious/noExplicitAny: the two tables share the columns used here
  let q = (db as Kysely<any>)
    .selectFrom(table as string)
    .select('data')
    .where('tenant_id', '=', t)
  if (range.contactId) q = q.where('contact_id', '=', range.contactId)
  if (range.from) q = q.where(time, '>=', iso(range.from))
  if (range.to) q = q.where(time, '<', iso(range.to))
  if (range.after) {
    const at = iso(range.after.at)
    q = q.where(sql<boolean>`(${sql.ref(time)}, id) > (${at}, ${range.after.id})`)
  }
  return q.orderBy(time).orderBy('id').limit(range.limit).execute() as Promise<{ data: unknown }[]>
}

/** The consent ledger read across contacts by capture time (exports). */
export function consentLedgerStore(ctx: StoreContext): TenantStore['consentLedger'] {
  return {
    list: async (range) =>
      (await page(ctx.db, 'consent_records', 'captured_at', ctx.t, range)).map((r) => decode.consent(r.data)),
  }
}

/** Logged consent decisions and the tenant's audit settings. */
export function consentAuditStore(ctx: StoreContext): TenantStore['consentAudit'] {
  const { db, t } = ctx
  return {
    async append(d) {
      await db
        .insertInto('consent_decisions')
        .values({
          tenant_id: t,
          id: d.id,
          contact_id: d.contactId,
          decided_at: iso(d.decidedAt),
          data: encode(d),
        })
        .execute()
    },
    list: async (range) =>
      (await page(db, 'consent_decisions', 'decided_at', t, range)).map((r) => decodeDecision(r.data)),
    async settings() {
      const row = await db
        .selectFrom('consent_settings')
        .select('data')
        .where('tenant_id', '=', t)
        .executeTakeFirst()
      return row ? decodeSettings(row.data) : undefined
    },
    async saveSettings(s) {
      await db
        .insertInto('consent_settings')
        .values({ tenant_id: t, data: encode(s) })
        .onConflict((oc) => oc.column('tenant_id').doUpdateSet({ data: encode(s) }))
        .execute()
    },
  }
}
