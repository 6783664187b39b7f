import { describe, expect, it } from 'vitest'
import {
  normalizeAnswer,
  normalizeDate,
  verificationQuestions,
  verifyCandidates,
} from '../src/desk/verification.js'
import { contactOf } from './contact-fixture.js'

// One landline shared by a grandmother and her grandson; the grandson has a mobile too.
const grandmother = contactOf({
  firstName: 'Carmen',
  phones: ['+34 915 550 101'],
  address: { postalCode: '28001' },
  attributes: { dateOfBirth: '1941-02-03' },
})
const grandson = contactOf({
  firstName: 'Pablo',
  phones: ['+34 915 550 101', '+34 612 345 678'],
  emails: ['Pablo@Example.com'],
  address: { postalCode: '28 001' },
  attributes: { birthDate: '30/11/2004', cardLast4: 4242 },
})

describe('normalising answers', () => {
  it('reads dates day first or ISO, and refuses dates that do not exist', () => {
    expect(normalizeDate('3/2/1941')).toBe('1941-02-03')
    expect(normalizeDate('03.02.1941')).toBe('1941-02-03')
    expect(normalizeDate('1941-02-03T00:00:00Z')).toBe('1941-02-03')
    expect(normalizeDate('31/02/1941')).toBeUndefined()
    expect(normalizeDate('yesterday')).toBeUndefined()
  })
  it('compares postcodes without spaces, the last four digits, e-mails in lower case', () => {
    expect(normalizeAnswer('postalCode', ' sw1a 1aa ')).toBe('SW1A1AA')
    expect(normalizeAnswer('phoneLast4', '5 6 7 8')).toBe('5678')
    expect(normalizeAnswer('phoneLast4', '12')).toBeUndefined()
    expect(normalizeAnswer('email', ' Pablo@EXAMPLE.com')).toBe('pablo@example.com')
  })
})

describe('verificationQuestions', () => {
  it('asks what the candidates have on file, the most telling first', () => {
    const qs = verificationQuestions([grandmother, grandson])
    expect(qs.map((q) => [q.field, q.known, q.distinct])).toEqual([
      ['dateOfBirth', 2, 2],
      ['phoneLast4', 2, 2],
      ['cardLast4', 1, 1],
      ['email', 1, 1],
      ['postalCode', 2, 1],
    ])
    expect(qs[0]!.prompt).toBe('What is your date of birth?')
    expect(verificationQuestions([grandmother]).map((q) => q.field)).toEqual([
      'dateOfBirth',
      'postalCode',
      'phoneLast4',
    ])
  })
})

describe('verifyCandidates', () => {
  it('narrows a shared phone to the one whose answers fit', () => {
    const r = verifyCandidates([grandmother, grandson], { dateOfBirth: '30-11-2004', postalCode: '28001' })
    expect(r.status).toBe('verified')
    expect(r.status === 'verified' && r.contact.id).toBe(grandson.id)
    expect(r.checks).toEqual([
      { contactId: grandmother.id, matched: ['postalCode'], mismatched: ['dateOfBirth'], unknown: [] },
      { contactId: grandson.id, matched: ['dateOfBirth', 'postalCode'], mismatched: [], unknown: [] },
    ])
  })
  it('keeps asking while several fit, and fails when none does', () => {
    const both = verifyCandidates([grandmother, grandson], { postalCode: '28001', phoneLast4: '0101' })
    expect(both.status).toBe('ambiguous')
    expect(both.status === 'ambiguous' && both.questions.map((q) => q.field)).toEqual([
      'dateOfBirth',
      'cardLast4',
      'email',
    ])
    expect(verifyCandidates([grandmother, grandson], { dateOfBirth: '01/01/1990' }).status).toBe('failed')
  })
  it('does not take a field a candidate has nothing for as a match', () => {
    const r = verifyCandidates([grandmother, grandson], { cardLast4: '4242' })
    expect(r.status === 'verified' && r.contact.id).toBe(grandson.id)
    expect(r.checks[0]).toMatchObject({ contactId: grandmother.id, unknown: ['cardLast4'] })
    expect(verifyCandidates([grandmother], { email: 'carmen@example.com' }).status).toBe('failed')
  })
})
