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
  /**
   * Calibrate the risk model by the abandoned calls it predicted against those that happened (default
   * true), over `calibrationSec` (default 3600) with a prior of `calibrationPrior` calls (default 5).
   */
  readonly calibrate?: boolean
  readonly calibrationSec?: number
  readonly calibrationPrior?: number
  /** Highest abandonment share the budget may allow the next calls, as a multiple of the limit. Default 2.5. */
  readonly maxAllowedRateFactor?: number
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
  /**
   * The budget's surplus (or deficit) is spread over at least as many expected answers as carry this
   * many abandoned calls at the limit (default 8): in a small team one abandoned call would otherwise
   * swing the allowed rate by more than the limit (10 agents at 1%: 30 minutes bring about 90 answers,
   * one call is 1.1 points), and the pacer would lurch between progressive and over-dialing.
   */
  readonly budgetSpreadCalls?: number
  /**
   * Rows of the model tables recomputed per observed event when the estimates change. The tables are
   * rebuilt a slice at a time as events are observed, off the decision path, and published when
   * complete; a decision only reads them (it does a slice itself only when no event has come for
   * `rebuildIdleSec`). Default 64.
   */
  readonly rebuildRowsPerEvent?: number
  /** Seconds without an observed event after which a decision advances a pending rebuild. Default 2. */
  readonly rebuildIdleSec?: number
}

interface TalkBuild {
  readonly step: number
  readonly grid: Float64Array
  readonly tc: Float64Array
  readonly f: Float64Array
  readonly wcdf: Float64Array
  readonly W: Float64Array
  readonly D: number
  readonly ends: Int32Array
  readonly talkQ: Float64Array
  readonly talkV: Float64Array
  readonly wrapQ: Float64Array
  readonly wrapV: Float64Array
  row: number
  readonly version: number
}

interface RingBuild {
  readonly shares: readonly [number, number, number, number]
  readonly person: Float64Array
  readonly machine: Float64Array
  readonly noAnswer: Float64Array
  readonly failed: Float64Array
  readonly step: number
  readonly ringQ: Float64Array
  readonly ringV: Float64Array
  readonly warm: boolean
  row: number
  readonly version: number
}

/** `b` if it holds at least `length` values, else a new buffer (builds reuse their inputs' buffers). */
function atLeast(b: Float64Array, length: number): Float64Array {
  return b.length >= length ? b : new Float64Array(length)
}

/** A buffer of `length` from `spare` (taken out of it), or a new one. */
function reuse(spare: Map<string, Float64Array>, key: string, length: number): Float64Array {
  const b = spare.get(key)
  spare.delete(key)
  return b && b.length === length ? b : new Float64Array(length)
}

/** P(X <= x) from a cdf at the right edge of bins of width `w`, linear inside bins. */
function cdfFrom(c: Float64Array, w: number, x: number): number {
  if (x <= 0) return 0
  const pos = x / w
  const i = Math.floor(pos)
  if (i >= c.length) return 1
  const lo = i === 0 ? 0 : c[i - 1]!
  return lo + (c[i]! - lo) * (pos - i)
}

