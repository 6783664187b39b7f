/**
 * The benchmark's baselines, written from their descriptions in DIALER.md.
 * Progressive is in ../modes.ts. These are references to beat, not recommended modes.
 */
import { erlangBLoad } from '../dists.js'
import { countSnapshot, isBusy } from '../modes.js'
import type { CampaignSnapshot, Pacer, PacingDecision, PacingEvent } from '../types.js'
import { Rng } from './rng.js'

/**
 * Adaptive ratio in the style of the long-standing open-source dialer (DIALER.md, baseline 2), rule by rule:
 *
 * 1. launch = round(level x counted agents) - calls in flight, counted = available + on a live call. The
 *    calls in flight are every line the campaign holds: ringing, in detection, waiting, **and the live
 *    calls of the counted agents** (an agent on a live call is counted once and so is the call), so that
 *    level 1 is exactly progressive (one call per available agent).
 * 2. Every second it samples the available agents R, the logged-in agents T (paused included, offline
 *    not) and the answered calls waiting for an agent Q.
 * 3. Every 15 s: d = mean(R) - mean(Q), level <- level x (1 + d / mean(T)), clamped to [1, 3].
 * 4. Guard: once the abandonment since midnight (abandoned / live answers, campaign clock, day = 86,400 s)
 *    exceeds the target after at least 50 dials since midnight, level = 1 (checked every second, and so
 *    held at 1 for as long as the day's rate stays above the target).
 * 5. Guard: when more than half of the last minute's dials were abandoned (after at least 20 dials in that
 *    minute), the level is halved (checked every second; never below 1).
 *
 * @example
 * ```ts
 * import { AdaptiveRatioPacer } from '@switchboard/dialer/sim'
 * const pacer = new AdaptiveRatioPacer(0.03)
 * pacer.decide({ now: 0, agents: [{ state: 'available', since: 0 }], calls: [] }).launch // 1 (level 1)
 * ```
 */
export class AdaptiveRatioPacer implements Pacer {
  readonly name = 'adaptive-ratio'
  readonly mode = 'adaptive-ratio'
  private currentLevel = 1
  private lastSample = Number.NaN
  private lastAdjust = Number.NaN
  private sumR = 0
  private sumT = 0
  private sumQ = 0
  private samples = 0
  private day = 0
  private dayDials = 0
  private dayLive = 0
  private dayDrops = 0
  private readonly recentDials: number[] = []
  private readonly recentDrops: number[] = []
  /** How often each guard fired (for the benchmark and the tests). */
  readonly guardCount = { midnight: 0, minute: 0 }

  constructor(private readonly target: number) {}

  /** The current dial level. */
  get level(): number {
    return this.currentLevel
  }

  private rollDay(at: number): void {
    const day = Math.floor(at / 86_400)
    if (day !== this.day) {
      this.day = day
      this.dayDials = this.dayLive = this.dayDrops = 0
    }
  }

  observe(e: PacingEvent): void {
    if (e.type === 'dial') {
      this.rollDay(e.at)
      this.dayDials += e.count
      for (let i = 0; i < e.count; i++) this.recentDials.push(e.at)
    } else if (e.type === 'connect') {
      this.rollDay(e.at)
      this.dayLive++
      if (e.abandoned) {
        this.dayDrops++
        this.recentDrops.push(e.at)
      }
    }
  }

  /** The once-a-second work: sample R, T, Q; every 15 s adjust the level; then apply the two guards. */
  private tick(t: number, available: number, loggedIn: number, waiting: number): void {
    this.sumR += available
    this.sumT += loggedIn
    this.sumQ += waiting
    this.samples++
    if (t - this.lastAdjust >= 15) {
      this.lastAdjust = t
      const d = this.sumR / this.samples - this.sumQ / this.samples
      const meanT = Math.max(1, this.sumT / this.samples)
      this.currentLevel = Math.min(3, Math.max(1, this.currentLevel * (1 + d / meanT)))
      this.sumR = this.sumT = this.sumQ = 0
      this.samples = 0
    }
    this.rollDay(t)
    if (this.dayDials >= 50 && this.dayLive > 0 && this.dayDrops / this.dayLive > this.target) {
      if (this.currentLevel > 1) this.guardCount.midnight++
      this.currentLevel = 1
    }
    while (this.recentDials.length > 0 && this.recentDials[0]! <= t - 60) this.recentDials.shift()
    while (this.recentDrops.length > 0 && this.recentDrops[0]! <= t - 60) this.recentDrops.shift()
    if (this.recentDials.length >= 20 && this.recentDrops.length > this.recentDials.length / 2) {
      if (this.currentLevel > 1) this.guardCount.minute++
      this.currentLevel = Math.max(1, this.currentLevel / 2)
    }
  }

