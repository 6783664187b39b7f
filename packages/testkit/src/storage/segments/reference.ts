import type {
  Case,
  ConsentRecord,
  Contact,
  ContactId,
  DispositionCategory,
  DoNotCallEntry,
  Interaction,
  SegmentCondition,
  SegmentFilter,
  SegmentScalar,
} from '@switchboard/core'

/**
 * An in-memory reference evaluator of the segment language: slow, obvious
 * and written from the documented semantics, so that a backend's SQL can be
 * checked against it on random data and random filters.
 */

/** What a filter is evaluated against: plain arrays of one tenant's data. */
export interface SegmentWorld {
  /** Every contact of the tenant, merged ones included (they never match). */
  readonly contacts: ReadonlyArray<Contact>
  readonly interactions: ReadonlyArray<Interaction>
  readonly consent: ReadonlyArray<ConsentRecord>
  /** Every do-not-call entry of the tenant, expired ones included. */
  readonly dnc: ReadonlyArray<DoNotCallEntry>
  readonly cases: ReadonlyArray<Case>
  /** Plugin field name -> contact id -> the column's value (no entry: no row). */
  readonly pluginFields: ReadonlyMap<string, ReadonlyMap<string, string | number | boolean | null>>
  /** Disposition code -> category, as the instance knows them. */
  readonly dispositionCategories: ReadonlyMap<string, DispositionCategory>
}

const DAY_MS = 86_400_000

/** Strings in Unicode code point order (what UTF-8 byte order gives), not UTF-16 unit order. */
export function compareCodePoints(a: string, b: string): number {
  let i = 0
  let j = 0
  while (i < a.length && j < b.length) {
    const x = a.codePointAt(i)!
    const y = b.codePointAt(j)!
    if (x !== y) return x < y ? -1 : 1
    i += x > 0xffff ? 2 : 1
    j += y > 0xffff ? 2 : 1
  }
  return (i < a.length ? 1 : 0) - (j < b.length ? 1 : 0)
}

interface WorldIndex {
  readonly interactions: Map<string, Interaction[]>
  readonly consent: Map<string, ConsentRecord[]>
  readonly cases: Map<string, Case[]>
}

const indexes = new WeakMap<SegmentWorld, WorldIndex>()

function group<T extends { contactId: string }>(rows: ReadonlyArray<T>): Map<string, T[]> {
  const out = new Map<string, T[]>()
  for (const r of rows) {
    const list = out.get(r.contactId)
    if (list) list.push(r)
    else out.set(r.contactId, [r])
  }
  return out
}

function indexOf(world: SegmentWorld): WorldIndex {
  let ix = indexes.get(world)
  if (!ix) {
    ix = {
      interactions: group(world.interactions),
      consent: group(world.consent),
      cases: group(world.cases),
    }
    indexes.set(world, ix)
  }
  return ix
}

/** A field's value for a contact: undefined is "missing". */
type FieldValue = string | number | boolean | undefined

const STRING_PROPS = new Set([
  'kind',
  'displayName',
  'firstName',
  'lastName',
  'company',
  'account',
  'externalRef',
  'lifecycle',
  'ownerId',
  'timeZone',
])

/** The interactions a fact condition looks at, newest first (startedAt desc, then id desc). */
function factInteractions(
  c: SegmentCondition,
  world: SegmentWorld,
  contact: Contact,
  now: Date,
): Interaction[] {
  const all = indexOf(world).interactions.get(contact.id) ?? []
  const from = c.withinDays !== undefined ? now.getTime() - c.withinDays * DAY_MS : undefined
  return all
    .filter(
      (i) =>
        (from === undefined || i.startedAt.getTime() >= from) &&
        (c.channel === undefined || i.channel === c.channel) &&
        (c.direction === undefined || i.direction === c.direction),
    )
    .sort((a, b) => b.startedAt.getTime() - a.startedAt.getTime() || (a.id < b.id ? 1 : a.id > b.id ? -1 : 0))
}

