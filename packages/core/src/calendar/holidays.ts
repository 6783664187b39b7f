import Holidays from 'date-holidays'

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
  readonly region?: string
}

export interface PublicHoliday {
  /** Local date, YYYY-MM-DD. */
  readonly date: string
  readonly name: string
}

const calendars = new Map<string, Holidays>()
const years = new Map<string, ReadonlyArray<PublicHoliday>>()

function calendar(place: HolidayPlace): Holidays {
  const key = `${place.country.toUpperCase()}/${place.region?.toUpperCase() ?? ''}`
  let h = calendars.get(key)
  if (!h) {
    h = new Holidays()
    // init() does not say whether it knew the place: ask the catalogue first.
    const country = place.country.toUpperCase()
    const known =
      country in (h.getCountries() ?? {}) &&
      (!place.region || place.region.toUpperCase() in (h.getStates(country) ?? {}))
    if (!known) throw new RangeError(`no holiday calendar for ${key.replace(/\/$/, '')}`)
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
    return false
  }
}

/**
 * The public holidays of a year in a country or region, in date order (days
 * off for everyone: date-holidays' `public` type; bank, school and observance
 * days are not included). Throws a RangeError for an unknown place.
 *
 * @example
 * ```ts
 * import { publicHolidays } from '@switchboard/core'
 * publicHolidays({ country: 'ES', region: 'MD' }, 2026).map((h) => h.date)
 * // ['2026-01-01', '2026-01-06', ..., '2026-05-02' (Comunidad de Madrid), ...]
 * ```
 */
export function publicHolidays(place: HolidayPlace, year: number): ReadonlyArray<PublicHoliday> {
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
  return publicHolidays(place, Number(localDate.slice(0, 4))).find((h) => h.date === localDate)
}