  decide(s: CampaignSnapshot): PacingDecision {
    const now = s.now
    let available = 0
    let talking = 0
    let loggedIn = 0
    let busy = 0
    for (const a of s.agents) {
      if (a.state === 'offline') continue
      loggedIn++
      if (a.state === 'available') available++
      else if (a.state === 'on_call') talking++
      if (isBusy(a.state)) busy++
    }
    let waiting = 0
    for (const c of s.calls) if (c.phase === 'waiting') waiting++
    if (Number.isNaN(this.lastSample)) {
      this.lastSample = now - 1
      this.lastAdjust = now
    }
    // one sample per elapsed second (the state between two decisions is the state seen now)
    while (now - this.lastSample >= 1) {
      this.lastSample += 1
      this.tick(this.lastSample, available, loggedIn, waiting)
    }
    const counted = available + talking
    const lines = s.calls.length + talking
    const launch = Math.max(0, Math.round(this.currentLevel * counted) - lines)
    return {
      launch,
      mode: this.mode,
      reason: `level ${this.currentLevel.toFixed(2)} x ${counted} counted agents - ${lines} lines in use`,
      figures: {
        availableAgents: available,
        busyAgents: busy,
        callsInFlight: s.calls.length,
        ratio: this.currentLevel,
      },
    }
  }
}

/**
 * Lines per agent, in the style of commercial dialers: launch = round(ratio x available) - in flight,
 * the ratio in [1, 3] corrected every 100 person-answered calls towards the abandonment target:
 * ratio <- ratio x (1 + 0.2 gain e), e = (target - observed) / target clipped to [-2, 1].
 */
export class LinesPerAgentPacer implements Pacer {
  readonly name = 'lines-per-agent'
  readonly mode = 'lines-per-agent'
  ratio: number
  private batchLive = 0
  private batchDrops = 0

  constructor(
    private readonly target: number,
    private readonly gain = 0.5,
    initialRatio = 1.5,
  ) {
    this.ratio = initialRatio
  }

  observe(e: PacingEvent): void {
    if (e.type !== 'connect') return
    this.batchLive++
    if (e.abandoned) this.batchDrops++
    if (this.batchLive >= 100) {
      const observed = this.batchDrops / this.batchLive
      const err = Math.max(-2, Math.min(1, (this.target - observed) / this.target))
      this.ratio = Math.min(3, Math.max(1, this.ratio * (1 + 0.2 * this.gain * err)))
      this.batchLive = 0
      this.batchDrops = 0
    }
  }

  decide(s: CampaignSnapshot): PacingDecision {
    const c = countSnapshot(s)
    const launch = Math.max(0, Math.round(this.ratio * c.available) - c.inFlight)
    return {
      launch,
      mode: this.mode,
      reason: `ratio ${this.ratio.toFixed(2)} x ${c.available} available - ${c.inFlight} in flight`,
      figures: {
        availableAgents: c.available,
        busyAgents: c.busy,
        callsInFlight: c.inFlight,
        ratio: this.ratio,
      },
    }
  }
}

/** The constant dial rate at which Erlang B blocking of the person answers equals the target. */
export function erlangBDialRate(
  agents: number,
  personShare: number,
  meanHandle: number,
  target: number,
): number {
  const load = erlangBLoad(agents, target)
  return load / meanHandle / personShare
}

/** A static Poisson dial rate (a reference, not a competitor). */
export class StaticPoissonPacer implements Pacer {
  readonly name = 'static-poisson'
  readonly mode = 'static-poisson'
  private last = Number.NaN
  private readonly rng: Rng

  constructor(
    readonly dialsPerSecond: number,
    seed = 1,
  ) {
    this.rng = new Rng(seed)
  }

  observe(): void {}

  decide(s: CampaignSnapshot): PacingDecision {
    if (Number.isNaN(this.last)) this.last = s.now
    const dt = s.now - this.last
    this.last = s.now
    const launch = this.rng.poisson(this.dialsPerSecond * dt)
    const c = countSnapshot(s)
    return {
      launch,
      mode: this.mode,
      reason: `Poisson dials at ${this.dialsPerSecond.toFixed(3)}/s (Erlang B)`,
      figures: { availableAgents: c.available, busyAgents: c.busy, callsInFlight: c.inFlight },
    }
  }
}
