import {
  type CaseStatus,
  type Channel,
  type ConsentStatus,
  type ContactInput,
  type Direction,
  DispositionCategory,
  LifecycleStage,
  type SegmentCondition,
  SegmentFilter,
  type SegmentScalar,
} from '@switchboard/core'
import { mulberry32 } from '../random.js'
import { compareCodePoints, type SegmentWorld } from './reference.js'

export class Rng {
  readonly next: () => number
  constructor(seed: number) {
    this.next = mulberry32(seed)
  }
  /** An integer in [lo, hi]. */
  int(lo: number, hi: number): number {
    return lo + Math.floor(this.next() * (hi - lo + 1))
  }
  chance(p: number): boolean {
    return this.next() < p
  }
  pick<T>(items: ReadonlyArray<T>): T {
    if (!items.length) throw new Error('pick from an empty list')
    return items[Math.floor(this.next() * items.length)]!
  }
  /** Up to `n` distinct items (fewer when the list is shorter). */
  some<T>(items: ReadonlyArray<T>, n: number): T[] {
    const pool = [...items]
    const out: T[] = []
    while (out.length < n && pool.length) out.push(pool.splice(Math.floor(this.next() * pool.length), 1)[0]!)
    return out
  }
}

export const DAY_MS = 86_400_000

export const CHANNELS: ReadonlyArray<Channel> = [
  'voice',
  'email',
  'sms',
  'chat',
  'social',
  'video',
  'web',
  'note',
]
export const DIRECTIONS: ReadonlyArray<Direction> = ['inbound', 'outbound', 'internal']
/** Purposes consent is recorded for (keys of the default purposes, and "*"). */
export const RECORDED_PURPOSES = ['marketing', 'sales', 'collections', '*'] as const
/** Purposes filters ask about (survey has no record at all). */
export const ASKED_PURPOSES = ['marketing', 'sales', 'collections', 'survey'] as const
export const CONSENT_CHANNELS: ReadonlyArray<Channel> = ['voice', 'sms', 'email']

/** Disposition codes the instance knows (split over two plugins), with their categories. */
export const KNOWN_DISPOSITIONS: ReadonlyArray<{ code: string; category: DispositionCategory }> = [
  { code: 'SALE', category: 'sale' },
  { code: 'NO_SALE', category: 'contact_no_sale' },
  { code: 'CALLBACK', category: 'callback' },
  { code: 'DNC_REQ', category: 'do_not_call' },
  { code: 'NOANS', category: 'no_answer' },
  { code: 'BUSY', category: 'busy' },
  { code: 'VM', category: 'machine' },
  { code: 'WRONG', category: 'wrong_number' },
]
/** Codes written on interactions that no plugin declares: no category. */
export const UNKNOWN_DISPOSITIONS = ['MYSTERY', 'legacy-x', 'S%LE']

const FIRST_NAMES = [
  'Ana',
  'ana',
  'ANA',
  'Émile',
  'Emile',
  'Zoë',
  'Zoe',
  'Øyvind',
  '𝒜lpha',
  'ｚeta',
  "O'Brien",
  'a_b',
  'a%b',
  'ab',
  'Ñúñez',
  '李',
  'Straße',
  'John',
  'Jon',
  'jon',
  'back\\slash',
  'back\\\\x',
]
const LAST_NAMES = [
  'Smith',
  'smith',
  'Smíth',
  'García',
  'Garcia',
  'Doe',
  'doe_x',
  'Do%e',
  'Müller',
  '𝒵ed',
  'ｚz',
]
const COMPANIES = ['Acme', 'acme', 'Acme Corp', 'ACME_', 'Ac%me', 'Böse GmbH', '株式会社', 'Zeta Ltd']
const COUNTRIES = ['US', 'ES', 'GB', 'DE', 'FR', 'JP']
const ZONES = ['Europe/Madrid', 'America/New_York', 'Asia/Tokyo', 'America/Los_Angeles', 'Europe/London']
export const TAGS = [
  'vip',
  'VIP',
  'vip-gold',
  'gold',
  'a_b',
  'a%b',
  'ab',
  'late payer',
  'new',
  'ñandú',
  '𝒜',
  'ｚ',
  'x',
  'a\\b',
  'a\\_',
]
const PLANS = ['gold', 'silver', 'Gold', 'bronze', 'gold plus', 'platinum']
const NOTES = ['éclair', 'eclair', 'zebra', 'Zebra', '𝒜bc', 'ｚ', '', 'a_c', 'abc']
const MIXED: ReadonlyArray<string | number | boolean | null> = [1, true, '1', 0, false, null, 'true', 2.5, -1]