const NO_RISKS: readonly number[] = []
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
  private readonly spreadCalls: number
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
  private readonly talkCount = new Int32Array(Math.ceil(TALK_MAX / TALK_BIN))
  private readonly wrapCount = new Int32Array(Math.ceil(WRAP_MAX / WRAP_BIN))
  private readonly ringCount = new Int32Array(Math.ceil(RING_MAX / RING_BIN))
  private readonly talkList = new Int32Array(Math.ceil(TALK_MAX / TALK_BIN))
  private readonly wrapList = new Int32Array(Math.ceil(WRAP_MAX / WRAP_BIN))
  private readonly ringList = new Int32Array(Math.ceil(RING_MAX / RING_BIN))
  private ringVersion = -1
  private readonly detectCount: Float64Array

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
    this.spreadCalls = options.budgetSpreadCalls ?? 8
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
    this.detectCount = new Float64Array(K + 1)
    this.talkQ = new Float64Array(0)
    this.talkV = new Float64Array(0)
    this.wrapQ = new Float64Array(0)
    this.wrapV = new Float64Array(0)
    this.ringQ = new Float64Array(0)
    this.ringV = new Float64Array(0)
    this.rowsPerEvent = options.rebuildRowsPerEvent ?? 64
    this.rebuildIdleSec = options.rebuildIdleSec ?? 2
    this.calibrate = options.calibrate ?? true
    this.calibrationSec = options.calibrationSec ?? 3600
    this.calibrationPrior = options.calibrationPrior ?? 5
    this.maxAllowedRate = (options.maxAllowedRateFactor ?? 2.5) * this.abandonment.limit
    const rb = Math.ceil(RING_MAX / RING_BIN)
    this.scratch = {
      grid: new Float64Array(K),
      tc: new Float64Array(this.talk.bins),
      f: new Float64Array(this.talk.bins),
      wcdf: new Float64Array(this.wrap.bins),
      W: new Float64Array(0),
      ends: new Int32Array(K),
      person: new Float64Array(rb),
      machine: new Float64Array(rb),
      noAnswer: new Float64Array(rb),
      failed: new Float64Array(rb),
    }
    this.runningBuf = new Float64Array(this.talk.bins)
    this.startTalkBuild()
    this.continueTalkBuild(Number.POSITIVE_INFINITY)
    this.startRingBuild()
    this.continueRingBuild(Number.POSITIVE_INFINITY)
  }

  private readonly rowsPerEvent: number
  private readonly rebuildIdleSec: number
  /** The rebuilds' input buffers, reused from build to build. */
  private readonly scratch: {
    readonly grid: Float64Array
    readonly tc: Float64Array
    readonly f: Float64Array
    readonly wcdf: Float64Array
    W: Float64Array
    readonly ends: Int32Array
    readonly person: Float64Array
    readonly machine: Float64Array
    readonly noAnswer: Float64Array
    readonly failed: Float64Array
  }
  private readonly calibrate: boolean
  private readonly calibrationSec: number
  private readonly calibrationPrior: number
  private readonly maxAllowedRate: number

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
        if (e.abandoned) this.realisedDrops++
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
    this.maintain(e.at)
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

  /** Buffers of replaced tables, reused by the next build (no allocation on the decision path). */
  private readonly spare = new Map<string, Float64Array>()

  /** The talk and wrap-up tables being rebuilt, a slice per observed event (`rebuildRowsPerEvent`). */
  private build: TalkBuild | null = null

  /**
   * Starts rebuilding the horizon grid and the agent-freeing tables from the talk and wrap-up estimates
   * as they are now (their distributions are copied, so later observations do not mix in).
   */
  private startTalkBuild(): void {
    const K = this.K
    const tau = this.abandonment.maxWaitSec
    // horizon: cover the person ring time up to its 99.5% quantile
    const step = Math.min(6, Math.max(0.5, Math.ceil((4 * this.personRing.quantile(0.995)) / (K - 1)) / 4))
    // the build's inputs go into buffers kept from build to build: a build spans many events, and
    // arrays allocated per build would survive into the old generation and cost full collections
    const sb = this.scratch
    const grid = sb.grid
    for (let k = 0; k < K; k++) grid[k] = k * step
    const tc = this.running ? this.talk.cdfCensored(this.running, sb.tc) : this.talk.cdf(sb.tc)
    const wcdf = this.wrap.cdf(sb.wcdf)
    const nb = this.talk.bins
    // talk-time mass per bin, and the wrap-up cdf at every (horizon point, bins-ahead) offset the
    // convolution needs: a talk ending d bins ahead leaves x - (d + 1/2) bin widths for the wrap-up
    const f = sb.f
    for (let j = 0; j < nb; j++) f[j] = tc[j]! - (j === 0 ? 0 : tc[j - 1]!)
    const D = Math.max(1, Math.floor((grid[K - 1]! + tau) / TALK_BIN + 0.5) + 1)
    sb.W = atLeast(sb.W, K * D)
    const W = sb.W
    W.fill(0, 0, K * D)
    const ends = sb.ends
    for (let k = 0; k < K; k++) {
      const x = grid[k]! + tau
      let d = 0
      for (; d < D; d++) {
        const r = (d + 0.5) * TALK_BIN
        if (r > x) break
        W[k * D + d] = cdfFrom(wcdf, WRAP_BIN, x - r)
      }
      ends[k] = d
    }
    this.build = {
      step,
      grid,
      tc,
      f,
      wcdf,
      W,
      D,
      ends,
      talkQ: reuse(this.spare, 'talkQ', nb * K),
      talkV: reuse(this.spare, 'talkV', nb * K),
      wrapQ: reuse(this.spare, 'wrapQ', this.wrap.bins * K),
      wrapV: reuse(this.spare, 'wrapV', this.wrap.bins * K),
      row: 0,
      version: this.talk.version + this.wrap.version * 1e6 + this.personRing.version * 1e12,
    }
  }

  /**
   * Computes up to `rows` rows of the tables being rebuilt; when the last one is done, publishes them
   * (and the new horizon grid). Returns true when the tables were published.
   */
  private continueTalkBuild(rows: number): boolean {
    const b = this.build
    if (!b) return false
    const K = this.K
    const tau = this.abandonment.maxWaitSec
    const nb = this.talk.bins
    const wb = this.wrap.bins
    const { grid, tc, f, W, D, ends, talkQ, talkV, wrapQ, wrapV, wcdf } = b
    const last = Math.min(nb + wb, b.row + rows)
    for (let r = b.row; r < last; r++) {
      if (r < nb) {
        const i = r
        const surv = 1 - (i === 0 ? 0 : tc[i - 1]!)
        const o = i * K
        for (let k = 0; k < K; k++) {
          let q: number
          if (surv < 1e-9) q = i > 0 ? talkQ[o - K + k]! : 0
          else {
            let acc = 0
            const n = Math.min(ends[k]!, nb - i)
            const wo = k * D
            for (let d = 0; d < n; d++) acc += f[i + d]! * W[wo + d]!
            q = Math.min(1, acc / surv)
          }
          talkQ[o + k] = q
          talkV[o + k] = q * (1 - q)
        }
      } else {
        const i = r - nb
        const e = i * WRAP_BIN
        const f0 = cdfFrom(wcdf, WRAP_BIN, e)
        const surv = 1 - f0
        const o = i * K
        for (let k = 0; k < K; k++) {
          const q = surv < 1e-9 ? 1 : Math.min(1, (cdfFrom(wcdf, WRAP_BIN, e + grid[k]! + tau) - f0) / surv)
          wrapQ[o + k] = q
          wrapV[o + k] = q * (1 - q)
        }
      }
    }
    b.row = last
    if (last < nb + wb) return false
    this.step = b.step
    this.grid.set(b.grid)
    // the tables replaced become the next build's buffers (every row is rewritten)
    this.spare.set('talkQ', this.talkQ)
    this.spare.set('talkV', this.talkV)
    this.spare.set('wrapQ', this.wrapQ)
    this.spare.set('wrapV', this.wrapV)
    this.talkQ = talkQ
    this.talkV = talkV
    this.wrapQ = wrapQ
    this.wrapV = wrapV
    this.talkVersion = b.version
    this.build = null
    this.rebuilds++
    return true
  }

  /** Talk and wrap-up tables published so far (for the benchmark). */
  rebuilds = 0

  /** The in-flight answer tables being rebuilt, a slice per observed event. */
  private ringBuild: RingBuild | null = null

  private ringVersionNow(): number {
    return (
      this.outcomes.version + this.personRing.version * 1e6 + this.talkVersion * 7 + (this.warm ? 0.5 : 0)
    )
  }

  /** Starts rebuilding the in-flight answer tables from the outcome and ring-time estimates as they are now. */
  private startRingBuild(): void {
    const rb = Math.ceil(RING_MAX / RING_BIN)
    const sb = this.scratch
    this.ringBuild = {
      shares: this.outcomes.shares(),
      person: this.personRing.cdf(sb.person),
      machine: this.machineRing.cdf(sb.machine),
      noAnswer: this.noAnswerRing.cdf(sb.noAnswer),
      failed: this.failedRing.cdf(sb.failed),
      step: this.step,
      ringQ: reuse(this.spare, 'ringQ', rb * this.K),
      ringV: reuse(this.spare, 'ringV', rb * this.K),
      warm: this.warm,
      row: 0,
      version: this.ringVersionNow(),
    }
  }

  /**
   * Computes up to `rows` rows of the in-flight answer tables (a call ringing for that long: the
   * probability that a person answers it by each horizon point, Bayes over the four outcome classes);
   * when done, publishes them with the new-call answer-time distribution.
   */
  private continueRingBuild(rows: number): boolean {
    const b = this.ringBuild
    if (!b) return false
    if (b.step !== this.step) {
      // the horizon grid changed under the build: start again on the new one
      this.startRingBuild()
      return this.continueRingBuild(rows)
    }
    const K = this.K
    const grid = this.grid
    const [p, m, n, f] = b.shares
    const P = b.person
    const rb = b.ringQ.length / K
    const last = Math.min(rb, b.row + rows)
    for (let i = b.row; i < last; i++) {
      const e = i * RING_BIN
      const gp = cdfFrom(P, RING_BIN, e)
      const alive =
        p * (1 - gp) +
        m * (1 - cdfFrom(b.machine, RING_BIN, e)) +
        n * (1 - cdfFrom(b.noAnswer, RING_BIN, e)) +
        f * (1 - cdfFrom(b.failed, RING_BIN, e))
      // while the campaign is cold, a call that is still ringing is not yet taken as less likely a person
      // (the prior ring times may be far off): a conservative over-estimate of connects
      const den = b.warm ? alive : Math.max(1e-12, 1 - gp)
      const o = i * K
      for (let k = 0; k < K; k++) {
        const q = alive < 1e-12 ? 0 : Math.min(1, (p * (cdfFrom(P, RING_BIN, e + grid[k]!) - gp)) / den)
        b.ringQ[o + k] = q
        b.ringV[o + k] = q * (1 - q)
      }
    }
    b.row = last
    if (last < rb) return false
    this.spare.set('ringQ', this.ringQ)
    this.spare.set('ringV', this.ringV)
    this.ringQ = b.ringQ
    this.ringV = b.ringV
    const h = this.step / 2
    let prev = 0
    for (let k = 0; k < K; k++) {
      const hi = k === K - 1 ? 1 : cdfFrom(P, RING_BIN, grid[k]! + h)
      this.newAnswerPmf[k] = hi - prev
      prev = hi
      this.newConnectCdf[k] = p * cdfFrom(P, RING_BIN, grid[k]!)
    }
    // expected person answers by s_k per unit launch rate from calls launched after now: p x integral of G
    let acc = 0
    this.futureConnects[0] = 0
    for (let k = 1; k < K; k++) {
      const a = grid[k - 1]!
      const c = grid[k]!
      const G = (x: number): number => cdfFrom(P, RING_BIN, x)
      acc += ((G(a) + 4 * G((a + c) / 2) + G(c)) / 6) * (c - a)
      this.futureConnects[k] = p * acc
    }
    this.ringVersion = b.version
    this.ringBuild = null
    this.rebuilds++
    return true
  }

  /**
   * Talks in progress by elapsed-time bin, as the last decision saw them (right-censored observations of
   * the talk time for the next talk-table build); `talkStartPending` when they wait for that build.
   */
  private running: Float64Array | null = null
  private readonly runningBuf: Float64Array
  private talkStartPending = false
  private lastMaintained = Number.NaN
  /** True once the campaign has taught the model enough to trust it fully. */
  private warm = false

  private talkVersionNow(): number {
    return this.talk.version + this.wrap.version * 1e6 + this.personRing.version * 1e12
  }

  /**
   * Keeps the model tables up to date off the decision path: starts a rebuild when the estimates have
   * moved and advances the ones in progress by a slice (`rebuildRowsPerEvent` rows). Called for every
   * observed event; a decision calls it only when no event has come for `rebuildIdleSec`.
   */
  private maintain(now: number): void {
    this.lastMaintained = now
    if (this.talkStartPending && !this.build) {
      this.startTalkBuild()
      this.talkStartPending = false
    }
    const published = this.build ? this.continueTalkBuild(this.rowsPerEvent) : false
    if (
      !this.warm &&
      this.outcomes.observations >= this.warmupDials &&
      this.talk.observations >= this.warmupTalks
    )
      this.warm = true
    if (this.ringVersionNow() !== this.ringVersion && !this.ringBuild) this.startRingBuild()
    // rows left of this slice go to the ring tables; a new horizon grid needs them at once
    if (this.ringBuild)
      this.continueRingBuild(
        published && this.ringBuild.step !== this.step ? Number.POSITIVE_INFINITY : this.rowsPerEvent,
      )
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
      // the model's risks, calibrated by what happened: realised abandoned calls against predicted ones
      const err = Math.max(-3, Math.min(1, (alpha - this.calibration * mean) / lim))
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

  /** Abandoned calls the model predicted (risk x live-answer share of each launched call), discounted. */
  private predictedDrops = 0
  /** Abandoned calls that happened, discounted the same way. */
  private realisedDrops = 0
  private lastCalibrated = Number.NaN

  /**
   * Realised over predicted abandoned calls (discounted over `calibrationSec`, with a prior of
   * `calibrationPrior` calls at a ratio of 1): multiplies the model's risks before they are compared
   * with the budget. Above 1 the model is optimistic, below 1 cautious.
   */
  get calibration(): number {
    if (!this.calibrate) return 1
    const k = this.calibrationPrior
    return Math.min(20, Math.max(0.05, (this.realisedDrops + k) / (this.predictedDrops + k)))
  }

  private decayCalibration(now: number): void {
    if (Number.isNaN(this.lastCalibrated)) this.lastCalibrated = now
    const dt = now - this.lastCalibrated
    if (dt <= 0) return
    this.lastCalibrated = now
    const w = Math.exp(-dt / this.calibrationSec)
    this.predictedDrops *= w
    this.realisedDrops *= w
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

  /**
   * The predicted risk of each of the `launch` calls (the n-th: risk(n)); exact for up to 8 calls, else
   * interpolated between risk(1), risk(floor), risk(floor + 1), the middle one and the last one.
   */
  private launchRisks(launch: number, floor: number): number[] {
    // a plain array: a typed array over 64 bytes gets a backing store outside the heap, and thousands of
    // those a minute push the collector into full collections
    const out: number[] = new Array(launch).fill(0)
    if (launch <= 8) {
      for (let n = 1; n <= launch; n++) out[n - 1] = this.risk(n)
      return out
    }
    const first = Math.min(launch, floor + 1)
    // the distinct points 1, floor, first, middle, launch in increasing order, without allocating
    const pts = this.riskPts
    const val = this.riskVals
    let np = 0
    const cand = this.riskCand
    cand[0] = 1
    cand[1] = floor
    cand[2] = first
    cand[3] = (first + launch) >> 1
    cand[4] = launch
    cand.sort()
    for (const n of cand) if (n >= 1 && n <= launch && (np === 0 || pts[np - 1] !== n)) pts[np++] = n
    for (let j = 0; j < np; j++) val[j] = this.risk(pts[j]!)
    let j = 0
    for (let n = 1; n <= launch; n++) {
      while (j < np - 2 && n > pts[j + 1]!) j++
      const a = pts[j]!
      const b = j + 1 < np ? pts[j + 1]! : a
      out[n - 1] = b === a ? val[j]! : val[j]! + ((val[j + 1]! - val[j]!) * (n - a)) / (b - a)
    }
    return out
  }

  private readonly riskCand = new Int32Array(5)
  private readonly riskPts = new Int32Array(5)
  private readonly riskVals = new Float64Array(5)

  /** The abandonment share the next calls may use, from the budget left in the regime's window. */
  allowedRate(now: number): number {
    const w = this.ledger.window(now)
    const elapsed = Math.max(60, now - (Number.isNaN(this.startedAt) ? now : this.startedAt))
    const ratePerSec = this.ledger.totalLive / elapsed
    const horizon = Math.max(30, ratePerSec * this.planningSec)
    const lim = this.abandonment.limit
    // what is left of the budget is spread over the planning horizon, or over enough answers to carry
    // `budgetSpreadCalls` abandoned calls if that is longer (a small team: one call would otherwise
    // swing the allowed rate by more than the limit)
    const spread = Math.max(horizon, this.spreadCalls / lim)
    // aim under the limit by a margin that covers the noise the tracker cannot correct any more: the
    // drops of the last answers it corrects over (about z standard deviations of a Poisson count),
    // relative to the answers in the window; small campaigns need a wide margin, large ones a thin one.
    // A longer spread corrects more slowly: the margin covers the geometric mean of the two horizons
    const h = Math.sqrt(horizon * spread)
    const noise = (this.marginZ * Math.sqrt(h / lim)) / (w.live + h)
    const target = lim * Math.max(0.5, Math.min(this.safety, 1 - noise))
    const r = this.abandonment.amdFalsePositiveRate
    const fpPerLive = this.abandonment.formula === 'uk' ? r / (1 - r) : 0
    const live = w.live
    const budget = target * (1 + fpPerLive) * (live + spread) - fpPerLive * (live + spread) - w.abandoned
    return Math.min(this.maxAllowedRate, Math.max(0, budget / spread))
  }

  decide(s: CampaignSnapshot): PacingDecision {
    const K = this.K
    const now = s.now
    // no table work here: rebuilds advance as events are observed (unless none has come for a while)
    if (
      (this.build || this.ringBuild || this.talkStartPending) &&
      !(now - this.lastMaintained < this.rebuildIdleSec)
    )
      this.maintain(now)
    // the talk estimate moved: this decision's talks in progress become the next build's censored data
    const capture = !this.build && !this.talkStartPending && this.talkVersionNow() !== this.talkVersion
    const running = this.runningBuf
    if (capture) running.fill(0)
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
        let i = ((now - a.since) * (1 / TALK_BIN)) | 0
        if (i >= tBins) i = tBins - 1
        else if (i < 0) i = 0
        if (tc[i] === 0) tl[nt++] = i
        tc[i]!++
      } else if (st === 'wrap_up') {
        busy++
        active++
        let i = ((now - a.since) * (1 / WRAP_BIN)) | 0
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
    const step = this.step
    const dc = this.detectCount
    const callsArr = s.calls
    const nCalls = callsArr.length
    for (let ci = 0; ci < nCalls; ci++) {
      const c = callsArr[ci]!
      inFlight++
      if (c.phase === 'ringing') {
        let i = ((now - c.since) * (1 / RING_BIN)) | 0
        if (i >= rBins) i = rBins - 1
        else if (i < 0) i = 0
        if (rc[i] === 0) rl[nr++] = i
        rc[i]!++
      } else if (c.phase === 'waiting') waiting++
      else {
        // in detection: a missed machine reaches an agent from the first horizon point after it ends
        const left = det - (now - c.since)
        let k0 = left <= 0 ? 0 : Math.ceil(left / step - 1e-12)
        if (k0 > K) k0 = K
        dc[k0]!++
      }
    }
    let detecting = 0
    for (let k = 0; k < K; k++) {
      detecting += dc[k]!
      dc[k] = 0
      if (detecting > 0) {
        muX[k]! -= detecting * miss
        varX[k]! += detecting * miss * (1 - miss)
      }
    }
    dc[K] = 0
    for (let j = 0; j < nt; j++) {
      const i = tl[j]!
      const n = tc[i]!
      tc[i] = 0
      if (capture) running[i] = n
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
    if (capture) {
      this.running = running
      this.talkStartPending = true
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
    const risks = launch > 0 ? this.launchRisks(launch, floor) : NO_RISKS
    if (launch > 0) {
      let sum = 0
      for (let i = 0; i < launch; i++) sum += risks[i]!
      const r = this.abandonment.amdFalsePositiveRate
      this.predictedDrops += sum * this.outcomes.share('person') * (1 - r)
    }
    this.decayCalibration(now)
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
      risks,
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
