import { z } from 'zod'
import type { Contact } from '../domain/contact.js'

/** How a merged field is chosen among the records being merged. */
export type Survivorship = 'survivor' | 'newest' | 'oldest'

export const SurvivorshipRules = z.strictObject({
  /** Scalar fields (names, company, address, owner, time zone...). Default: survivor, then newest non-empty. */
  scalars: z.enum(['survivor', 'newest', 'oldest']).optional(),
  /** Monetary fields: keep survivor's, take the largest, or sum (open balances of two debtor records). */
  money: z.enum(['survivor', 'max', 'sum']).optional(),
})
export type SurvivorshipRules = z.input<typeof SurvivorshipRules>

const LIFECYCLE_RANK = { lead: 0, prospect: 1, customer: 2, former: 1 } as const

const SCALARS = [
  'firstName',
  'lastName',
  'company',
  'account',
  'address',
  'timeZone',
  'timeZoneCandidates',
  'timeZoneSource',
  'ownerId',
  'externalRef',
] as const

/**
 * Builds the surviving record of a merge. Phones, e-mails, tags and attributes
 * are unioned (the survivor's win on conflict); scalar fields follow the rules;
 * lifecycle takes the most advanced stage. The losers are marked `mergedInto`
 * by the caller, which keeps the lineage.
 */
export function mergeContacts(
  survivor: Contact,
  others: ReadonlyArray<Contact>,
  rules: SurvivorshipRules = {},
  now: Date,
): Contact {
  const all = [survivor, ...others]
  const byAge = [...all].sort((a, b) => a.updatedAt.getTime() - b.updatedAt.getTime())
  const order =
    rules.scalars === 'newest'
      ? byAge.reverse()
      : rules.scalars === 'oldest'
        ? byAge
        : [survivor, ...byAge.reverse()]
  const merged: Record<string, unknown> = { ...survivor }
  for (const field of SCALARS) {
    const source = order.find((c) => c[field] !== undefined)
    if (source) merged[field] = source[field]
    else delete merged[field]
  }
  // A known zone makes the candidates of another record moot.
  if (merged.timeZone) delete merged.timeZoneCandidates
  const phones = [...survivor.phones]
  for (const c of others)
    for (const p of c.phones)
      if (!phones.some((q) => q.e164 === p.e164)) phones.push({ ...p, primary: false })
  const emails = [...survivor.emails]
  for (const c of others)
    for (const e of c.emails)
      if (!emails.some((f) => f.address === e.address)) emails.push({ ...e, primary: false })
  const tags = [...new Set(all.flatMap((c) => c.tags))]
  const attributes = Object.assign({}, ...[...others].reverse().map((c) => c.attributes), survivor.attributes)
  const lifecycle = all.reduce(
    (best, c) => (LIFECYCLE_RANK[c.lifecycle] > LIFECYCLE_RANK[best] ? c.lifecycle : best),
    survivor.lifecycle,
  )
  for (const field of ['lifetimeValue', 'openBalance'] as const) {
    const values = all.map((c) => c[field]).filter((m) => m !== undefined)
    const currency = survivor[field]?.currency ?? values[0]?.currency
    const same = values.filter((m) => m.currency === currency)
    if (!same.length) continue
    if (rules.money === 'sum')
      merged[field] = { currency, amountMinor: same.reduce((s, m) => s + m.amountMinor, 0) }
    else if (rules.money === 'max')
      merged[field] = { currency, amountMinor: Math.max(...same.map((m) => m.amountMinor)) }
    else merged[field] = survivor[field] ?? same[0]
  }
  return { ...(merged as Contact), phones, emails, tags, attributes, lifecycle, updatedAt: now }
}
