import { describe, expect, it } from 'vitest'
import type { TenantId } from '../src/domain/index.js'
import {
  jaroWinkler,
  matchKey,
  normalizeEmail,
  normalizePhone,
  prepareContact,
  soundex,
  suggestNameCase,
  tidyName,
  zonesOfAddress,
  zonesOfCountry,
  zonesOfPhone,
} from '../src/quality/index.js'

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

describe('e-mails', () => {
  it('lower-cases valid e-mails and explains invalid ones', () => {
    expect(normalizeEmail(' Ann.Lee@Example.COM ')).toEqual({ ok: true, address: 'ann.lee@example.com' })
    expect(normalizeEmail('ann@example')).toMatchObject({ ok: false })
    expect(normalizeEmail('annexample.com')).toEqual({ ok: false, message: 'e-mail has no @' })
  })
  it('is one rule with the schema: what the check accepts, a stored contact accepts', () => {
    for (const raw of ['josé@correo.es', 'a+b@x.io', 'ünï@dömäin.de', "o'brien@example.ie"]) {
      const check = normalizeEmail(raw)
      expect(check.ok).toBe(true)
      const r = prepareContact({ firstName: 'E', emails: [raw] }, ctx)
      expect(r.ok && r.contact.emails[0]?.address).toBe(check.ok && check.address)
    }
    for (const raw of ['a@b', 'a@@b.com', 'a b@c.com', '@x.com']) {
      expect(normalizeEmail(raw).ok).toBe(false)
      expect(prepareContact({ firstName: 'E', emails: [raw] }, ctx).ok).toBe(false)
    }
  })
})

describe('names are kept as typed', () => {
  it.each([
    ['DROP TABLE contacts'],
    ['SMITH III'],
    ['DJ'],
    ['MACDONALD'],
    ['bell hooks'],
    ['Mary  Ann'],
    ["o'brien"],
  ])('stores %j unchanged', (name) => {
    const r = prepareContact({ lastName: name }, ctx)
    expect(r.ok && r.contact.lastName).toBe(name)
    expect(r.ok && r.contact.displayName).toBe(name)
  })
  it('removes only the white space around a name', () => {
    expect(tidyName('  JANE  ')).toBe('JANE')
    expect(tidyName('   ')).toBeUndefined()
  })
  it('offers a conventional case as a suggestion, never applied', () => {
    expect(suggestNameCase("  JOHN   o'brien ")).toBe("John O'Brien")
    expect(suggestNameCase('maria de la cruz')).toBe('Maria de la Cruz')
    expect(suggestNameCase('mcdonald')).toBe('McDonald')
    expect(suggestNameCase('SMITH III')).toBe('Smith III')
    expect(suggestNameCase('DeShawn')).toBe('DeShawn')
  })
  it('soundex and Jaro-Winkler see through typos', () => {
    expect(soundex('Smith')).toBe(soundex('Smiht'))
    expect(soundex('Robert')).toBe('R163')
    expect(soundex('Tymczak')).toBe('T522')
    expect(jaroWinkler('martha', 'marhta')).toBeCloseTo(0.961, 3)
    expect(jaroWinkler('abc', 'xyz')).toBe(0)
  })
})

describe('time zones from maintained sources', () => {
  it('knows split area codes to the exchange (libphonenumber data)', () => {
    expect(zonesOfPhone('+18504325555', 'US')).toEqual(['America/Chicago']) // Pensacola, Florida panhandle
    expect(zonesOfPhone('+18506445555', 'US')).toEqual(['America/New_York']) // Tallahassee
    expect(zonesOfPhone('+12708425555', 'US')).toEqual(['America/Chicago']) // Bowling Green, Kentucky
    expect(zonesOfPhone('+14155550132', 'US')).toEqual(['America/Los_Angeles'])
    expect(zonesOfPhone('+16155550100', 'US')).toEqual(['America/Chicago']) // Nashville
    expect(zonesOfPhone('+6281234567890', 'ID')).toEqual(['Asia/Jakarta'])
    expect(zonesOfPhone('+34928123456', 'ES')).toEqual(['Atlantic/Canary'])
  })
  it('returns several zones where the number cannot tell', () => {
    const tollFree = zonesOfPhone('+18885550123', 'US')
    expect(tollFree.length).toBeGreaterThan(5)
    expect(tollFree).toContain('America/New_York')
    expect(tollFree).not.toContain('America/Toronto') // limited to the number's country
    expect(zonesOfPhone('+17015550100', 'US').length).toBeGreaterThan(1) // western North Dakota
  })
  it('lists every zone of a split state or a multi-zone country', () => {
    for (const state of ['FL', 'KY', 'TN', 'ND', 'IN', 'TX']) {
      expect(zonesOfAddress({ country: 'US', region: state }).length).toBeGreaterThan(1)
    }
    expect(zonesOfAddress({ country: 'US', region: 'ca' })).toEqual(['America/Los_Angeles'])
    expect(zonesOfAddress({ country: 'FR' })).toEqual(['Europe/Paris'])
    expect(zonesOfCountry('US')).toContain('Pacific/Honolulu')
    expect(zonesOfCountry('ES')).toContain('Atlantic/Canary')
    expect(zonesOfCountry('ID')).toContain('Asia/Jayapura')
  })
})

describe('prepareContact', () => {
  it('prefers a given zone, then the address, then the phone; unsure zones become candidates', () => {
    const given = prepareContact({ firstName: 'A', phones: ['+14155550132'], timeZone: 'Europe/Paris' }, ctx)
    const address = prepareContact(
      { firstName: 'A', phones: ['+14155550132'], address: { country: 'US', region: 'NY' } },
      ctx,
    )
    const phone = prepareContact({ firstName: 'A', phones: ['+14155550132'] }, ctx)
    const split = prepareContact({ firstName: 'A', address: { country: 'US', region: 'KY' } }, ctx)
    expect(given.ok && given.contact.timeZoneSource).toBe('given')
    expect(address.ok && address.contact.timeZone).toBe('America/New_York')
    expect(phone.ok && phone.contact.timeZone).toBe('America/Los_Angeles')
    expect(split.ok && split.contact.timeZone).toBeUndefined()
    expect(split.ok && split.contact.timeZoneCandidates).toEqual(['America/New_York', 'America/Chicago'])
  })
  it("reads national numbers in the contact's own country before the default", () => {
    const r = prepareContact(
      { firstName: 'A', phones: ['020 7946 0018'], address: { country: 'GB' } },
      {
        ...ctx,
        defaultCountry: 'US',
      },
    )
    expect(r.ok && r.contact.phones[0]?.e164).toBe('+442079460018')
  })
  it('lists every bad field with its value', () => {
    const r = prepareContact(
      { firstName: 'A', phones: ['nope'], emails: ['x@'], timeZone: 'Mars/Base', lifecycle: 'vip' },
      ctx,
    )
    expect(!r.ok && r.issues.map((i) => [i.field, i.value])).toEqual([['lifecycle', 'vip']])
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
  it('refuses an unknown key and says which key was meant', () => {
    const r = prepareContact({ firstName: 'A', phone: '+34612345678' }, ctx)
    expect(!r.ok && r.issues).toEqual([
      { field: 'phone', value: '+34612345678', message: 'unknown key; did you mean "phones"?' },
    ])
  })
  it('builds a blocking key that survives a typo', () => {
    const a = prepareContact({ firstName: 'John', lastName: 'Smith' }, ctx)
    const b = prepareContact({ firstName: 'Jon', lastName: 'Smiht' }, ctx)
    expect(a.ok && b.ok && matchKey(a.contact) === matchKey(b.contact)).toBe(true)
  })
})
