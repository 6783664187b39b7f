import { Contact } from '../domain/contact.js'
import { issuesFromZod, validationFailed } from '../domain/errors.js'
import { conditionLeaves, type ScriptCondition } from './condition.js'
import {
  CallScript,
  type CallScriptInput,
  type ScriptNode,
  type ScriptQuestion,
  SETTABLE_FIELDS,
} from './script.js'
import { templateRefs } from './template.js'

export type ScriptProblemKind =
  | 'duplicate_node'
  | 'unknown_node'
  | 'unreachable'
  | 'dead_end'
  | 'no_way_to_end'
  | 'unknown_option'
  | 'wrong_value_type'
  | 'unknown_answer'
  | 'answer_maybe_unset'
  | 'unknown_field'
  | 'bad_template'
  | 'bad_field'

/** One thing wrong with a script: the node, where in it, the value at fault and what to do. */
export interface ScriptProblem {
  readonly nodeId: string
  readonly kind: ScriptProblemKind
  /** Where in the node (`next`, `branches[1].when`, `prompt`, `outcome.setFields.firstName`); `start` for the script's start. */
  readonly at: string
  readonly value: unknown
  readonly message: string
}

const CONTACT_KEYS = new Set(Object.keys(Contact.shape))
const STRING_FIELDS: ReadonlySet<string> = new Set(SETTABLE_FIELDS)

const edges = (n: ScriptNode): Array<{ next: string; at: string }> =>
  n.kind === 'end'
    ? []
    : [
        ...n.branches.map((b, i) => ({ next: b.next, at: `branches[${i}].next` })),
        ...(n.next ? [{ next: n.next, at: 'next' }] : []),
      ]

/** The values of this node's own answer that its branches send somewhere, when they cover every one. */
function exhaustive(q: ScriptQuestion): boolean {
  const all: ReadonlyArray<string | boolean> =
    q.answer.type === 'yes_no'
      ? [true, false]
      : q.answer.type === 'choice'
        ? q.answer.options.map((o) => o.value)
        : []
  if (!all.length) return false
  const covered = new Set<unknown>()
  for (const b of q.branches) {
    const w = b.when
    if (!('answer' in w) || w.answer !== q.id) continue
    if (w.op === 'eq') covered.add(w.value)
    if (w.op === 'in') for (const v of w.values ?? []) covered.add(v)
  }
  return all.every((v) => covered.has(v))
}

/**
 * Every problem of a parsed script, each naming its node: unknown node
 * references, nodes the start cannot reach, dead ends (a question that may
 * stop: no default `next` and branches that may all fail), loops with no way
 * to an end, branch conditions naming an option or value type the answer
 * cannot have, unknown answers or contact fields, templates and outcomes
 * naming unknown answers; a prompt naming an answer that is not given on
 * every path to it. An empty list
 * means the script may be saved.
 *
 * @example
 * ```ts
 * import { CallScript, validateScript } from '@switchboard/core'
 * const script = CallScript.parse({
 *   id: 'broken', name: 'Broken', version: 1, start: 'q1',
 *   nodes: [{ id: 'q1', kind: 'question', prompt: 'Hi {{answers.q9}}', answer: { type: 'yes_no' }, next: 'nowhere' }],
 * })
 * console.log(validateScript(script).map((p) => p.kind)) // [ 'unknown_node', 'unknown_answer' ]
 * ```
 */
