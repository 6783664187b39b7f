import { explainTree } from '@switchboard/core'
import { describe, expect, it } from 'vitest'
import { criteriaFilter, ScoringRules, weightedScore } from '../src/scoring/criteria.js'

const rules = ScoringRules.parse({
  criteria: [
    {
      id: 'referral',
      label: 'Came by referral',
      when: { field: 'tags', op: 'eq', value: 'referral' },
      points: 30,
    },
    {
      id: 'two-calls',
      when: { field: 'interactions.count', op: 'gte', value: 2 },
      points: 20,
      group: 'activity',
    },
    {
      id: 'inbound',
      when: { field: 'interactions.count', op: 'gte', value: 1, direction: 'inbound' },
      points: 25,
      group: 'activity',
    },
    {
      id: 'no-interest',
      when: {
        or: [
          { field: 'interactions.lastDisposition', op: 'eq', value: 'NO_INTEREST' },
          { field: 'doNotCall', op: 'eq', value: true },
        ],
      },
      points: -40,
    },
  ],
  caps: { activity: 30 },
  max: 55,
  min: -20,
})

// The leaves of the criteria filter, depth-first: referral, two-calls, inbound, lastDisposition, doNotCall.
const score = (leaves: boolean[]) => weightedScore(rules, explainTree(criteriaFilter(rules), leaves))

describe('weightedScore', () => {
  it('adds the points of the criteria that hold, and says which gave how much', () => {
    const s = score([true, true, false, false, false])
    expect(s.points).toBe(50)
    expect(s.criteria.map((c) => [c.id, c.matched, c.points])).toEqual([
      ['referral', true, 30],
      ['two-calls', true, 20],
      ['inbound', false, 0],
      ['no-interest', false, 0],
    ])
    expect(s.criteria[0]!.label).toBe('Came by referral')
    expect(s.clampedFrom).toBeUndefined()
  })
  it("caps a group's positive points, in the criteria's order, naming the cap", () => {
    const s = score([false, true, true, false, false])
    expect(s.criteria[1]!.points).toBe(20)
    expect(s.criteria[2]).toMatchObject({ points: 10, cappedBy: 'activity', matched: true })
    expect(s.points).toBe(30)
  })
  it('clamps the total to min and max, keeping the sum it clamped', () => {
    expect(score([true, true, true, false, false])).toMatchObject({ points: 55, clampedFrom: 60 })
    const low = score([false, false, false, false, true])
    expect(low).toMatchObject({ points: -20, clampedFrom: -40 })
    // A composite criterion is explained node by node.
    expect(low.criteria[3]!.why).toMatchObject({ kind: 'or', matched: true })
  })
  it('refuses duplicate ids, caps of unknown groups and min above max', () => {
    const r = ScoringRules.safeParse({
      criteria: [
        { id: 'a', when: { field: 'tags', op: 'eq', value: 'x' }, points: 1 },
        { id: 'a', when: { field: 'tags', op: 'eq', value: 'y' }, points: 1 },
      ],
      caps: { nothing: 3 },
      min: 5,
      max: 1,
    })
    expect(r.success).toBe(false)
    expect(r.error!.issues.map((i) => i.path.join('.')).sort()).toEqual([
      'caps.nothing',
      'criteria.1.id',
      'min',
    ])
  })
})
