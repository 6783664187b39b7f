import { describe, expect, it } from 'vitest'
import {
  CallingWindow,
  CampaignInput,
  ContactInput,
  currencyDigits,
  InteractionInput,
  isSwitchboardError,
  issuesFromZod,
  LocalDate,
  newId,
  Regime,
  regimes,
  Text,
  Timestamp,
  unstorableText,
  withRegime,
} from '../src/domain/index.js'

describe('ids', () => {
  it('sort by creation, within one millisecond too', () => {
    const ids = Array.from({ length: 20_000 }, () => newId('ContactId'))
    expect([...ids].sort()).toEqual(ids)
    expect(new Set(ids).size).toBe(ids.length)
    expect(ids[0]).toMatch(/^ct_[0-9a-f]{12}7[0-9a-f]{3}[89ab][0-9a-f]{15}$/)
  })
})

describe('timestamps', () => {
  it('take a valid Date or an ISO-8601 string with an offset, and nothing else', () => {
    expect(Timestamp.parse('2026-03-11T15:00:00Z')).toEqual(new Date('2026-03-11T15:00:00Z'))
    expect(Timestamp.parse('2026-03-11T16:00:00+01:00')).toEqual(new Date('2026-03-11T15:00:00Z'))
    for (const bad of ['not a date', new Date('x'), 1773241200000, '2026-03-11', null]) {
      const r = Timestamp.safeParse(bad)
      expect(r.success).toBe(false)
      expect(r.error?.issues[0]?.message).toMatch(/must be a date/)
    }
  })
  it('calendar dates must exist', () => {
    expect(LocalDate.safeParse('2026-02-28').success).toBe(true)
    expect(LocalDate.safeParse('2028-02-29').success).toBe(true)
    for (const bad of ['2026-02-31', '2026-13-01', '2026-00-10', '26-1-1'])
      expect(LocalDate.safeParse(bad).success).toBe(false)
  })
})

describe('text', () => {
  it('refuses NUL characters and lone surrogates, keeps everything else as given', () => {
    expect(unstorableText('a\u0000b')).toMatch(/NUL/)
    expect(unstorableText('a\uD800b')).toMatch(/surrogate/)
    expect(unstorableText('a\uDC00')).toMatch(/surrogate/)
    expect(unstorableText('😀 漢字 \t  two  spaces')).toBeUndefined()
    expect(Text.long.parse('  keep\n\n  this  ')).toBe('  keep\n\n  this  ')
  })
  it('has documented limits: a 1 MB last name is refused', () => {
    const r = ContactInput.safeParse({ lastName: 'x'.repeat(1 << 20) })
    expect(r.success).toBe(false)
    expect(issuesFromZod({}, r.error!.issues)[0]).toMatchObject({
      field: 'lastName',
      message: 'must be at most 200 characters',
    })
  })
})

describe('strict objects', () => {
  it('refuse an unknown key and suggest the right one', () => {
    const input = { firstName: 'A', phone: '+34612345678' }
    const r = ContactInput.safeParse(input)
    expect(issuesFromZod(input, r.error!.issues, ContactInput)).toEqual([
      { field: 'phone', value: '+34612345678', message: 'unknown key; did you mean "phones"?' },
    ])
  })
  it('say what an enum takes, and which value was meant', () => {
    const input = { contactId: 'ct_1', channel: 'Voice', direction: 'inbound' }
    const r = InteractionInput.safeParse(input)
    expect(issuesFromZod(input, r.error!.issues, InteractionInput)[0]).toMatchObject({
      field: 'channel',
      value: 'Voice',
      message: expect.stringMatching(/must be one of .*did you mean "voice"/),
    })
  })
  it('say a missing field is required', () => {
    const r = InteractionInput.safeParse({ channel: 'voice', direction: 'inbound' })
    expect(issuesFromZod({}, r.error!.issues)[0]).toMatchObject({
      field: 'contactId',
      message: 'is required',
    })
  })
})

describe('the vocabulary', () => {
  it('presets are regimes, in seconds', () => {
    for (const r of Object.values(regimes)) expect(Regime.parse(r)).toEqual(r)
    expect(regimes.UK.noRecallAfterAbandonSec).toBe(72 * 3600)
    expect(regimes.US.abandonment).toMatchObject({ formula: 'us', limit: 0.03, maxWaitSec: 2 })
  })
  it('a calling window must run forwards', () => {
    expect(CallingWindow.safeParse({ days: [1], start: '21:00', end: '09:00' }).success).toBe(false)
    expect(CallingWindow.safeParse({ days: [1, 1], start: '09:00', end: '21:00' }).success).toBe(false)
    expect(CallingWindow.safeParse({ days: [1], start: '09:00', end: '21:00' }).success).toBe(true)
  })
  it('withRegime checks the result and names the field', () => {
    const e = (() => {
      try {
        return withRegime(regimes.US, { abandonment: { limit: 3 } })
      } catch (err) {
        return err
      }
    })()
    expect(isSwitchboardError(e, 'ValidationFailed')).toBe(true)
    expect((e as { issues: { field: string }[] }).issues[0]?.field).toBe('abandonment.limit')
  })
  it('a campaign input refuses an impossible holiday and a backwards window', () => {
    const base = {
      name: 'X',
      kind: 'telemarketing',
      dialMode: { mode: 'progressive' },
      consentPurpose: 'sales',
    }
    const bad = {
      ...regimes.US,
      holidays: ['2026-02-31'],
      callingWindows: [{ days: [1], start: '21:00', end: '09:00' }],
    }
    const r = CampaignInput.safeParse({ ...base, regime: bad })
    const fields = issuesFromZod({ ...base, regime: bad }, r.error!.issues).map((i) => i.field)
    expect(fields).toEqual(expect.arrayContaining(['regime.holidays[0]', 'regime.callingWindows[0].end']))
  })
  it('knows the minor digits of each currency', () => {
    expect([
      currencyDigits('USD'),
      currencyDigits('JPY'),
      currencyDigits('KWD'),
      currencyDigits('XYZ'),
    ]).toEqual([2, 0, 3, undefined])
  })
})
