import { z } from 'zod'

/**
 * Durations. One unit across every package: **seconds** (a number, fractions
 * allowed). Fields say so in their name (`ringSec`, `retryAfterSec`,
 * `maxWaitSec`). These helpers keep configuration readable.
 *
 * @example
 * ```ts
 * import { hours, minutes } from '@switchboard/core/domain'
 * const rule = { match: 'no_answer', retryAfterSec: hours(2), maxAttempts: 6 }
 * const wrapLimit = minutes(1.5) // 90
 * ```
 */
export const minutes = (n: number): number => n * 60
export const hours = (n: number): number => n * 3_600
export const days = (n: number): number => n * 86_400

/** A duration in seconds: finite and not negative. */
export const Seconds = z.number().finite().nonnegative()

/** Wall-clock time in a zone. */
export interface LocalTime {
  readonly zone: string
  /** 0 = Sunday ... 6 = Saturday. */
  readonly weekday: number
  /** YYYY-MM-DD. */
  readonly date: string
  /** HH:MM, 24-hour. */
  readonly hhmm: string
  /** Minutes after local midnight. */
  readonly minutes: number
}

const formatters = new Map<string, Intl.DateTimeFormat>()
const WEEKDAY: Record<string, number> = { Sun: 0, Mon: 1, Tue: 2, Wed: 3, Thu: 4, Fri: 5, Sat: 6 }

/**
 * Wall-clock time at `at` in an IANA zone (DST-aware, via Intl), or
 * undefined when the zone is not one Intl knows.
 */
export function localTime(at: Date, zone: string): LocalTime | undefined {
  let f = formatters.get(zone)
  if (!f) {
    try {
      f = new Intl.DateTimeFormat('en-US', {
        timeZone: zone,
        weekday: 'short',
        year: 'numeric',
        month: '2-digit',
        day: '2-digit',
        hour: '2-digit',
        minute: '2-digit',
        hourCycle: 'h23',
      })
    } catch {
      return undefined
    }
    formatters.set(zone, f)
  }
  const parts: Record<string, string> = {}
  for (const p of f.formatToParts(at)) parts[p.type] = p.value
  const hh = parts.hour ?? '00'
  const mm = parts.minute ?? '00'
  return {
    zone,
    weekday: WEEKDAY[parts.weekday ?? ''] ?? 0,
    date: `${parts.year}-${parts.month}-${parts.day}`,
    hhmm: `${hh}:${mm}`,
    minutes: Number(hh) * 60 + Number(mm),
  }
}

export const WEEKDAY_NAMES = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'] as const

/**
 * The instant at which the wall clock in `zone` reads `local`
 * (`YYYY-MM-DDTHH:mm`), or undefined when the zone is unknown. A time skipped
 * by a DST change is moved forward by the gap (02:30 on a spring-forward
 * night is 03:30), as people mean it.
 */
export function zonedInstant(local: string, zone: string): Date | undefined {
  const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})$/.exec(local)
  if (!m) return undefined
  const [y, mo, d, h, mi] = m.slice(1).map(Number) as [number, number, number, number, number]
  const wall = Date.UTC(y, mo - 1, d, h, mi)
  const offsetAt = (t: number): number | undefined => {
    const lt = localTime(new Date(t), zone)
    if (!lt) return undefined
    const [ly, lm, ld] = lt.date.split('-').map(Number) as [number, number, number]
    return (
      Date.UTC(ly, lm - 1, ld, Math.floor(lt.minutes / 60), lt.minutes % 60) - Math.floor(t / 60_000) * 60_000
    )
  }
  const first = offsetAt(wall)
  if (first === undefined) return undefined
  let t = wall - first
  const second = offsetAt(t)!
  if (second !== first) t = wall - second
  return new Date(t)
}
