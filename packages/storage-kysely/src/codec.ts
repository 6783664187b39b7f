import type { Campaign, Case, ConsentRecord, Contact, DoNotCallEntry, Interaction } from '@switchboard/core'

/** JSON text (SQLite, a text column) or an already-parsed value (PostgreSQL jsonb). */
const parse = (data: unknown): Record<string, unknown> =>
  (typeof data === 'string' ? JSON.parse(data) : data) as Record<string, unknown>

const date = (v: unknown) => (typeof v === 'string' ? new Date(v) : (v as Date))

function revive(o: Record<string, unknown>, fields: readonly string[]) {
  for (const f of fields) if (o[f] != null) o[f] = date(o[f])
  return o
}

const STAMPS = ['createdAt', 'updatedAt'] as const

export const decode = {
  contact: (data: unknown) => revive(parse(data), STAMPS) as unknown as Contact,
  interaction: (data: unknown) =>
    revive(parse(data), [...STAMPS, 'startedAt', 'endedAt']) as unknown as Interaction,
  consent: (data: unknown) =>
    revive(parse(data), [...STAMPS, 'capturedAt', 'expiresAt']) as unknown as ConsentRecord,
  dnc: (data: unknown) => revive(parse(data), [...STAMPS, 'expiresAt']) as unknown as DoNotCallEntry,
  campaign: (data: unknown) => revive(parse(data), STAMPS) as unknown as Campaign,
  case: (data: unknown) => {
    const o = revive(parse(data), STAMPS)
    revive(o.sla as Record<string, unknown>, [
      'firstResponseDueAt',
      'resolutionDueAt',
      'firstRespondedAt',
      'breachedAt',
    ])
    for (const h of o.history as Record<string, unknown>[]) revive(h, ['at'])
    return o as unknown as Case
  },
}

export const iso = (d: Date) => d.toISOString()
export const encode = (entity: object) => JSON.stringify(entity)
