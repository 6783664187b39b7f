import type {
  Case,
  ConsentRecord,
  Contact,
  ContactId,
  DoNotCallEntry,
  Interaction,
  SegmentCondition,
  SegmentFilter,
  TenantId,
} from '@switchboard/core'
import { SegmentFilter as FilterSchema } from '@switchboard/core'
import { describe, expect, it } from 'vitest'
import { DAY_MS, generateData, Rng, validFilter, vocabularyOf } from './generate.js'
import {
  compareCodePoints,
  evaluate,
  evaluateCondition,
  explainReference,
  referenceMembers,
  type SegmentWorld,
} from './reference.js'

/** A plugin field (declared by the scores plugin, not in `SegmentFields`). */
const SCORE = 'scores.score' as SegmentCondition['field']
const NOW = new Date('2026-03-11T15:00:00.000Z')
const T = 'tn' as TenantId
const ago = (days: number) => new Date(NOW.getTime() - days * DAY_MS)

const contact = (id: string, extra: Partial<Contact> = {}): Contact => ({
  id: id as ContactId,
  tenantId: T,
  kind: 'person',
  displayName: id,
  phones: [],
  emails: [],
  lifecycle: 'lead',
  tags: [],
  attributes: {},
  createdAt: new Date('2026-01-01T00:00:00.000Z'),
  updatedAt: new Date('2026-02-01T00:00:00.000Z'),
  ...extra,
})

const interaction = (id: string, contactId: string, startedAt: Date, extra: Partial<Interaction> = {}) =>
  ({
    id,
    tenantId: T,
    contactId,
    channel: 'voice',
    direction: 'outbound',
    startedAt,
    durations: { ringSec: 0, talkSec: 0, holdSec: 0, wrapSec: 0 },
    recordingIds: [],
    createdAt: startedAt,
    updatedAt: startedAt,
    ...extra,
  }) as Interaction

const consent = (id: string, contactId: string, extra: Partial<ConsentRecord>) =>
  ({
    id,
    tenantId: T,
    contactId,
    channel: 'voice',
    purpose: 'marketing',
    status: 'opted_in',
    source: 'test',
    capturedAt: ago(10),
    createdAt: NOW,
    updatedAt: NOW,
    ...extra,
  }) as ConsentRecord

const phone = (e164: string): Contact['phones'][number] => ({
  e164: e164 as Contact['phones'][number]['e164'],
  type: 'mobile',
  primary: true,
  verified: false,
})

const a = contact('ct_a', {
  displayName: '𝒜 alpha',
  phones: [phone('+14155550100')],
  tags: ['vip', 'a_b'],
  attributes: { n: 5, s: 'x', b: true, one: 1, nul: null },
  openBalance: { amountMinor: 1200, currency: 'USD' },
  address: { country: 'ES' },
})
const b = contact('ct_b', {
  displayName: 'ｚ zeta',
  phones: [phone('+14155550101')],
  attributes: { n: '5', s: 5, one: true },
})
const merged = contact('ct_m', { attributes: { n: 5 }, mergedInto: 'ct_a' as ContactId })

const world: SegmentWorld = {
  contacts: [a, b, merged],
  interactions: [
    interaction('in_1', 'ct_a', ago(3), { disposition: 'SALE' }),
    interaction('in_2', 'ct_a', ago(1), { channel: 'sms', disposition: 'ODD' }),
    interaction('in_3', 'ct_a', ago(1), { channel: 'email', direction: 'inbound', disposition: 'NOANS' }),
    interaction('in_4', 'ct_b', ago(40), { disposition: 'SALE' }),
  ],
  consent: [
    consent('co_1', 'ct_a', { purpose: '*', status: 'opted_out', capturedAt: ago(5) }),
    consent('co_2', 'ct_a', { status: 'opted_in', capturedAt: ago(5) }),
    consent('co_3', 'ct_a', { channel: 'sms', capturedAt: ago(2), expiresAt: ago(1) }),
    consent('co_4', 'ct_b', {
      purpose: 'sales',
      status: 'opted_out',
      capturedAt: ago(2),
      expiresAt: ago(-1),
    }),
  ],
  dnc: [
    {
      id: 'dn_1',
      tenantId: T,
      phone: '+14155550100',
      list: 'internal',
      source: 't',
      createdAt: NOW,
      updatedAt: NOW,
    },
    {
      id: 'dn_2',
      tenantId: T,
      phone: '+14155550101',
      list: 'national',
      source: 't',
      expiresAt: NOW,
      createdAt: NOW,
      updatedAt: NOW,
    },
  ] as DoNotCallEntry[],
  cases: [
    { id: 'cs_1', contactId: 'ct_a', status: 'open' },
    { id: 'cs_2', contactId: 'ct_a', status: 'pending' },
    { id: 'cs_3', contactId: 'ct_a', status: 'solved' },
  ] as unknown as Case[],
  pluginFields: new Map([
    [
      'scores.score',
      new Map<string, number | null>([
        ['ct_a', 2.5],
        ['ct_b', null],
      ]),
    ],
  ]),
  dispositionCategories: new Map([
    ['SALE', 'sale'],
    ['NOANS', 'no_answer'],
  ]),
}