/** The current consent status for the condition's { channel, purpose }. */
export function consentStatus(
  world: SegmentWorld,
  contact: Contact,
  channel: string,
  purpose: string,
  now: Date,
): 'opted_in' | 'opted_out' | 'unknown' {
  const records = (indexOf(world).consent.get(contact.id) ?? []).filter(
    (r) => r.channel === channel && (r.purpose === purpose || r.purpose === '*'),
  )
  let latest: ConsentRecord | undefined
  for (const r of records) {
    if (
      !latest ||
      r.capturedAt.getTime() > latest.capturedAt.getTime() ||
      (r.capturedAt.getTime() === latest.capturedAt.getTime() && r.id > latest.id)
    )
      latest = r
  }
  if (!latest) return 'unknown'
  if (latest.expiresAt && latest.expiresAt.getTime() <= now.getTime()) return 'unknown'
  return latest.status
}

/** Whether one of the contact's numbers has an unexpired do-not-call entry. */
export function onDoNotCall(world: SegmentWorld, contact: Contact, now: Date): boolean {
  const phones = new Set(contact.phones.map((p) => p.e164))
  return world.dnc.some((e) => phones.has(e.phone) && (!e.expiresAt || e.expiresAt.getTime() > now.getTime()))
}

/** The value a (non-tags) condition compares, or undefined when the contact has none. */
export function fieldValue(
  c: SegmentCondition,
  world: SegmentWorld,
  contact: Contact,
  now: Date,
): FieldValue {
  const f = c.field as string
  if (STRING_PROPS.has(f)) {
    const v = (contact as unknown as Record<string, unknown>)[f]
    return typeof v === 'string' ? v : undefined
  }
  switch (f) {
    case 'country':
      return contact.address?.country
    case 'createdAt':
      return contact.createdAt.toISOString()
    case 'updatedAt':
      return contact.updatedAt.toISOString()
    case 'openBalance':
      return contact.openBalance?.amountMinor
    case 'lifetimeValue':
      return contact.lifetimeValue?.amountMinor
    case 'consent':
      return consentStatus(world, contact, c.channel!, c.purpose!, now)
    case 'doNotCall':
      return onDoNotCall(world, contact, now)
    case 'cases.open':
      return (indexOf(world).cases.get(contact.id) ?? []).filter(
        (k) => k.status === 'open' || k.status === 'pending',
      ).length
    case 'interactions.count':
      return factInteractions(c, world, contact, now).length
    case 'interactions.lastChannel':
      return factInteractions(c, world, contact, now)[0]?.channel
    case 'interactions.lastDisposition':
      return factInteractions(c, world, contact, now)[0]?.disposition
    case 'interactions.lastDispositionCategory': {
      const code = factInteractions(c, world, contact, now)[0]?.disposition
      return code === undefined ? undefined : world.dispositionCategories.get(code)
    }
    case 'interactions.daysSinceLast': {
      const newest = factInteractions(c, world, contact, now)[0]
      return newest ? (now.getTime() - newest.startedAt.getTime()) / DAY_MS : undefined
    }
  }
  if (f.startsWith('attributes.')) {
    const name = f.slice('attributes.'.length)
    if (!Object.hasOwn(contact.attributes, name)) return undefined
    const v = contact.attributes[name]
    return v === null || v === undefined ? undefined : v
  }
  const plugin = world.pluginFields.get(f)
  if (plugin) {
    const v = plugin.get(contact.id)
    return v === null || v === undefined ? undefined : v
  }
  throw new Error(`reference evaluator: unknown field ${f}`)
}

const isDate = (field: string) => field === 'createdAt' || field === 'updatedAt'

/** The filter's values as the field compares them (dates normalised to ISO strings). */
function normalised(c: SegmentCondition, v: SegmentScalar): SegmentScalar {
  return isDate(c.field) ? new Date(String(v)).toISOString() : v
}

function order(a: string | number, b: string | number): number {
  if (typeof a === 'number' && typeof b === 'number') return a < b ? -1 : a > b ? 1 : 0
  return compareCodePoints(String(a), String(b))
}

