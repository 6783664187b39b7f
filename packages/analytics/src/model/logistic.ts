import { choleskySolve } from './cholesky.js'

export interface LogisticOptions {
  /** The L2 penalty on the standardised weights (not on the intercept); default 1. */
  readonly l2?: number
  /** Newton steps at most (default 50; it converges in well under 10 on most data). */
  readonly maxIterations?: number
  /** Stops when no coefficient moves more than this (default 1e-9). */
  readonly tolerance?: number
}

/** A fitted model: the weights apply to standardised features, `(x - mean) / scale`. */
export interface LogisticModel {
  readonly features: ReadonlyArray<string>
  /** The log-odds of a lead whose every feature is at the training mean. */
  readonly intercept: number
  /** One per feature, on the standardised scale: comparable with each other. */
  readonly weights: ReadonlyArray<number>
  readonly mean: ReadonlyArray<number>
  readonly scale: ReadonlyArray<number>
  readonly l2: number
  readonly iterations: number
  readonly converged: boolean
  /** Training rows, and how many were positive. */
  readonly n: number
  readonly positives: number
}

/** One feature's part in a prediction, in log-odds. */
export interface FeatureContribution {
  readonly feature: string
  readonly value: number
  /** weight x standardised value: what this feature adds to the log-odds of the average lead. */
  readonly logOdds: number
}

export interface ExplainedPrediction {
  readonly probability: number
  readonly logOdds: number
  /** The intercept: the log-odds of the average lead. */
  readonly baseLogOdds: number
  /** Largest absolute contribution first. */
  readonly contributions: ReadonlyArray<FeatureContribution>
}

export const sigmoid = (z: number): number =>
  z >= 0 ? 1 / (1 + Math.exp(-z)) : Math.exp(z) / (1 + Math.exp(z))

/**
 * Fits an L2-regularised logistic regression by Newton's method (IRLS): each
 * step solves `(X'WX + lambda I) d = X'(y - p) - lambda w` with a Cholesky
 * factorisation, halving the step while the penalised log-likelihood would
 * fall. Features are standardised first, so the one penalty treats them
 * alike and the weights can be compared.
 *
 * @example
 * ```ts
 * import { fitLogistic, predictLogistic } from '@switchboard/analytics'
 * const model = fitLogistic(['called back'], [[1], [1], [0], [0], [1], [0]], [1, 1, 0, 0, 0, 1], { l2: 0.1 })
 * console.log(predictLogistic(model, [1]).probability)
 * ```
 */
