import { describe, expect, it } from 'vitest'
import {
  ConsentEvidence,
  ConsentInput,
  type ConsentRecord,
  currentConsent,
  type TenantId,
} from '../src/domain/index.js'
import { correctionProblem } from '../src/services/consent-correction.js'
import { parseLine } from '../src/services/dnc-import.js'

const t = 't' as TenantId
const entry = (id: string, over: Partial<ConsentRecord> = {}): ConsentRecord =>
  ({
    id,
    tenantId: t,
    contactId: 'ct_1',
    channel: 'voice',
    purpose: 'marketing',
    status: 'opted_in',
    source: 'form',
    capturedAt: new Date('2026-01-01T00:00:00Z'),
    createdAt: new Date('2026-01-01T00:00:00Z'),
    updatedAt: new Date('2026-01-01T00:00:00Z'),
    ...over,
  }) as ConsentRecord
const at = new Date('2026-06-01T00:00:00Z')

describe('the consent ledger', () => {
  it('a correction replaces the entry it names, even an earlier capture', () => {
    const wrong = entry('co_a', { status: 'opted_in', capturedAt: new Date('2026-02-01T00:00:00Z') })
    const fix = entry('co_b', {
      status: 'opted_out',
      capturedAt: new Date('2026-01-15T00:00:00Z'),
      corrects: 'co_a' as ConsentRecord['id'],
    })
    expect(currentConsent([wrong], 'voice', 'marketing', at)?.id).toBe('co_a')
    expect(currentConsent([wrong, fix], 'voice', 'marketing', at)?.id).toBe('co_b')
    // order of the history does not matter
    expect(currentConsent([fix, wrong], 'voice', 'marketing', at)?.id).toBe('co_b')
  })

  it('a corrected correction falls back along the chain to the latest uncorrected entry', () => {
    const older = entry('co_0', { status: 'opted_out', capturedAt: new Date('2025-12-01T00:00:00Z') })
    const a = entry('co_a', { capturedAt: new Date('2026-02-01T00:00:00Z') })
    const b = entry('co_b', { capturedAt: new Date('2026-02-01T00:00:00Z'), corrects: 'co_a' as never })
    const c = entry('co_c', {
      status: 'opted_out',
      capturedAt: new Date('2026-02-02T00:00:00Z'),
      corrects: 'co_b' as never,
    })
    expect(currentConsent([older, a, b, c], 'voice', 'marketing', at)?.id).toBe('co_c')
    expect(currentConsent([older, a, b], 'voice', 'marketing', at)?.id).toBe('co_b')
  })

  it('refuses a correction of an unknown, already corrected or other-purpose entry', () => {
    const a = entry('co_a')
    const b = entry('co_b', { corrects: 'co_a' as never })
    expect(correctionProblem([a], 'co_x', 'voice', 'marketing')).toMatch(/not an entry/)
    expect(correctionProblem([a, b], 'co_a', 'voice', 'marketing')).toMatch(/already corrected by co_b/)
    expect(correctionProblem([a], 'co_a', 'sms', 'marketing')).toMatch(/keeps the channel and purpose/)
    expect(correctionProblem([a, b], 'co_b', 'voice', 'marketing')).toBeUndefined()
  })

  it('structured evidence is strict: an unknown key, a bad IP or an empty object is refused', () => {
    const ok = ConsentEvidence.safeParse({
      textShown: 'I agree to be called about offers',
      form: 'https://acme.example/signup',
      ip: '2001:db8::1',
      userAgent: 'Mozilla/5.0',
    })
    expect(ok.success).toBe(true)
    expect(ConsentEvidence.safeParse({ ip: '300.1.1.1' }).success).toBe(false)
    expect(ConsentEvidence.safeParse({}).success).toBe(false)
    expect(ConsentEvidence.safeParse({ textShown: 'x', screenshot: 'y' }).success).toBe(false)
    const input = {
      contactId: 'ct_1',
      channel: 'voice',
      purpose: 'marketing',
      status: 'opted_in',
      lawfulBasis: 'consent',
      source: 'web form',
    }
    expect(ConsentInput.safeParse({ ...input, evidence: { ip: '192.0.2.7' } }).success).toBe(true)
    expect(ConsentInput.safeParse({ ...input, evidence: 'form#123' }).success).toBe(true)
    expect(ConsentInput.safeParse({ ...input, lawfulBasis: 'because' }).success).toBe(false)
    expect(ConsentInput.safeParse({ ...input, edited: true }).success).toBe(false)
  })
})

describe('registry file lines', () => {
  it('reads the number by the line format, and a registration date when the next field is one', () => {
    expect(parseLine('612345678', 'number')).toEqual({ number: '612345678' })
    expect(parseLine('612345678;2026-11-02', 'number')).toEqual({
      number: '612345678',
      listedAt: new Date('2026-11-02'),
    })
    expect(parseLine('+34 612 345 678\tcomment', 'number')).toEqual({ number: '+34 612 345 678' })
    expect(parseLine('212,5550148', 'area-code,number')).toEqual({ number: '2125550148' })
    expect(parseLine('212,5550148,2025-01-31T00:00:00Z', 'area-code,number')).toEqual({
      number: '2125550148',
      listedAt: new Date('2025-01-31T00:00:00Z'),
    })
    // not a date: ignored, never a wrong date
    expect(parseLine('612345678;2026-13-45', 'number')).toEqual({ number: '612345678' })
    expect(parseLine('2125550148', 'area-code,number')).toEqual({ number: '2125550148' })
  })
})