const holds = (c: SegmentCondition, who: Contact = a, now = NOW) => evaluateCondition(c, world, who, now)
const members = (f: SegmentFilter, now = NOW) => referenceMembers(f, world, now)

describe('segment reference evaluator', () => {
  it('orders strings by code point, not by UTF-16 unit', () => {
    expect('𝒜' < 'ｚ').toBe(true) // JS compares surrogate 0xD835 with 0xFF5A
    expect(compareCodePoints('𝒜', 'ｚ')).toBe(1)
    expect(compareCodePoints('ab', 'abc')).toBe(-1)
    expect(compareCodePoints('abc', 'abc')).toBe(0)
    expect(compareCodePoints('B', 'a')).toBe(-1)
    expect(members({ field: 'displayName', op: 'gt', value: 'ｚ' })).toEqual(['ct_a', 'ct_b'])
  })

  it('treats a missing or mistyped value as false for every op, and not as true', () => {
    expect(members({ field: 'attributes.n', op: 'eq', value: 5 })).toEqual(['ct_a'])
    expect(members({ field: 'attributes.n', op: 'ne', value: 5 })).toEqual([])
    expect(members({ field: 'attributes.n', op: 'ne', value: '5' })).toEqual([])
    expect(members({ not: { field: 'attributes.n', op: 'eq', value: 5 } })).toEqual(['ct_b'])
    expect(members({ field: 'attributes.nul', op: 'exists' })).toEqual([])
    expect(members({ field: 'attributes.n', op: 'exists' })).toEqual(['ct_a', 'ct_b'])
    expect(members({ field: 'attributes.s', op: 'gt', value: 4 })).toEqual(['ct_b'])
    expect(members({ field: 'attributes.one', op: 'eq', value: true })).toEqual(['ct_b'])
    expect(members({ field: 'attributes.b', op: 'in', values: [true] })).toEqual(['ct_a'])
    expect(members({ field: 'country', op: 'ne', value: 'US' })).toEqual(['ct_a'])
    expect(members({ field: 'openBalance', op: 'between', min: 1200, max: 1200 })).toEqual(['ct_a'])
  })

  it('never counts a merged contact', () => {
    expect(evaluate({ not: { field: 'tags', op: 'exists' } }, world, merged, NOW)).toBe(false)
    expect(members({ not: { field: 'attributes.zz', op: 'exists' } })).toEqual(['ct_a', 'ct_b'])
  })

  it('tags: has, has not, any, some, a prefix', () => {
    expect(holds({ field: 'tags', op: 'eq', value: 'vip' })).toBe(true)
    expect(holds({ field: 'tags', op: 'ne', value: 'vip' }, b)).toBe(true)
    expect(holds({ field: 'tags', op: 'in', values: ['x', 'a_b'] })).toBe(true)
    expect(holds({ field: 'tags', op: 'exists' }, b)).toBe(false)
    expect(holds({ field: 'tags', op: 'prefix', value: 'a_' })).toBe(true)
    expect(holds({ field: 'tags', op: 'prefix', value: 'V' })).toBe(false)
  })

  it('consent: the latest record by time then id, "*" counts, expired is unknown', () => {
    const q = (status: string, extra: Partial<SegmentCondition> = {}) =>
      holds({ field: 'consent', op: 'eq', value: status, channel: 'voice', purpose: 'marketing', ...extra })
    // co_1 ('*', opted_out) and co_2 (opted_in) tie on capturedAt: co_2 has the larger id.
    expect(q('opted_in')).toBe(true)
    expect(q('opted_out', { purpose: 'sales' })).toBe(true)
    expect(q('unknown', { channel: 'sms' })).toBe(true) // expired
    expect(q('unknown', { channel: 'email' })).toBe(true) // none
    expect(
      holds({ field: 'consent', op: 'eq', value: 'opted_out', channel: 'voice', purpose: 'sales' }, b),
    ).toBe(true)
    expect(
      holds({ field: 'consent', op: 'eq', value: 'unknown', channel: 'voice', purpose: 'sales' }, b, ago(-1)),
    ).toBe(true)
  })

  it('doNotCall: an unexpired entry of any list on one of its numbers', () => {
    expect(holds({ field: 'doNotCall', op: 'eq', value: true })).toBe(true)
    expect(holds({ field: 'doNotCall', op: 'eq', value: false }, b)).toBe(true) // expiresAt == now
    expect(holds({ field: 'doNotCall', op: 'eq', value: true }, b, ago(0.001))).toBe(true)
  })

  it('interactions: windows, channel, direction; the newest by time then id', () => {
    expect(holds({ field: 'interactions.count', op: 'eq', value: 3 })).toBe(true)
    expect(holds({ field: 'interactions.count', op: 'eq', value: 3, withinDays: 3 })).toBe(true) // inclusive
    expect(holds({ field: 'interactions.count', op: 'eq', value: 2, withinDays: 2 })).toBe(true)
    expect(holds({ field: 'interactions.count', op: 'eq', value: 0, channel: 'chat' })).toBe(true)
    // in_2 and in_3 tie on startedAt: in_3 has the larger id.
    expect(holds({ field: 'interactions.lastChannel', op: 'eq', value: 'email' })).toBe(true)
    expect(holds({ field: 'interactions.lastDispositionCategory', op: 'eq', value: 'no_answer' })).toBe(true)
    expect(
      holds({
        field: 'interactions.lastDispositionCategory',
        op: 'exists',
        direction: 'outbound',
        withinDays: 2,
      }),
    ).toBe(false) // in_2's code ODD is unknown
    expect(holds({ field: 'interactions.lastDisposition', op: 'eq', value: 'ODD', channel: 'sms' })).toBe(
      true,
    )
    expect(holds({ field: 'interactions.daysSinceLast', op: 'between', min: 1, max: 1 })).toBe(true)
    expect(holds({ field: 'interactions.daysSinceLast', op: 'gt', value: 2.5, channel: 'voice' })).toBe(true)
    expect(holds({ field: 'interactions.daysSinceLast', op: 'exists', channel: 'chat' })).toBe(false)
    expect(holds({ field: 'interactions.lastChannel', op: 'ne', value: 'voice', channel: 'chat' })).toBe(
      false,
    )
  })

  it('cases, plugin fields and dates', () => {
    expect(holds({ field: 'cases.open', op: 'eq', value: 2 })).toBe(true)
    expect(holds({ field: 'cases.open', op: 'eq', value: 0 }, b)).toBe(true)
    expect(holds({ field: SCORE, op: 'gte', value: 2.5 })).toBe(true)
    expect(holds({ field: SCORE, op: 'exists' }, b)).toBe(false)
    expect(holds({ field: 'createdAt', op: 'eq', value: '2026-01-01T01:00:00+01:00' })).toBe(true)
    expect(holds({ field: 'updatedAt', op: 'lt', value: '2026-02-01T00:00:00.001Z' })).toBe(true)
  })

  it('explains every node', () => {
    const f: SegmentFilter = {
      and: [
        { field: 'tags', op: 'eq', value: 'vip' },
        { not: { field: 'attributes.n', op: 'eq', value: 5 } },
      ],
    }
    expect(explainReference(f, world, a, NOW)).toEqual({
      kind: 'and',
      matched: false,
      children: [
        { kind: 'condition', condition: { field: 'tags', op: 'eq', value: 'vip' }, matched: true },
        {
          kind: 'not',
          matched: false,
          child: {
            kind: 'condition',
            condition: { field: 'attributes.n', op: 'eq', value: 5 },
            matched: true,
          },
        },
      ],
    })
  })
})

