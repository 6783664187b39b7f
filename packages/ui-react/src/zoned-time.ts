import { localTime, zonedInstant } from '@switchboard/core/domain'

/** `YYYY-MM-DDTHH:mm` as the wall clock in `zone` reads at `at` (what a datetime-local input shows). */
export function localInputValue(at: Date, zone: string): string | undefined {
  const lt = localTime(at, zone)
  return lt ? `${lt.date}T${lt.hhmm}` : undefined
}

/**
 * The instant a wall-clock time in `zone` stands for, as ISO: what the
 * callback picker sends (core's `zonedInstant`: a time skipped by a DST change
 * moves forward by the gap). Undefined for a malformed time or an unknown zone.
 */
export function instantOf(local: string, zone: string): string | undefined {
  return zonedInstant(local, zone)?.toISOString()
}
