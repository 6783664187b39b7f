import { z } from 'zod'
import { publicHolidayOn } from '../calendar/holidays.js'
import { DeskKey } from '../domain/case.js'
import { LocalDate, TimeZone } from '../domain/common.js'
import { issuesFromZod, validationFailed } from '../domain/errors.js'
import { Text } from '../domain/text.js'
import { localTime, zonedInstant } from '../domain/time.js'

const HHMM = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$|^24:00$/, 'must be HH:MM (00:00 to 24:00)')

/** Open hours of one day, local wall-clock time: `from` inclusive, `to` exclusive. */
export const OpenHours = z
  .strictObject({ from: HHMM, to: HHMM })
  .refine((h) => h.from < h.to, { message: '`from` must be before `to`', path: ['to'] })
export type OpenHours = z.infer<typeof OpenHours>

const Day = z
  .array(OpenHours)
  .max(8)
  .default([])
  .refine((hs) => hs.every((h, i) => i === 0 || hs[i - 1]!.to <= h.from), {
    message: 'open hours must be in order and must not overlap',
  })

export const WEEK_DAYS = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'] as const

export const CalendarKey = DeskKey

/**
 * A business calendar: weekly open hours in an IANA zone, closed on the public
 * holidays of a place (date-holidays, via calendar/holidays) and on extra dates.
 */
export const BusinessCalendar = z
  .strictObject({
    key: CalendarKey,
    name: Text.requiredName,
    zone: TimeZone,
    week: z.strictObject({
      mon: Day,
      tue: Day,
      wed: Day,
      thu: Day,
      fri: Day,
      sat: Day,
      sun: Day,
    }),
    /** Closed on this place's public holidays (a region adds its own: ES-MD, ES-CT). */
    holidays: z
      .strictObject({
        country: z.string().regex(/^[A-Z]{2}$/, 'must be an upper-case ISO 3166-1 alpha-2 code such as "ES"'),
        region: z.string().min(1).max(8).optional(),
      })
      .optional(),
    /** Extra closed local dates (a local holiday, a company day off). */
    closedDates: z.array(LocalDate).max(1_000).default([]),
  })
  .refine((c) => WEEK_DAYS.some((d) => c.week[d].length > 0), {
    message: 'a calendar needs open hours on at least one day',
    path: ['week'],
  })
export type BusinessCalendar = z.output<typeof BusinessCalendar>
export type BusinessCalendarInput = z.input<typeof BusinessCalendar>

/** No open hour within this many days means the calendar is closed for good: stop looking. */
const HORIZON_DAYS = 3_700

const nextDate = (date: string): string => {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number]
  return new Date(Date.UTC(y, m - 1, d + 1)).toISOString().slice(0, 10)
}
const weekday = (date: string): number => new Date(`${date}T00:00:00Z`).getUTCDay()

/** The instant the wall clock reads `hhmm` on `date` (24:00 is the next day's midnight). */
const at = (cal: BusinessCalendar, date: string, hhmm: string): number => {
  const local = hhmm === '24:00' ? `${nextDate(date)}T00:00` : `${date}T${hhmm}`
  const t = zonedInstant(local, cal.zone)
  if (!t)
    throw validationFailed('business calendar', [{ field: 'zone', value: cal.zone, message: 'unknown zone' }])
  return t.getTime()
}

const closed = (cal: BusinessCalendar, date: string): boolean =>
  cal.closedDates.includes(date) ||
  (cal.holidays !== undefined && publicHolidayOn(cal.holidays, date) !== undefined)

/**
 * The open intervals (epoch ms, half-open) of each local day from the one
 * holding `fromMs`, in order. Each interval's length comes from the two
 * instants, so a DST change inside open hours counts the hours that really
 * passed (09:00-14:00 on a spring-forward night is 4 hours when 02:00 is skipped).
 */
