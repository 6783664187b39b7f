/**
 * The predictive pacer: a model-based engine that learns the campaign as it runs and, at every
 * decision, launches the largest number of calls whose marginal abandonment risk stays under a
 * threshold that an abandonment budget tracker steers so that the regime's window stays under the limit.
 */
import { type AbandonmentRule, regimes } from '@switchboard/core/domain'
import { AbandonmentLedger } from './abandonment.js'
import { normalCdfFast } from './dists.js'
import { DurationHistogram, type DurationPrior, OutcomeEstimator, outcomeIndex } from './estimators.js'
import type { CampaignSnapshot, DecisionFigures, Pacer, PacingDecision, PacingEvent } from './types.js'

export interface PredictivePriors {
  readonly outcomes: readonly [number, number, number, number]
  readonly personRing: DurationPrior
  readonly machineRing: DurationPrior
  readonly noAnswer: DurationPrior
  readonly failed: DurationPrior
  readonly talk: DurationPrior
  readonly wrap: DurationPrior
}

export const DEFAULT_PRIORS: PredictivePriors = {
  outcomes: [0.25, 0.15, 0.45, 0.15],
  personRing: { mean: 8, cv: 0.5, weight: 20 },
  machineRing: { mean: 10, cv: 0.5, weight: 20 },
  noAnswer: { mean: 25, cv: 0.05, weight: 20 },
  failed: { mean: 3, cv: 0.3, weight: 20 },
  talk: { mean: 150, cv: 1, weight: 20 },
  wrap: { mean: 15, cv: 0.5, weight: 20 },
}

export interface PredictiveOptions {
  /**
   * Core's abandonment rule (`regime.abandonment`: formula, limit, window, 2 s wait). Defaults to
   * `regimes.US.abandonment` (3% of person answers).
   */
  readonly abandonment?: AbandonmentRule
  /** Highest share of the limit the tracker aims at. Default 0.92. */
  readonly safety?: number
  /** Standard deviations of end-of-window noise kept as margin under the limit. Default 2.5. */
  readonly marginZ?: number
  readonly priors?: Partial<PredictivePriors>
  /** Seconds of answering-machine detection after a machine answers. Default 3. */
  readonly detectSec?: number
  /** Share of machines that detection misses (they reach an agent). Default 0.1. */
  readonly amdMissRate?: number
  /** Cap on lines (calls in flight) per active agent. Default 6. */
  readonly maxLinesPerAgent?: number
  /** Points of the prediction horizon. Default 16. */
  readonly horizonPoints?: number
  /** Initial marginal risk threshold. Default: the limit. */
  readonly initialThreshold?: number
  /**
   * Weight of the calls later decisions will launch in the prediction (they answer before some of the
   * calls launched now; but later decisions launch fewer exactly when agents run short). Default 0.5.
   */
  readonly futureLaunchWeight?: number
  /** Share of those calls' Poisson variance counted. Default 1. */
  readonly futureLaunchVariance?: number
  /** Time constant (seconds) of the threshold's steering. Default 60. */
  readonly steerSec?: number
  /** Dials whose outcome must be known before the threshold is fully trusted. Default 1000. */
  readonly warmupDials?: number
  /** Completed talks needed before the threshold is fully trusted. Default 100. */
  readonly warmupTalks?: number
  /** Seconds of expected answers the budget tracker plans over. Default 1800 (30 minutes). */
  readonly planningSec?: number
}

const TALK_BIN = 4
const TALK_MAX = 3600
const WRAP_BIN = 0.5
const WRAP_MAX = 600
const RING_BIN = 0.5
const RING_MAX = 120
const COHORT = 10
const COHORT_LAG = 45

