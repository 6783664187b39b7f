import { describe, expect, it } from 'vitest'
import {
  jaroWinkler,
  matchKey,
  normalizeEmail,
  normalizeName,
  normalizePhone,
  prepareContact,
  soundex,
  type TenantId,
  zoneFromAddress,
  zoneFromPhone,
  zonesOfCountry,
} from '../src/index.js'

const ctx = { tenantId: 't1' as TenantId, now: new Date('2026-01-01T00:00:00Z') }

describe('phones', () => {
  it.each([
    ['(415) 555-0132', 'US', '+14155550132', 'US'],
    ['0034 612 345 678', undefined, '+34612345678', 'ES'],
    ['+44 20 7946 0018', undefined, '+442079460018', 'GB'],
    ['612345678', 'ES', '+34612345678', 'ES'],
  ])('normalises %s to E.164', (raw, region, e164, country) => {
    expect(normalizePhone(raw, region)).toMatchObject({ ok: true, e164, country })
  })
  it('types Spanish mobiles and British fixed lines', () => {
    expect(normalizePhone('+34612345678')).toMatchObject({ type: 'mobile' })
    expect(normalizePhone('+442079460018')).toMatchObject({ type: 'fixed_line' })
  })
  it.each([
    ['', 'empty'],
    ['555-CALL', 'unparseable'],
    ['+1 000 000 0000', 'invalid'],
    ['0034 123', 'implausible'],
  ])('refuses %j as %s', (raw, reason) => {
    expect(normalizePhone(raw, 'US')).toMatchObject({ ok: false, reason })
  })
})

describe('e-mails and names', () => {
  it('lower-cases valid e-mails and explains invalid ones', () => {
    expect(normalizeEmail(' Ann.Lee@Example.COM ')).toEqual({ ok: true, address: 'ann.lee@example.com' })
    expect(normalizeEmail('ann@example')).toMatchObject({ ok: false })
    expect(normalizeEmail('annexample.com')).toEqual({ ok: false, message: 'e-mail has no @' })
  })
  it('fixes shouting and lower-case names, keeps deliberate mixed case', () => {
    expect(normalizeName("  JOHN   o'brien ")).toBe("John O'Brien")
    expect(normalizeName('maria de la cruz')).toBe('Maria de la Cruz')
    expect(normalizeName('mcdonald')).toBe('McDonald')
    expect(normalizeName('DeShawn')).toBe('DeShawn')
    expect(normalizeName('   ')).toBeUndefined()
  })
  it('soundex and Jaro-Winkler see through typos', () => {
    expect(soundex('Smith')).toBe(soundex('Smiht'))
    expect(soundex('Robert')).toBe('R163')
    expect(soundex('Tymczak')).toBe('T522')
    expect(jaroWinkler('martha', 'marhta')).toBeCloseTo(0.961, 3)
    expect(jaroWinkler('abc', 'xyz')).toBe(0)
  })
})

describe('time zones', () => {
  it('derives zones from NANP area codes and single-zone countries', () => {
    expect(zoneFromPhone('+14155550132', 'US')).toBe('America/Los_Angeles')
    expect(zoneFromPhone('+13125550132', 'US')).toBe('America/Chicago')
    expect(zoneFromPhone('+16045550132', 'CA')).toBe('America/Vancouver')
    expect(zoneFromPhone('+34612345678', 'ES')).toBe('Europe/Madrid')
    expect(zoneFromPhone('+18885550123', 'US')).toBeUndefined()
  })
  it('derives zones from addresses, and lists every zone of a multi-zone country', () => {
    expect(zoneFromAddress({ country: 'US', region: 'tx' })).toBe('America/Chicago')
    expect(zoneFromAddress({ country: 'US' })).toBeUndefined()
    expect(zoneFromAddress({ country: 'FR' })).toBe('Europe/Paris')
    expect(zonesOfCountry('US')).toContain('Pacific/Honolulu')
  })
})

describe('prepareContact', () => {
  it('prefers a given zone, then the address, then the phone', () => {
    const given = prepareContact({ firstName: 'A', phones: ['+14155550132'], timeZone: 'Europe/Paris' }, ctx)
    const address = prepareContact(
      { firstName: 'A', phones: ['+14155550132'], address: { country: 'US', region: 'NY' } },
      ctx,
    )
    const phone = prepareContact({ firstName: 'A', phones: ['+14155550132'] }, ctx)
    expect(given.ok && given.contact.timeZoneSource).toBe('given')
    expect(address.ok && address.contact.timeZone).toBe('America/New_York')
    expect(phone.ok && phone.contact.timeZone).toBe('America/Los_Angeles')
  })
  it('lists every bad field with its value', () => {
    const r = prepareContact(
      { firstName: 'A', phones: ['nope'], emails: ['x@'], timeZone: 'Mars/Base', lifecycle: 'vip' },
      ctx,
    )
    expect(r.ok).toBe(false)
    if (r.ok) return
    expect(r.issues.map((i) => [i.field, i.value])).toEqual([['lifecycle', 'vip']])
    const r2 = prepareContact(
      { firstName: 'A', phones: ['nope'], emails: ['x@'], timeZone: 'Mars/Base' },
      ctx,
    )
    expect(!r2.ok && r2.issues.map((i) => [i.field, i.value])).toEqual([
      ['phones[0]', 'nope'],
      ['emails[0]', 'x@'],
      ['timeZone', 'Mars/Base'],
    ])
  })
  it('builds a blocking key that survives a typo', () => {
    const a = prepareContact({ firstName: 'John', lastName: 'Smith' }, ctx)
    const b = prepareContact({ firstName: 'Jon', lastName: 'Smiht' }, ctx)
    expect(a.ok && b.ok && matchKey(a.contact) === matchKey(b.contact)).toBe(true)
  })
})
