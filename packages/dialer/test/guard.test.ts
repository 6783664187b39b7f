import {
  type CampaignAttempts,
  CampaignId,
  type ContactDecision,
  ContactId,
  type ContactQuestion,
  DEFAULT_RETRY_RULES,
  hours,
  type Regime,
  regimes,
  withRegime,
} from '@switchboard/core/domain'
import { describe, expect, it } from 'vitest'
import { type CanContact, ComplianceGuard, type GuardCampaign } from '../src/index.js'

const attempts = (max = 10): CampaignAttempts => ({
  max,
  retry: [...DEFAULT_RETRY_RULES],
  defaultRetryAfterSec: hours(1),
})
const campaign = (regime: Regime, max?: number): GuardCampaign => ({
  id: CampaignId.parse('cp-1'),
  regime,
  attempts: attempts(max),
  consentPurpose: 'sales',
})
const c1 = ContactId.parse('c1')
const ny = { contactId: c1, phone: '+12125550100', timeZone: 'America/New_York' }
// 2026-03-11 is a Wednesday; 15:00 UTC = 11:00 in New York (EDT)
const wedNoonNy = new Date('2026-03-11T15:00:00Z')
const codes = (v: { reasons: readonly { code: string }[] }) => v.reasons.map((r) => r.code)
const US = campaign(regimes.US)

