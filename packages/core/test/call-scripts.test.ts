import { describe, expect, it } from 'vitest'
import type { Contact } from '../src/domain/index.js'
import { isSwitchboardError } from '../src/domain/index.js'
import {
  answer,
  assertValidScript,
  CallScript,
  type CallScriptInput,
  evaluateCondition,
  renderPrompt,
  type ScriptProblemKind,
  scriptRunRecord,
  startRun,
  validateScript,
} from '../src/scripts/index.js'
import { contactOf } from './contact-fixture.js'

const ana = contactOf({
  firstName: 'Ana',
  phones: ['+34612345678'],
  lifecycle: 'customer',
  tags: ['vip'],
  attributes: { plan: 'silver' },
})
const leo = contactOf({ firstName: 'Leo', phones: ['+34699000111'], lifecycle: 'lead' })

/** Renewal: customers are asked about their plan, leads are asked for interest first. */
const renewal: CallScriptInput = {
  id: 'renewal',
  name: 'Renewal',
  version: 3,
  start: 'hello',
  nodes: [
    {
      id: 'hello',
      kind: 'question',
      prompt: 'Hello {{contact.firstName}}, do you have a minute?',
      answer: { type: 'yes_no' },
      branches: [
        { when: { answer: 'hello', op: 'eq', value: false }, next: 'later' },
        { when: { contact: 'lifecycle', op: 'eq', value: 'customer' }, next: 'plan' },
      ],
      next: 'interest',
    },
    {
      id: 'interest',
      kind: 'question',
      prompt: 'Would you like an offer?',
      answer: { type: 'yes_no' },
      branches: [{ when: { answer: 'interest', op: 'eq', value: true }, next: 'plan' }],
      next: 'later',
    },
    {
      id: 'plan',
      kind: 'question',
      prompt: 'Your plan is {{contact.attributes.plan}}. Which plan now?',
      answer: {
        type: 'choice',
        options: [
          { value: 'silver', label: 'Silver' },
          { value: 'gold', label: 'Gold' },
        ],
      },
      branches: [
        { when: { answer: 'plan', op: 'eq', value: 'gold' }, next: 'seats' },
        { when: { answer: 'plan', op: 'eq', value: 'silver' }, next: 'sold' },
      ],
    },
    {
      id: 'seats',
      kind: 'question',
      prompt: 'Gold it is. How many seats?',
      answer: { type: 'number', min: 1, max: 500, integer: true },
      next: 'sold',
    },
    {
      id: 'sold',
      kind: 'end',
      prompt: 'Thank you {{contact.firstName}}, {{answers.plan}} booked.',
      outcome: { setFields: { 'attributes.plan': 'plan', 'attributes.seats': 'seats' }, disposition: 'SALE' },
    },
    { id: 'later', kind: 'end', prompt: 'I will call another time.', outcome: { disposition: 'CALLBACK' } },
  ],
}

const script = CallScript.parse(renewal)
const kinds = (s: CallScriptInput) => validateScript(CallScript.parse(s)).map((p) => [p.nodeId, p.kind])
const node = (over: Record<string, unknown>) => ({
  kind: 'question',
  prompt: 'Q?',
  answer: { type: 'yes_no' },
  ...over,
})
const endNode = (id: string, over: Record<string, unknown> = {}) => ({ id, kind: 'end', ...over })
const mini = (nodes: unknown[], start = 'a'): CallScriptInput =>
  ({ id: 'mini', name: 'Mini', version: 1, start, nodes }) as CallScriptInput