describe('segment generator', () => {
  it('makes valid filters, the same ones for the same seed', () => {
    const anchor = new Date('2026-03-11T15:00:00Z')
    const spec = generateData(new Rng(7), 40, anchor)
    expect(spec.contacts).toHaveLength(40)
    expect(generateData(new Rng(7), 40, anchor)).toEqual(spec)
    const vocab = vocabularyOf(world)
    const one = new Rng(11)
    const two = new Rng(11)
    const fields = new Set<string>()
    for (let i = 0; i < 2000; i++) {
      const f = validFilter(one, vocab)
      expect(FilterSchema.safeParse(f).success).toBe(true)
      expect(validFilter(two, vocab)).toEqual(f)
      const walk = (n: SegmentFilter): void => {
        if ('and' in n) n.and.forEach(walk)
        else if ('or' in n) n.or.forEach(walk)
        else if ('not' in n) walk(n.not)
        else fields.add(n.field.startsWith('attributes.') ? 'attributes.*' : n.field)
      }
      walk(f)
    }
    expect([...fields].sort()).toEqual(
      [
        'account',
        'attributes.*',
        'cases.open',
        'company',
        'consent',
        'country',
        'createdAt',
        'displayName',
        'doNotCall',
        'externalRef',
        'firstName',
        'interactions.count',
        'interactions.daysSinceLast',
        'interactions.lastChannel',
        'interactions.lastDisposition',
        'interactions.lastDispositionCategory',
        'kind',
        'lastName',
        'lifecycle',
        'lifetimeValue',
        'openBalance',
        'ownerId',
        'scores.score',
        'tags',
        'timeZone',
        'updatedAt',
      ].sort(),
    )
  })
})