/** The phone pool: some numbers are shared by two contacts. */
export function phonePool(): string[] {
  const out: string[] = []
  for (let i = 0; i < 40; i++) out.push(`+1415555${String(100 + i).padStart(4, '0')}`)
  for (let i = 0; i < 25; i++) out.push(`+34612345${String(600 + i)}`)
  for (let i = 0; i < 10; i++) out.push(`+44207946${String(i).padStart(4, '0')}`)
  return out
}

export interface InteractionSpec {
  readonly channel: Channel
  readonly direction: Direction
  readonly startedAt: Date
  readonly disposition?: string
}
export interface ConsentSpec {
  readonly channel: Channel
  readonly purpose: string
  readonly status: ConsentStatus
  readonly capturedAt: Date
  readonly expiresAt?: Date
}
export interface ContactSpec {
  /** Everything but `ownerId`, which names one of `agents` by index. */
  readonly input: ContactInput
  readonly owner?: number
  readonly interactions: ReadonlyArray<InteractionSpec>
  readonly consent: ReadonlyArray<ConsentSpec>
  /** Final statuses of its cases (each is opened, then moved there). */
  readonly cases: ReadonlyArray<CaseStatus>
  /** The scores_values row: a number, null, or no row (undefined). */
  readonly score?: number | null
  /** A change after creation (so that updatedAt differs from createdAt). */
  readonly update?: { readonly tags: string[]; readonly lifecycle: LifecycleStage }
}
export interface DncSpec {
  readonly phone: string
  readonly list?: string
  /** Relative to the anchor; always after it (the service refuses past expiries). */
  readonly expiresAt?: Date
}
export interface DataSpec {
  readonly agents: number
  readonly contacts: ReadonlyArray<ContactSpec>
  readonly dnc: ReadonlyArray<DncSpec>
  /** [loser, survivor] indexes into contacts: the loser is merged into the survivor. */
  readonly merges: ReadonlyArray<readonly [number, number]>
}

/** A time `days` (may be fractional) before the anchor. */
const before = (anchor: Date, days: number) => new Date(anchor.getTime() - Math.round(days * DAY_MS))

/**
 * Random, varied data for `n` contacts, every time relative to `anchor` (the
 * suite's "now"): interactions and consent in the past, do-not-call expiries
 * in the future.
 */
