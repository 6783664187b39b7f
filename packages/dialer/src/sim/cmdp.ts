/**
 * The limit: a constrained Markov decision process on the Markov version of a scenario.
 * State: busy agents b and dials in flight d; action: dials to add (d -> d' >= d).
 * Uniformized, solved by relative value iteration for a Lagrange multiplier lambda on
 * (abandoned - target x person answers); the bound is min over lambda of the Lagrangian gain.
 * Any function V gives an upper bound of the optimal gain, max_s (TV - V)(s), so the returned figure is
 * an upper bound of the best handle occupancy any non-clairvoyant dialer can reach at the target
 * (weak duality), tight when value iteration has converged (the reported gap says how tight).
 */
import { liveShare, meanDialSeconds, meanHandleSeconds, type Scenario } from './scenario.js'

export interface CmdpResult {
  /** Upper bound of the handle occupancy at the target. */
  readonly occupancy: number
  /** Lower gain bound at the chosen lambda, as occupancy (convergence check). */
  readonly occupancyLower: number
  readonly lambda: number
  readonly target: number
  readonly states: number
  readonly iterations: number
  readonly seconds: number
}

export interface CmdpOptions {
  /** Maximum dials in flight (truncation). Default: 2 x the fluid level + 10. */
  readonly maxInFlight?: number
  /** Stop value iteration when the gain bounds are this close (relative). Default 1e-4. */
  readonly tolerance?: number
  /** Cap on iterations per lambda. */
  readonly maxIterations?: number
}

export function solveCmdp(sc: Scenario, target: number, options: CmdpOptions = {}): CmdpResult {
  const t0 = performance.now()
  const N = sc.agents
  const p = liveShare(sc)
  const muR = 1 / meanDialSeconds(sc)
  const muH = 1 / meanHandleSeconds(sc)
  const fluid = (N * muH) / (p * muR)
  const D = options.maxInFlight ?? Math.ceil(2 * fluid + 10)
  const tol = options.tolerance ?? 1e-4
  const maxIt = options.maxIterations ?? 200_000
  const W = D + 1
  const S = (N + 1) * W
  const Lam = N * muH + D * muR
  let V = new Float64Array(S)
  let Vn = new Float64Array(S)
  const Wv = new Float64Array(S)
  let iterations = 0

  // returns [upper, lower] gains per unit time
  const gain = (lambda: number): [number, number] => {
    for (let it = 0; it < maxIt; it++) {
      iterations++
      // post-decision values
      for (let b = 0; b <= N; b++) {
        const row = b * W
        const up = b < N ? (b + 1) * W : -1
        const down = b > 0 ? (b - 1) * W : -1
        const full = b === N
        for (let d = 0; d <= D; d++) {
          const ratePerson = d * muR * p
          const rateOther = d * muR * (1 - p)
          const rateDone = b * muH
          let r = b + lambda * ratePerson * (target - (full ? 1 : 0))
          let v = 0
          if (down >= 0) v += rateDone * V[down + d]!
          if (d > 0) {
            if (up >= 0) v += ratePerson * V[up + d - 1]!
            else v += ratePerson * V[row + d - 1]!
            v += rateOther * V[row + d - 1]!
          }
          v += (Lam - rateDone - ratePerson - rateOther) * V[row + d]!
          r = r / Lam + v / Lam
          Wv[row + d] = r
        }
        // pre-decision: best d' >= d (suffix max)
        let best = Number.NEGATIVE_INFINITY
        for (let d = D; d >= 0; d--) {
          const w = Wv[row + d]!
          if (w > best) best = w
          Vn[row + d] = best
        }
      }
      let lo = Number.POSITIVE_INFINITY
      let hi = Number.NEGATIVE_INFINITY
      const ref = Vn[0]!
      for (let s = 0; s < S; s++) {
        const diff = Vn[s]! - V[s]!
        if (diff < lo) lo = diff
        if (diff > hi) hi = diff
      }
      for (let s = 0; s < S; s++) Vn[s]! -= ref
      const tmp = V
      V = Vn
      Vn = tmp
      if (it > 10 && hi - lo <= tol * Math.max(1e-9, Math.abs(hi))) return [hi * Lam, lo * Lam]
    }
    return [Number.NaN, Number.NaN]
  }

  // g(lambda) is convex: golden-section search on log(lambda)
  const cache = new Map<number, [number, number]>()
  const g = (x: number): number => {
    let v = cache.get(x)
    if (!v) {
      v = gain(Math.exp(x))
      if (Number.isNaN(v[0])) v = gain(Math.exp(x))
      cache.set(x, v)
    }
    return v[0]
  }
  let a = Math.log(1e-2)
  let c = Math.log(1e6)
  const phi = (Math.sqrt(5) - 1) / 2
  let x1 = c - phi * (c - a)
  let x2 = a + phi * (c - a)
  let f1 = g(x1)
  let f2 = g(x2)
  for (let i = 0; i < 40 && c - a > 0.02; i++) {
    if (f1 <= f2) {
      c = x2
      x2 = x1
      f2 = f1
      x1 = c - phi * (c - a)
      f1 = g(x1)
    } else {
      a = x1
      x1 = x2
      f1 = f2
      x2 = a + phi * (c - a)
      f2 = g(x2)
    }
  }
  const x = f1 <= f2 ? x1 : x2
  const [hi, lo] = cache.get(x)!
  // lambda -> 0 gives the unconstrained optimum, an upper bound too
  return {
    occupancy: Math.min(hi, N) / N,
    occupancyLower: lo / N,
    lambda: Math.exp(x),
    target,
    states: S,
    iterations,
    seconds: (performance.now() - t0) / 1000,
  }
}