/**
 * The predictive mode: learns the campaign from telephony events (`observe`) and, at every `decide`,
 * launches the largest number of calls whose marginal abandonment risk stays under a threshold that
 * the budget tracker steers, so that the rate by the regime's formula stays under its limit over its
 * window. Never fewer calls than progressive; progressive only once the window's budget is spent.
 *
 * @example
 * ```ts
 * import { regimes, withRegime } from '@switchboard/core/domain'
 * import { PredictivePacer } from '@switchboard/dialer'
 *
 * const regime = withRegime(regimes.US, { abandonment: { limit: 0.02 } })
 * const pacer = new PredictivePacer({ abandonment: regime.abandonment })
 * pacer.observe({ type: 'outcome', at: 12.5, outcome: 'person', ringSec: 7.9 })
 * pacer.observe({ type: 'connect', at: 12.5, waitSec: 0.3, abandoned: false })
 * const d = pacer.decide({
 *   now: 13,
 *   agents: [{ state: 'available', since: 10 }, { state: 'on_call', since: 12.5 }],
 *   calls: [{ phase: 'ringing', since: 11 }],
 * })
 * console.log(d.launch, d.reason)
 * ```
 */
export class PredictivePacer implements Pacer {
  readonly name = 'predictive'
  readonly mode = 'predictive'
  /** The abandonment rule the pacer keeps (core's `AbandonmentRule`). */
  readonly abandonment: AbandonmentRule
  readonly ledger: AbandonmentLedger
  readonly outcomes: OutcomeEstimator
  readonly personRing: DurationHistogram
  readonly machineRing: DurationHistogram
  readonly noAnswerRing: DurationHistogram
  readonly failedRing: DurationHistogram
  readonly talk: DurationHistogram
  readonly wrap: DurationHistogram
  private readonly safety: number
  private readonly marginZ: number
  private readonly detectSec: number
  private readonly amdMissRate: number
  private readonly maxLinesPerAgent: number
  private readonly K: number
  private readonly steerSec: number
  private readonly planningSec: number
  private readonly warmupDials: number
  private readonly warmupTalks: number
  private logTheta: number
  private startedAt = Number.NaN

  // horizon grid and tables
  private step = 2
  private readonly grid: Float64Array
  private readonly newAnswerPmf: Float64Array
  private readonly newConnectCdf: Float64Array
  private readonly futureConnects: Float64Array
  /** Launches per second, smoothed over about a minute (the calls that later decisions will add). */
  private launchRate = 0
  private readonly futureWeight: number
  private readonly futureVar: number
  private lastLaunchAt = Number.NaN
  private talkQ: Float64Array
  private talkV: Float64Array
  private wrapQ: Float64Array
  private wrapV: Float64Array
  private ringQ: Float64Array
  private ringV: Float64Array
  private readonly muX: Float64Array
  private readonly varX: Float64Array
  private talkVersion = -1
  private readonly talkCount = new Float64Array(Math.ceil(TALK_MAX / TALK_BIN))
  private readonly wrapCount = new Float64Array(Math.ceil(WRAP_MAX / WRAP_BIN))
  private readonly ringCount = new Float64Array(Math.ceil(RING_MAX / RING_BIN))
  private readonly talkList = new Int32Array(Math.ceil(TALK_MAX / TALK_BIN))
  private readonly wrapList = new Int32Array(Math.ceil(WRAP_MAX / WRAP_BIN))
  private readonly ringList = new Int32Array(Math.ceil(RING_MAX / RING_BIN))
  private ringVersion = -1

  constructor(options: PredictiveOptions = {}) {
    this.abandonment = options.abandonment ?? regimes.US.abandonment
    this.ledger = new AbandonmentLedger(this.abandonment)
    const pr = { ...DEFAULT_PRIORS, ...options.priors }
    this.outcomes = new OutcomeEstimator({ prior: pr.outcomes })
    this.personRing = new DurationHistogram(RING_MAX, RING_BIN, pr.personRing, 2000)
    this.machineRing = new DurationHistogram(RING_MAX, RING_BIN, pr.machineRing, 2000)
    this.noAnswerRing = new DurationHistogram(RING_MAX, RING_BIN, pr.noAnswer, 2000)
    this.failedRing = new DurationHistogram(RING_MAX, RING_BIN, pr.failed, 2000)
    this.talk = new DurationHistogram(TALK_MAX, TALK_BIN, pr.talk, 3000)
    this.wrap = new DurationHistogram(WRAP_MAX, WRAP_BIN, pr.wrap, 3000)
    this.talk.maxVersionStep = 1000
    this.wrap.maxVersionStep = 1000
    this.safety = options.safety ?? 0.92
    this.marginZ = options.marginZ ?? 2.5
    this.detectSec = options.detectSec ?? 3
    this.amdMissRate = options.amdMissRate ?? 0.1
    this.maxLinesPerAgent = options.maxLinesPerAgent ?? 6
    this.K = options.horizonPoints ?? 16
    this.steerSec = options.steerSec ?? 60
    this.futureWeight = options.futureLaunchWeight ?? 0.5
    this.futureVar = options.futureLaunchVariance ?? 1
    this.planningSec = options.planningSec ?? 1800
    this.warmupDials = options.warmupDials ?? 1000
    this.warmupTalks = options.warmupTalks ?? 100
    this.logTheta = Math.log(options.initialThreshold ?? this.abandonment.limit)
    const K = this.K
    this.grid = new Float64Array(K)
    this.newAnswerPmf = new Float64Array(K)
    this.newConnectCdf = new Float64Array(K)
    this.futureConnects = new Float64Array(K)
    this.muX = new Float64Array(K)
    this.varX = new Float64Array(K)
    this.talkQ = new Float64Array(0)
    this.talkV = new Float64Array(0)
    this.wrapQ = new Float64Array(0)
    this.wrapV = new Float64Array(0)
    this.ringQ = new Float64Array(0)
    this.ringV = new Float64Array(0)
    this.rebuildTalk()
    this.rebuildRing()
  }

