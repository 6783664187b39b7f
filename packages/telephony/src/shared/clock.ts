import { secToMs } from './units.js'

/**
 * A clock the backends schedule on: real time, or a manual clock that tests and benchmarks advance.
 * `now()` is an instant in epoch milliseconds. `setTimeout` is the backends' timer primitive and, like the
 * platform's, takes milliseconds; durations everywhere else in the API are seconds.
 */
export interface Clock {
  /** Epoch milliseconds. */
  now(): number
  /** Runs `fn` after `ms` milliseconds (the timer primitive; `ManualClock.advance` takes seconds). */
  setTimeout(fn: () => void, ms: number): TimerHandle
  clearTimeout(handle: TimerHandle): void
}

export interface TimerHandle {
  readonly id: number
}

export const realClock = (): Clock => {
  const timers = new Map<number, ReturnType<typeof setTimeout>>()
  let next = 1
  return {
    now: () => Date.now(),
    setTimeout(fn, ms) {
      const id = next++
      const t = setTimeout(
        () => {
          timers.delete(id)
          fn()
        },
        Math.max(0, ms),
      )
      timers.set(id, t)
      return { id }
    },
    clearTimeout(handle) {
      const t = timers.get(handle.id)
      if (t !== undefined) clearTimeout(t)
      timers.delete(handle.id)
    },
  }
}

interface ManualTimer {
  id: number
  due: number
  seq: number
  fn: () => void
}

/** Lets pending promise callbacks (and their follow-ups) run. */
const flushMicrotasks = async (): Promise<void> => {
  for (let i = 0; i < 5; i++) await new Promise<void>((resolve) => setImmediate(resolve))
}

/**
 * A controllable clock: time moves only when `advance` is called. Timers fire in due order, and promise
 * continuations run between timers, so simulated hours pass in milliseconds of real time and runs are
 * reproducible. `advance` and `runAll` take seconds (core's `minutes(n)` and `hours(n)` read well there).
 */
export class ManualClock implements Clock {
  private current: number
  private timers: ManualTimer[] = []
  private nextId = 1
  private seq = 0

  constructor(start = Date.UTC(2026, 0, 5, 9, 0, 0)) {
    this.current = start
  }

  now(): number {
    return this.current
  }

  setTimeout(fn: () => void, ms: number): TimerHandle {
    const id = this.nextId++
    this.timers.push({ id, due: this.current + Math.max(0, ms), seq: this.seq++, fn })
    return { id }
  }

  clearTimeout(handle: TimerHandle): void {
    this.timers = this.timers.filter((t) => t.id !== handle.id)
  }

  get pendingTimers(): number {
    return this.timers.length
  }

  /** Moves time forward by `sec` seconds, firing every timer due on the way. */
  async advance(sec: number): Promise<void> {
    await this.advanceTo(this.current + secToMs(sec))
  }

  /** Advances until no timer is left (bounded: at most `maxSec` seconds of virtual time, default a day). */
  async runAll(maxSec = 86_400): Promise<void> {
    const limit = this.current + secToMs(maxSec)
    for (;;) {
      const due = this.nextDue()
      if (due === undefined || due.due > limit) return
      await this.advanceTo(due.due)
    }
  }

  /** Moves time forward to the instant `target` (epoch ms), firing every timer due on the way. */
  private async advanceTo(target: number): Promise<void> {
    await flushMicrotasks()
    for (;;) {
      const due = this.nextDue()
      if (due === undefined || due.due > target) break
      this.timers = this.timers.filter((t) => t !== due)
      this.current = due.due
      due.fn()
      await flushMicrotasks()
    }
    this.current = target
    await flushMicrotasks()
  }

  private nextDue(): ManualTimer | undefined {
    let best: ManualTimer | undefined
    for (const t of this.timers) {
      if (!best || t.due < best.due || (t.due === best.due && t.seq < best.seq)) best = t
    }
    return best
  }
}
