import { describe, expect, it } from 'vitest'
import { publicHolidayOn } from '../src/calendar/holidays.js'
import {
  addBusinessSec,
  type BusinessCalendarInput,
  elapsedBusinessSec,
  isBusinessOpen,
} from '../src/desk/calendar.js'
import { hours, localTime } from '../src/domain/time.js'

const nineToSix = [{ from: '09:00', to: '18:00' }]
const office = (region: string): BusinessCalendarInput => ({
  key: `office-${region.toLowerCase()}`,
  name: `Office ${region}`,
  zone: 'Europe/Madrid',
  week: { mon: nineToSix, tue: nineToSix, wed: nineToSix, thu: nineToSix, fri: nineToSix, sat: [], sun: [] },
  holidays: { country: 'ES', region },
})
const madrid = office('MD')
const catalonia = office('CT')
const allDay = [{ from: '00:00', to: '24:00' }]
const always: BusinessCalendarInput = {
  key: 'always',
  name: 'Always open',
  zone: 'Europe/Madrid',
  week: { mon: allDay, tue: allDay, wed: allDay, thu: allDay, fri: allDay, sat: allDay, sun: allDay },
}
const utc = (s: string) => new Date(s)

describe('business calendar', () => {
  it('skips the weekend', () => {
    // Friday 17:00 in Madrid (CET, +1) plus 4 business hours: Monday 12:00.
    const due = addBusinessSec(madrid, utc('2026-03-06T16:00:00Z'), hours(4))
    expect(due.toISOString()).toBe('2026-03-09T11:00:00.000Z')
    expect(elapsedBusinessSec(madrid, utc('2026-03-06T16:00:00Z'), due)).toBe(hours(4))
    // A start on Saturday counts from Monday 09:00.
    expect(addBusinessSec(madrid, utc('2026-03-07T10:00:00Z'), hours(1)).toISOString()).toBe(
      '2026-03-09T09:00:00.000Z',
    )
    expect(elapsedBusinessSec(madrid, utc('2026-03-07T00:00:00Z'), utc('2026-03-08T23:00:00Z'))).toBe(0)
  })

  it('skips national and regional public holidays', () => {
    // 1 May 2026 (Friday) is a national holiday: Thursday 17:00 CEST + 2h is Monday 10:00.
    expect(publicHolidayOn({ country: 'ES' }, '2026-05-01')).toBeDefined()
    expect(addBusinessSec(madrid, utc('2026-04-30T15:00:00Z'), hours(2)).toISOString()).toBe(
      '2026-05-04T08:00:00.000Z',
    )
    // 11 September 2026 (Friday) is the Diada: closed in Catalonia, open in Madrid.
    const thursday = utc('2026-09-10T15:00:00Z')
    expect(addBusinessSec(madrid, thursday, hours(2)).toISOString()).toBe('2026-09-11T08:00:00.000Z')
    expect(addBusinessSec(catalonia, thursday, hours(2)).toISOString()).toBe('2026-09-14T08:00:00.000Z')
    expect(isBusinessOpen(madrid, utc('2026-09-11T10:00:00Z'))).toBe(true)
    expect(isBusinessOpen(catalonia, utc('2026-09-11T10:00:00Z'))).toBe(false)
  })

  it('skips extra closed dates', () => {
    const closed = { ...madrid, closedDates: ['2026-03-09'] }
    expect(addBusinessSec(closed, utc('2026-03-06T16:00:00Z'), hours(4)).toISOString()).toBe(
      '2026-03-10T11:00:00.000Z',
    )
  })

  it('opens at 09:00 local time on both sides of a DST change (Europe/Madrid)', () => {
    // Spring forward on Sunday 29 March 2026: Monday 09:00 is 07:00Z, the Friday before 08:00Z.
    expect(addBusinessSec(madrid, utc('2026-03-27T16:00:00Z'), hours(2)).toISOString()).toBe(
      '2026-03-30T08:00:00.000Z',
    )
    // Fall back on Sunday 25 October 2026: Monday 09:00 is 08:00Z again.
    expect(addBusinessSec(madrid, utc('2026-10-23T15:00:00Z'), hours(2)).toISOString()).toBe(
      '2026-10-26T09:00:00.000Z',
    )
  })

  it('counts the hours that really pass on DST nights, both directions', () => {
    // Saturday noon to Sunday noon: 23 hours in spring, 25 in autumn.
    expect(elapsedBusinessSec(always, utc('2026-03-28T11:00:00Z'), utc('2026-03-29T10:00:00Z'))).toBe(
      hours(23),
    )
    expect(elapsedBusinessSec(always, utc('2026-10-24T10:00:00Z'), utc('2026-10-25T11:00:00Z'))).toBe(
      hours(25),
    )
    // Sunday 01:00-05:00 local is 3 hours on the spring night and 5 on the autumn one.
    const none = { mon: [], tue: [], wed: [], thu: [], fri: [], sat: [] }
    const night = { ...always, week: { ...none, sun: [{ from: '01:00', to: '05:00' }] } }
    expect(elapsedBusinessSec(night, utc('2026-03-28T00:00:00Z'), utc('2026-03-30T00:00:00Z'))).toBe(hours(3))
    expect(elapsedBusinessSec(night, utc('2026-10-24T00:00:00Z'), utc('2026-10-26T00:00:00Z'))).toBe(hours(5))
    // Three hours from Saturday 23:00 CET is 03:00 CEST on the wall clock (02:00 never happened).
    expect(addBusinessSec(always, utc('2026-03-28T22:00:00Z'), hours(3)).toISOString()).toBe(
      '2026-03-29T01:00:00.000Z',
    )
  })

  it('agrees with a minute-by-minute count around DST changes', () => {
    const split: BusinessCalendarInput = {
      ...madrid,
      week: { ...madrid.week, sun: [{ from: '01:30', to: '03:30' }], sat: [{ from: '10:00', to: '13:00' }] },
    }
    const cal = { ...split, holidays: { country: 'ES', region: 'MD' } }
    const openAt = (t: Date): boolean => {
      const lt = localTime(t, 'Europe/Madrid')!
      if (publicHolidayOn({ country: 'ES', region: 'MD' }, lt.date)) return false
      const day = (['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'] as const)[lt.weekday]!
      return cal.week[day]!.some((h) => {
        const [fh, fm] = h.from.split(':').map(Number) as [number, number]
        const [th, tm] = h.to.split(':').map(Number) as [number, number]
        return lt.minutes >= fh * 60 + fm && lt.minutes < th * 60 + tm
      })
    }
    let seed = 7
    const rand = () => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31
      return seed / 2 ** 31
    }
    for (const base of ['2026-03-26T00:00:00Z', '2026-10-22T00:00:00Z', '2026-04-29T00:00:00Z']) {
      for (let trial = 0; trial < 4; trial++) {
        const from = new Date(utc(base).getTime() + Math.floor(rand() * 3 * 1440) * 60_000)
        const to = new Date(from.getTime() + Math.floor(rand() * 4 * 1440) * 60_000)
        let minutes = 0
        for (let t = from.getTime(); t < to.getTime(); t += 60_000) if (openAt(new Date(t))) minutes++
        expect(elapsedBusinessSec(cal, from, to)).toBe(minutes * 60)
        if (minutes > 0) {
          const back = addBusinessSec(cal, from, minutes * 60)
          expect(back.getTime()).toBeLessThanOrEqual(to.getTime())
          expect(elapsedBusinessSec(cal, from, back)).toBe(minutes * 60)
        }
      }
    }
  })

  it('refuses bad input with the field and value', () => {
    expect(() => addBusinessSec(madrid, new Date(), -1)).toThrow(/sec = -1/)
    expect(() => addBusinessSec({ ...madrid, zone: 'Mars/Olympus' }, new Date(), 1)).toThrow(
      /zone = "Mars\/Olympus"/,
    )
    expect(() =>
      addBusinessSec(
        { ...madrid, week: { ...madrid.week, mon: [{ from: '18:00', to: '09:00' }] } },
        new Date(),
        1,
      ),
    ).toThrow(/week.mon\[0\].to/)
    const closedWeek = { ...always, week: { mon: [], tue: [], wed: [], thu: [], fri: [], sat: [], sun: [] } }
    expect(() => addBusinessSec(closedWeek, new Date(), 1)).toThrow(/at least one day/)
  })
})
