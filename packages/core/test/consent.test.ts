import { describe, expect, it } from 'vitest'
import {
  type ConsentRecord,
  type Contact,
  type DoNotCallEntry,
  decide,
  prepareContact,
  regimes,
  type TenantId,
} from '../src/index.js'

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
const q = { channel: 'voice', purpose: 'marketing', at: noon } as const
const codes = (c: Contact | undefined, h: ConsentRecord[] = [], d: DoNotCallEntry[] = [], extra = {}) =>
  decide(c, h, d, { ...q, ...extra }).reasons.map((r) => r.code)

describe('canContact decision', () => {
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
  it('takes the latest entry in force at the time asked', () => {
    const history = [
      record({ status: 'opted_out' }),
      record({ status: 'opted_in', capturedAt: new Date('2026-02-01T00:00:00Z') }),
    ]
    expect(codes(contact, history)).toEqual([])
    expect(codes(contact, history, [], { at: new Date('2026-01-15T11:00:00Z') })).toEqual(['opted_out'])
  })
  it('needs an opt-in when the purpose requires it, and refuses an expired one', () => {
    expect(codes(contact, [], [], { requireOptIn: true })).toEqual(['no_opt_in'])
    expect(
      codes(contact, [record({ expiresAt: new Date('2026-03-01T00:00:00Z') })], [], { requireOptIn: true }),
    ).toEqual(['consent_expired'])
  })
  it('refuses numbers on a do-not-call list unless the entry expired', () => {
    const entry = { phone: contact.phones[0]!.e164, list: 'robinson' } as DoNotCallEntry
    expect(codes(contact, [], [entry])).toEqual(['do_not_call'])
    expect(
      codes(contact, [], [{ ...entry, expiresAt: new Date('2026-01-01T00:00:00Z') } as DoNotCallEntry]),
    ).toEqual([])
  })
  it('applies the regime windows and holidays in the contact zone', () => {
    const es = { windows: regimes.ES.windows }
    expect(codes(contact, [], [], es)).toEqual([])
    expect(codes(contact, [], [], { ...es, at: new Date('2026-03-14T11:00:00Z') })).toEqual([
      'outside_calling_hours',
    ]) // Saturday
    expect(codes(contact, [], [], { ...es, at: new Date('2026-03-11T07:30:00Z') })).toEqual([
      'outside_calling_hours',
    ]) // 08:30
    expect(codes(contact, [], [], { ...es, holidays: ['2026-03-11'] })).toEqual(['holiday'])
  })
  it('does not apply calling hours to e-mail', () => {
    const r = prepareContact(
      { firstName: 'E', emails: ['e@example.com'], phones: ['+34612345678'] },
      { tenantId: t, now: new Date() },
    )
    expect(
      r.ok &&
        decide(r.contact, [], [], { channel: 'email', purpose: 'news', at: new Date('2026-03-11T02:00:00Z') })
          .allowed,
    ).toBe(true)
  })
})
