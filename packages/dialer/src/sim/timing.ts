/**
 * The cost of a pacer's calls inside a simulated run. The wall clock of a 10 µs call on a shared machine
 * includes the time the thread spent descheduled, waiting for a CPU while other processes ran. Where the
 * host can tell how long the thread has waited on the run queue (on Linux the second field of
 * `/proc/thread-self/schedstat`; the benchmark's worker passes it), the timer also reports each call's
 * wall clock minus that wait: the call's own time, collections and everything else on the thread
 * included.
 */

/** Cost of a pacer's calls inside a run, in microseconds. */
export interface CallTiming {
  readonly count: number
  readonly median: number
  readonly p99: number
  readonly max: number
  /** The largest after the first 10 simulated minutes (a fresh worker compiles the code during those). */
  readonly maxAfterWarmup: number
  /** The same figures without the time the thread waited on the run queue, when the host can tell. */
  readonly own?: {
    readonly median: number
    readonly p99: number
    readonly max: number
    readonly maxAfterWarmup: number
    /** Calls over 1 ms of wall clock. */
    readonly overOneMs: number
    /** Of those, the calls under 1 ms without the run-queue wait (the thread was descheduled). */
    readonly overOneMsDescheduled: number
  }
}

const PER_OCTAVE = 16
const BINS = 24 * PER_OCTAVE

class LogHistogram {
  readonly h = new Float64Array(BINS)
  count = 0
  max = 0
  maxWarm = 0
  add(us: number, warm: boolean): void {
    this.count++
    if (us > this.max) this.max = us
    if (warm && us > this.maxWarm) this.maxWarm = us
    this.h[Math.min(BINS - 1, Math.floor(Math.log2(1 + Math.max(0, us)) * PER_OCTAVE))]!++
  }
  at(q: number): number {
    let acc = 0
    for (let b = 0; b < BINS; b++) {
      acc += this.h[b]!
      if (acc >= q * this.count) return 2 ** ((b + 0.5) / PER_OCTAVE) - 1
    }
    return this.max
  }
}

/**
 * Times calls into log-spaced histograms (16 bins an octave). `runQueueWaitMicros`, if given, returns the
 * calling thread's accumulated run-queue wait in microseconds.
 */
export class CallTimer {
  private readonly wall = new LogHistogram()
  private readonly own: LogHistogram | null
  private over = 0
  private overDescheduled = 0
  private w0 = 0
  private t0 = 0

  constructor(private readonly runQueueWaitMicros?: () => number) {
    this.own = runQueueWaitMicros ? new LogHistogram() : null
  }

  /** Starts timing a call. */
  start(): void {
    if (this.runQueueWaitMicros) this.w0 = this.runQueueWaitMicros()
    this.t0 = performance.now()
  }

  /** Ends the call started last; `warm` once the first 10 simulated minutes are over. */
  stop(warm: boolean): void {
    const us = (performance.now() - this.t0) * 1000
    this.wall.add(us, warm)
    if (this.runQueueWaitMicros) {
      const waited = this.runQueueWaitMicros() - this.w0
      // the wait is read after the wall clock: clamp, a wait cannot exceed the call
      const own = Math.max(0, us - Math.min(us, waited))
      this.own!.add(own, warm)
      if (us >= 1000) {
        this.over++
        if (own < 1000) this.overDescheduled++
      }
    }
  }

  summary(): CallTiming {
    const w = this.wall
    const o = this.own
    return {
      count: w.count,
      median: w.at(0.5),
      p99: w.at(0.99),
      max: w.max,
      maxAfterWarmup: w.maxWarm,
      ...(o
        ? {
            own: {
              median: o.at(0.5),
              p99: o.at(0.99),
              max: o.max,
              maxAfterWarmup: o.maxWarm,
              overOneMs: this.over,
              overOneMsDescheduled: this.overDescheduled,
            },
          }
        : {}),
    }
  }
}
