import type { Contact, TenantId } from '../src/domain/index.js'
import { prepareContact } from '../src/quality/index.js'

/** A contact as core prepares it from a host's input (tenant `t`, 1 January 2026), for pure tests. */
export const contactOf = (input: Record<string, unknown>): Contact => {
  const r = prepareContact(input as never, {
    tenantId: 't' as TenantId,
    now: new Date('2026-01-01T00:00:00Z'),
  })
  if (!r.ok) throw new Error(`fixture: ${JSON.stringify(r.issues)}`)
  return r.contact
}
