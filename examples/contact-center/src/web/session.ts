// The page's connection: the seat's token from the URL, the typed client, the
// live store, and what the server put in the page (the campaign, the tiers).
import { createLiveStore, createSwitchboardClient } from '@switchboard/client'

export const token = new URLSearchParams(location.search).get('token') ?? ''

export const client = createSwitchboardClient({
  baseUrl: location.origin,
  headers: () => ({ authorization: `Bearer ${token}` }),
})
export const store = createLiveStore(client)

export interface PageConfig {
  readonly campaignId: string
  readonly tiers: ReadonlyArray<{ readonly id: string; readonly name: string; readonly level: number }>
  /** The virtual shift's start (ISO): the supervisor's report starts there. */
  readonly shiftStart: string
}

export const root = document.getElementById('root')!
export const config = JSON.parse(root.dataset.config ?? '{}') as PageConfig

/**
 * The demo's virtual clock as the page sees it: read from `/demo/clock` and
 * run forward at the demo's speed between reads (re-read every 30 s), so the
 * components' timers (time in state, wrap-up, SLA clocks) count in the
 * shift's time, not the browser's.
 */
export function virtualNow(): () => number {
  let base = { at: performance.now(), now: Date.parse(config.shiftStart), speed: 1 }
  const read = async () => {
    const r = (await (await fetch('/demo/clock')).json()) as { now: string; speed: number }
    base = { at: performance.now(), now: Date.parse(r.now), speed: r.speed }
  }
  void read().catch(() => undefined)
  setInterval(() => void read().catch(() => undefined), 30_000)
  return () => base.now + (performance.now() - base.at) * base.speed
}
