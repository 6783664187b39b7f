import { localTime } from '@switchboard/core'

const HOUR = 3_600_000
const QUARTER = 900_000

/** An hour bucket: its key and the instant it starts. */
export interface HourBucket {
  readonly key: string
  readonly start: number
}

const pad = (n: number) => String(n).padStart(2, '0')

/**
 * The hour bucket of an instant: `2026-01-06T14:00Z` in UTC, or, in `zone`, the local hour with
 * its UTC offset (`2026-01-06T15:00+01:00`: the two 01:00 hours of a DST fall-back stay apart).
 */
export function hourBucket(at: number, zone?: string): HourBucket {
  if (zone === undefined) {
    const start = Math.floor(at / HOUR) * HOUR
    return { key: `${new Date(start).toISOString().slice(0, 13)}:00Z`, start }
  }
  const lt = localTime(new Date(at), zone)
  if (!lt) throw new RangeError(`unknown time zone ${zone}`)
  const minute = Math.floor(at / 60_000) * 60_000
  const [y, m, d] = lt.date.split('-').map(Number) as [number, number, number]
  const hh = Math.floor(lt.minutes / 60)
  const offsetMin = Math.round((Date.UTC(y, m - 1, d, hh, lt.minutes % 60) - minute) / 60_000)
  const sign = offsetMin < 0 ? '-' : '+'
  const abs = Math.abs(offsetMin)
  return {
    key: `${lt.date}T${pad(hh)}:00${sign}${pad(Math.floor(abs / 60))}:${pad(abs % 60)}`,
    start: minute - (lt.minutes % 60) * 60_000,
  }
}

/**
 * Splits `[start, end)` (epoch ms) by hour bucket and calls `add` with each bucket and the seconds
 * of the interval inside it. Zones' offsets are whole quarter-hours, so local hours begin on a UTC
 * quarter-hour: the interval is cut there (on the UTC hour without a zone).
 */
export function splitByHour(
  start: number,
  end: number,
  zone: string | undefined,
  add: (bucket: HourBucket, seconds: number) => void,
): void {
  const step = zone === undefined ? HOUR : QUARTER
  for (let s = start; s < end; ) {
    const next = Math.min(end, (Math.floor(s / step) + 1) * step)
    add(hourBucket(s, zone), (next - s) / 1000)
    s = next
  }
}
