import { describe, expect, it } from 'vitest'
import { isSwitchboardError } from '../src/domain/index.js'
import { CallScript, replayRun } from '../src/scripts/index.js'
import { contactOf } from './contact-fixture.js'

const ana = contactOf({ firstName: 'Ana', lifecycle: 'customer' })

// Customers are asked for their plan; anyone who says no ends at `later`.
const script = CallScript.parse({
  id: 'plan',
  name: 'Plan',
  version: 2,
  start: 'hello',
  nodes: [
    {
      id: 'hello',
      kind: 'question',
      prompt: 'A minute?',
      answer: { type: 'yes_no' },
      branches: [{ when: { answer: 'hello', op: 'eq', value: false }, next: 'later' }],
      next: 'plan',
    },
    {
      id: 'plan',
      kind: 'question',
      prompt: 'Which plan?',
      answer: {
        type: 'choice',
        options: [
          { value: 'basic', label: 'Basic' },
          { value: 'gold', label: 'Gold' },
          { value: 'family', label: 'Family' },
        ],
      },
      next: 'sold',
    },
    { id: 'sold', kind: 'end', outcome: { setFields: { 'attributes.plan': 'plan' }, disposition: 'SALE' } },
    { id: 'later', kind: 'end', outcome: { disposition: 'CALLBACK' } },
  ],
})

const caught = (f: () => unknown) => {
  try {
    f()
  } catch (e) {
    return e
  }
  throw new Error('expected a throw')
}

describe('replayRun', () => {
  it('walks the answers along the path to the outcome', () => {
    const run = replayRun(script, ana, ['hello', 'plan', 'sold'], { hello: true, plan: 'gold' })
    expect(run.status).toBe('done')
    expect(run.outcome).toEqual({
      endNode: 'sold',
      setFields: { 'attributes.plan': 'gold' },
      disposition: 'SALE',
    })
  })
  it('takes a run recorded part way, stopped at the question it was on', () => {
    const run = replayRun(script, ana, ['hello', 'plan'], { hello: true })
    expect(run.status).toBe('asking')
    expect(run.node.id).toBe('plan')
  })
  it('refuses a path the answers do not lead along, naming the step', () => {
    const e = caught(() => replayRun(script, ana, ['hello', 'plan', 'sold'], { hello: false, plan: 'gold' }))
    expect(isSwitchboardError(e, 'ValidationFailed') && e.issues).toEqual([
      { field: 'path[1]', value: 'plan', message: 'the answers lead from hello to later' },
    ])
    const start = caught(() => replayRun(script, ana, ['plan'], {}))
    expect(start).toMatchObject({ issues: [{ field: 'path[0]', value: 'plan' }] })
    const past = caught(() => replayRun(script, ana, ['hello', 'later', 'sold'], { hello: false }))
    expect(past).toMatchObject({ issues: [{ field: 'path[2]', message: 'the run ended at later' }] })
  })
  it('refuses a missing answer and one for a question not on the path', () => {
    expect(caught(() => replayRun(script, ana, ['hello', 'plan'], {}))).toMatchObject({
      issues: [{ field: 'answers.hello', value: undefined }],
    })
    expect(
      caught(() => replayRun(script, ana, ['hello', 'later'], { hello: false, plan: 'gold' })),
    ).toMatchObject({
      issues: [{ field: 'answers.plan', value: 'gold' }],
    })
  })
  it('refuses an answer the question does not take with ScriptAnswerRefused, a SwitchboardError', () => {
    const e = caught(() => replayRun(script, ana, ['hello', 'plan', 'sold'], { hello: true, plan: 'bronze' }))
    expect(isSwitchboardError(e, 'ScriptAnswerRefused')).toBe(true)
    expect(e).toMatchObject({ reason: 'unknown_option', nodeId: 'plan', value: 'bronze', retryable: false })
  })
})
