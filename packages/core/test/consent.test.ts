import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import {
  type CallingWindow,
  type ConsentRecord,
  type Contact,
  type DecisionInput,
  type DoNotCallEntry,
  decide,
  regimes,
  type TenantId,
} from '../src/domain/index.js'
import { prepareContact } from '../src/quality/index.js'

const t = 't' as TenantId
const contact = (() => {
  const r = prepareContact({ firstName: 'Ana', phones: ['+34612345678'] }, { tenantId: t, now: new Date() })
  if (!r.ok) throw new Error('fixture')
  return r.contact
})()
const record = (over: Partial<ConsentRecord>): ConsentRecord =>
  ({
    id: 'co_1',
    tenantId: t,
    contactId: contact.id,
    channel: 'voice',
    purpose: 'marketing',
    status: 'opted_in',
    source: 'form',
    capturedAt: new Date('2026-01-01T00:00:00Z'),
    createdAt: new Date('2026-01-01T00:00:00Z'),
    updatedAt: new Date('2026-01-01T00:00:00Z'),
    ...over,
  }) as ConsentRecord
// Wednesday 2026-03-11 12:00 in Madrid
const noon = new Date('2026-03-11T11:00:00Z')
const marketing = { key: 'marketing', requiresOptIn: false }
const codes = (
  c: Contact | undefined,
  history: ConsentRecord[] = [],
  dnc: DoNotCallEntry[] = [],
  extra: Partial<DecisionInput> = {},
) =>
  decide({ contact: c, history, dnc, channel: 'voice', purpose: marketing, at: noon, ...extra }).reasons.map(
    (r) => r.code,
  )

describe('the consent decision', () => {
  it('allows when nothing forbids', () => expect(codes(contact)).toEqual([]))
  it('refuses an unknown contact', () => expect(codes(undefined)).toEqual(['contact_not_found']))
  it('refuses without a phone for voice', () => {
    expect(codes({ ...contact, phones: [] })).toEqual(['no_address_for_channel'])
  })
  it('refuses after an opt-out for the purpose or for all purposes', () => {
    expect(codes(contact, [record({ status: 'opted_out' })])).toEqual(['opted_out'])
    expect(codes(contact, [record({ status: 'opted_out', purpose: '*' })])).toEqual(['opted_out'])
    expect(codes(contact, [record({ status: 'opted_out', purpose: 'collections' })])).toEqual([])
  })
  it('takes the latest entry in force at the time asked; an opt-out wins a tie', () => {
    const history = [
      record({ status: 'opted_out' }),
      record({ status: 'opted_in', capturedAt: new Date('2026-02-01T00:00:00Z') }),
    ]
    expect(codes(contact, history)).toEqual([])
    expect(codes(contact, history, [], { at: new Date('2026-01-15T11:00:00Z') })).toEqual(['opted_out'])
    expect(codes(contact, [record({ status: 'opted_in' }), record({ status: 'opted_out' })])).toEqual([
      'opted_out',
    ])
    expect(codes(contact, [record({ status: 'opted_out' }), record({ status: 'opted_in' })])).toEqual([
      'opted_out',
    ])
  })
  it('needs an opt-in when the purpose or the regime requires it, and refuses an expired one', () => {
    const needs = { purpose: { key: 'marketing', requiresOptIn: true } }
    expect(codes(contact, [], [], needs)).toEqual(['no_opt_in'])
    expect(codes(contact, [], [], { regime: regimes.ES })).toEqual(['no_opt_in'])
    expect(codes(contact, [record({ expiresAt: new Date('2026-03-01T00:00:00Z') })], [], needs)).toEqual([
      'consent_expired',
    ])
    expect(codes(contact, [record({})], [], needs)).toEqual([])
  })
  it('refuses numbers on a do-not-call list unless the entry expired', () => {
    const entry = { phone: contact.phones[0]!.e164, list: 'robinson' } as DoNotCallEntry
    expect(codes(contact, [], [entry])).toEqual(['do_not_call'])
    expect(
      codes(contact, [], [{ ...entry, expiresAt: new Date('2026-01-01T00:00:00Z') } as DoNotCallEntry]),
    ).toEqual([])
  })
  it("applies the regime's windows and holidays in the contact's zone", () => {
    const es = { regime: { ...regimes.ES, requiresOptIn: false } }
    expect(codes(contact, [], [], es)).toEqual([])
    expect(codes(contact, [], [], { ...es, at: new Date('2026-03-14T11:00:00Z') })).toEqual([
      'non_calling_day',
    ])
    expect(codes(contact, [], [], { ...es, at: new Date('2026-03-11T07:30:00Z') })).toEqual([
      'outside_calling_hours',
    ]) // 08:30
    expect(codes(contact, [], [], { regime: { ...es.regime, holidays: ['2026-03-11'] } })).toEqual([
      'holiday',
    ])
  })
  it('refuses when the zone cannot be known, instead of assuming UTC', () => {
    const jakarta = { ...contact, timeZone: undefined, timeZoneCandidates: undefined } as unknown as Contact
    // 2026-03-11 20:00 UTC is 03:00 in Jakarta: no zone means no call.
    expect(codes(jakarta, [], [], { at: new Date('2026-03-11T20:00:00Z') })).toEqual(['unknown_time_zone'])
  })
  it('checks every candidate zone when the zone is not known for sure', () => {
    const split = {
      ...contact,
      timeZone: undefined,
      timeZoneCandidates: ['America/New_York', 'America/Chicago'],
    } as Contact
    // 12:30 UTC: 08:30 in New York, 07:30 in Chicago.
    expect(codes(split, [], [], { at: new Date('2026-03-11T12:30:00Z') })).toEqual(['outside_calling_hours'])
    expect(codes(split, [], [], { at: new Date('2026-03-11T14:30:00Z') })).toEqual([])
  })
  it('does not apply calling hours to e-mail', () => {
    const r = prepareContact({ firstName: 'E', emails: ['e@example.com'] }, { tenantId: t, now: new Date() })
    expect(
      r.ok &&
        decide({
          contact: r.contact,
          history: [],
          dnc: [],
          channel: 'email',
          purpose: marketing,
          at: new Date('2026-03-11T02:00:00Z'),
        }).allowed,
    ).toBe(true)
  })
})

