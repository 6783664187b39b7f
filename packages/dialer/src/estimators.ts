/**
 * Online estimators the predictive pacer learns from: the outcome shares of dials (with quick
 * adaptation when the answer rate shifts) and nonparametric duration distributions.
 */
import type { DialOutcome } from '@switchboard/core/domain'

/**
 * @internal The estimators' class of a dial outcome: 0 person, 1 machine, 2 no answer, 3 busy or
 * failed (both end quickly without anyone answering, so they are learned as one class).
 */
export function outcomeIndex(o: DialOutcome): number {
  switch (o) {
    case 'person':
      return 0
    case 'machine':
      return 1
    case 'no_answer':
      return 2
    default:
      return 3
  }
}

export interface OutcomeEstimatorOptions {
  /** Prior shares (person, machine, no answer, busy or failed). */
  readonly prior?: readonly [number, number, number, number]
  /** Weight of the prior, in dials. */
  readonly priorWeight?: number
  /** Half-life of the slow estimate, in dials. */
  readonly slowHalfLife?: number
  /** Half-life of the fast estimate, in dials. */
  readonly fastHalfLife?: number
  /** z-score at which the fast estimate replaces the slow one (a detected shift). */
  readonly shiftZ?: number
}

/**
 * The shares of dial outcomes (core's `DialOutcome`; `busy` is counted with `failed`) as discounted
 * Dirichlet counts at two speeds. The slow estimate is used; when the fast one departs
 * from it by more than `shiftZ` standard errors on any share, a shift is declared and the slow
 * estimate restarts from the fast one.
 */
export class OutcomeEstimator {
  private readonly slow = new Float64Array(4)
  private readonly fast = new Float64Array(4)
  private readonly slowDecay: number
  private readonly fastDecay: number
  private readonly shiftZ: number
  private readonly fastHalfLife: number
  /** Number of shifts detected so far. */
  shifts = 0
  /** Number of observations so far. */
  observations = 0
  /** Incremented whenever the estimate changes materially (for table rebuilds). */
  version = 0
  private sinceVersion = 0

  constructor(options: OutcomeEstimatorOptions = {}) {
    const prior = options.prior ?? [0.25, 0.15, 0.45, 0.15]
    const w = options.priorWeight ?? 40
    const sum = prior[0] + prior[1] + prior[2] + prior[3]
    for (let i = 0; i < 4; i++) {
      this.slow[i] = (prior[i]! / sum) * w
      this.fast[i] = (prior[i]! / sum) * Math.min(w, 20)
    }
    this.slowDecay = 0.5 ** (1 / (options.slowHalfLife ?? 2000))
    this.fastHalfLife = options.fastHalfLife ?? 150
    this.fastDecay = 0.5 ** (1 / this.fastHalfLife)
    this.shiftZ = options.shiftZ ?? 4
  }

  observe(outcome: DialOutcome): boolean {
    const c = [0, 0, 0, 0]
    c[outcomeIndex(outcome)] = 1
    return this.observeCounts(c)
  }

  /**
   * Adds a cohort of outcomes at once (counts in the order person, machine, no answer, busy or failed), for
   * example every dial launched in the same ten seconds once all of them have resolved: feeding cohorts
   * in launch order avoids the bias of quick outcomes (people answer in 8 s) resolving before slow ones
   * (no answer after 25 s). Returns true when a shift was detected.
   */
  observeCounts(counts: ArrayLike<number>): boolean {
    let n = 0
    for (let i = 0; i < 4; i++) n += counts[i] ?? 0
    if (n <= 0) return false
    const ds = this.slowDecay ** n
    const df = this.fastDecay ** n
    for (let i = 0; i < 4; i++) {
      this.slow[i] = this.slow[i]! * ds + (counts[i] ?? 0)
      this.fast[i] = this.fast[i]! * df + (counts[i] ?? 0)
    }
    this.observations += n
    this.sinceVersion += n
    let shifted = false
    if (this.observations >= this.fastHalfLife / 2) {
      const ns = this.total(this.slow)
      const nf = this.total(this.fast)
      for (let i = 0; i < 4 && !shifted; i++) {
        const ps = this.slow[i]! / ns
        const pf = this.fast[i]! / nf
        // variance of an exponentially weighted mean: p(1 - p)(1 - d)/(1 + d)
        const se = Math.sqrt((Math.max(ps * (1 - ps), 1e-4) * (1 - this.fastDecay)) / (1 + this.fastDecay))
        if (Math.abs(pf - ps) > this.shiftZ * se) shifted = true
      }
      if (shifted) {
        this.slow.set(this.fast)
        this.shifts++
      }
    }
    if (shifted || this.sinceVersion >= Math.max(16, Math.min(400, this.observations / 4))) {
      this.version++
      this.sinceVersion = 0
    }
    return shifted
  }

  private total(a: Float64Array): number {
    return a[0]! + a[1]! + a[2]! + a[3]!
  }

  /** The current share of an outcome (`busy` and `failed` share one class). */
  share(outcome: DialOutcome): number {
    return this.slow[outcomeIndex(outcome)]! / this.total(this.slow)
  }

  /** Current shares in the order person, machine, no answer, busy or failed. */
  shares(): [number, number, number, number] {
    const n = this.total(this.slow)
    return [this.slow[0]! / n, this.slow[1]! / n, this.slow[2]! / n, this.slow[3]! / n]
  }
}

