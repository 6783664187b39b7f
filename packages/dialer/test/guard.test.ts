import { describe, expect, it } from 'vitest'
import {
  ComplianceGuard,
  type ContactCheck,
  ES_REGIME,
  UK_REGIME,
  US_REGIME,
  withRegime,
} from '../src/index.js'

const ny = { contactId: 'c1', phone: '+12125550100', timeZone: 'America/New_York' }
// 2026-03-11 is a Wednesday; 15:00 UTC = 11:00 in New York (EDT)
const wedNoonNy = new Date('2026-03-11T15:00:00Z')
const codes = (v: { reasons: readonly { code: string }[] }) => v.reasons.map((r) => r.code)

describe('ComplianceGuard', () => {
  it('allows a clean dial inside the window', async () => {
    const g = new ComplianceGuard({ regime: US_REGIME, purpose: 'sales' })
    expect(await g.check(ny, wedNoonNy)).toEqual({ allowed: true, reasons: [] })
  })

  it('refuses outside the calling window in the contact local time', async () => {
    const g = new ComplianceGuard({ regime: US_REGIME, purpose: 'sales' })
    // 02:00 UTC = 22:00 in New York the day before
    const v = await g.check(ny, new Date('2026-03-11T02:00:00Z'))
    expect(v.allowed).toBe(false)
    expect(codes(v)).toEqual(['OUTSIDE_CALLING_WINDOW'])
    expect(v.reasons[0]!.message).toContain('22:00')
    // the same instant is fine for a contact in Los Angeles (19:00)
    const la = await g.check({ ...ny, timeZone: 'America/Los_Angeles' }, new Date('2026-03-11T02:00:00Z'))
    expect(la.allowed).toBe(true)
  })

  it('refuses at weekends and on holidays in Spain, and before 09:00', async () => {
    const es = withRegime(ES_REGIME, { holidays: ['2026-03-19'] })
    const g = new ComplianceGuard({ regime: es, purpose: 'sales' })
    const mad = { contactId: 'c2', phone: '+34910000000', timeZone: 'Europe/Madrid' }
    expect(codes(await g.check(mad, new Date('2026-03-14T11:00:00Z')))).toEqual(['NON_CALLING_DAY'])
    expect(codes(await g.check(mad, new Date('2026-03-19T11:00:00Z')))).toEqual(['HOLIDAY'])
    expect(codes(await g.check(mad, new Date('2026-03-18T07:30:00Z')))).toEqual(['OUTSIDE_CALLING_WINDOW'])
    expect((await g.check(mad, new Date('2026-03-18T08:30:00Z'))).allowed).toBe(true)
  })

  it('refuses an unknown time zone', async () => {
    const g = new ComplianceGuard({ regime: US_REGIME, purpose: 'sales' })
    expect(codes(await g.check({ ...ny, timeZone: 'Mars/Olympus' }, wedNoonNy))).toEqual([
      'UNKNOWN_TIME_ZONE',
    ])
  })

  it('enforces attempt limits, per-disposition limits and retry delays', async () => {
    const g = new ComplianceGuard({ regime: withRegime(US_REGIME, { maxAttempts: 3 }), purpose: 'sales' })
    const old = (h: number, disposition: string) => ({
      at: new Date(wedNoonNy.getTime() - h * 3_600_000),
      disposition,
    })
    const tooMany = await g.check(
      { ...ny, attempts: [old(30, 'busy'), old(20, 'busy'), old(10, 'busy')] },
      wedNoonNy,
    )
    expect(codes(tooMany)).toContain('ATTEMPT_LIMIT')
    const g2 = new ComplianceGuard({ regime: US_REGIME, purpose: 'sales' })
    const machines = [old(40, 'machine'), old(30, 'machine'), old(20, 'machine'), old(10, 'machine')]
    expect(codes(await g2.check({ ...ny, attempts: machines }, wedNoonNy))).toEqual([
      'DISPOSITION_ATTEMPT_LIMIT',
    ])
    const soon = await g2.check({ ...ny, attempts: [old(1, 'noAnswer')] }, wedNoonNy)
    expect(codes(soon)).toEqual(['RETRY_TOO_SOON'])
    expect((await g2.check({ ...ny, attempts: [old(3, 'noAnswer')] }, wedNoonNy)).allowed).toBe(true)
  })

  it('blocks re-calls for 72 h after an abandoned call under UK rules only', async () => {
    const lon = { contactId: 'c3', phone: '+442070000000', timeZone: 'Europe/London' }
    const uk = new ComplianceGuard({ regime: UK_REGIME, purpose: 'sales' })
    const at = new Date('2026-03-11T12:00:00Z')
    uk.recordAbandoned('c3', new Date(at.getTime() - 48 * 3_600_000))
    expect(codes(await uk.check(lon, at))).toEqual(['RECALL_AFTER_ABANDON'])
    expect((await uk.check(lon, new Date(at.getTime() + 25 * 3_600_000))).allowed).toBe(true)
    // from the attempt history too
    const uk2 = new ComplianceGuard({ regime: UK_REGIME, purpose: 'sales' })
    const hist = {
      ...lon,
      attempts: [{ at: new Date(at.getTime() - 70 * 3_600_000), disposition: 'abandoned' }],
    }
    expect(codes(await uk2.check(hist, at))).toEqual(['RECALL_AFTER_ABANDON'])
    const us = new ComplianceGuard({ regime: US_REGIME, purpose: 'sales' })
    us.recordAbandoned('c1', new Date(wedNoonNy.getTime() - 3_600_000 * 2))
    expect((await us.check(ny, wedNoonNy)).allowed).toBe(true)
  })

  it('asks core canContact and maps consent and do-not-call refusals', async () => {
    const calls: unknown[] = []
    const canContact: ContactCheck = async (id, q) => {
      calls.push([id, q.channel, q.purpose])
      if (id === 'nc')
        return { allowed: false, reasons: [{ code: 'consent.opted_out', message: 'opted out of sales' }] }
      if (id === 'dnc')
        return { allowed: false, reasons: [{ code: 'do_not_call', message: 'national registry' }] }
      return { allowed: true, reasons: [] }
    }
    const g = new ComplianceGuard({ regime: US_REGIME, purpose: 'sales', canContact })
    expect(codes(await g.check({ ...ny, contactId: 'nc' }, wedNoonNy))).toEqual(['NO_CONSENT'])
    expect(codes(await g.check({ ...ny, contactId: 'dnc' }, wedNoonNy))).toEqual(['DO_NOT_CALL'])
    expect(calls[0]).toEqual(['nc', 'voice', 'sales'])
  })

  it('refuses numbers on a do-not-call list and suppressed contacts', async () => {
    const suppressed = new Set<string>()
    const g = new ComplianceGuard({
      regime: US_REGIME,
      purpose: 'collections',
      isDoNotCall: (p) => p === '+12125550199',
      isSuppressed: (id) => suppressed.has(id),
    })
    expect(codes(await g.check({ ...ny, phone: '+12125550199' }, wedNoonNy))).toEqual(['DO_NOT_CALL'])
    expect((await g.check(ny, wedNoonNy)).allowed).toBe(true)
    suppressed.add('c1') // a debtor paid: suppression committed, no further call
    const v = await g.check(ny, wedNoonNy)
    expect(codes(v)).toEqual(['SUPPRESSED'])
    expect(v.reasons[0]!.message).toContain('c1')
  })
})
