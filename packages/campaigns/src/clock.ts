import { Clock, Duration, Effect } from 'effect'

/**
 * The clock the runtime schedules on: the telephony backend's (`now` in epoch
 * ms, `setTimeout` in ms). Real time by default; a simulation passes the same
 * `ManualClock` to telephony, to `createSwitchboard({ clock })` and here, so a
 * campaign day runs in seconds and every timestamp agrees.
 */
export interface RuntimeClock {
  now(): number
  setTimeout(fn: () => void, ms: number): unknown
  clearTimeout(handle: unknown): void
}

/** Effect's `Clock` on the runtime's clock: time and sleeps follow it (a virtual clock included). */
export function effectClock(clock: RuntimeClock): Clock.Clock {
  const base = Clock.Clock.defaultValue()
  const nanos = () => BigInt(Math.round(clock.now())) * 1_000_000n
  return {
    ...base,
    currentTimeMillisUnsafe: () => clock.now(),
    currentTimeMillis: Effect.sync(() => clock.now()),
    currentTimeNanosUnsafe: nanos,
    currentTimeNanos: Effect.sync(nanos),
    sleep: (d) =>
      Effect.callback<void>((resume) => {
        const h = clock.setTimeout(() => resume(Effect.void), Duration.toMillis(d))
        return Effect.sync(() => clock.clearTimeout(h))
      }),
  }
}

export const systemClock: RuntimeClock = {
  now: () => Date.now(),
  setTimeout: (fn, ms) => setTimeout(fn, Math.max(0, ms)),
  clearTimeout: (h) => clearTimeout(h as ReturnType<typeof setTimeout>),
}

/**
 * Counts the runtime's storage work in flight, so that a simulation on a
 * virtual clock advances time only once the database has answered what the
 * last step asked. (Waiting for *all* work would deadlock: a call that rings
 * waits on the virtual clock itself.)
 */
export class Work {
  private inFlight = 0
  private waiters: Array<() => void> = []

  /** Counts `p` as storage work until it settles. */
  io<A>(p: Promise<A>): Promise<A> {
    this.inFlight++
    return p.finally(() => {
      this.inFlight--
      if (this.inFlight === 0) for (const w of this.waiters.splice(0)) w()
    })
  }

  /** Wraps every promise-returning method of `target` (and of its plain sub-objects, two levels deep) with `io`. */
  tracked<T extends object>(target: T, depth = 2, halted: () => boolean = () => false): T {
    return new Proxy(target, {
      get: (t, prop, receiver) => {
        const v = Reflect.get(t, prop, receiver)
        if (typeof v === 'function')
          return (...args: unknown[]) => {
            if (halted()) return Promise.reject(new Error('the campaign runtime was halted'))
            const r = (v as (...a: unknown[]) => unknown).apply(t, args)
            return r instanceof Promise ? this.io(r) : r
          }
        if (depth > 0 && v && typeof v === 'object' && !(v instanceof Date) && !Array.isArray(v))
          return this.tracked(v as object, depth - 1, halted)
        return v
      },
    })
  }

  /** Runs `fn` as background work; a failure goes to `onError`. */
  spawn(fn: () => Promise<unknown>, onError: (e: unknown) => void): void {
    void fn().catch(onError)
  }

  /** Resolves once no storage work is in flight and a few turns of the event loop found none started. */
  async settled(): Promise<void> {
    for (let quiet = 0; quiet < 2; ) {
      if (this.inFlight > 0) {
        quiet = 0
        await new Promise<void>((r) => this.waiters.push(r))
      } else {
        quiet++
        await new Promise<void>((r) => setImmediate(r))
      }
    }
  }
}
