import { createContext, createElement, type ReactNode, useContext, useEffect, useState } from 'react'

/**
 * Where "now" comes from: the browser's clock unless a provider says otherwise (a simulation's virtual
 * clock). `() => Date.now()`, not `Date.now`: looked up at each call, so a test's fake clock is seen.
 */
const NowSource = createContext<() => number>(() => Date.now())

/**
 * Makes every timer below it (time in state, wrap-up countdown, SLA clocks,
 * the caller's local time) count with `now` instead of the browser's clock:
 * a host whose server runs on another clock (a simulation, a skewed machine)
 * passes the server's time here. `SwitchboardProvider` takes the same `now`.
 */
export function NowProvider({
  now,
  children,
}: {
  readonly now: () => number
  readonly children?: ReactNode
}) {
  return createElement(NowSource.Provider, { value: now }, children)
}

/**
 * The current time, re-read every `intervalMs` (default 1 s) while mounted:
 * what SLA clocks and wrap-up countdowns count with. Pass `null` to stop.
 */
export function useNow(intervalMs: number | null = 1000): Date {
  const source = useContext(NowSource)
  const [now, setNow] = useState(() => new Date(source()))
  useEffect(() => {
    setNow(new Date(source()))
    if (intervalMs === null) return
    const t = setInterval(() => setNow(new Date(source())), intervalMs)
    return () => clearInterval(t)
  }, [intervalMs, source])
  return now
}

/** Whole seconds from `now` until `until` (negative once it has passed); undefined without a time. */
export function secondsUntil(until: string | undefined, now: Date): number | undefined {
  if (until === undefined) return undefined
  const t = Date.parse(until)
  return Number.isNaN(t) ? undefined : Math.ceil((t - now.getTime()) / 1000)
}
