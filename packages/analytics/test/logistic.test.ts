import { describe, expect, it } from 'vitest'
import { choleskySolve } from '../src/model/cholesky.js'
import { fitLogistic, predictLogistic, rawCoefficients, sigmoid } from '../src/model/logistic.js'

const logit = (p: number) => Math.log(p / (1 - p))

describe('choleskySolve', () => {
  it('solves a symmetric positive definite system exactly', () => {
    // A = L L' with L = [[2,0,0],[1,3,0],[-1,2,1]]; x = [1,-2,3] gives b = A x.
    const a = [
      [4, 2, -2],
      [2, 10, 5],
      [-2, 5, 6],
    ]
    const b = [4 - 4 - 6, 2 - 20 + 15, -2 - 10 + 18]
    const x = choleskySolve(a, b)
    expect(x[0]).toBeCloseTo(1, 12)
    expect(x[1]).toBeCloseTo(-2, 12)
    expect(x[2]).toBeCloseTo(3, 12)
  })
  it('refuses a matrix that is not positive definite', () => {
    expect(() =>
      choleskySolve(
        [
          [1, 2],
          [2, 1],
        ],
        [1, 1],
      ),
    ).toThrow(/not positive definite/)
  })
})

describe('fitLogistic', () => {
  // One binary feature: the maximum-likelihood answer is known in closed form,
  // intercept = logit(rate when x = 0) and slope = logit(rate at 1) - logit(rate at 0).
  const rows: number[][] = []
  const labels: number[] = []
  const add = (x: number, positives: number, total: number) => {
    for (let i = 0; i < total; i++) {
      rows.push([x])
      labels.push(i < positives ? 1 : 0)
    }
  }
  add(0, 20, 100) // 20 %
  add(1, 60, 80) // 75 %

  it('finds the closed-form maximum-likelihood solution when the penalty is negligible', () => {
    const m = fitLogistic(['x'], rows, labels, { l2: 1e-10 })
    expect(m.converged).toBe(true)
    const raw = rawCoefficients(m)
    expect(raw.intercept).toBeCloseTo(logit(0.2), 6)
    expect(raw.weights[0]).toBeCloseTo(logit(0.75) - logit(0.2), 6)
    expect(predictLogistic(m, [1]).probability).toBeCloseTo(0.75, 6)
    expect(predictLogistic(m, [0]).probability).toBeCloseTo(0.2, 6)
  })

  it('with a penalty, stops where the penalised gradient is zero, and shrinks the weight', () => {
    const l2 = 25
    const m = fitLogistic(['x'], rows, labels, { l2 })
    const free = fitLogistic(['x'], rows, labels, { l2: 1e-10 })
    expect(Math.abs(m.weights[0]!)).toBeLessThan(Math.abs(free.weights[0]!))
    // The optimality conditions on the standardised scale: sum(y - p) = 0 and sum((y - p) z) = l2 w.
    let g0 = 0
    let g1 = 0
    for (const [i, r] of rows.entries()) {
      const z = (r[0]! - m.mean[0]!) / m.scale[0]!
      const p = sigmoid(m.intercept + m.weights[0]! * z)
      g0 += labels[i]! - p
      g1 += (labels[i]! - p) * z
    }
    expect(g0).toBeCloseTo(0, 8)
    expect(g1 - l2 * m.weights[0]!).toBeCloseTo(0, 8)
  })

  it('recovers the weights of a known model from data it generated', () => {
    let seed = 42
    const rand = () => {
      seed = (seed * 1664525 + 1013904223) >>> 0
      return seed / 4294967296
    }
    const truth = { intercept: -1, weights: [1.5, -2, 0] }
    const xs: number[][] = []
    const ys: number[] = []
    for (let i = 0; i < 20_000; i++) {
      const x = [rand() * 2 - 1, rand() < 0.4 ? 1 : 0, rand() * 4]
      const p = sigmoid(truth.intercept + x.reduce((s, v, j) => s + v * truth.weights[j]!, 0))
      xs.push(x)
      ys.push(rand() < p ? 1 : 0)
    }
    const raw = rawCoefficients(fitLogistic(['a', 'b', 'noise'], xs, ys, { l2: 1 }))
    expect(raw.intercept).toBeCloseTo(truth.intercept, 0)
    for (const [j, w] of truth.weights.entries()) expect(Math.abs(raw.weights[j]! - w)).toBeLessThan(0.15)
  })

  it('explains a prediction: contributions add up to its log-odds from the intercept', () => {
    const m = fitLogistic(
      ['x', 'y'],
      [
        [0, 1],
        [1, 0],
        [1, 1],
        [0, 0],
        [2, 1],
        [1, 2],
      ],
      [0, 1, 1, 0, 1, 0],
      { l2: 1 },
    )
    const e = predictLogistic(m, [2, 0])
    const sum = e.contributions.reduce((s, c) => s + c.logOdds, e.baseLogOdds)
    expect(sum).toBeCloseTo(e.logOdds, 12)
    expect(e.probability).toBeCloseTo(sigmoid(e.logOdds), 12)
    expect(e.contributions.map((c) => c.feature).sort()).toEqual(['x', 'y'])
    expect(Math.abs(e.contributions[0]!.logOdds)).toBeGreaterThanOrEqual(
      Math.abs(e.contributions[1]!.logOdds),
    )
  })

  it('refuses rows of the wrong width and mismatched labels', () => {
    expect(() => fitLogistic(['x'], [[1, 2]], [1])).toThrow(/row 0 has 2 values/)
    expect(() => fitLogistic(['x'], [[1]], [1, 0])).toThrow(/as many labels/)
  })
})