// --- property test: the decision never allows what a plain reference model forbids ---------------

const ZONES = ['Europe/Madrid', 'America/New_York', 'America/Chicago', 'Asia/Jakarta'] as const
const CHANNELS = ['voice', 'sms', 'email'] as const
const PURPOSES = ['marketing', 'collections', '*'] as const
const YEAR = Date.UTC(2026, 0, 1)
const instant = fc.integer({ min: 0, max: 365 * 86_400 - 1 }).map((s) => new Date(YEAR + s * 1000))

/** Local date and minutes after midnight, computed apart from the code under test. */
function wallClock(at: Date, zone: string) {
  const p = Object.fromEntries(
    new Intl.DateTimeFormat('en-GB', {
      timeZone: zone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      weekday: 'short',
      hourCycle: 'h23',
    })
      .formatToParts(at)
      .map((x) => [x.type, x.value]),
  )
  const weekday = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'].indexOf(p.weekday!)
  return { date: `${p.year}-${p.month}-${p.day}`, weekday, minutes: Number(p.hour) * 60 + Number(p.minute) }
}

const mins = (hhmm: string) => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3))

/** The reference: every rule written as plainly as possible. */
function referenceForbids(i: DecisionInput): boolean {
  const c = i.contact
  if (!c) return true
  const phone = c.phones.find((p) => p.primary)?.e164
  const phoneChannel = i.channel === 'voice' || i.channel === 'sms'
  if (phoneChannel && !phone) return true
  if (i.channel === 'email' && c.emails.length === 0) return true
  const relevant = i.history.filter(
    (r) =>
      r.channel === i.channel && (r.purpose === i.purpose.key || r.purpose === '*') && r.capturedAt <= i.at,
  )
  const last = Math.max(...relevant.map((r) => r.capturedAt.getTime()))
  const atLast = relevant.filter((r) => r.capturedAt.getTime() === last)
  const latest = atLast.find((r) => r.status === 'opted_out') ?? atLast[0]
  const inForce = latest && (!latest.expiresAt || latest.expiresAt > i.at)
  if (latest?.status === 'opted_out' && inForce) return true
  const needsOptIn = i.purpose.requiresOptIn || !!i.regime?.requiresOptIn
  if (needsOptIn && !(latest?.status === 'opted_in' && inForce)) return true
  if (phoneChannel && i.dnc.some((e) => e.phone === phone && (!e.expiresAt || e.expiresAt > i.at)))
    return true
  if (phoneChannel) {
    const zones = c.timeZone ? [c.timeZone] : (c.timeZoneCandidates ?? [])
    if (!zones.length) return true
    const windows = i.regime?.callingWindows ?? [
      { days: [0, 1, 2, 3, 4, 5, 6], start: '08:00', end: '21:00' },
    ]
    for (const z of zones) {
      const w = wallClock(i.at, z)
      if (i.regime?.holidays.includes(w.date)) return true
      if (
        !windows.some(
          (x) => x.days.includes(w.weekday) && w.minutes >= mins(x.start) && w.minutes < mins(x.end),
        )
      )
        return true
    }
  }
  return false
}