  /** The marginal abandonment risk the tracker currently allows. */
  get threshold(): number {
    return Math.exp(this.logTheta)
  }

  observe(e: PacingEvent): void {
    if (Number.isNaN(this.startedAt)) this.startedAt = e.at
    switch (e.type) {
      case 'outcome': {
        const k = outcomeIndex(e.outcome)
        const launchedAt = e.at - e.ringSec - (e.detectSec ?? 0)
        this.addToCohort(launchedAt, k)
        this.pendingRing.push(launchedAt, k, e.ringSec)
        this.flushCohorts(e.at)
        break
      }
      case 'connect':
        this.ledger.recordLive(e.at, e.abandoned)
        break
      case 'talk':
        this.talk.observe(e.durationSec)
        break
      case 'wrap_up':
        this.wrap.observe(e.durationSec)
        break
      default:
        break
    }
  }

  private cohortStart = Number.NaN
  private cohorts: Float64Array = new Float64Array(0)
  private cohortCount = 0
  /** Ring observations waiting for their cohort: (launched at, outcome index, ring time) triples. */
  private readonly pendingRing: number[] = []

  /** Outcomes are grouped by launch time (10 s cohorts) and learned once the cohort has resolved. */
  private addToCohort(launchedAt: number, k: number): void {
    if (Number.isNaN(this.cohortStart)) this.cohortStart = Math.floor(launchedAt / COHORT) * COHORT
    let i = Math.floor((launchedAt - this.cohortStart) / COHORT)
    if (i < 0) i = 0
    if (i >= this.cohortCount) {
      const need = i + 1
      if (need * 4 > this.cohorts.length) {
        const b = new Float64Array(Math.max(64, need * 8))
        b.set(this.cohorts)
        this.cohorts = b
      }
      this.cohortCount = need
    }
    this.cohorts[i * 4 + k]! += 1
  }

  private flushCohorts(now: number): void {
    if (Number.isNaN(this.cohortStart)) return
    let done = 0
    while (done < this.cohortCount - 1 && this.cohortStart + (done + 1) * COHORT + COHORT_LAG <= now) done++
    if (done === 0) return
    for (let i = 0; i < done; i++) this.outcomes.observeCounts(this.cohorts.subarray(i * 4, i * 4 + 4))
    // ring times too are learned by launch cohort: early on only the quick answers have come back
    const cutoff = this.cohortStart + done * COHORT
    const pr = this.pendingRing
    let keep = 0
    for (let j = 0; j < pr.length; j += 3) {
      if (pr[j]! < cutoff) {
        const k = pr[j + 1]!
        const h =
          k === 0
            ? this.personRing
            : k === 1
              ? this.machineRing
              : k === 2
                ? this.noAnswerRing
                : this.failedRing
        h.observe(pr[j + 2]!)
      } else {
        pr[keep] = pr[j]!
        pr[keep + 1] = pr[j + 1]!
        pr[keep + 2] = pr[j + 2]!
        keep += 3
      }
    }
    pr.length = keep
    this.cohorts.copyWithin(0, done * 4, this.cohortCount * 4)
    this.cohorts.fill(0, (this.cohortCount - done) * 4)
    this.cohortCount -= done
    this.cohortStart += done * COHORT
  }

