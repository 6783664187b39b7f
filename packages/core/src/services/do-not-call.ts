import type { DoNotCallEntry } from '../domain/consent.js'
import type { TenantStore } from '../plugins/storage.js'
import type { Emit } from './event-log.js'

/**
 * Adds a do-not-call entry in the caller's transaction, with what it implies:
 * every live contact with the number leaves every list, and `dnc.added` is
 * recorded. A request taken during a call then holds before the next claim.
 * Returns how many leads it suppressed.
 */
export async function addDoNotCall(tx: TenantStore, entry: DoNotCallEntry, emit: Emit): Promise<number> {
  await tx.dnc.add(entry)
  let suppressedLeads = 0
  for (const c of await tx.contacts.findByPhones([entry.phone]))
    suppressedLeads += await tx.leads.suppressContact(c.id, `do-not-call (${entry.list})`)
  await emit('dnc.added', { tenantId: entry.tenantId, entry, suppressedLeads })
  return suppressedLeads
}