export function generateData(rng: Rng, n: number, anchor: Date): DataSpec {
  const phones = phonePool()
  const contacts: ContactSpec[] = []
  for (let i = 0; i < n; i++) {
    const company = rng.chance(0.15)
    const input: Record<string, unknown> = {
      kind: company ? 'company' : 'person',
      lifecycle: rng.pick(LifecycleStage.options),
    }
    if (company) input.company = rng.pick(COMPANIES)
    else {
      if (rng.chance(0.85)) input.firstName = rng.pick(FIRST_NAMES)
      input.lastName = rng.pick(LAST_NAMES)
      if (rng.chance(0.3)) input.company = rng.pick(COMPANIES)
    }
    if (rng.chance(0.15)) input.displayName = `${rng.pick(FIRST_NAMES)} ${rng.pick(COMPANIES)}`
    if (rng.chance(0.3)) input.account = rng.pick(['A-001', 'a-002', '10', '9', 'A_01', 'A%01', 'B-7'])
    if (rng.chance(0.4)) input.externalRef = rng.pick(['ext-', 'EXT-', 'ref%', 'ref_']) + String(i)
    if (rng.chance(0.6)) {
      input.address = rng.chance(0.85) ? { country: rng.pick(COUNTRIES) } : { city: 'Nowhere' }
    }
    if (rng.chance(0.25)) input.timeZone = rng.pick(ZONES)
    const nPhones = rng.pick([0, 1, 1, 1, 2, 2, 3])
    input.phones = rng.some(phones, nPhones)
    if (rng.chance(0.6)) input.tags = rng.some(TAGS, rng.int(1, 4))
    const attributes: Record<string, string | number | boolean | null> = {}
    if (rng.chance(0.6)) attributes.plan = rng.pick(PLANS)
    if (rng.chance(0.6))
      attributes.seats = rng.chance(0.8) ? rng.int(-5, 50) : rng.pick([2.5, 0.5, -0.25, 10.75])
    if (rng.chance(0.5)) attributes.vip = rng.chance(0.5)
    if (rng.chance(0.7)) attributes.mixed = rng.pick(MIXED)
    if (rng.chance(0.5)) attributes.note = rng.pick(NOTES)
    if (rng.chance(0.3)) attributes['promo.code'] = rng.pick(['SPRING', 'spring', 'WINTER', 'A.B'])
    if (rng.chance(0.3)) attributes['risk-level'] = rng.int(0, 5)
    if (Object.keys(attributes).length) input.attributes = attributes
    const money = () => ({ amountMinor: rng.int(-5_000, 200_000), currency: rng.pick(['USD', 'EUR']) })
    if (rng.chance(0.6)) input.openBalance = rng.chance(0.1) ? { amountMinor: 0, currency: 'USD' } : money()
    if (rng.chance(0.5)) input.lifetimeValue = money()

    const interactions: InteractionSpec[] = []
    const nInteractions = rng.pick([0, 0, 1, 1, 2, 3, 4, 6])
    for (let k = 0; k < nInteractions; k++) {
      const previous = interactions.at(-1)
      const startedAt =
        previous && rng.chance(0.15)
          ? previous.startedAt // a tie: the newest is then decided by id
          : rng.chance(0.4)
            ? before(anchor, rng.int(0, 120)) // whole days: boundaries of withinDays and daysSinceLast
            : before(anchor, rng.next() * 400)
      const r = rng.next()
      const disposition =
        r < 0.5 ? rng.pick(KNOWN_DISPOSITIONS).code : r < 0.65 ? rng.pick(UNKNOWN_DISPOSITIONS) : undefined
      interactions.push({
        channel: rng.pick(CHANNELS),
        direction: rng.pick(DIRECTIONS),
        startedAt,
        ...(disposition ? { disposition } : {}),
      })
    }

    const consent: ConsentSpec[] = []
    const nConsent = rng.pick([0, 0, 1, 1, 2, 3, 4])
    for (let k = 0; k < nConsent; k++) {
      const previous = consent.at(-1)
      const capturedAt =
        previous && rng.chance(0.2) ? previous.capturedAt : before(anchor, rng.int(1, 300) + rng.next())
      const channel = previous && rng.chance(0.5) ? previous.channel : rng.pick(CONSENT_CHANNELS)
      const purpose = rng.pick(RECORDED_PURPOSES)
      const spec: ConsentSpec = {
        channel,
        purpose,
        status: rng.pick(['opted_in', 'opted_out', 'opted_out', 'unknown'] as const),
        capturedAt,
        ...(rng.chance(0.3)
          ? {
              expiresAt: new Date(capturedAt.getTime() + Math.round((rng.int(1, 400) + rng.next()) * DAY_MS)),
            }
          : {}),
      }
      consent.push(spec)
    }

    const cases: CaseStatus[] = []
    const nCases = rng.pick([0, 0, 0, 1, 1, 2, 3])
    for (let k = 0; k < nCases; k++) cases.push(rng.pick(['open', 'pending', 'solved', 'closed'] as const))

    const r = rng.next()
    const score = r < 0.65 ? rng.int(-8, 40) / 4 : r < 0.75 ? null : undefined
    const owner = rng.chance(0.5) ? rng.int(0, 2) : undefined
    const update = rng.chance(0.15)
      ? { tags: rng.some(TAGS, rng.int(0, 2)), lifecycle: rng.pick(LifecycleStage.options) }
      : undefined
    contacts.push({
      input: input as ContactInput,
      interactions,
      consent,
      cases,
      ...(score !== undefined ? { score } : {}),
      ...(owner !== undefined ? { owner } : {}),
      ...(update ? { update } : {}),
    })
  }

  const dnc: DncSpec[] = []
  for (const phone of rng.some(phones, 25)) {
    const entry: DncSpec = {
      phone,
      ...(rng.chance(0.3) ? { list: 'national' } : {}),
      ...(rng.chance(0.4)
        ? { expiresAt: new Date(anchor.getTime() + Math.round((rng.int(1, 60) + rng.next()) * DAY_MS)) }
        : {}),
    }
    dnc.push(entry)
    // Now and then a second entry for the same number, on another list.
    if (rng.chance(0.15))
      dnc.push({ phone, list: 'registry', expiresAt: new Date(anchor.getTime() + 5 * DAY_MS) })
  }

  // Merge a few contacts (with data of their own) into others.
  const merges: Array<readonly [number, number]> = []
  const used = new Set<number>()
  while (merges.length < 3) {
    const loser = rng.int(0, n - 1)
    const survivor = rng.int(0, n - 1)
    if (loser === survivor || used.has(loser) || used.has(survivor)) continue
    used.add(loser)
    used.add(survivor)
    merges.push([loser, survivor])
  }
  return { agents: 3, contacts, dnc, merges }
}