/** One scalar comparison; `v` is the contact's value (present). A value of another type is missing: false. */
function compare(c: SegmentCondition, v: string | number | boolean): boolean {
  if (c.op === 'exists') return true
  const sameType = (x: SegmentScalar) => typeof x === typeof v
  switch (c.op) {
    case 'in': {
      const values = (c.values ?? []).map((x) => normalised(c, x))
      if (!values.length || !sameType(values[0]!)) return false
      return values.some((x) => x === v)
    }
    case 'between': {
      const min = normalised(c, c.min!)
      const max = normalised(c, c.max!)
      if (!sameType(min) || !sameType(max) || typeof v === 'boolean') return false
      return order(v, min as string | number) >= 0 && order(v, max as string | number) <= 0
    }
    default: {
      const x = normalised(c, c.value!)
      if (!sameType(x)) return false
      switch (c.op) {
        case 'eq':
          return v === x
        case 'ne':
          return v !== x
        case 'prefix':
          return typeof v === 'string' && v.startsWith(x as string)
        case 'lt':
        case 'lte':
        case 'gt':
        case 'gte': {
          if (typeof v === 'boolean') return false
          const o = order(v, x as string | number)
          return c.op === 'lt' ? o < 0 : c.op === 'lte' ? o <= 0 : c.op === 'gt' ? o > 0 : o >= 0
        }
      }
    }
  }
  return false
}

function tagsCondition(c: SegmentCondition, tags: ReadonlyArray<string>): boolean {
  switch (c.op) {
    case 'eq':
      return tags.includes(c.value as string)
    case 'ne':
      return !tags.includes(c.value as string)
    case 'in':
      return (c.values ?? []).some((v) => tags.includes(v as string))
    case 'exists':
      return tags.length > 0
    case 'prefix':
      return tags.some((t) => t.startsWith(c.value as string))
    default:
      throw new Error(`reference evaluator: tags do not take ${c.op}`)
  }
}

/** Whether one condition holds for the contact at `now` (merged or not: liveness is `evaluate`'s). */
export function evaluateCondition(
  c: SegmentCondition,
  world: SegmentWorld,
  contact: Contact,
  now: Date,
): boolean {
  if (c.field === 'tags') return tagsCondition(c, contact.tags)
  const v = fieldValue(c, world, contact, now)
  if (v === undefined) return false
  return compare(c, v)
}

/** The filter's boolean tree for the contact, ignoring liveness. */
export function evaluateNode(f: SegmentFilter, world: SegmentWorld, contact: Contact, now: Date): boolean {
  if ('and' in f) return f.and.every((x) => evaluateNode(x, world, contact, now))
  if ('or' in f) return f.or.some((x) => evaluateNode(x, world, contact, now))
  if ('not' in f) return !evaluateNode(f.not, world, contact, now)
  return evaluateCondition(f, world, contact, now)
}

/** Whether the contact is a member: live (not merged) and the filter holds. */
export function evaluate(f: SegmentFilter, world: SegmentWorld, contact: Contact, now: Date): boolean {
  return contact.mergedInto === undefined && evaluateNode(f, world, contact, now)
}

/** The members of the filter, ordered by id. */
export function referenceMembers(f: SegmentFilter, world: SegmentWorld, now: Date): ContactId[] {
  return world.contacts
    .filter((c) => evaluate(f, world, c, now))
    .map((c) => c.id)
    .sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))
}

/** The reference's explanation: every node with whether it holds. */
export type ReferenceNode =
  | { readonly kind: 'condition'; readonly condition: SegmentCondition; readonly matched: boolean }
  | { readonly kind: 'and' | 'or'; readonly matched: boolean; readonly children: ReferenceNode[] }
  | { readonly kind: 'not'; readonly matched: boolean; readonly child: ReferenceNode }

export function explainReference(
  f: SegmentFilter,
  world: SegmentWorld,
  contact: Contact,
  now: Date,
): ReferenceNode {
  if ('and' in f || 'or' in f) {
    const kind = 'and' in f ? 'and' : 'or'
    const children = ('and' in f ? f.and : (f as { or: ReadonlyArray<SegmentFilter> }).or).map((x) =>
      explainReference(x, world, contact, now),
    )
    const matched = kind === 'and' ? children.every((x) => x.matched) : children.some((x) => x.matched)
    return { kind, matched, children }
  }
  if ('not' in f) {
    const child = explainReference(f.not, world, contact, now)
    return { kind: 'not', matched: !child.matched, child }
  }
  return { kind: 'condition', condition: f, matched: evaluateCondition(f, world, contact, now) }
}
