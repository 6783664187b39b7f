import { describe, expect, it } from 'vitest'
import { type AgentLoad, pickAgent } from '../src/desk/pick-agent.js'
import { orderQueue, scoreWorkItem, type WorkItem } from '../src/desk/queue.js'

let seed = 11
const rand = (n: number) => {
  seed = (seed * 1103515245 + 12345) % 2 ** 31
  return Math.floor((seed / 2 ** 31) * n)
}

// The spec, written out again: the parts and their weights, then every tie-break.
const W = { value: 1, openCases: 0.5, repeats: 1, sla: 3, workload: -0.25, horizon: 3_600 }
const referenceScore = (i: WorkItem) =>
  W.value * Math.log10(1 + i.customerValue) +
  W.openCases * i.openCases +
  W.repeats * i.repeatContacts +
  W.sla * (i.slaLeftSec === undefined ? 0 : Math.min(2, Math.max(0, 1 - i.slaLeftSec / W.horizon))) +
  W.workload * i.ownerLoad
const goesBefore = (a: WorkItem, b: WorkItem) => {
  const d = referenceScore(a) - referenceScore(b)
  if (Math.abs(d) > 1e-9) return d > 0
  if (a.enqueuedAt.getTime() !== b.enqueuedAt.getTime()) return a.enqueuedAt < b.enqueuedAt
  return a.id < b.id
}
function* permutations<T>(xs: T[]): Generator<T[]> {
  if (xs.length <= 1) yield xs
  else
    for (let i = 0; i < xs.length; i++)
      for (const p of permutations([...xs.slice(0, i), ...xs.slice(i + 1)])) yield [xs[i]!, ...p]
}
const randomItem = (n: number): WorkItem => ({
  id: `cs_${n}`,
  kind: 'case',
  // Few distinct values so that scores and arrival times tie often.
  enqueuedAt: new Date(Date.UTC(2026, 2, 9, 9, rand(3))),
  customerValue: [0, 9, 99, 999][rand(4)]!,
  openCases: rand(3),
  repeatContacts: rand(3),
  ...(rand(3) ? { slaLeftSec: [-3_600, 0, 1_800, 3_600, 7_200][rand(5)]! } : {}),
  ownerLoad: rand(3) * 2,
  skills: [],
})

describe('queue ordering', () => {
  it('matches a brute-force reference over every permutation', () => {
    for (let trial = 0; trial < 60; trial++) {
      const items = Array.from({ length: 6 }, (_, i) => randomItem(i))
      // The one permutation in which no item should go before an earlier one.
      const valid = [...permutations(items)].filter((p) =>
        p.every((a, i) => p.slice(i + 1).every((b) => !goesBefore(b, a))),
      )
      expect(valid).toHaveLength(1)
      expect(orderQueue([...items].reverse()).map((s) => s.item.id)).toEqual(valid[0]!.map((i) => i.id))
    }
  })

  it('explains the score: its parts add up to it', () => {
    const s = scoreWorkItem({
      id: 'cs_1',
      kind: 'case',
      enqueuedAt: new Date(),
      customerValue: 999,
      openCases: 2,
      repeatContacts: 3,
      slaLeftSec: 1_800,
      ownerLoad: 0,
      skills: [],
    })
    expect(s.parts).toEqual({ value: 3, openCases: 1, repeats: 3, sla: 1.5, workload: 0 })
    expect(s.score).toBe(8.5)
    expect(s.explanation).toBe(
      'score 8.5: value 3 (999), repeats 3 (3 in 7 days), sla 1.5 (1800s left), open cases 1 (2)',
    )
  })

  it('takes the weights it is given', () => {
    const a = {
      ...randomItem(1),
      customerValue: 9_999,
      slaLeftSec: 3_600,
      repeatContacts: 0,
      openCases: 0,
      ownerLoad: 0,
    }
    const b = {
      ...randomItem(2),
      customerValue: 0,
      slaLeftSec: 0,
      repeatContacts: 0,
      openCases: 0,
      ownerLoad: 0,
    }
    expect(orderQueue([a, b]).map((s) => s.item.id)).toEqual(['cs_1', 'cs_2']) // value 4 beats urgency 3
    expect(orderQueue([a, b], { sla: 10 }).map((s) => s.item.id)).toEqual(['cs_2', 'cs_1'])
    expect(() => orderQueue([a], { sla: Number.NaN })).toThrow(/sla = /)
  })
})

describe('agent pick', () => {
  const agent = (
    id: string,
    skills: Record<string, number>,
    load: number,
    extra: Partial<AgentLoad> = {},
  ): AgentLoad => ({
    id,
    skills,
    available: true,
    load,
    capacity: 4,
    ...extra,
  })

  it('takes the least loaded agent with every skill, then the most skilled', () => {
    const agents = [
      agent('ag_1', { billing: 3, es: 5 }, 1),
      agent('ag_2', { billing: 5 }, 0),
      agent('ag_3', { billing: 2, es: 2 }, 0),
      agent('ag_4', { billing: 9, es: 9 }, 0, { available: false }),
      agent('ag_5', { billing: 5, es: 5 }, 4),
    ]
    expect(pickAgent({ skills: ['billing', 'es'] }, agents)).toEqual({
      agentId: 'ag_3',
      why: 'has billing 2, es 2; holds 0 of 4',
    })
    expect(pickAgent({ skills: ['billing'] }, agents).agentId).toBe('ag_2')
    expect(pickAgent({ skills: ['fr'] }, agents)).toEqual({ why: 'no agent has the skills fr' })
    expect(pickAgent({ skills: ['billing', 'es'] }, [agents[3]!, agents[4]!]).why).toMatch(
      /away or at capacity/,
    )
  })
})