/** Values seen in the data, so that filters hit as well as miss. */
export interface Vocabulary {
  /** Field -> string values present on contacts (names, refs, owners...). */
  readonly strings: ReadonlyMap<string, ReadonlyArray<string>>
  /** ISO date-times of createdAt and updatedAt. */
  readonly dates: ReadonlyArray<string>
  readonly tags: ReadonlyArray<string>
  /** Number values of number fields (balances, scores). */
  readonly numbers: ReadonlyMap<string, ReadonlyArray<number>>
  /** Attribute name -> values present. */
  readonly attributes: ReadonlyMap<string, ReadonlyArray<string | number | boolean | null>>
  /** Plugin number fields. */
  readonly pluginNumberFields: ReadonlyArray<string>
}

const CLOSED: Record<string, ReadonlyArray<string>> = {
  kind: ['person', 'company'],
  lifecycle: LifecycleStage.options,
  'interactions.lastChannel': CHANNELS,
}
const OPEN_STRINGS = [
  'displayName',
  'firstName',
  'lastName',
  'company',
  'account',
  'externalRef',
  'ownerId',
  'country',
  'timeZone',
  'interactions.lastDisposition',
]
const NUMBER_FIELDS = ['openBalance', 'lifetimeValue', 'interactions.count', 'cases.open']
const FACT_FIELDS = new Set([
  'interactions.count',
  'interactions.lastChannel',
  'interactions.lastDisposition',
  'interactions.lastDispositionCategory',
  'interactions.daysSinceLast',
])
const STRANGE = [
  '',
  '\\',
  'a\\',
  'back\\',
  'a',
  'A',
  'Z',
  'z',
  '~',
  'é',
  'ｚ',
  '𝒜',
  '%',
  '_',
  'a%',
  'a_',
  'Ac',
  'ac',
  'Smi',
  'gold',
  '\u00ff',
]

/** The first `n` code points of a string (never a lone surrogate). */
const headOf = (s: string, n: number) => [...s].slice(0, n).join('')

/** Some string to compare a field with: a value present, a prefix of one, or a strange one. */
function someString(rng: Rng, present: ReadonlyArray<string>): string {
  const r = rng.next()
  if (present.length && r < 0.55) return rng.pick(present)
  if (present.length && r < 0.8) {
    const s = rng.pick(present)
    return headOf(s, rng.int(0, Math.max(1, [...s].length)))
  }
  return rng.pick(STRANGE)
}

function someNumber(rng: Rng, present: ReadonlyArray<number>, integers = false): number {
  const r = rng.next()
  if (present.length && r < 0.5) return rng.pick(present)
  if (present.length && r < 0.75)
    return rng.pick(present) + rng.pick(integers ? [-1, 1] : [-1, 1, 0.5, -0.25])
  return rng.pick([0, 1, 2, 3, 5, 10, 100, 1000, 50_000, -1, -100, integers ? 7 : 0.5])
}

