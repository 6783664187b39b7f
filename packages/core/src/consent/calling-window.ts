import type { CallingWindow } from '../domain/campaign.js'

export interface LocalTime {
  readonly zone: string
  /** 0 = Sunday. */
  readonly weekday: number
  readonly date: string
  readonly hhmm: string
}

const formatters = new Map<string, Intl.DateTimeFormat>()
const WEEKDAY: Record<string, number> = { Sun: 0, Mon: 1, Tue: 2, Wed: 3, Thu: 4, Fri: 5, Sat: 6 }

/** Wall-clock time in a zone (DST-aware, via Intl). */
export function localTime(at: Date, zone: string): LocalTime {
  let f = formatters.get(zone)
  if (!f) {
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
    formatters.set(zone, f)
  }
  const parts: Record<string, string> = {}
  for (const p of f.formatToParts(at)) parts[p.type] = p.value
  return {
    zone,
    weekday: WEEKDAY[parts.weekday ?? ''] ?? 0,
    date: `${parts.year}-${parts.month}-${parts.day}`,
    hhmm: `${parts.hour}:${parts.minute}`,
  }
}

/** Whether a local time falls in one of the windows and not on a holiday. */
export function insideWindows(
  t: LocalTime,
  windows: ReadonlyArray<CallingWindow>,
  holidays: ReadonlyArray<string> = [],
): boolean {
  if (holidays.includes(t.date)) return false
  return windows.some((w) => w.days.includes(t.weekday) && t.hhmm >= w.start && t.hhmm < w.end)
}