describe('ComplianceGuard', () => {
  it('allows a clean dial inside the window', async () => {
    const g = new ComplianceGuard({ campaign: US })
    expect(await g.check(ny, wedNoonNy)).toEqual({ allowed: true, reasons: [] })
  })

  it('refuses outside the calling window in the contact local time', async () => {
    const g = new ComplianceGuard({ campaign: US })
    // 02:00 UTC = 22:00 in New York the day before
    const v = await g.check(ny, new Date('2026-03-11T02:00:00Z'))
    expect(v.allowed).toBe(false)
    expect(codes(v)).toEqual(['outside_calling_hours'])
    expect(v.reasons[0]!.message).toContain('22:00')
    // the same instant is fine for a contact in Los Angeles (19:00)
    const la = await g.check({ ...ny, timeZone: 'America/Los_Angeles' }, new Date('2026-03-11T02:00:00Z'))
    expect(la.allowed).toBe(true)
  })

  it('refuses at weekends and on holidays in Spain, and before 09:00', async () => {
    const es = withRegime(regimes.ES, { holidays: ['2026-03-19'] })
    const g = new ComplianceGuard({ campaign: campaign(es) })
    const mad = { contactId: ContactId.parse('c2'), phone: '+34910000000', timeZone: 'Europe/Madrid' }
    expect(codes(await g.check(mad, new Date('2026-03-14T11:00:00Z')))).toEqual(['non_calling_day'])
    expect(codes(await g.check(mad, new Date('2026-03-19T11:00:00Z')))).toEqual(['holiday'])
    expect(codes(await g.check(mad, new Date('2026-03-18T07:30:00Z')))).toEqual(['outside_calling_hours'])
    expect((await g.check(mad, new Date('2026-03-18T08:30:00Z'))).allowed).toBe(true)
  })

  it('refuses an unknown time zone', async () => {
    const g = new ComplianceGuard({ campaign: US })
    expect(codes(await g.check({ ...ny, timeZone: 'Mars/Olympus' }, wedNoonNy))).toEqual([
      'unknown_time_zone',
    ])
  })

  it("enforces the campaign's attempt limit, per-disposition limits and retry delays", async () => {
    const g = new ComplianceGuard({ campaign: campaign(regimes.US, 3) })
    const old = (h: number, disposition: string, category?: string) => ({
      at: new Date(wedNoonNy.getTime() - h * 3_600_000),
      disposition,
      ...(category ? { category } : {}),
    })
    const tooMany = await g.check(
      { ...ny, attempts: [old(30, 'busy'), old(20, 'busy'), old(10, 'busy')] },
      wedNoonNy,
    )
    expect(codes(tooMany)).toContain('attempt_limit')
    const g2 = new ComplianceGuard({ campaign: US })
    const machines = [old(40, 'machine'), old(30, 'machine'), old(20, 'machine'), old(10, 'machine')]
    expect(codes(await g2.check({ ...ny, attempts: machines }, wedNoonNy))).toEqual([
      'disposition_attempt_limit',
    ])
    const soon = await g2.check({ ...ny, attempts: [old(1, 'no_answer')] }, wedNoonNy)
    expect(codes(soon)).toEqual(['retry_too_soon'])
    expect((await g2.check({ ...ny, attempts: [old(3, 'no_answer')] }, wedNoonNy)).allowed).toBe(true)
    // a campaign's own disposition code matches by its category (no_answer: 2 h) ...
    const coded = await g2.check({ ...ny, attempts: [old(1.5, 'NA-VOICEMAIL', 'no_answer')] }, wedNoonNy)
    expect(codes(coded)).toEqual(['retry_too_soon'])
    // ... and without a rule the campaign's defaultRetryAfterSec (1 h) applies
    expect((await g2.check({ ...ny, attempts: [old(1.5, 'NA-VOICEMAIL')] }, wedNoonNy)).allowed).toBe(true)
    expect(codes(await g2.check({ ...ny, attempts: [old(0.5, 'NA-VOICEMAIL')] }, wedNoonNy))).toEqual([
      'retry_too_soon',
    ])
  })

  it('blocks re-calls for 72 h after an abandoned call under UK rules only', async () => {
    const lon = { contactId: ContactId.parse('c3'), phone: '+442070000000', timeZone: 'Europe/London' }
    const uk = new ComplianceGuard({ campaign: campaign(regimes.UK) })
    const at = new Date('2026-03-11T12:00:00Z')
    uk.recordAbandoned(lon.contactId, new Date(at.getTime() - 48 * 3_600_000))
    expect(codes(await uk.check(lon, at))).toEqual(['recall_after_abandon'])
    expect((await uk.check(lon, new Date(at.getTime() + 25 * 3_600_000))).allowed).toBe(true)
    // from the attempt history too
    const uk2 = new ComplianceGuard({ campaign: campaign(regimes.UK) })
    const hist = {
      ...lon,
      attempts: [{ at: new Date(at.getTime() - 70 * 3_600_000), disposition: 'abandoned' }],
    }
    expect(codes(await uk2.check(hist, at))).toEqual(['recall_after_abandon'])
    const us = new ComplianceGuard({ campaign: US })
    us.recordAbandoned(c1, new Date(wedNoonNy.getTime() - 3_600_000 * 2))
    expect((await us.check(ny, wedNoonNy)).allowed).toBe(true)
  })

  it("asks core's canContact for the campaign and keeps each of its refusals as it is", async () => {
    const questions: Array<[string, ContactQuestion]> = []
    const decision = (reasons: ContactDecision['reasons']): ContactDecision => ({
      allowed: reasons.length === 0,
      reasons,
      localTimes: [],
    })
    const canContact: CanContact = async (id, q) => {
      questions.push([id, q])
      if (id === 'nc') return decision([{ code: 'opted_out', message: 'opted out of sales' }])
      if (id === 'dnc') return decision([{ code: 'do_not_call', message: 'national registry' }])
      if (id === 'es')
        return decision([
          { code: 'no_opt_in', message: 'the ES regime needs an opt-in' },
          { code: 'consent_expired', message: 'expired' },
        ])
      if (id === 'late') return decision([{ code: 'outside_calling_hours', message: 'it is 22:00' }])
      return decision([])
    }
    const g = new ComplianceGuard({ campaign: US, canContact })
    const check = (id: string, at = wedNoonNy) => g.check({ ...ny, contactId: ContactId.parse(id) }, at)
    expect(codes(await check('nc'))).toEqual(['opted_out'])
    expect((await check('nc')).reasons[0]!.message).toBe('opted out of sales')
    expect(codes(await check('dnc'))).toEqual(['do_not_call'])
    expect(codes(await check('es'))).toEqual(['no_opt_in', 'consent_expired'])
    expect(questions[0]).toEqual([
      'nc',
      { channel: 'voice', campaignId: 'cp-1', at: wedNoonNy, phone: '+12125550100' },
    ])
    // core's own window refusal: reported once when the guard found it too, kept when it did not
    expect(codes(await check('late', new Date('2026-03-11T02:00:00Z')))).toEqual(['outside_calling_hours'])
    expect(codes(await check('late'))).toEqual(['outside_calling_hours'])
    expect((await check('ok')).allowed).toBe(true)
  })

  it('refuses numbers on a do-not-call list and suppressed contacts', async () => {
    const suppressed = new Set<string>()
    const g = new ComplianceGuard({
      campaign: { ...US, consentPurpose: 'collections' },
      isDoNotCall: (p) => p === '+12125550199',
      isSuppressed: (id) => suppressed.has(id),
    })
    expect(codes(await g.check({ ...ny, phone: '+12125550199' }, wedNoonNy))).toEqual(['do_not_call'])
    expect((await g.check(ny, wedNoonNy)).allowed).toBe(true)
    suppressed.add('c1') // a debtor paid: suppression committed, no further call
    const v = await g.check(ny, wedNoonNy)
    expect(codes(v)).toEqual(['suppressed'])
    expect(v.reasons[0]!.message).toContain('c1')
  })
})