/** One of the ways a date-time may be written: ISO with Z, without milliseconds, or with an offset. */
function writeDate(rng: Rng, iso: string): string {
  const d = new Date(iso)
  const r = rng.next()
  if (r < 0.5) return d.toISOString()
  if (r < 0.7 && d.getUTCMilliseconds() === 0) return d.toISOString().replace('.000Z', 'Z')
  const offsetMin = rng.pick([60, -300, 330])
  const local = new Date(d.getTime() + offsetMin * 60_000).toISOString().slice(0, 23)
  const sign = offsetMin < 0 ? '-' : '+'
  const abs = Math.abs(offsetMin)
  return `${local}${sign}${String(Math.floor(abs / 60)).padStart(2, '0')}:${String(abs % 60).padStart(2, '0')}`
}

function someDate(rng: Rng, vocab: Vocabulary): string {
  const base = vocab.dates.length ? rng.pick(vocab.dates) : new Date().toISOString()
  const shift = rng.pick([0, 0, 0, 1, -1, 1000, -60_000, 3_600_000])
  return writeDate(rng, new Date(new Date(base).getTime() + shift).toISOString())
}

type Kind = 'string' | 'number' | 'boolean'

function valuesFor(
  rng: Rng,
  kind: Kind,
  one: () => SegmentScalar,
  op: SegmentCondition['op'],
): Partial<SegmentCondition> {
  if (op === 'exists') return {}
  if (op === 'in') return { values: Array.from({ length: rng.int(1, 4) }, one) }
  if (op === 'between') {
    let min = one()
    let max = one()
    // Mostly in order; now and then reversed (an empty range).
    const o =
      kind === 'number' ? (min as number) - (max as number) : compareCodePoints(String(min), String(max))
    if (o > 0 && rng.chance(0.85)) [min, max] = [max, min]
    return { min, max }
  }
  return { value: one() }
}

const ORDERED_OPS = ['lt', 'lte', 'gt', 'gte', 'between'] as const
const ALL_STRING_OPS = ['eq', 'ne', 'in', 'exists', 'prefix', ...ORDERED_OPS] as const
const ALL_NUMBER_OPS = ['eq', 'ne', 'in', 'exists', ...ORDERED_OPS] as const

function factParams(rng: Rng, c: Record<string, unknown>) {
  if (rng.chance(0.45)) c.withinDays = rng.pick([1, 2, 3, 7, 10, 14, 30, 45, 60, 90, 120, 180, 365, 400])
  if (rng.chance(0.3)) c.channel = rng.pick(CHANNELS)
  if (rng.chance(0.25)) c.direction = rng.pick(DIRECTIONS)
}

