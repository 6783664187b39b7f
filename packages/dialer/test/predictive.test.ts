import { regimes } from '@switchboard/core/domain'
import { describe, expect, it } from 'vitest'
import { type AgentView, type CallView, PredictivePacer } from '../src/index.js'

function snapshot(now: number, available: number, talking: number, ringing: number) {
  const agents: AgentView[] = []
  for (let i = 0; i < available; i++) agents.push({ state: 'available', since: now - 1 })
  for (let i = 0; i < talking; i++) agents.push({ state: 'on_call', since: now - (i % 200) })
  const calls: CallView[] = []
  for (let i = 0; i < ringing; i++) calls.push({ phase: 'ringing', since: now - (i % 20) })
  return { now, agents, calls }
}

describe('PredictivePacer', () => {
  it('explains its decision with the figures behind it', () => {
    const p = new PredictivePacer()
    const d = p.decide(snapshot(0, 10, 0, 0))
    expect(d.launch).toBeGreaterThanOrEqual(10)
    expect(d.figures.availableAgents).toBe(10)
    expect(d.figures.abandonmentTarget).toBe(0.03)
    expect(typeof d.reason).toBe('string')
    expect(d.reason.length).toBeGreaterThan(5)
  })

  it('falls back to progressive once the abandonment budget of the window is spent', () => {
    const p = new PredictivePacer({ abandonment: { ...regimes.US.abandonment, limit: 0.03 } })
    for (let i = 0; i < 200; i++) p.observe({ type: 'connect', at: i, waitSec: 0, abandoned: i % 3 === 0 })
    expect(p.allowedRate(300)).toBe(0)
    const d = p.decide(snapshot(300, 4, 40, 1))
    expect(d.launch).toBe(3) // one call per idle agent without a call on its way, nothing more
    expect(d.reason).toContain('budget')
  })

  it('has more budget when the window has slack, less under the UK formula', () => {
    const us = new PredictivePacer({ abandonment: { ...regimes.US.abandonment, limit: 0.03 } })
    const uk = new PredictivePacer({ abandonment: { ...regimes.UK.abandonment, limit: 0.03 } })
    for (let i = 0; i < 2000; i++) {
      us.observe({ type: 'connect', at: i, waitSec: 0, abandoned: false })
      uk.observe({ type: 'connect', at: i, waitSec: 0, abandoned: false })
    }
    expect(us.allowedRate(2001)).toBeGreaterThan(0.03)
    // the UK formula counts the estimated 3% machine-detection false positives as abandoned: no room left
    expect(uk.allowedRate(2001)).toBeLessThan(0.001)
  })

  it('launches more when more agents are about to free up', () => {
    const p = new PredictivePacer({ warmupDials: 0, warmupTalks: 0 })
    const base = snapshot(1000, 0, 100, 0)
    const few = p.decide(base).launch
    // the same floor plus 30 agents 14 s into a wrap-up that lasts about 15 s
    const wrapping = {
      ...base,
      agents: [
        ...base.agents,
        ...Array.from({ length: 30 }, () => ({ state: 'wrap_up' as const, since: 986 })),
      ],
    }
    const many = p.decide(wrapping).launch
    expect(many).toBeGreaterThan(few + 10)
  })

  it('gives the predicted risk of every call it launches, nondecreasing in launch order', () => {
    const p = new PredictivePacer({ warmupDials: 0, warmupTalks: 0 })
    const d = p.decide(snapshot(1000, 20, 80, 10))
    expect(d.launch).toBeGreaterThan(10)
    const r = Array.from(d.risks ?? [])
    expect(r).toHaveLength(d.launch)
    for (let i = 1; i < r.length; i++) expect(r[i]!).toBeGreaterThanOrEqual(r[i - 1]! - 1e-12)
    expect(r.at(-1)).toBeCloseTo(d.figures.marginalAbandonRisk!, 12)
  })

  it('calibrates its risks by the abandoned calls that happened against those it predicted', () => {
    const p = new PredictivePacer({ warmupDials: 0, warmupTalks: 0, calibrationPrior: 1 })
    expect(p.calibration).toBe(1)
    p.decide(snapshot(1000, 20, 80, 10)) // predicts some abandoned calls
    expect(p.calibration).toBeLessThan(1) // none happened yet
    for (let i = 0; i < 20; i++) p.observe({ type: 'connect', at: 1001, waitSec: 2, abandoned: true })
    expect(p.calibration).toBeGreaterThan(1)
    expect(new PredictivePacer({ calibrate: false }).calibration).toBe(1)
  })
})