describe('validateScript', () => {
  it('finds nothing wrong in a sound script', () => {
    expect(validateScript(script)).toEqual([])
  })
  it.each<[string, unknown[], string, ScriptProblemKind, string?]>([
    ['an unknown next', [node({ id: 'a', next: 'zz' })], 'a', 'unknown_node'],
    ['an unknown start', [endNode('a')], 'b', 'unknown_node', 'b'],
    [
      'an unreachable node',
      [node({ id: 'a', next: 'e' }), endNode('e'), endNode('lost')],
      'lost',
      'unreachable',
    ],
    [
      'a dead end',
      [
        node({ id: 'a', branches: [{ when: { answer: 'a', op: 'eq', value: true }, next: 'e' }] }),
        endNode('e'),
      ],
      'a',
      'dead_end',
    ],
    [
      'a loop with no end',
      [node({ id: 'a', next: 'b' }), node({ id: 'b', next: 'a' }), endNode('e')],
      'a',
      'no_way_to_end',
    ],
    [
      'a choice branch on an option that does not exist',
      [
        node({
          id: 'a',
          answer: {
            type: 'choice',
            options: [
              { value: 'x', label: 'X' },
              { value: 'y', label: 'Y' },
            ],
          },
          branches: [{ when: { answer: 'a', op: 'in', values: ['x', 'w'] }, next: 'e' }],
          next: 'e',
        }),
        endNode('e'),
      ],
      'a',
      'unknown_option',
    ],
    [
      'a yes/no branch compared with text',
      [
        node({
          id: 'a',
          branches: [{ when: { answer: 'a', op: 'eq', value: 'yes' }, next: 'e' }],
          next: 'e',
        }),
        endNode('e'),
      ],
      'a',
      'wrong_value_type',
    ],
    [
      'a template naming an unknown answer',
      [node({ id: 'a', prompt: 'Was {{answers.q9}} right?', next: 'e' }), endNode('e')],
      'a',
      'unknown_answer',
    ],
    [
      'a template naming an answer not yet given',
      [node({ id: 'a', prompt: 'So {{ answers.a }}?', next: 'e' }), endNode('e')],
      'a',
      'answer_maybe_unset',
    ],
    [
      'a template naming something else',
      [node({ id: 'a', prompt: 'Hi {{agent.name}}', next: 'e' }), endNode('e')],
      'a',
      'bad_template',
    ],
    [
      'a template naming no contact field',
      [node({ id: 'a', prompt: 'Hi {{contact.nickname}}', next: 'e' }), endNode('e')],
      'a',
      'bad_template',
    ],
    [
      'a branch on no contact field',
      [
        node({ id: 'a', branches: [{ when: { contact: 'shoeSize', op: 'exists' }, next: 'e' }], next: 'e' }),
        endNode('e'),
      ],
      'a',
      'unknown_field',
    ],
    [
      'an outcome setting a name from a yes/no',
      [node({ id: 'a', next: 'e' }), endNode('e', { outcome: { setFields: { firstName: 'a' } } })],
      'e',
      'bad_field',
    ],
    ['duplicate ids', [node({ id: 'a', next: 'e' }), endNode('e'), endNode('e')], 'e', 'duplicate_node'],
  ])('finds %s', (_, nodes, nodeId, kind, start) => {
    expect(kinds(mini(nodes, start))).toContainEqual([nodeId, kind])
  })
  it('flags an answer that is given on one path only, and not one given on all', () => {
    const s = mini([
      node({ id: 'a', branches: [{ when: { answer: 'a', op: 'eq', value: true }, next: 'b' }], next: 'c' }),
      node({ id: 'b', next: 'c' }),
      node({ id: 'c', prompt: '{{answers.a}} and {{answers.b}}?', next: 'e' }),
      endNode('e'),
    ])
    const problems = validateScript(CallScript.parse(s))
    expect(problems.map((p) => [p.nodeId, p.kind, p.value])).toEqual([
      ['c', 'answer_maybe_unset', 'answers.b'],
    ])
  })
  it('takes branches covering every option as a way forward without a default next', () => {
    const s = mini([
      node({
        id: 'a',
        branches: [
          { when: { answer: 'a', op: 'eq', value: true }, next: 'e' },
          { when: { answer: 'a', op: 'eq', value: false }, next: 'e' },
        ],
      }),
      endNode('e'),
    ])
    expect(kinds(s)).toEqual([])
  })
  it('assertValidScript throws ValidationFailed naming the node, and schema errors too', () => {
    const bad = mini([node({ id: 'a', next: 'e' }), endNode('e'), endNode('lost')])
    let caught: unknown
    try {
      assertValidScript(bad)
    } catch (e) {
      caught = e
    }
    expect(isSwitchboardError(caught, 'ValidationFailed')).toBe(true)
    expect((caught as { issues: unknown[] }).issues).toEqual([
      { field: 'nodes.lost.id', value: 'lost', message: expect.stringContaining('no path from the start') },
    ])
    expect(() => assertValidScript({ ...renewal, nodez: [] })).toThrow(
      /nodez.*unknown key; did you mean "nodes"/,
    )
    expect(assertValidScript(renewal).version).toBe(3)
  })
})

describe('evaluateCondition', () => {
  const rich = { ...ana, openBalance: { amountMinor: 12_000, currency: 'EUR' } } as Contact
  it.each<[string, Parameters<typeof evaluateCondition>[0], boolean]>([
    ['a tag held', { contact: 'tags', op: 'eq', value: 'vip' }, true],
    ['a tag not held', { contact: 'tags', op: 'in', values: ['churned', 'trial'] }, false],
    ['an attribute', { contact: 'attributes.plan', op: 'in', values: ['silver', 'gold'] }, true],
    ['money in minor units', { contact: 'openBalance', op: 'gt', value: 10_000 }, true],
    ['a missing value compared', { contact: 'company', op: 'ne', value: 'Acme' }, false],
    ['not of a missing value', { not: { contact: 'company', op: 'eq', value: 'Acme' } }, true],
    ['an answer so far', { answer: 'q', op: 'gte', value: 3 }, true],
    ['an answer not given', { answer: 'none', op: 'exists' }, false],
    [
      'and / or',
      {
        or: [
          { contact: 'lifecycle', op: 'eq', value: 'lead' },
          { and: [{ answer: 'q', op: 'lt', value: 4 }] },
        ],
      },
      true,
    ],
  ])('%s', (_, c, expected) => {
    expect(evaluateCondition(c, rich, { q: 3 })).toBe(expected)
  })
})