/** A random condition over every field of the language (built-in, attribute and plugin). */
export function generateCondition(rng: Rng, vocab: Vocabulary): SegmentCondition {
  const attributeNames = [...vocab.attributes.keys(), 'absent']
  const family = rng.pick([
    'closed',
    'open',
    'open',
    'date',
    'number',
    'number',
    'tags',
    'tags',
    'consent',
    'consent',
    'dnc',
    'category',
    'daysSinceLast',
    'attribute',
    'attribute',
    'attribute',
    'plugin',
  ] as const)
  const c: Record<string, unknown> = {}
  switch (family) {
    case 'closed': {
      const field = rng.pick(Object.keys(CLOSED))
      const closed = CLOSED[field]!
      const op = rng.pick(ALL_STRING_OPS)
      c.field = field
      c.op = op
      const loose = op === 'prefix' || (ORDERED_OPS as ReadonlyArray<string>).includes(op)
      Object.assign(
        c,
        valuesFor(
          rng,
          'string',
          () => (loose && rng.chance(0.4) ? someString(rng, closed) : rng.pick(closed)),
          op,
        ),
      )
      if (FACT_FIELDS.has(field)) factParams(rng, c)
      break
    }
    case 'open': {
      const field = rng.pick(OPEN_STRINGS)
      const present = vocab.strings.get(field) ?? []
      c.field = field
      c.op = rng.pick(ALL_STRING_OPS)
      Object.assign(
        c,
        valuesFor(rng, 'string', () => someString(rng, present), c.op as SegmentCondition['op']),
      )
      if (FACT_FIELDS.has(field)) factParams(rng, c)
      break
    }
    case 'date': {
      c.field = rng.pick(['createdAt', 'updatedAt'])
      c.op = rng.chance(0.05) ? 'prefix' : rng.pick(ALL_NUMBER_OPS)
      Object.assign(
        c,
        valuesFor(rng, 'string', () => someDate(rng, vocab), c.op as SegmentCondition['op']),
      )
      break
    }
    case 'number': {
      const field = rng.pick(NUMBER_FIELDS)
      const integers = field === 'interactions.count' || field === 'cases.open'
      const present =
        vocab.numbers.get(field) ?? (field === 'interactions.count' ? [0, 1, 2, 3, 4, 6] : [0, 1, 2, 3])
      c.field = field
      c.op = rng.pick(ALL_NUMBER_OPS)
      Object.assign(
        c,
        valuesFor(rng, 'number', () => someNumber(rng, present, integers), c.op as SegmentCondition['op']),
      )
      if (FACT_FIELDS.has(field)) factParams(rng, c)
      break
    }
    case 'tags': {
      c.field = 'tags'
      c.op = rng.pick(['eq', 'ne', 'in', 'exists', 'prefix'] as const)
      Object.assign(
        c,
        valuesFor(
          rng,
          'string',
          () => (rng.chance(0.8) ? rng.pick(vocab.tags) : someString(rng, vocab.tags)),
          c.op as SegmentCondition['op'],
        ),
      )
      break
    }
    case 'consent': {
      c.field = 'consent'
      c.op = rng.pick(['eq', 'eq', 'ne', 'in'] as const)
      Object.assign(
        c,
        valuesFor(
          rng,
          'string',
          () => rng.pick(['opted_in', 'opted_out', 'unknown']),
          c.op as SegmentCondition['op'],
        ),
      )
      c.channel = rng.chance(0.9) ? rng.pick(CONSENT_CHANNELS) : rng.pick(CHANNELS)
      c.purpose = rng.chance(0.93) ? rng.pick(ASKED_PURPOSES) : '*'
      break
    }
    case 'dnc': {
      c.field = 'doNotCall'
      c.op = rng.pick(['eq', 'ne'] as const)
      c.value = rng.chance(0.5)
      break
    }
    case 'category': {
      c.field = 'interactions.lastDispositionCategory'
      c.op = rng.pick(['eq', 'ne', 'in', 'exists'] as const)
      Object.assign(
        c,
        valuesFor(
          rng,
          'string',
          () =>
            rng.chance(0.8) ? rng.pick(KNOWN_DISPOSITIONS).category : rng.pick(DispositionCategory.options),
          c.op as SegmentCondition['op'],
        ),
      )
      factParams(rng, c)
      break
    }
    case 'daysSinceLast': {
      c.field = 'interactions.daysSinceLast'
      c.op = rng.pick(['lt', 'lte', 'gt', 'gte', 'between', 'exists'] as const)
      Object.assign(
        c,
        valuesFor(
          rng,
          'number',
          () => rng.pick([0, 1, 2, 3, 5, 7, 10, 20, 30, 45, 60, 90, 120, 200, 365, 400, 500]),
          c.op as SegmentCondition['op'],
        ),
      )
      factParams(rng, c)
      break
    }
    case 'attribute': {
      const name = rng.pick(attributeNames)
      const present = vocab.attributes.get(name) ?? []
      const kinds: Kind[] = ['string', 'number', 'boolean']
      // Mostly the type the attribute holds; now and then another one (which never matches).
      const typical = present.find((v) => v !== null)
      const kind: Kind =
        typical !== undefined && rng.chance(0.75) ? (typeof typical as Kind) : rng.pick(kinds)
      c.field = `attributes.${name}`
      if (kind === 'boolean') {
        c.op = rng.pick(['eq', 'ne', 'exists'] as const)
        if (c.op !== 'exists') c.value = rng.chance(0.5)
      } else if (kind === 'number') {
        c.op = rng.pick(ALL_NUMBER_OPS)
        const nums = present.filter((v): v is number => typeof v === 'number')
        Object.assign(
          c,
          valuesFor(rng, 'number', () => someNumber(rng, nums), c.op as SegmentCondition['op']),
        )
      } else {
        c.op = rng.pick(ALL_STRING_OPS)
        const strs = present.filter((v): v is string => typeof v === 'string')
        Object.assign(
          c,
          valuesFor(rng, 'string', () => someString(rng, strs), c.op as SegmentCondition['op']),
        )
      }
      break
    }
    case 'plugin': {
      const field = rng.pick(vocab.pluginNumberFields)
      c.field = field
      c.op = rng.pick(ALL_NUMBER_OPS)
      const present = vocab.numbers.get(field) ?? []
      Object.assign(
        c,
        valuesFor(rng, 'number', () => someNumber(rng, present), c.op as SegmentCondition['op']),
      )
      break
    }
  }
  return c as unknown as SegmentCondition
}