function* openIntervals(cal: BusinessCalendar, fromMs: number): Generator<readonly [number, number]> {
  let date = localTime(new Date(fromMs), cal.zone)?.date
  if (!date)
    throw validationFailed('business calendar', [{ field: 'zone', value: cal.zone, message: 'unknown zone' }])
  for (let i = 0; i < HORIZON_DAYS; i++, date = nextDate(date)) {
    if (closed(cal, date)) continue
    for (const h of cal.week[WEEK_DAYS[weekday(date)]!]) {
      const start = at(cal, date, h.from)
      const end = at(cal, date, h.to)
      if (end > fromMs && end > start) yield [Math.max(start, fromMs), end]
    }
  }
}

// A sweep measures every open case on the same calendar object: check it once (calendars are values, not edited in place).
const checked = new WeakMap<object, BusinessCalendar>()

const parsed = (calendar: BusinessCalendarInput | BusinessCalendar): BusinessCalendar => {
  const known = typeof calendar === 'object' && calendar !== null ? checked.get(calendar) : undefined
  if (known) return known
  const r = BusinessCalendar.safeParse(calendar)
  if (r.success) {
    checked.set(calendar, r.data)
    return r.data
  }
  throw validationFailed('business calendar', issuesFromZod(calendar, r.error.issues, BusinessCalendar))
}

/**
 * The instant `sec` business seconds after `from`: time only runs in open
 * hours, not on closed days, holidays or the calendar's extra closed dates.
 * `sec = 0` is `from` itself. Throws a ValidationFailed for a negative or
 * non-finite `sec`, or a calendar closed for ten years from `from`.
 *
 * @example
 * ```ts
 * import { addBusinessSec, hours } from '@switchboard/core'
 * const madrid = {
 *   key: 'madrid', name: 'Madrid office', zone: 'Europe/Madrid',
 *   week: { mon: [{ from: '09:00', to: '18:00' }], tue: [{ from: '09:00', to: '18:00' }],
 *     wed: [{ from: '09:00', to: '18:00' }], thu: [{ from: '09:00', to: '18:00' }],
 *     fri: [{ from: '09:00', to: '18:00' }], sat: [], sun: [] },
 *   holidays: { country: 'ES', region: 'MD' },
 * }
 * // Friday 17:00 plus 4 business hours: Monday 12:00 (Madrid time).
 * addBusinessSec(madrid, new Date('2026-03-06T16:00:00Z'), hours(4)).toISOString() // '2026-03-09T11:00:00.000Z'
 * ```
 */
export function addBusinessSec(
  calendar: BusinessCalendarInput | BusinessCalendar,
  from: Date,
  sec: number,
): Date {
  if (!Number.isFinite(sec) || sec < 0) {
    throw validationFailed('business time', [
      { field: 'sec', value: sec, message: 'must be a finite number ≥ 0' },
    ])
  }
  const cal = parsed(calendar)
  let left = sec * 1000
  if (left === 0) return new Date(from.getTime())
  for (const [start, end] of openIntervals(cal, from.getTime())) {
    if (end - start >= left) return new Date(start + left)
    left -= end - start
  }
  throw validationFailed('business time', [
    { field: 'calendar', value: cal.key, message: `no open hours within ${HORIZON_DAYS} days` },
  ])
}

/**
 * The business seconds between `from` and `to` (0 when `to` is not after
 * `from`): the open-hours time the two instants enclose.
 *
 * @example
 * ```ts
 * import { elapsedBusinessSec, type BusinessCalendarInput } from '@switchboard/core'
 * declare const madrid: BusinessCalendarInput
 * elapsedBusinessSec(madrid, new Date('2026-03-06T16:00:00Z'), new Date('2026-03-09T11:00:00Z')) // 14400
 * ```
 */
export function elapsedBusinessSec(
  calendar: BusinessCalendarInput | BusinessCalendar,
  from: Date,
  to: Date,
): number {
  const cal = parsed(calendar)
  const end = to.getTime()
  let ms = 0
  if (end <= from.getTime()) return 0
  for (const [s, e] of openIntervals(cal, from.getTime())) {
    if (s >= end) break
    ms += Math.min(e, end) - s
  }
  return ms / 1000
}

/** Whether the calendar is open at `at`. */
export function isBusinessOpen(calendar: BusinessCalendarInput | BusinessCalendar, instant: Date): boolean {
  const cal = parsed(calendar)
  const t = instant.getTime()
  for (const [s] of openIntervals(cal, t)) return s <= t
  return false
}