  /** Rebuilds the horizon grid and the agent-freeing tables from the talk and wrap estimates. */
  private rebuildTalk(): void {
    const K = this.K
    const tau = this.abandonment.maxWaitSec
    // horizon: cover the person ring time up to its 99.5% quantile
    this.step = Math.min(6, Math.max(0.5, this.personRing.quantile(0.995) / (K - 1)))
    for (let k = 0; k < K; k++) this.grid[k] = k * this.step
    const wrap = this.wrap
    const tc = this.running ? this.talk.cdfCensored(this.running) : this.talk.cdf()
    const nb = this.talk.bins
    const talkQ = new Float64Array(nb * K)
    const talkV = new Float64Array(nb * K)
    for (let i = 0; i < nb; i++) {
      const e = i * TALK_BIN
      const surv = 1 - (i === 0 ? 0 : tc[i - 1]!)
      for (let k = 0; k < K; k++) {
        const x = this.grid[k]! + tau
        let q: number
        if (surv < 1e-9) q = i > 0 ? talkQ[(i - 1) * K + k]! : 0
        else {
          let acc = 0
          for (let j = i; j < nb; j++) {
            const r = (j + 0.5) * TALK_BIN - e
            if (r > x) break
            const f = tc[j]! - (j === 0 ? 0 : tc[j - 1]!)
            acc += f * wrap.cdfAt(x - r)
          }
          q = Math.min(1, acc / surv)
        }
        talkQ[i * K + k] = q
        talkV[i * K + k] = q * (1 - q)
      }
    }
    this.talkQ = talkQ
    this.talkV = talkV
    const wb = wrap.bins
    const wrapQ = new Float64Array(wb * K)
    const wrapV = new Float64Array(wb * K)
    for (let i = 0; i < wb; i++) {
      const e = i * WRAP_BIN
      const f0 = wrap.cdfAt(e)
      const surv = 1 - f0
      for (let k = 0; k < K; k++) {
        const q = surv < 1e-9 ? 1 : Math.min(1, (wrap.cdfAt(e + this.grid[k]! + tau) - f0) / surv)
        wrapQ[i * K + k] = q
        wrapV[i * K + k] = q * (1 - q)
      }
    }
    this.wrapQ = wrapQ
    this.wrapV = wrapV
    this.talkVersion = this.talk.version + this.wrap.version * 1e6 + this.personRing.version * 1e12
  }

  /** Rebuilds the in-flight answer tables and the new-call answer-time distribution. */
  private rebuildRing(): void {
    const K = this.K
    const [p, m, n, f] = this.outcomes.shares()
    const rb = Math.ceil(RING_MAX / RING_BIN)
    const ringQ = new Float64Array(rb * K)
    const ringV = new Float64Array(ringQ.length)
    const P = this.personRing
    for (let i = 0; i < rb; i++) {
      const e = i * RING_BIN
      const gp = P.cdfAt(e)
      const alive =
        p * (1 - gp) +
        m * (1 - this.machineRing.cdfAt(e)) +
        n * (1 - this.noAnswerRing.cdfAt(e)) +
        f * (1 - this.failedRing.cdfAt(e))
      // while the campaign is cold, a call that is still ringing is not yet taken as less likely a person
      // (the prior ring times may be far off): a conservative over-estimate of connects
      const den = this.warm ? alive : Math.max(1e-12, 1 - gp)
      for (let k = 0; k < K; k++) {
        const q = alive < 1e-12 ? 0 : Math.min(1, (p * (P.cdfAt(e + this.grid[k]!) - gp)) / den)
        ringQ[i * K + k] = q
        ringV[i * K + k] = q * (1 - q)
      }
    }
    this.ringQ = ringQ
    this.ringV = ringV
    const h = this.step / 2
    let prev = 0
    for (let k = 0; k < K; k++) {
      const hi = k === K - 1 ? 1 : P.cdfAt(this.grid[k]! + h)
      this.newAnswerPmf[k] = hi - prev
      prev = hi
      this.newConnectCdf[k] = p * P.cdfAt(this.grid[k]!)
    }
    // expected person answers by s_k per unit launch rate from calls launched after now: p x integral of G
    let acc = 0
    this.futureConnects[0] = 0
    for (let k = 1; k < K; k++) {
      const a = this.grid[k - 1]!
      const b = this.grid[k]!
      acc += ((P.cdfAt(a) + 4 * P.cdfAt((a + b) / 2) + P.cdfAt(b)) / 6) * (b - a)
      this.futureConnects[k] = p * acc
    }
    this.ringVersion =
      this.outcomes.version + this.personRing.version * 1e6 + this.talkVersion * 7 + (this.warm ? 0.5 : 0)
  }

