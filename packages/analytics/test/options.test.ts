import { describe, expect, it } from 'vitest'
import { leadScoring } from '../src/scoring/plugin.js'

const referral = { id: 'referral', when: { field: 'tags', op: 'eq', value: 'referral' }, points: 30 } as const

const failure = (f: () => unknown) => {
  try {
    f()
  } catch (e) {
    return e as { _tag: string; issues: { field: string; value: unknown; message: string }[] }
  }
  throw new Error('expected leadScoring to refuse its options')
}

describe('leadScoring options', () => {
  it('are refused with a ValidationFailed naming each field and value', () => {
    const e = failure(() =>
      leadScoring({
        criteria: [
          referral,
          { id: 'self', when: { field: 'lead-score.points', op: 'gt', value: 10 }, points: 5 },
        ],
        caps: { nothing: 10 },
        value: { attribute: '' },
      }),
    )
    expect(e._tag).toBe('ValidationFailed')
    const fields = e.issues.map((i) => i.field)
    expect(fields).toEqual(expect.arrayContaining(['value.attribute', 'caps.nothing']))
    expect(e.issues.find((i) => i.field === 'value.attribute')?.value).toBe('')
    expect(e.issues.find((i) => i.message === 'a criterion cannot use the score itself')).toMatchObject({
      value: { field: 'lead-score.points', op: 'gt', value: 10 },
      message: 'a criterion cannot use the score itself',
    })
  })
  it('refuse a criterion whose filter is not in the segment language', () => {
    const e = failure(() =>
      leadScoring({
        criteria: [{ id: 'x', when: { field: 'lifecycle', op: 'eq', value: 'customr' }, points: 1 }],
      }),
    )
    expect(e.issues.some((i) => i.field === 'criteria[0].when.value' && /customr/.test(i.message))).toBe(true)
  })
  it('a valid configuration declares its table, segment fields and rule action', () => {
    const p = leadScoring({ criteria: [referral], features: { attributes: ['income'] } })
    expect(p.id).toBe('lead-score')
    expect(p.segmentFields.map((f) => f.name)).toEqual([
      'lead-score.points',
      'lead-score.probability',
      'lead-score.value',
      'lead-score.expectedValue',
    ])
    expect(p.migrations[0]!.createTables!.map((t) => t.name)).toEqual([
      'lead_score_scores',
      'lead_score_models',
    ])
    expect(Object.keys(p.ruleActions)).toEqual(['lead-score.recompute'])
    expect(p.features[0]).toBe('attributes.income')
  })
})
