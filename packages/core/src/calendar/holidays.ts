import Holidays from 'date-holidays'
import { z } from 'zod'
import { LocalDate } from '../domain/common.js'
import { issuesFromZod, validationFailed } from '../domain/errors.js'

/**
 * Public holidays from date-holidays (a well-kept library with national and
 * regional rules: Spain's autonomous communities, US states, UK nations). The
 * one holiday source of every package: the service desk's business calendar
 * and the calling windows of a regime both ask here.
 */
export interface HolidayPlace {
  /** ISO 3166-1 alpha-2, e.g. "ES". */
  readonly country: string
  /** The region as date-holidays codes it (ISO 3166-2 suffix), e.g. "MD" for Comunidad de Madrid. */
  readonly region?: string | undefined
}

const Place = z.strictObject({
  country: z.string().regex(/^[A-Za-z]{2}$/, 'must be an ISO 3166-1 alpha-2 code such as "ES"'),
  region: z.string().min(1).max(8).optional(),
})
const Year = z.number().int().min(1900).max(2200)

/** Parses an argument strictly; a bad one is a ValidationFailed naming the field and the value. */
function arg<T>(schema: z.ZodType<T>, value: unknown, field: string): T {
  const r = schema.safeParse(value)
  if (r.success) return r.data
  const issues = issuesFromZod(value, r.error.issues).map((i) => ({
    ...i,
    field: i.field ? `${field}.${i.field}` : field,
  }))
  throw validationFailed('holiday question', issues)
}

export interface PublicHoliday {
  /** Local date, YYYY-MM-DD. */
  readonly date: string
  readonly name: string
}

const calendars = new Map<string, Holidays>()
const years = new Map<string, ReadonlyArray<PublicHoliday>>()

function calendar(input: HolidayPlace): Holidays {
  const place = arg(Place, input, 'place')
  const key = `${place.country.toUpperCase()}/${place.region?.toUpperCase() ?? ''}`
  let h = calendars.get(key)
  if (!h) {
    h = new Holidays()
    // init() does not say whether it knew the place: ask the catalogue first.
    const country = place.country.toUpperCase()
    const known =
      country in (h.getCountries() ?? {}) &&
      (!place.region || place.region.toUpperCase() in (h.getStates(country) ?? {}))
    if (!known) {
      throw validationFailed('holiday question', [
        {
          field: place.region ? 'place.region' : 'place.country',
          value: place.region ?? place.country,
          message: `date-holidays has no calendar for ${key.replace(/\/$/, '')}`,
        },
      ])
    }
    if (place.region) h.init(country, place.region.toUpperCase())
    else h.init(country)
    calendars.set(key, h)
  }
  return h
}

/** Whether date-holidays knows this country (and region). */
export function hasHolidayCalendar(place: HolidayPlace): boolean {
  try {
    calendar(place)
    return true
  } catch {
    // Only "unknown place" (or a malformed one) lands here: both mean no calendar.
    return false
  }
}

/**
 * The public holidays of a year in a country or region, in date order (days
 * off for everyone: date-holidays' `public` type; bank, school and observance
 * days are not included). An unknown or malformed place or year throws a
 * ValidationFailed naming the field and the value.
 *
 * @example
 * ```ts
 * import { publicHolidays } from '@switchboard/core'
 * publicHolidays({ country: 'ES', region: 'MD' }, 2026).map((h) => h.date)
 * // ['2026-01-01', '2026-01-06', ..., '2026-05-02' (Comunidad de Madrid), ...]
 * ```
 */
export function publicHolidays(place: HolidayPlace, year: number): ReadonlyArray<PublicHoliday> {
  arg(Year, year, 'year')
  const key = `${place.country.toUpperCase()}/${place.region?.toUpperCase() ?? ''}/${year}`
  let list = years.get(key)
  if (!list) {
    const seen = new Set<string>()
    const out: PublicHoliday[] = []
    for (const h of calendar(place).getHolidays(year)) {
      if (h.type !== 'public') continue
      const date = h.date.slice(0, 10)
      if (seen.has(date)) continue
      seen.add(date)
      out.push({ date, name: h.name })
    }
    list = out.sort((a, b) => a.date.localeCompare(b.date))
    years.set(key, list)
  }
  return list
}

/** The public holiday on a local date (YYYY-MM-DD) in a place, if that date is one. */
export function publicHolidayOn(place: HolidayPlace, localDate: string): PublicHoliday | undefined {
  arg(LocalDate, localDate, 'localDate')
  return publicHolidays(place, Number(localDate.slice(0, 4))).find((h) => h.date === localDate)
}
