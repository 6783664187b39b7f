import { describe, expect, it } from 'vitest'
import type { Contact, TenantId } from '../src/domain/index.js'
import { mergeContacts, prepareContact, scoreDuplicate } from '../src/quality/index.js'

const make = (input: Record<string, unknown>, at = '2026-01-01T00:00:00Z'): Contact => {
  const r = prepareContact(input, { tenantId: 't' as TenantId, now: new Date(at) })
  if (!r.ok) throw new Error(JSON.stringify(r.issues))
  return r.contact
}

describe('duplicate scoring', () => {
  it('explains each piece of evidence and its weight', () => {
    const a = make({
      firstName: 'John',
      lastName: 'Smith',
      phones: ['+14155550132'],
      emails: ['j@example.com'],
    })
    const b = make({ firstName: 'Jon', lastName: 'Smith', phones: ['+14155550132'] })
    const s = scoreDuplicate(a, b)
    expect(s.verdict).toBe('duplicate')
    expect(s.evidence.map((e) => [e.field, e.how])).toEqual([
      ['phone', 'exact'],
      ['name', 'similar'],
    ])
  })
  it('does not call a shared number alone a duplicate', () => {
    const a = make({ firstName: 'Ann', lastName: 'Lee', phones: ['+14155550132'] })
    const b = make({ firstName: 'Bob', lastName: 'Lee', phones: ['+14155550132'] })
    expect(scoreDuplicate(a, b)).toMatchObject({ verdict: 'possible', score: 0.5 })
  })
  it('treats the same external reference as the same record', () => {
    const a = make({ firstName: 'X', externalRef: 'CRM-1' })
    const b = make({ firstName: 'Y', externalRef: 'CRM-1' })
    expect(scoreDuplicate(a, b).score).toBe(1)
  })
})

describe('merge survivorship', () => {
  const survivor = make(
    {
      firstName: 'John',
      lastName: 'Smith',
      phones: ['+14155550132'],
      tags: ['a'],
      lifecycle: 'lead',
      openBalance: { amountMinor: 100, currency: 'USD' },
      attributes: { plan: 'gold' },
    },
    '2026-01-01T00:00:00Z',
  )
  const newer = make(
    {
      firstName: 'Jon',
      lastName: 'Smith',
      company: 'Acme',
      phones: ['+14155550133'],
      tags: ['b'],
      lifecycle: 'customer',
      openBalance: { amountMinor: 50, currency: 'USD' },
      attributes: { plan: 'silver', seats: 2 },
    },
    '2026-02-01T00:00:00Z',
  )
  it('keeps the survivor, fills gaps from the newest, unions lists, advances lifecycle', () => {
    const m = mergeContacts(survivor, [newer], {}, new Date())
    expect(m.id).toBe(survivor.id)
    expect(m.firstName).toBe('John')
    expect(m.company).toBe('Acme')
    expect(m.phones.map((p) => [p.e164, p.primary])).toEqual([
      ['+14155550132', true],
      ['+14155550133', false],
    ])
    expect(m.tags).toEqual(['a', 'b'])
    expect(m.lifecycle).toBe('customer')
    expect(m.attributes).toEqual({ plan: 'gold', seats: 2 })
    expect(m.openBalance).toEqual({ amountMinor: 100, currency: 'USD' })
  })
  it('can take the newest values and sum balances', () => {
    const m = mergeContacts(survivor, [newer], { scalars: 'newest', money: 'sum' }, new Date())
    expect(m.firstName).toBe('Jon')
    expect(m.openBalance).toEqual({ amountMinor: 150, currency: 'USD' })
  })
})
