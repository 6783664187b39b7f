/**
 * The benchmark's baselines, written from their descriptions in DIALER.md.
 * Progressive is in ../modes.ts. These are references to beat, not recommended modes.
 */
import { erlangBLoad } from '../dists.js'
import { countSnapshot, isBusy } from '../modes.js'
import type { CampaignSnapshot, Pacer, PacingDecision, PacingEvent } from '../types.js'
import { Rng } from './rng.js'

/**
 * Adaptive ratio in the style of the long-standing open-source dialer: launch = round(level x counted
 * agents) - calls in flight, counted = available + on a live call. Each second samples available (R),
 * logged-in (T) and answered-waiting (Q); every 15 s level <- level x (1 + (mean R - mean Q) / mean T),
 * clamped to [1, 3]. Guards: abandonment since the start above the target (after 50 dials) sets the
 * level to 1; more than half of the last minute's dials dropped (after 20) halves it.
 */
export class AdaptiveRatioPacer implements Pacer {
  readonly name = 'adaptive-ratio'
  readonly mode = 'adaptive-ratio'
  private level = 1
  private lastSample = Number.NEGATIVE_INFINITY
  private lastAdjust = Number.NaN
  private sumR = 0
  private sumT = 0
  private sumQ = 0
  private samples = 0
  private dials = 0
  private live = 0
  private drops = 0
  private readonly recentDials: number[] = []
  private readonly recentDrops: number[] = []

  constructor(private readonly target: number) {}

  observe(e: PacingEvent): void {
    if (e.type === 'dial') {
      this.dials += e.count
      for (let i = 0; i < e.count; i++) this.recentDials.push(e.at)
    } else if (e.type === 'connect') {
      this.live++
      if (e.abandoned) {
        this.drops++
        this.recentDrops.push(e.at)
      }
    }
  }

  decide(s: CampaignSnapshot): PacingDecision {
    const now = s.now
    if (Number.isNaN(this.lastAdjust)) this.lastAdjust = now
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
    while (now - this.lastSample >= 1) {
      this.lastSample = this.lastSample === Number.NEGATIVE_INFINITY ? now : this.lastSample + 1
      this.sumR += available
      this.sumT += loggedIn
      this.sumQ += waiting
      this.samples++
    }
    if (now - this.lastAdjust >= 15 && this.samples > 0) {
      this.lastAdjust = now
      const d = this.sumR / this.samples - this.sumQ / this.samples
      const t = Math.max(1, this.sumT / this.samples)
      this.level = Math.min(3, Math.max(1, this.level * (1 + d / t)))
      this.sumR = this.sumT = this.sumQ = 0
      this.samples = 0
    }
    while (this.recentDials.length > 0 && this.recentDials[0]! < now - 60) this.recentDials.shift()
    while (this.recentDrops.length > 0 && this.recentDrops[0]! < now - 60) this.recentDrops.shift()
    if (this.dials >= 50 && this.live > 0 && this.drops / this.live > this.target) this.level = 1
    if (this.recentDials.length >= 20 && this.recentDrops.length > this.recentDials.length / 2) {
      this.level = Math.max(1, this.level / 2)
    }
    const counted = available + talking
    const launch = Math.max(0, Math.round(this.level * counted) - s.calls.length)
    return {
      launch,
      mode: this.mode,
      reason: `level ${this.level.toFixed(2)} x ${counted} counted agents - ${s.calls.length} in flight`,
      figures: {
        availableAgents: available,
        busyAgents: busy,
        callsInFlight: s.calls.length,
        ratio: this.level,
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
