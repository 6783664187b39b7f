import { describe, expect, it } from 'vitest'
import type { AgentView, CallView, CampaignSnapshot } from '../src/index.js'
import { AdaptiveRatioPacer } from '../src/sim/index.js'

function snap(
  now: number,
  available: number,
  onCall: number,
  calls: { ringing?: number; waiting?: number } = {},
  paused = 0,
): CampaignSnapshot {
  const agents: AgentView[] = []
  for (let i = 0; i < available; i++) agents.push({ state: 'available', since: now })
  for (let i = 0; i < onCall; i++) agents.push({ state: 'on_call', since: now })
  for (let i = 0; i < paused; i++) agents.push({ state: 'paused', since: now })
  agents.push({ state: 'offline', since: 0 })
  const cs: CallView[] = []
  for (let i = 0; i < (calls.ringing ?? 0); i++) cs.push({ phase: 'ringing', since: now })
  for (let i = 0; i < (calls.waiting ?? 0); i++) cs.push({ phase: 'waiting', since: now })
  return { now, agents, calls: cs }
}

/** Runs `seconds` one-second decisions on the same snapshot shape. */
function run(p: AdaptiveRatioPacer, from: number, seconds: number, make: (t: number) => CampaignSnapshot) {
  let d = p.decide(make(from))
  for (let t = from + 1; t <= from + seconds; t++) d = p.decide(make(t))
  return d
}

describe('adaptive-ratio baseline (DIALER.md baseline 2), one test per rule', () => {
  it('rule 1: level 1 is progressive: agents on a live call are counted with their live call', () => {
    const p = new AdaptiveRatioPacer(0.03)
    // 4 available, 20 on a live call, 3 ringing: round(1 x 24) - (3 + 20) = 1 = 4 available - 3 ringing
    expect(p.decide(snap(0, 4, 20, { ringing: 3 })).launch).toBe(1)
    expect(p.decide(snap(0.2, 0, 30, { ringing: 0 })).launch).toBe(0)
  })

  it('rule 1: launch = round(level x counted) - lines in use once the level is above 1', () => {
    const p = new AdaptiveRatioPacer(0.03)
    // 10 of 10 logged-in agents available for 15 s: d = 10, T = 10 (the offline one is not logged in)
    run(p, 0, 15, (t) => snap(t, 10, 0))
    expect(p.level).toBeCloseTo(2, 10) // 1 x (1 + 10 / 10)
    const d = p.decide(snap(15.5, 6, 4, { ringing: 5 }))
    expect(d.launch).toBe(Math.round(2 * 10) - (5 + 4))
  })

  it('rules 2 and 3: samples R, T, Q every second and adjusts every 15 s by d / mean(T)', () => {
    const p = new AdaptiveRatioPacer(0.03)
    // R = 2 available, Q = 1 waiting, T = 2 + 6 on call + 2 paused = 10: level x (1 + (2 - 1) / 10)
    run(p, 0, 14, (t) => snap(t, 2, 6, { waiting: 1 }, 2))
    expect(p.level).toBe(1) // not yet 15 s
    run(p, 15, 0, (t) => snap(t, 2, 6, { waiting: 1 }, 2))
    expect(p.level).toBeCloseTo(1.1, 10)
    run(p, 16, 14, (t) => snap(t, 2, 6, { waiting: 1 }, 2))
    expect(p.level).toBeCloseTo(1.1 * 1.1, 10)
  })

  it('rule 3: the level is clamped to [1, 3]', () => {
    const up = new AdaptiveRatioPacer(0.03)
    run(up, 0, 120, (t) => snap(t, 10, 0))
    expect(up.level).toBe(3)
    const down = new AdaptiveRatioPacer(0.03)
    run(down, 0, 120, (t) => snap(t, 0, 10, { waiting: 5 }))
    expect(down.level).toBe(1)
  })

  it('rule 4: abandonment since midnight above the target after 50 dials sets the level to 1', () => {
    const p = new AdaptiveRatioPacer(0.03)
    run(p, 0, 30, (t) => snap(t, 10, 0))
    expect(p.level).toBeGreaterThan(2)
    // 40 dials, 10 live answers, 1 abandoned (10% > 3%): fewer than 50 dials, no guard
    p.observe({ type: 'dial', at: 31, count: 40 })
    for (let i = 0; i < 10; i++) p.observe({ type: 'connect', at: 31, waitSec: 0, abandoned: i === 0 })
    p.decide(snap(31, 0, 10))
    expect(p.level).toBeGreaterThan(2)
    p.observe({ type: 'dial', at: 31.5, count: 10 })
    p.decide(snap(32, 0, 10))
    expect(p.level).toBe(1)
    expect(p.guardCount.midnight).toBe(1)
  })

  it('rule 4: the count restarts at midnight', () => {
    const p = new AdaptiveRatioPacer(0.03)
    p.observe({ type: 'dial', at: 86_000, count: 60 })
    for (let i = 0; i < 10; i++) p.observe({ type: 'connect', at: 86_000, waitSec: 0, abandoned: i < 5 })
    // a new day: yesterday's 50% does not hold the level down
    run(p, 86_400, 30, (t) => snap(t, 10, 0))
    expect(p.level).toBeGreaterThan(2)
    expect(p.guardCount.midnight).toBe(0)
  })

  it('rule 5: more than half of the last minute dropped (after 20 dials) halves the level', () => {
    const p = new AdaptiveRatioPacer(0.5) // a high target so that rule 4 stays quiet
    run(p, 0, 30, (t) => snap(t, 10, 0))
    const before = p.level
    p.observe({ type: 'dial', at: 30.5, count: 20 })
    for (let i = 0; i < 20; i++) p.observe({ type: 'connect', at: 30.6, waitSec: 2, abandoned: i < 11 })
    p.decide(snap(31, 0, 10))
    expect(p.level).toBeCloseTo(Math.max(1, before / 2), 10)
    expect(p.guardCount.minute).toBe(1)
    // with 19 dials in the minute the guard does not fire
    const q = new AdaptiveRatioPacer(0.5)
    run(q, 0, 30, (t) => snap(t, 10, 0))
    const level = q.level
    q.observe({ type: 'dial', at: 30.5, count: 19 })
    for (let i = 0; i < 19; i++) q.observe({ type: 'connect', at: 30.6, waitSec: 2, abandoned: i < 15 })
    q.decide(snap(31, 0, 10))
    expect(q.level).toBe(level)
  })
})