  private running: Float64Array | null = null
  /** True once the campaign has taught the model enough to trust it fully. */
  private warm = false

  private refresh(s: CampaignSnapshot): void {
    const tv = this.talk.version + this.wrap.version * 1e6 + this.personRing.version * 1e12
    if (tv !== this.talkVersion) {
      // the talks in progress are right-censored observations of the talk time
      const running = this.running ?? new Float64Array(this.talk.bins)
      running.fill(0)
      for (const a of s.agents) {
        if (a.state !== 'on_call') continue
        const i = Math.min(this.talk.bins - 1, Math.max(0, ((s.now - a.since) / TALK_BIN) | 0))
        running[i]!++
      }
      this.running = running
      this.rebuildTalk()
    }
    if (
      !this.warm &&
      this.outcomes.observations >= this.warmupDials &&
      this.talk.observations >= this.warmupTalks
    )
      this.warm = true
    const rv =
      this.outcomes.version + this.personRing.version * 1e6 + this.talkVersion * 7 + (this.warm ? 0.5 : 0)
    if (rv !== this.ringVersion) this.rebuildRing()
  }

  private riskSum = 0
  private riskCount = 0
  private lastSteer = Number.NaN

  /**
   * The budget tracker's inner loop: on a one-minute time scale, moves the marginal-risk threshold so
   * that the mean abandonment risk of the calls launched recently matches the rate the budget allows.
   */
  private steer(now: number, alpha: number): void {
    if (Number.isNaN(this.lastSteer)) this.lastSteer = now
    const dt = now - this.lastSteer
    if (dt <= 0) return
    this.lastSteer = now
    const decay = Math.exp(-dt / 120)
    const lim = this.abandonment.limit
    if (this.riskCount > 0.5) {
      const mean = this.riskSum / this.riskCount
      const err = Math.max(-3, Math.min(1, (alpha - mean) / lim))
      this.logTheta += (dt / this.steerSec) * err
    } else if (alpha <= 0) this.logTheta -= dt / this.steerSec
    // warm-up: until the campaign has taught the model (outcomes of resolved cohorts, completed talks),
    // priors may be far off; the marginal risk allowed grows with the evidence
    const evidence = Math.min(
      1,
      this.warmupDials > 0 ? this.outcomes.observations / this.warmupDials : 1,
      this.warmupTalks > 0 ? this.talk.observations / this.warmupTalks : 1,
    )
    const cap = 0.9 * (0.002 + 0.998 * evidence * evidence)
    this.logTheta = Math.max(Math.log(1e-4), Math.min(Math.log(cap), this.logTheta))
    this.riskSum *= decay
    this.riskCount *= decay
  }

  /** Probability that the n-th new call (n >= 1), if a person answers, finds no agent in time. */
  private risk(n: number): number {
    const K = this.K
    let acc = 0
    const m1 = n - 1
    for (let k = 0; k < K; k++) {
      const w = this.newAnswerPmf[k]!
      if (w <= 0) continue
      const c = this.newConnectCdf[k]!
      const mean = this.muX[k]! - m1 * c
      const v = this.varX[k]! + m1 * c * (1 - c) + 0.05
      acc += w * normalCdfFast((0.5 - mean) / Math.sqrt(v))
    }
    return acc
  }

