import { type Case, tierSpans } from '@switchboard/core'
import type { Kysely } from 'kysely'
import type { CoreTables } from './schema.js'
import { iso } from './shared.js'

/** The case_tiers rows of a case: its spans at each tier, from its history. */
export const caseTierRows = (tenantId: string, c: Case): CoreTables['case_tiers'][] =>
  tierSpans(c).map((s) => ({
    tenant_id: tenantId,
    case_id: c.id,
    seq: s.seq,
    tier_id: s.tierId ?? null,
    since: iso(s.since),
    until: s.until ? iso(s.until) : null,
  }))

/** Rewrites a case's spans (a handful of rows) after the case itself was written. */
export async function writeCaseTiers(db: Kysely<CoreTables>, tenantId: string, c: Case): Promise<void> {
  await db.deleteFrom('case_tiers').where('tenant_id', '=', tenantId).where('case_id', '=', c.id).execute()
  await db.insertInto('case_tiers').values(caseTierRows(tenantId, c)).execute()
}
