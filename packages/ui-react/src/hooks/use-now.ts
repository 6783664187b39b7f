import { useEffect, useState } from 'react'

/**
 * The current time, re-read every `intervalMs` (default 1 s) while mounted:
 * what SLA clocks and wrap-up countdowns count with. Pass `null` to stop.
 */
export function useNow(intervalMs: number | null = 1000): Date {
  const [now, setNow] = useState(() => new Date())
  useEffect(() => {
    if (intervalMs === null) return
    const t = setInterval(() => setNow(new Date()), intervalMs)
    return () => clearInterval(t)
  }, [intervalMs])
  return now
}

/** Whole seconds from `now` until `until` (negative once it has passed); undefined without a time. */
export function secondsUntil(until: string | undefined, now: Date): number | undefined {
  if (until === undefined) return undefined
  const t = Date.parse(until)
  return Number.isNaN(t) ? undefined : Math.ceil((t - now.getTime()) / 1000)
}