  /** The abandonment share the next calls may use, from the budget left in the regime's window. */
  allowedRate(now: number): number {
    const w = this.ledger.window(now)
    const elapsed = Math.max(60, now - (Number.isNaN(this.startedAt) ? now : this.startedAt))
    const ratePerSec = this.ledger.totalLive / elapsed
    const horizon = Math.max(30, ratePerSec * this.planningSec)
    // aim under the limit by a margin that covers the noise the tracker cannot correct any more: the
    // drops of the last planning horizon (about z standard deviations of a Poisson count), relative to
    // the answers in the window; small campaigns need a wide margin, large ones a thin one
    const lim = this.abandonment.limit
    const noise = (this.marginZ * Math.sqrt(horizon / lim)) / (w.live + horizon)
    const target = lim * Math.max(0.5, Math.min(this.safety, 1 - noise))
    const r = this.abandonment.amdFalsePositiveRate
    const fpPerLive = this.abandonment.formula === 'uk' ? r / (1 - r) : 0
    const live = w.live
    const budget = target * (1 + fpPerLive) * (live + horizon) - fpPerLive * (live + horizon) - w.abandoned
    return Math.min(2.5 * this.abandonment.limit, Math.max(0, budget / horizon))
  }

  decide(s: CampaignSnapshot): PacingDecision {
    this.refresh(s)
    const K = this.K
    const now = s.now
    const muX = this.muX
    const varX = this.varX
    muX.fill(0)
    varX.fill(0)
    let available = 0
    let busy = 0
    let active = 0
    const talkQ = this.talkQ
    const talkV = this.talkV
    const wrapQ = this.wrapQ
    const wrapV = this.wrapV
    const tBins = this.talk.bins
    const wBins = this.wrap.bins
    // histogram the agents and calls by elapsed-time bin, then add each occupied bin's row once
    const tc = this.talkCount
    const wc = this.wrapCount
    const rc = this.ringCount
    const tl = this.talkList
    const wl = this.wrapList
    const rl = this.ringList
    let nt = 0
    let nw = 0
    let nr = 0
    const agentsArr = s.agents
    const nAgents = agentsArr.length
    for (let ai = 0; ai < nAgents; ai++) {
      const a = agentsArr[ai]!
      const st = a.state
      if (st === 'available') {
        available++
        active++
      } else if (st === 'on_call') {
        busy++
        active++
        let i = ((now - a.since) / TALK_BIN) | 0
        if (i >= tBins) i = tBins - 1
        else if (i < 0) i = 0
        if (tc[i] === 0) tl[nt++] = i
        tc[i]!++
      } else if (st === 'wrap_up') {
        busy++
        active++
        let i = ((now - a.since) / WRAP_BIN) | 0
        if (i >= wBins) i = wBins - 1
        else if (i < 0) i = 0
        if (wc[i] === 0) wl[nw++] = i
        wc[i]!++
      } else if (st === 'reserved') {
        // held for a call on its way to them: busy, and not expected to free up within the horizon
        busy++
        active++
      }
    }
    let inFlight = 0
    let waiting = 0
    const ringQ = this.ringQ
    const ringV = this.ringV
    const rBins = ringQ.length / K
    const miss = this.amdMissRate
    const det = this.detectSec
    const callsArr = s.calls
    const nCalls = callsArr.length
    for (let ci = 0; ci < nCalls; ci++) {
      const c = callsArr[ci]!
      inFlight++
      if (c.phase === 'ringing') {
        let i = ((now - c.since) / RING_BIN) | 0
        if (i >= rBins) i = rBins - 1
        else if (i < 0) i = 0
        if (rc[i] === 0) rl[nr++] = i
        rc[i]!++
      } else if (c.phase === 'waiting') waiting++
      else {
        const left = det - (now - c.since)
        for (let k = 0; k < K; k++) {
          if (this.grid[k]! >= left) {
            muX[k]! -= miss
            varX[k]! += miss * (1 - miss)
          }
        }
      }
    }
    for (let j = 0; j < nt; j++) {
      const i = tl[j]!
      const n = tc[i]!
      tc[i] = 0
      const o = i * K
      for (let k = 0; k < K; k++) {
        muX[k]! += n * talkQ[o + k]!
        varX[k]! += n * talkV[o + k]!
      }
    }
    for (let j = 0; j < nw; j++) {
      const i = wl[j]!
      const n = wc[i]!
      wc[i] = 0
      const o = i * K
      for (let k = 0; k < K; k++) {
        muX[k]! += n * wrapQ[o + k]!
        varX[k]! += n * wrapV[o + k]!
      }
    }
    for (let j = 0; j < nr; j++) {
      const i = rl[j]!
      const n = rc[i]!
      rc[i] = 0
      const o = i * K
      for (let k = 0; k < K; k++) {
        muX[k]! -= n * ringQ[o + k]!
        varX[k]! += n * ringV[o + k]!
      }
    }
    // calls that later decisions will launch also answer before some of these (exponential-like ring
    // times make that common): count them at the recent launch rate
    const lr = this.launchRate * this.futureWeight
    if (lr > 0) {
      for (let k = 0; k < K; k++) {
        const f = lr * this.futureConnects[k]!
        muX[k]! -= f
        varX[k]! += f * this.futureVar
      }
    }
    const mid = K >> 1
    const freeMid = muX[mid]! // agents freeing minus connects, before adding the available ones
    for (let k = 0; k < K; k++) muX[k]! += available - waiting

    const alpha = this.allowedRate(now)
    // warm-up: until the campaign has taught the model (outcomes of resolved cohorts, completed talks),
    // priors may be far off; the marginal risk allowed grows with the evidence
    const theta = alpha <= 0 ? 0 : Math.exp(this.logTheta)
    const floor = Math.max(0, available - inFlight)
    const cap = Math.max(0, Math.ceil(this.maxLinesPerAgent * active) - inFlight)
    let launch = Math.min(floor, cap)
    let lastRisk = launch > 0 ? this.risk(launch) : this.risk(1)
    if (theta > 0 && active > 0) {
      // largest n in (floor, cap] with risk(n) <= theta (risk is nondecreasing in n)
      let lo = launch
      let hi = lo + 1
      while (hi <= cap && this.risk(hi) <= theta) {
        lo = hi
        hi = lo + Math.max(1, lo)
      }
      if (hi > cap) hi = cap + 1
      while (hi - lo > 1) {
        const mid = (lo + hi) >> 1
        if (this.risk(mid) <= theta) lo = mid
        else hi = mid
      }
      launch = lo
      if (launch > 0) lastRisk = this.risk(launch)
      // mean risk of the launched calls (Simpson's rule over n above the floor; the floor carries none)
      const first = Math.max(1, floor + 1)
      const count = launch - first + 1
      if (count > 0) {
        const r1 = count === 1 ? lastRisk : this.risk(first)
        const rm = count <= 2 ? (r1 + lastRisk) / 2 : this.risk((first + launch) >> 1)
        this.riskSum += ((r1 + 4 * rm + lastRisk) / 6) * count
      }
      this.riskCount += launch
    }
    this.steer(now, alpha)
    if (Number.isNaN(this.lastLaunchAt)) this.lastLaunchAt = now
    const dtl = now - this.lastLaunchAt
    if (dtl > 0) {
      const w = Math.exp(-dtl / 60)
      this.launchRate = this.launchRate * w + (launch / 60) * (dtl > 1e-9 ? 1 : 0)
      this.lastLaunchAt = now
    } else this.launchRate += launch / 60
    const figures: DecisionFigures = {
      availableAgents: available,
      busyAgents: busy,
      callsInFlight: inFlight,
      expectedFreeAgents: freeMid,
      marginalAbandonRisk: lastRisk,
      riskThreshold: theta,
      personAnswerRate: this.outcomes.share('person'),
      abandonmentSoFar: this.ledger.rate(now),
      abandonmentTarget: this.abandonment.limit,
    }
    return {
      launch,
      mode: 'predictive',
      get reason() {
        return explain(launch, floor, cap, alpha, theta, lastRisk)
      },
      figures,
    }
  }
}

function pct(x: number): string {
  return (x * 100).toFixed(2) + '%'
}

function explain(
  launch: number,
  floor: number,
  cap: number,
  alpha: number,
  theta: number,
  risk: number,
): string {
  if (alpha <= 0) return `abandonment budget spent: progressive only (${launch} for idle agents)`
  if (launch >= cap && cap > 0) return `line cap reached (${launch})`
  if (launch <= floor) return `${launch} for idle agents; one more would risk ${pct(risk)} > ${pct(theta)}`
  return `${launch} calls: marginal abandonment risk ${pct(risk)} <= ${pct(theta)} (budget allows ${pct(alpha)})`
}