export interface DurationPrior {
  /** Prior mean (seconds). */
  readonly mean: number
  /** Prior coefficient of variation. */
  readonly cv: number
  /** Weight of the prior, in observations. */
  readonly weight: number
}

/**
 * A discounted histogram of durations with a gamma-shaped prior: a nonparametric estimate of a
 * duration distribution that follows whatever shape the campaign shows (lognormal, exponential...).
 */
export class DurationHistogram {
  readonly binWidth: number
  readonly bins: number
  private readonly counts: Float64Array
  private readonly decay: number
  observations = 0
  private sumDecayed = 0
  private weightDecayed = 0
  version = 0
  private sinceVersion = 0
  private cdfCache: Float64Array | null = null

  /** The estimate is re-published (version bump) at least every this many observations. */
  maxVersionStep = 500

  constructor(max: number, binWidth: number, prior: DurationPrior, halfLife = 3000) {
    this.binWidth = binWidth
    this.bins = Math.ceil(max / binWidth)
    this.counts = new Float64Array(this.bins)
    this.decay = 0.5 ** (1 / halfLife)
    // gamma prior mass per bin
    const shape = 1 / (prior.cv * prior.cv)
    const scale = prior.mean / shape
    let tot = 0
    const dens = new Float64Array(this.bins)
    for (let i = 0; i < this.bins; i++) {
      const x = (i + 0.5) * binWidth
      const d = Math.exp((shape - 1) * Math.log(x) - x / scale)
      dens[i] = Number.isFinite(d) ? d : 0
      tot += dens[i]!
    }
    for (let i = 0; i < this.bins; i++) this.counts[i] = tot > 0 ? (dens[i]! / tot) * prior.weight : 0
    this.sumDecayed = prior.mean * prior.weight
    this.weightDecayed = prior.weight
  }

  observe(x: number): void {
    let i = Math.floor(x / this.binWidth)
    if (i >= this.bins) i = this.bins - 1
    if (i < 0) i = 0
    // lazy decay: weigh each new observation more instead of decaying every bin
    this.increment /= this.decay
    if (this.increment > 1e100) {
      for (let j = 0; j < this.bins; j++) this.counts[j]! /= this.increment
      this.increment = 1
    }
    this.counts[i]! += this.increment
    this.observations++
    this.sumDecayed = this.sumDecayed * this.decay + x
    this.weightDecayed = this.weightDecayed * this.decay + 1
    this.sinceVersion++
    if (this.sinceVersion >= Math.max(8, Math.min(this.maxVersionStep, this.observations / 3))) {
      this.version++
      this.sinceVersion = 0
      this.cdfCache = null
    }
  }

  private increment = 1

  /** Discounted mean of the observations and the prior. */
  mean(): number {
    return this.sumDecayed / this.weightDecayed
  }

  /**
   * Kaplan-Meier cumulative distribution at the right edge of every bin, given durations still running
   * (right-censored: `running[i]` items have lasted at least until bin i). Early in a campaign only short
   * calls have ended; ignoring the calls in progress would make talk times look much shorter than they are.
   */
  cdfCensored(running: ArrayLike<number>, out?: Float64Array): Float64Array {
    const nb = this.bins
    const res = out ?? new Float64Array(nb)
    const w = this.increment
    // first pass: res[i] holds the number at risk at bin i (the next pass overwrites it in place)
    let atRisk = 0
    for (let i = nb - 1; i >= 0; i--) {
      atRisk += this.counts[i]! + (i + 1 < nb ? (running[i + 1] ?? 0) * w : 0)
      res[i] = atRisk
    }
    let surv = 1
    for (let i = 0; i < nb; i++) {
      const r = res[i]!
      if (r > 0) surv *= 1 - this.counts[i]! / r
      res[i] = 1 - surv
    }
    return res
  }

  /**
   * Cumulative distribution at the right edge of every bin. With `out`, written into it (a copy the
   * caller owns, no allocation); without, a cached array shared until the next version.
   */
  cdf(out?: Float64Array): Float64Array {
    if (!out && this.cdfCache) return this.cdfCache
    const res = out ?? new Float64Array(this.bins)
    let tot = 0
    for (let i = 0; i < this.bins; i++) tot += this.counts[i]!
    let acc = 0
    for (let i = 0; i < this.bins; i++) {
      acc += this.counts[i]!
      res[i] = acc / tot
    }
    if (!out) this.cdfCache = res
    return res
  }

  /** P(X <= x), linear inside bins. */
  cdfAt(x: number): number {
    if (x <= 0) return 0
    const c = this.cdf()
    const pos = x / this.binWidth
    const i = Math.floor(pos)
    if (i >= this.bins) return 1
    const lo = i === 0 ? 0 : c[i - 1]!
    return lo + (c[i]! - lo) * (pos - i)
  }

  /** The q-quantile. */
  quantile(q: number): number {
    // from the counts directly: no cdf array is allocated (the pacer asks at every table rebuild)
    let tot = 0
    for (let i = 0; i < this.bins; i++) tot += this.counts[i]!
    let acc = 0
    for (let i = 0; i < this.bins; i++) {
      acc += this.counts[i]!
      if (acc / tot >= q) return (i + 1) * this.binWidth
    }
    return this.bins * this.binWidth
  }
}