export function fitLogistic(
  features: ReadonlyArray<string>,
  rows: ReadonlyArray<ReadonlyArray<number>>,
  labels: ReadonlyArray<number>,
  options: LogisticOptions = {},
): LogisticModel {
  const l2 = options.l2 ?? 1
  const maxIterations = options.maxIterations ?? 50
  const tolerance = options.tolerance ?? 1e-9
  const k = features.length
  const n = rows.length
  if (n === 0 || labels.length !== n)
    throw new RangeError(`need as many labels as rows (got ${labels.length} for ${n})`)
  if (!(l2 >= 0)) throw new RangeError(`l2 must be a non-negative number (got ${l2})`)
  for (const [i, r] of rows.entries())
    if (r.length !== k) throw new RangeError(`row ${i} has ${r.length} values, not ${k}`)
  const mean = new Array<number>(k).fill(0)
  const scale = new Array<number>(k).fill(0)
  for (const r of rows) for (let j = 0; j < k; j++) mean[j]! += r[j]! / n
  for (const r of rows) for (let j = 0; j < k; j++) scale[j]! += (r[j]! - mean[j]!) ** 2 / n
  // A constant column keeps scale 1: its standardised value is always 0.
  for (let j = 0; j < k; j++) scale[j] = Math.sqrt(scale[j]!) || 1
  const z = rows.map((r) => [1, ...r.map((v, j) => (v - mean[j]!) / scale[j]!)])
  const positives = labels.reduce((s, y) => s + y, 0)

  // Coefficients: [intercept, ...weights]; the intercept starts at the base rate.
  const rate = Math.min(Math.max(positives / n, 1e-6), 1 - 1e-6)
  let beta = [Math.log(rate / (1 - rate)), ...new Array<number>(k).fill(0)]
  const objective = (b: ReadonlyArray<number>) => {
    let ll = 0
    for (let i = 0; i < n; i++) {
      const eta = dot(z[i]!, b)
      // log(1 + e^eta), without overflow.
      const softplus = eta > 0 ? eta + Math.log1p(Math.exp(-eta)) : Math.log1p(Math.exp(eta))
      ll += labels[i]! * eta - softplus
    }
    let pen = 0
    for (let j = 1; j <= k; j++) pen += b[j]! ** 2
    return ll - (l2 / 2) * pen
  }
  let current = objective(beta)
  let iterations = 0
  let converged = false
  while (iterations < maxIterations) {
    iterations++
    const grad = new Array<number>(k + 1).fill(0)
    const hess: number[][] = Array.from({ length: k + 1 }, () => new Array<number>(k + 1).fill(0))
    for (let i = 0; i < n; i++) {
      const zi = z[i]!
      const p = sigmoid(dot(zi, beta))
      const w = Math.max(p * (1 - p), 1e-12)
      const r = labels[i]! - p
      for (let a = 0; a <= k; a++) {
        grad[a]! += zi[a]! * r
        const wa = w * zi[a]!
        for (let c = 0; c <= a; c++) hess[a]![c]! += wa * zi[c]!
      }
    }
    for (let a = 0; a <= k; a++) for (let c = 0; c < a; c++) hess[c]![a] = hess[a]![c]!
    // The penalty, on the weights only; a hair on the intercept keeps all-one-class data solvable.
    hess[0]![0]! += 1e-9
    for (let j = 1; j <= k; j++) {
      grad[j]! -= l2 * beta[j]!
      hess[j]![j]! += l2 || 1e-9
    }
    const step = choleskySolve(hess, grad)
    let t = 1
    let next = beta.map((b, j) => b + step[j]!)
    let value = objective(next)
    while (value < current - 1e-12 && t > 1e-6) {
      t /= 2
      next = beta.map((b, j) => b + t * step[j]!)
      value = objective(next)
    }
    const moved = Math.max(...next.map((b, j) => Math.abs(b - beta[j]!)))
    beta = next
    current = value
    if (moved < tolerance) {
      converged = true
      break
    }
  }
  return {
    features: [...features],
    intercept: beta[0]!,
    weights: beta.slice(1),
    mean,
    scale,
    l2,
    iterations,
    converged,
    n,
    positives,
  }
}

const dot = (a: ReadonlyArray<number>, b: ReadonlyArray<number>) => {
  let s = 0
  for (let i = 0; i < a.length; i++) s += a[i]! * b[i]!
  return s
}

/**
 * The probability of one lead, explained: each feature's contribution to the
 * log-odds, against the average lead (the intercept).
 */
export function predictLogistic(model: LogisticModel, values: ReadonlyArray<number>): ExplainedPrediction {
  if (values.length !== model.features.length)
    throw new RangeError(`expected ${model.features.length} feature values, got ${values.length}`)
  const contributions = model.features.map((feature, j) => ({
    feature,
    value: values[j]!,
    logOdds: (model.weights[j]! * (values[j]! - model.mean[j]!)) / model.scale[j]!,
  }))
  const logOdds = contributions.reduce((s, c) => s + c.logOdds, model.intercept)
  return {
    probability: sigmoid(logOdds),
    logOdds,
    baseLogOdds: model.intercept,
    contributions: contributions.sort((a, b) => Math.abs(b.logOdds) - Math.abs(a.logOdds)),
  }
}

/** The weights per unit of each raw feature (undoing the standardisation), with the raw intercept. */
export function rawCoefficients(model: LogisticModel): { intercept: number; weights: number[] } {
  const weights = model.weights.map((w, j) => w / model.scale[j]!)
  const intercept = model.intercept - weights.reduce((s, w, j) => s + w * model.mean[j]!, 0)
  return { intercept, weights }
}

/** One feature's weight, explained: on the standardised scale (comparable) and per raw unit. */
export interface FeatureWeight {
  readonly feature: string
  /** Log-odds per standard deviation of the feature. */
  readonly weight: number
  /** Log-odds per unit of the feature as it is stored. */
  readonly perUnit: number
  /** The training mean: a lead at the mean gets nothing from this feature. */
  readonly mean: number
}

/** The model's weights, largest effect first. */
export function modelWeights(model: LogisticModel): FeatureWeight[] {
  const raw = rawCoefficients(model)
  return model.features
    .map((feature, j) => ({
      feature,
      weight: model.weights[j]!,
      perUnit: raw.weights[j]!,
      mean: model.mean[j]!,
    }))
    .sort((a, b) => Math.abs(b.weight) - Math.abs(a.weight))
}
