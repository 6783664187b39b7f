// How virtual time moves. Headless: as fast as storage settles. Interactive:
// a real-time ticker at `speed` virtual seconds per real second.
import type { CampaignRuntime } from '@switchboard/campaigns'
import type { ManualClock } from '@switchboard/telephony/simulated'

/** Advances `sec` virtual seconds in steps, letting the runtime's storage work settle after each. */
export async function advanceSettled(
  clock: ManualClock,
  runtime: CampaignRuntime,
  sec: number,
  stepSec = 0.25,
  onStep?: (doneSec: number) => void,
): Promise<void> {
  for (let done = 0; done < sec - 1e-9; ) {
    const step = Math.min(stepSec, sec - done)
    await clock.advance(step)
    await runtime.settled()
    done += step
    onStep?.(done)
  }
}

export interface Ticker {
  /** Virtual seconds per real second. */
  readonly speed: number
  stop(): Promise<void>
}

/**
 * Moves the virtual clock with real time, `speed` times faster: every
 * `tickMs` real ms it advances by the real time elapsed × speed (in steps of
 * at most a quarter virtual second, settling after each). When storage is
 * slower than that, virtual time falls behind rather than skipping work.
 */
export function realtimeTicker(
  clock: ManualClock,
  runtime: CampaignRuntime,
  o: { readonly speed: number; readonly tickMs?: number },
): Ticker {
  const tickMs = o.tickMs ?? 100
  let stopped = false
  let last = performance.now()
  const loop = (async () => {
    while (!stopped) {
      await new Promise((r) => setTimeout(r, tickMs))
      const now = performance.now()
      const sec = Math.min(((now - last) / 1000) * o.speed, 30)
      last = now
      await advanceSettled(clock, runtime, sec, 0.25)
    }
  })()
  return {
    speed: o.speed,
    async stop() {
      stopped = true
      await loop
    },
  }
}
