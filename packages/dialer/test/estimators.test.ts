import type { DialOutcome } from '@switchboard/core/domain'
import { describe, expect, it } from 'vitest'
import { DurationHistogram, OutcomeEstimator, PredictivePacer } from '../src/index.js'
import { Rng } from '../src/sim/rng.js'

function draw(rng: Rng, p: number): DialOutcome {
  const u = rng.next()
  const rest = (1 - p) / 0.8
  return u < p ? 'person' : u < p + 0.2 * rest ? 'machine' : u < p + 0.65 * rest ? 'no_answer' : 'failed'
}

describe('OutcomeEstimator', () => {
  it('converges from its prior to the campaign share', () => {
    const e = new OutcomeEstimator()
    const rng = new Rng(1)
    for (let i = 0; i < 3000; i++) e.observe(draw(rng, 0.12))
    expect(e.share('person')).toBeGreaterThan(0.1)
    expect(e.share('person')).toBeLessThan(0.14)
  })

  it('detects an answer-rate shift within a few hundred dials', () => {
    const e = new OutcomeEstimator()
    const rng = new Rng(2)
    for (let i = 0; i < 5000; i++) e.observe(draw(rng, 0.2))
    expect(e.shifts).toBe(0)
    let detectedAt = -1
    for (let i = 0; i < 2000; i++) {
      if (e.observe(draw(rng, 0.3)) && detectedAt < 0) detectedAt = i
    }
    expect(detectedAt).toBeGreaterThan(0)
    expect(detectedAt).toBeLessThan(700)
    expect(e.share('person')).toBeGreaterThan(0.26)
    // a slow estimator alone (half-life 2000 dials) would still be near 0.2 + 0.1 x (1 - 2^-(700/2000)) ~ 0.22
  })

  it('does not declare shifts on a stationary campaign', () => {
    const e = new OutcomeEstimator()
    const rng = new Rng(3)
    for (let i = 0; i < 20000; i++) e.observe(draw(rng, 0.2))
    // a false alarm only restarts the slow estimate from the fast one; it must stay rare
    expect(e.shifts).toBeLessThanOrEqual(1)
    expect(e.share('person')).toBeGreaterThan(0.17)
    expect(e.share('person')).toBeLessThan(0.23)
  })
})

describe('DurationHistogram', () => {
  it('learns a distribution different from its prior and forgets old data', () => {
    const h = new DurationHistogram(600, 1, { mean: 150, cv: 1, weight: 20 }, 500)
    const rng = new Rng(4)
    for (let i = 0; i < 3000; i++) h.observe(rng.exponential(60))
    expect(h.cdfAt(60)).toBeGreaterThan(0.58)
    expect(h.cdfAt(60)).toBeLessThan(0.68)
    for (let i = 0; i < 3000; i++) h.observe(rng.exponential(20))
    expect(h.cdfAt(20)).toBeGreaterThan(0.58)
    expect(h.mean()).toBeLessThan(25)
  })
})

describe('PredictivePacer adaptation', () => {
  it('learns outcome shares from launch cohorts, unbiased by quick answers resolving first', () => {
    const p = new PredictivePacer()
    const rng = new Rng(5)
    // 1 dial per 0.1 s; people answer after ~8 s, no answers after 25 s
    let t = 0
    const pending: Array<{ at: number; outcome: DialOutcome; ring: number }> = []
    for (let i = 0; i < 20000; i++) {
      t += 0.1
      const o = draw(rng, 0.12)
      const ring = o === 'person' ? 8 : o === 'machine' ? 13 : o === 'no_answer' ? 25 : 3
      pending.push({ at: t + ring, outcome: o, ring })
    }
    pending.sort((a, b) => a.at - b.at)
    for (const e of pending) p.observe({ type: 'outcome', at: e.at, outcome: e.outcome, ringSec: e.ring })
    expect(p.outcomes.share('person')).toBeGreaterThan(0.1)
    expect(p.outcomes.share('person')).toBeLessThan(0.14)
    expect(p.outcomes.shifts).toBe(0)
  })
})