describe('renderPrompt', () => {
  it('fills in contact fields and answers, and leaves missing values empty', () => {
    const n = {
      id: 'x',
      kind: 'end',
      prompt: '{{contact.firstName}}/{{ contact.tags }}/{{answers.q}}/{{answers.none}}/{{contact.company}}',
      outcome: {},
    } as const
    expect(renderPrompt(n, ana, { q: true })).toBe('Ana/vip/yes//')
    expect(renderPrompt(n, leo, { q: 42 })).toBe('Leo//42//')
  })
})

describe('a run', () => {
  it('branches on the contact: a customer goes to the plan, a lead is asked for interest', () => {
    expect(answer(startRun(script, ana), true).node.id).toBe('plan')
    expect(answer(startRun(script, leo), true).node.id).toBe('interest')
  })
  it('branches on the answers: no minute ends in a callback before any contact branch', () => {
    const run = answer(startRun(script, ana), false)
    expect(run.status).toBe('done')
    expect(run.outcome).toEqual({ endNode: 'later', setFields: {}, disposition: 'CALLBACK' })
  })
  it('goes to an outcome, recording the path and the answers, and never changes an earlier run', () => {
    const r0 = startRun(script, ana)
    expect(r0.prompt).toBe('Hello Ana, do you have a minute?')
    const r1 = answer(r0, true)
    expect(r1.prompt).toBe('Your plan is silver. Which plan now?')
    const r2 = answer(r1, 'gold')
    const r3 = answer(r2, 12)
    expect(r3.status).toBe('done')
    expect(r3.prompt).toBe('Thank you Ana, gold booked.')
    expect(r3.path).toEqual(['hello', 'plan', 'seats', 'sold'])
    expect(r3.outcome).toEqual({
      endNode: 'sold',
      setFields: { 'attributes.plan': 'gold', 'attributes.seats': 12 },
      disposition: 'SALE',
    })
    expect(r0.path).toEqual(['hello'])
    expect(r1.answers).toEqual({ hello: true })
    expect(scriptRunRecord(r3)).toEqual({
      scriptId: 'renewal',
      scriptVersion: 3,
      path: ['hello', 'plan', 'seats', 'sold'],
      answers: { hello: true, plan: 'gold', seats: 12 },
      finished: true,
      outcome: r3.outcome,
    })
    expect(scriptRunRecord(r1)).toMatchObject({ finished: false, path: ['hello', 'plan'] })
  })
  it('sets only the fields whose answers were given', () => {
    const done = answer(answer(startRun(script, ana), true), 'silver')
    expect(done.outcome?.setFields).toEqual({ 'attributes.plan': 'silver' })
  })
  it.each<[string, string[], unknown, string]>([
    ['a string to a yes/no', [], 'yes', 'wrong_type'],
    ['an option that is not offered', [true], 'platinum', 'unknown_option'],
    ['a number out of range', [true, 'gold'], 501, 'out_of_range'],
    ['a fraction where a whole number is asked', [true, 'gold'], 2.5, 'not_whole'],
    ['NaN', [true, 'gold'], Number.NaN, 'wrong_type'],
  ])('refuses %s, naming the node and the value', (_, before, value, reason) => {
    let run = startRun(script, ana)
    for (const v of before) run = answer(run, v)
    const at = run.node.id
    let caught: unknown
    try {
      answer(run, value)
    } catch (e) {
      caught = e
    }
    expect(caught).toMatchObject({ _tag: 'ScriptAnswerRefused', reason, nodeId: at })
    expect(Object.is((caught as { value: unknown }).value, value)).toBe(true)
    expect(run.node.id).toBe(at)
  })
  it('refuses text too long or blank, and dates that do not exist', () => {
    const s = CallScript.parse(
      mini([
        node({ id: 'a', answer: { type: 'text', maxLength: 5 }, next: 'b' }),
        node({ id: 'b', answer: { type: 'date' }, next: 'e' }),
        endNode('e'),
      ]),
    )
    const r = startRun(s, ana)
    expect(() => answer(r, 'toolong')).toThrow(expect.objectContaining({ reason: 'too_long', nodeId: 'a' }))
    expect(() => answer(r, '  ')).toThrow(expect.objectContaining({ reason: 'blank' }))
    const r2 = answer(r, 'fine')
    expect(() => answer(r2, '2026-02-30')).toThrow(
      expect.objectContaining({ reason: 'bad_date', nodeId: 'b' }),
    )
    expect(answer(r2, '2026-02-28').answers).toEqual({ a: 'fine', b: '2026-02-28' })
  })
  it('refuses an answer after the end, and refuses to start an invalid script', () => {
    const done = answer(startRun(script, ana), false)
    expect(() => answer(done, true)).toThrow(expect.objectContaining({ reason: 'run_finished' }))
    const broken = CallScript.parse(mini([node({ id: 'a' }), endNode('e')]))
    expect(() => startRun(broken, ana)).toThrow(expect.objectContaining({ _tag: 'ValidationFailed' }))
  })
})
