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

  it('spreads what is left of the budget over enough answers to carry 8 abandoned calls (small teams)', () => {
    const rule = { ...regimes.US.abandonment, limit: 0.01 }
    // a small team: 100 live answers in an hour, so 30 minutes of planning expect only 50 more
    const drop = (budgetSpreadCalls?: number) => {
      const p = new PredictivePacer({
        abandonment: rule,
        ...(budgetSpreadCalls === undefined ? {} : { budgetSpreadCalls }),
      })
      for (let i = 0; i < 100; i++) p.observe({ type: 'connect', at: i * 36, waitSec: 0, abandoned: false })
      const before = p.allowedRate(3600)
      p.observe({ type: 'connect', at: 3600, waitSec: 2, abandoned: true })
      return before - p.allowedRate(3600)
    }
    // one abandoned call takes about 1/800 off the allowed rate (8 calls at 1%): an eighth of the limit
    expect(drop()).toBeCloseTo(0.01 / 8, 4)
    // spread over the 50 answers of the planning horizon alone it took more than the whole limit
    expect(drop(0)).toBeGreaterThan(0.01)
  })

  it('rebuilds its model tables as events are observed, not in its decisions', () => {
    const p = new PredictivePacer({ rebuildRowsPerEvent: 16 })
    // enough talks to move the talk estimate: its tables need a rebuild
    for (let i = 0; i < 40; i++) p.observe({ type: 'talk', at: 100, durationSec: 30 + i })
    const published = p.rebuilds
    p.decide(snapshot(100.5, 5, 20, 5)) // records the talks in progress for the rebuild
    for (let i = 1; i <= 10; i++) p.decide(snapshot(100.5 + i / 10, 5, 20, 5))
    expect(p.rebuilds).toBe(published) // decisions did no table work
    // events advance the rebuild 16 rows at a time: (900 talk + 1,200 wrap-up rows) / 16 = 132 events
    for (let i = 0; i < 131; i++) p.observe({ type: 'dial', at: 101.6, count: 1 })
    expect(p.rebuilds).toBe(published)
    p.observe({ type: 'dial', at: 101.6, count: 1 })
    expect(p.rebuilds).toBe(published + 1)
  })

  it('advances a pending rebuild in a decision when no event has come for rebuildIdleSec', () => {
    const p = new PredictivePacer({ rebuildRowsPerEvent: 4000 })
    for (let i = 0; i < 40; i++) p.observe({ type: 'talk', at: 100, durationSec: 30 + i })
    const published = p.rebuilds
    p.decide(snapshot(100.5, 5, 20, 5))
    p.decide(snapshot(101.5, 5, 20, 5))
    expect(p.rebuilds).toBe(published)
    p.decide(snapshot(102.5, 5, 20, 5)) // 2.5 s without an event: this decision does the slice
    expect(p.rebuilds).toBeGreaterThan(published)
  })
})