export function validateScript(script: CallScript): ScriptProblem[] {
  const problems: ScriptProblem[] = []
  const add = (nodeId: string, kind: ScriptProblemKind, at: string, value: unknown, message: string) => {
    problems.push({ nodeId, kind, at, value, message })
  }
  const byId = new Map<string, ScriptNode>()
  for (const n of script.nodes) {
    if (byId.has(n.id))
      add(n.id, 'duplicate_node', 'id', n.id, `two nodes are called ${n.id}; give each its own id`)
    else byId.set(n.id, n)
  }
  const known = (id: string) => byId.has(id)
  const questions = new Set(script.nodes.filter((n) => n.kind === 'question').map((n) => n.id))

  if (!known(script.start))
    add(
      script.start,
      'unknown_node',
      'start',
      script.start,
      `the start names ${script.start}, which is not a node`,
    )
  for (const n of byId.values())
    for (const e of edges(n))
      if (!known(e.next)) add(n.id, 'unknown_node', e.at, e.next, `${e.next} is not a node of this script`)

  // Reachability, and for each reachable node the answers given on every path to it.
  const reachable = new Set<string>()
  const stack = known(script.start) ? [script.start] : []
  while (stack.length) {
    const id = stack.pop()!
    if (reachable.has(id)) continue
    reachable.add(id)
    for (const e of edges(byId.get(id)!)) if (known(e.next)) stack.push(e.next)
  }
  for (const n of byId.values())
    if (!reachable.has(n.id))
      add(
        n.id,
        'unreachable',
        'id',
        n.id,
        `no path from the start (${script.start}) leads here; link it or remove it`,
      )

  const must = new Map<string, Set<string>>()
  for (const id of reachable) must.set(id, id === script.start ? new Set() : new Set(questions))
  for (let changed = true; changed; ) {
    changed = false
    for (const id of reachable) {
      const given = new Set([...must.get(id)!, ...(questions.has(id) ? [id] : [])])
      for (const e of edges(byId.get(id)!)) {
        const target = must.get(e.next)
        if (!target || e.next === script.start) continue
        for (const a of target)
          if (!given.has(a)) {
            target.delete(a)
            changed = true
          }
      }
    }
  }

  // Which nodes can still reach an end (backwards from the ends).
  const toEnd = new Set(script.nodes.filter((n) => n.kind === 'end').map((n) => n.id))
  for (let changed = true; changed; ) {
    changed = false
    for (const n of byId.values())
      if (!toEnd.has(n.id) && edges(n).some((e) => toEnd.has(e.next))) {
        toEnd.add(n.id)
        changed = true
      }
  }

  const checkAnswerRef = (n: ScriptNode, at: string, id: string, raw: unknown, always: boolean) => {
    if (!questions.has(id)) {
      add(n.id, 'unknown_answer', at, raw, `${id} is not a question of this script, so it has no answer`)
      return
    }
    if (!always) return
    const given = must.get(n.id)
    if (given && !given.has(id))
      add(
        n.id,
        'answer_maybe_unset',
        at,
        raw,
        `${id} is not answered on every path to ${n.id}; ask it earlier or drop the reference`,
      )
  }
  const checkTemplate = (n: ScriptNode, at: string, template: string) => {
    for (const ref of templateRefs(template)) {
      if (ref.kind === 'bad')
        add(
          n.id,
          'bad_template',
          at,
          ref.raw,
          'a placeholder is {{contact.<field>}} or {{answers.<question id>}}',
        )
      else if (ref.kind === 'contact' && !CONTACT_KEYS.has(ref.path.split('.')[0]!))
        add(n.id, 'bad_template', at, ref.raw, `${ref.path.split('.')[0]} is not a contact field`)
      else if (ref.kind === 'answer') checkAnswerRef(n, at, ref.id, ref.raw, true)
    }
  }
  const checkCondition = (n: ScriptNode, at: string, when: ScriptCondition) => {
    for (const leaf of conditionLeaves(when)) {
      if ('contact' in leaf) {
        if (!CONTACT_KEYS.has(leaf.contact.split('.')[0]!))
          add(n.id, 'unknown_field', at, leaf.contact, `${leaf.contact} is not a contact field`)
        continue
      }
      const target = byId.get(leaf.answer)
      if (target?.kind !== 'question') {
        add(
          n.id,
          'unknown_answer',
          at,
          leaf.answer,
          `${leaf.answer} is not a question of this script, so it has no answer`,
        )
        continue
      }
      const values = leaf.op === 'in' ? (leaf.values ?? []) : leaf.op === 'exists' ? [] : [leaf.value]
      const a = target.answer
      for (const v of values) {
        if (a.type === 'choice' && !a.options.some((o) => o.value === v))
          add(
            n.id,
            'unknown_option',
            at,
            v,
            `${target.id} has no option ${JSON.stringify(v)}; its options are ${a.options.map((o) => o.value).join(', ')}`,
          )
        const want = a.type === 'yes_no' ? 'boolean' : a.type === 'number' ? 'number' : 'string'
        if (a.type !== 'choice' && typeof v !== want)
          add(
            n.id,
            'wrong_value_type',
            at,
            v,
            `${target.id} takes a ${a.type} answer, compared here with a ${typeof v}`,
          )
      }
    }
  }

  for (const n of byId.values()) {
    if (n.prompt !== undefined) checkTemplate(n, 'prompt', n.prompt)
    if (n.kind === 'question') {
      for (const [i, b] of n.branches.entries()) checkCondition(n, `branches[${i}].when`, b.when)
      if (!n.next && !exhaustive(n))
        add(
          n.id,
          'dead_end',
          'next',
          undefined,
          'no default next: when no branch holds the run stops here; add next',
        )
      else if (reachable.has(n.id) && !toEnd.has(n.id))
        add(
          n.id,
          'no_way_to_end',
          'next',
          n.next,
          'every way on from here loops without reaching an end node',
        )
      continue
    }
    for (const [field, id] of Object.entries(n.outcome.setFields ?? {})) {
      const at = `outcome.setFields.${field}`
      // A field is set only when its answer was given: an answer asked on some paths is fine.
      checkAnswerRef(n, at, id, id, false)
      const q = byId.get(id)
      if (
        q?.kind === 'question' &&
        STRING_FIELDS.has(field) &&
        !['text', 'choice', 'date'].includes(q.answer.type)
      )
        add(n.id, 'bad_field', at, id, `${field} holds text; ${id} gives a ${q.answer.type} answer`)
    }
  }
  return problems
}

/**
 * Parses a script (strict) and refuses it, with `ValidationFailed`, when the
 * schema or `validateScript` finds anything wrong: what saving code calls.
 * Each issue's field is `nodes.<id>.<where>` (or `start`).
 *
 * @example
 * ```ts
 * import { assertValidScript, isSwitchboardError } from '@switchboard/core'
 * try {
 *   assertValidScript({ id: 's', name: 'S', version: 1, start: 'end', nodes: [{ id: 'end', kind: 'end' }, { id: 'lost', kind: 'end' }] })
 * } catch (e) {
 *   if (isSwitchboardError(e, 'ValidationFailed')) console.log(e.issues[0]?.field) // nodes.lost.id
 * }
 * ```
 */
export function assertValidScript(input: CallScriptInput | unknown): CallScript {
  const parsed = CallScript.safeParse(input)
  if (!parsed.success)
    throw validationFailed('call script', issuesFromZod(input, parsed.error.issues, CallScript))
  const problems = validateScript(parsed.data)
  if (problems.length)
    throw validationFailed(
      'call script',
      problems.map((p) => ({
        field: p.at === 'start' ? 'start' : `nodes.${p.nodeId}.${p.at}`,
        value: p.value,
        message: p.message,
      })),
    )
  return parsed.data
}
