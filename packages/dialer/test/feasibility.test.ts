import { regimes } from '@switchboard/core/domain'
import { describe, expect, it } from 'vitest'
import {
  assessDetector,
  checkAbandonmentTarget,
  DETECTION_OFF,
  STANDARD_DETECTOR,
  STRICT_DETECTOR,
} from '../src/index.js'
import { progressiveClosedForm, SCENARIO_M, scenarioDetector, scenarioProfile } from '../src/sim/index.js'

const profile = scenarioProfile(SCENARIO_M)
const uk = (limit: number) => ({ ...regimes.UK.abandonment, limit })
const us = (limit: number) => ({ ...regimes.US.abandonment, limit })

describe('checkAbandonmentTarget (before the campaign starts)', () => {
  it('under the UK formula, 3% false positives alone reach a 3% limit: not feasible, even progressive', () => {
    const r = checkAbandonmentTarget(uk(0.03), STANDARD_DETECTOR, profile)
    expect(r.configured.floorRate).toBeCloseTo(0.03, 10)
    expect(r.configured.feasible).toBe(false)
    expect(r.message).toMatch(/cannot be met/)
    expect(r.alternatives.map((a) => a.detector.name).sort()).toEqual(['detection off', 'strict detector'])
    for (const a of r.alternatives)
      expect(a.expectedOccupancy).toBeGreaterThan(r.configured.progressiveOccupancy)
  })

  it('the US formula ignores false positives: the whole limit is budget', () => {
    const r = checkAbandonmentTarget(us(0.01), STANDARD_DETECTOR, profile)
    expect(r.configured.feasible).toBe(true)
    expect(r.configured.floorRate).toBe(0)
    expect(r.configured.abandonBudget).toBeCloseTo(0.01, 12)
  })

  it('the budget of a UK campaign is the limit less what false positives use', () => {
    const a = assessDetector(uk(0.03), profile, STRICT_DETECTOR)
    const phi = 0.005 / 0.995
    expect(a.abandonBudget).toBeCloseTo(0.03 * (1 + phi) - phi, 12)
    // at the budget the UK rate is exactly the limit
    const live = 1000
    const fp = phi * live
    expect((a.abandonBudget * live + fp) / (live + fp)).toBeCloseTo(0.03, 12)
    expect(assessDetector(uk(0.01), profile, DETECTION_OFF).abandonBudget).toBeCloseTo(0.01, 12)
  })

  it("progressive occupancy is the simulator's closed form", () => {
    const a = assessDetector(uk(0.03), profile, scenarioDetector(SCENARIO_M))
    expect(a.progressiveOccupancy).toBeCloseTo(progressiveClosedForm(SCENARIO_M), 12)
  })
})