const hhmm = (m: number) =>
  `${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`
const windowArb: fc.Arbitrary<CallingWindow> = fc
  .tuple(
    fc.integer({ min: 0, max: 23 * 60 }),
    fc.integer({ min: 1, max: 14 * 60 }),
    fc.subarray([0, 1, 2, 3, 4, 5, 6], { minLength: 1 }),
  )
  .map(([start, len, days]) => ({ days, start: hhmm(start), end: hhmm(Math.min(start + len, 23 * 60 + 59)) }))

const inputArb: fc.Arbitrary<DecisionInput> = fc
  .record({
    zone: fc.oneof(
      fc.constantFrom(...ZONES).map((z) => ({ timeZone: z })),
      fc.constant({ timeZoneCandidates: ['America/New_York', 'America/Chicago'] }),
      fc.constant({}),
    ),
    hasPhone: fc.boolean(),
    hasEmail: fc.boolean(),
    history: fc.array(
      fc.record({
        channel: fc.constantFrom(...CHANNELS),
        purpose: fc.constantFrom(...PURPOSES),
        status: fc.constantFrom('opted_in', 'opted_out', 'unknown'),
        capturedAt: instant,
        expiresIn: fc.option(fc.integer({ min: 1, max: 200 * 86_400 }), { nil: undefined }),
      }),
      { maxLength: 8 },
    ),
    dnc: fc.array(fc.record({ ours: fc.boolean(), expiresAt: fc.option(instant, { nil: undefined }) }), {
      maxLength: 2,
    }),
    channel: fc.constantFrom(...CHANNELS),
    purpose: fc.record({ key: fc.constantFrom('marketing', 'collections'), requiresOptIn: fc.boolean() }),
    at: instant,
    regime: fc.option(
      fc.record({
        name: fc.constant('R'),
        callingWindows: fc.array(windowArb, { minLength: 1, maxLength: 2 }),
        holidays: fc.array(
          instant.map((d) => d.toISOString().slice(0, 10)),
          { maxLength: 3 },
        ),
        requiresOptIn: fc.boolean(),
      }),
      { nil: undefined },
    ),
  })
  .map((g) => {
    const c: Contact = {
      ...contact,
      timeZone: undefined,
      timeZoneCandidates: undefined,
      ...g.zone,
      phones: g.hasPhone ? contact.phones : [],
      emails: g.hasEmail ? [{ address: 'a@example.com', primary: true, verified: false }] : [],
    } as unknown as Contact
    return {
      contact: c,
      history: g.history.map((h, n) =>
        record({
          id: `co_${n}` as ConsentRecord['id'],
          channel: h.channel,
          purpose: h.purpose,
          status: h.status as ConsentRecord['status'],
          capturedAt: h.capturedAt,
          ...(h.expiresIn ? { expiresAt: new Date(h.capturedAt.getTime() + h.expiresIn * 1000) } : {}),
        }),
      ),
      dnc: g.dnc.map(
        (d) =>
          ({
            phone: d.ours ? contact.phones[0]!.e164 : '+34600000000',
            list: 'internal',
            ...(d.expiresAt ? { expiresAt: d.expiresAt } : {}),
          }) as DoNotCallEntry,
      ),
      channel: g.channel,
      purpose: g.purpose,
      at: g.at,
      ...(g.regime ? { regime: g.regime } : {}),
    }
  })

describe('property: canContact never allows what the reference model forbids', () => {
  it('over random histories of opt-ins, opt-outs, expiries, do-not-call entries, zones and times', () => {
    fc.assert(
      fc.property(inputArb, (input) => {
        const d = decide(input)
        if (referenceForbids(input)) expect(d.allowed).toBe(false)
        // And it does not refuse what the model allows (a decision that always says no is useless).
        else expect(d.reasons).toEqual([])
      }),
      { numRuns: 3000, seed: 20261202 },
    )
  })
})
