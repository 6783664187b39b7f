import { describe, expect, it } from 'vitest'
import { hasHolidayCalendar, publicHolidayOn, publicHolidays } from '../src/calendar/holidays.js'

describe('public holidays (date-holidays)', () => {
  it("knows Spain's national and regional holidays", () => {
    const madrid = publicHolidays({ country: 'ES', region: 'MD' }, 2026).map((h) => h.date)
    const catalonia = publicHolidays({ country: 'ES', region: 'CT' }, 2026).map((h) => h.date)
    expect(madrid).toContain('2026-10-12') // Fiesta Nacional, everywhere
    expect(madrid).toContain('2026-05-02') // Día de la Comunidad de Madrid
    expect(catalonia).not.toContain('2026-05-02')
    expect(catalonia).toContain('2026-09-11') // Diada
    expect(publicHolidayOn({ country: 'ES', region: 'MD' }, '2026-05-02')?.name).toMatch(/Madrid/)
    expect(publicHolidayOn({ country: 'ES', region: 'MD' }, '2026-05-04')).toBeUndefined()
  })

  it('keeps only public days off, in date order, once each', () => {
    const us = publicHolidays({ country: 'US' }, 2026).map((h) => h.date)
    expect(us).toContain('2026-07-04')
    expect([...us].sort()).toEqual(us)
    expect(new Set(us).size).toBe(us.length)
  })

  it('refuses a place it does not know', () => {
    expect(hasHolidayCalendar({ country: 'ES', region: 'MD' })).toBe(true)
    expect(hasHolidayCalendar({ country: 'XX' })).toBe(false)
    expect(() => publicHolidays({ country: 'XX' }, 2026)).toThrow(
      /place.country = "XX": date-holidays has no calendar for XX/,
    )
    expect(() => publicHolidays({ country: 'ES', region: 'ZZ' }, 2026)).toThrow(/place.region = "ZZ"/)
  })

  it('names the field and the value of a malformed argument', () => {
    expect(() => publicHolidays({ country: 'Spain' }, 2026)).toThrow(/place.country = "Spain"/)
    expect(() => publicHolidays({ country: 'ES' }, 2026.5)).toThrow(/year = 2026.5/)
    expect(() => publicHolidayOn({ country: 'ES' }, '2026-13-01')).toThrow(/localDate = "2026-13-01"/)
  })
})