/** A random valid filter: and / or / not nested up to `depth` levels over random conditions. */
export function generateFilter(rng: Rng, vocab: Vocabulary, depth = 3): SegmentFilter {
  const r = rng.next()
  if (depth > 0 && r < 0.5) {
    const kind = rng.pick(['and', 'or', 'not', 'and', 'or'] as const)
    if (kind === 'not') return { not: generateFilter(rng, vocab, depth - 1) }
    const children = Array.from({ length: rng.int(1, 3) }, () => generateFilter(rng, vocab, depth - 1))
    return kind === 'and' ? { and: children } : { or: children }
  }
  return generateCondition(rng, vocab)
}

/** `generateFilter`, checked against the schema (a generator bug must not pass as a backend bug). */
export function validFilter(rng: Rng, vocab: Vocabulary, depth = 3): SegmentFilter {
  const f = generateFilter(rng, vocab, depth)
  const parsed = SegmentFilter.safeParse(f)
  if (!parsed.success) {
    throw new Error(`generated an invalid filter ${JSON.stringify(f)}: ${parsed.error.message}`)
  }
  return f
}

/** What filters compare with, taken from the data as stored. */
export function vocabularyOf(world: SegmentWorld): Vocabulary {
  const strings = new Map<string, string[]>()
  const add = (field: string, v: unknown) => {
    if (typeof v !== 'string') return
    const list = strings.get(field) ?? []
    if (!list.includes(v)) list.push(v)
    strings.set(field, list)
  }
  const dates: string[] = []
  const tags = new Set<string>(TAGS)
  const numbers = new Map<string, number[]>()
  const addNumber = (field: string, v: unknown) => {
    if (typeof v !== 'number') return
    const list = numbers.get(field) ?? []
    if (!list.includes(v)) list.push(v)
    numbers.set(field, list)
  }
  const attributes = new Map<string, Array<string | number | boolean | null>>()
  for (const c of world.contacts) {
    for (const f of [
      'displayName',
      'firstName',
      'lastName',
      'company',
      'account',
      'externalRef',
      'ownerId',
      'timeZone',
    ])
      add(f, (c as unknown as Record<string, unknown>)[f])
    add('country', c.address?.country)
    dates.push(c.createdAt.toISOString(), c.updatedAt.toISOString())
    for (const t of c.tags) tags.add(t)
    addNumber('openBalance', c.openBalance?.amountMinor)
    addNumber('lifetimeValue', c.lifetimeValue?.amountMinor)
    for (const [k, v] of Object.entries(c.attributes)) {
      const list = attributes.get(k) ?? []
      if (!list.includes(v)) list.push(v)
      attributes.set(k, list)
    }
  }
  for (const i of world.interactions) add('interactions.lastDisposition', i.disposition)
  for (const [field, values] of world.pluginFields) for (const v of values.values()) addNumber(field, v)
  return {
    strings,
    dates,
    tags: [...tags],
    numbers,
    attributes,
    pluginNumberFields: [...world.pluginFields.keys()],
  }
}
