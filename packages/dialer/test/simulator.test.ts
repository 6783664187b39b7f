import { hours, regimes } from '@switchboard/core/domain'
import { describe, expect, it } from 'vitest'
import {
  type CampaignSnapshot,
  type Pacer,
  type PacingEvent,
  PredictivePacer,
  ProgressivePacer,
} from '../src/index.js'
import {
  LeadFates,
  markovVersion,
  progressiveClosedForm,
  SCENARIO_M,
  SCENARIO_S,
  simulate,
  solveCmdp,
} from '../src/sim/index.js'

describe('simulator', () => {
  it('matches the closed form for progressive within 1 point (lognormal and Markov)', () => {
    for (const sc of [SCENARIO_S, markovVersion(SCENARIO_S)]) {
      let sum = 0
      const reps = 4
      for (let rep = 0; rep < reps; rep++)
        sum += simulate(sc, new ProgressivePacer(), { seed: 7, rep, decisionInterval: 0 }).handleOccupancy
      expect(Math.abs(sum / reps - progressiveClosedForm(sc))).toBeLessThan(0.01)
    }
  })

  it('is reproducible for a seed and differs across seeds', () => {
    const sc = { ...SCENARIO_S, durationSec: hours(2) }
    const a = simulate(sc, new PredictivePacer(), { seed: 11, rep: 0 })
    const b = simulate(sc, new PredictivePacer(), { seed: 11, rep: 0 })
    const c = simulate(sc, new PredictivePacer(), { seed: 12, rep: 0 })
    expect(b).toEqual(a)
    expect(c.dials).not.toBe(a.dials)
  })

  it('gives every dialer the same lead fates (common random numbers)', () => {
    const sc = { ...SCENARIO_S, durationSec: hours(1) }
    const fates = new LeadFates(sc, 3, 0)
    simulate(sc, new ProgressivePacer(), { fates })
    const snapshot = Array.from(fates.u0.subarray(0, 100))
    simulate(sc, new PredictivePacer(), { fates })
    expect(Array.from(fates.u0.subarray(0, 100))).toEqual(snapshot)
    const fresh = new LeadFates(sc, 3, 0)
    fresh.ensure(100)
    expect(Array.from(fresh.u0.subarray(0, 100))).toEqual(snapshot)
  })

  it('reports calibration rows that account for every live answer of a model-based pacer, and hourly series', () => {
    const sc = { ...SCENARIO_M, durationSec: hours(2) }
    const r = simulate(sc, new PredictivePacer(), { seed: 3, timeDecisions: true })
    const rows = r.calibration
    expect(rows.reduce((a, c) => a + c.live, 0)).toBe(r.connects + r.abandoned)
    expect(rows.reduce((a, c) => a + c.abandoned, 0)).toBe(r.abandoned)
    expect(r.series).toHaveLength(2)
    expect(r.series.reduce((a, h) => a + h.live, 0)).toBe(r.live)
    const occ = (r.series[0]!.handleOccupancy + r.series[1]!.handleOccupancy) / 2
    expect(occ).toBeCloseTo(r.handleOccupancy, 2)
    expect(r.decisionMicros?.count).toBe(r.decisions)
    expect(r.usWorstHourAt).toBeGreaterThanOrEqual(0)
  })

  it('never abandons with progressive and counts machine false positives under UK only', () => {
    const r = simulate(SCENARIO_S, new ProgressivePacer(), { seed: 1 })
    expect(r.abandoned).toBe(0)
    expect(r.usRate).toBe(0)
    expect(r.falsePositives).toBeGreaterThan(0)
    expect(r.ukRate).toBeCloseTo(r.falsePositives / (r.live + r.falsePositives), 10)
  })

  it('predictive beats progressive and keeps abandonment under the target', () => {
    const sc = { ...SCENARIO_M, durationSec: hours(4) }
    const abandonment = { ...regimes.US.abandonment, limit: 0.03 }
    const prog = simulate(sc, new ProgressivePacer(), { seed: 5 })
    const pred = simulate(sc, new PredictivePacer({ abandonment }), { seed: 5 })
    expect(pred.handleOccupancy).toBeGreaterThan(prog.handleOccupancy + 0.15)
    expect(pred.usRate).toBeLessThanOrEqual(0.03)
  })
})

describe('what the simulator tells a pacer', () => {
  /** Progressive, recording what it is shown. */
  class Spy implements Pacer {
    readonly name = 'spy'
    readonly mode = 'progressive'
    private readonly inner = new ProgressivePacer()
    keys = new Set<string>()
    launches = new Set<number>()
    outcomes: Extract<PacingEvent, { type: 'outcome' }>[] = []
    decide(s: CampaignSnapshot) {
      for (const c of s.calls) for (const k of Object.keys(c)) this.keys.add(k)
      return this.inner.decide(s)
    }
    observe(e: PacingEvent): void {
      if (e.type === 'dial') this.launches.add(e.at)
      if (e.type === 'outcome') this.outcomes.push(e)
    }
  }

  it('shows calls as views with only their phase and since when (no pre-drawn fate to peek at)', () => {
    const spy = new Spy()
    simulate({ ...SCENARIO_S, durationSec: hours(1) }, spy, { seed: 2 })
    expect([...spy.keys].sort()).toEqual(['phase', 'since'])
  })

  it('files every outcome at its launch: machines are reported detectSec after the answer', () => {
    const spy = new Spy()
    simulate({ ...SCENARIO_S, durationSec: hours(1) }, spy, { seed: 2 })
    const machines = spy.outcomes.filter((o) => o.outcome === 'machine')
    expect(machines.length).toBeGreaterThan(50)
    for (const o of machines) expect(o.detectSec).toBeCloseTo(SCENARIO_S.detectSec, 9)
    for (const o of spy.outcomes) {
      const launchedAt = o.at - o.ringSec - (o.detectSec ?? 0)
      expect(
        spy.launches.has(launchedAt) || [...spy.launches].some((t) => Math.abs(t - launchedAt) < 1e-9),
      ).toBe(true)
    }
  })
})

describe('CMDP limit', () => {
  it('bounds progressive from above, binds the target and converges', () => {
    const sc = markovVersion(SCENARIO_S)
    const r3 = solveCmdp(sc, 0.03)
    const r1 = solveCmdp(sc, 0.01)
    expect(r3.occupancy).toBeGreaterThan(progressiveClosedForm(sc))
    expect(r3.occupancy).toBeLessThan(1)
    expect(r1.occupancy).toBeLessThan(r3.occupancy)
    expect(r3.occupancy - r3.occupancyLower).toBeLessThan(1e-3)
  })
})
