import type { Contact } from '../domain/contact.js'
import { checkAnswer } from './check-answer.js'
import { evaluateCondition, type ScriptScalar } from './condition.js'
import { answerRefused } from './refused.js'
import type { CallScript, ScriptEnd, ScriptNode } from './script.js'
import { renderPrompt } from './template.js'
import { assertValidScript } from './validate.js'

/** What a finished run asks the host to do: contact fields to set and a disposition. */
export interface ScriptRunOutcome {
  /** The end node reached. */
  readonly endNode: string
  /** Field path -> the answer it takes (only answers that were given). */
  readonly setFields: Readonly<Record<string, ScriptScalar>>
  readonly disposition?: string
}

/**
 * One walk through a script, as an immutable value: every `answer` returns a
 * new run and leaves the old one as it was, so a guided screen can keep its
 * history and a headless driver can keep the run between turns.
 */
export interface ScriptRun {
  readonly script: CallScript
  readonly contact: Contact
  readonly status: 'asking' | 'done'
  /** The node being asked (or the end node reached). */
  readonly node: ScriptNode
  /** Its prompt, filled in. */
  readonly prompt: string
  /** Every node visited, in order, the current one last. */
  readonly path: ReadonlyArray<string>
  readonly answers: Readonly<Record<string, ScriptScalar>>
  readonly outcome?: ScriptRunOutcome
}

const outcomeOf = (end: ScriptEnd, answers: Readonly<Record<string, ScriptScalar>>): ScriptRunOutcome => {
  const setFields: Record<string, ScriptScalar> = {}
  for (const [field, id] of Object.entries(end.outcome.setFields ?? {}))
    if (Object.hasOwn(answers, id)) setFields[field] = answers[id]!
  return Object.freeze({
    endNode: end.id,
    setFields: Object.freeze(setFields),
    ...(end.outcome.disposition ? { disposition: end.outcome.disposition } : {}),
  })
}

const at = (
  script: CallScript,
  contact: Contact,
  node: ScriptNode,
  path: ReadonlyArray<string>,
  answers: Readonly<Record<string, ScriptScalar>>,
): ScriptRun =>
  Object.freeze({
    script,
    contact,
    status: node.kind === 'end' ? 'done' : 'asking',
    node,
    prompt: renderPrompt(node, contact, answers),
    path: Object.freeze([...path, node.id]),
    answers: Object.freeze({ ...answers }),
    ...(node.kind === 'end' ? { outcome: outcomeOf(node, answers) } : {}),
  })

/**
 * Starts a run of a script for a contact, at the start node. The script is
 * checked first (`assertValidScript`: `ValidationFailed` when it has
 * problems), so a run never meets a dead end or an unknown node.
 *
 * @example
 * ```ts
 * import { answer, startRun, type CallScript, type Contact } from '@switchboard/core'
 * declare const script: CallScript // see CallScript's example
 * declare const ana: Contact
 * let run = startRun(script, ana)
 * console.log(run.prompt) // Hello Ana, still interested?
 * run = answer(run, true)
 * console.log(run.status, run.outcome?.disposition, run.path) // done SALE [ 'hello', 'sold' ]
 * ```
 */
export function startRun(script: CallScript, contact: Contact): ScriptRun {
  const valid = assertValidScript(script)
  const start = valid.nodes.find((n) => n.id === valid.start)!
  return at(valid, contact, start, [], {})
}

/**
 * Answers the node being asked: the value is checked against the question's
 * type (`ScriptAnswerRefused` naming the node and value otherwise), recorded,
 * and the branches are tried in order (on the contact and the answers so far,
 * this one included), else the default `next`. Reaching an end node finishes
 * the run with its outcome.
 */
export function answer(run: ScriptRun, value: unknown): ScriptRun {
  const q = run.node
  if (q.kind !== 'question' || run.status === 'done')
    throw answerRefused('run_finished', q.id, value, 'came after the run ended; start a new run')
  const answers = { ...run.answers, [q.id]: checkAnswer(q, value) }
  const next = q.branches.find((b) => evaluateCondition(b.when, run.contact, answers))?.next ?? q.next
  // A valid script always has a way on (the validator refuses dead ends).
  const node = run.script.nodes.find((n) => n.id === next)!
  return at(run.script, run.contact, node, run.path, answers)
}

/** What to keep on the interaction: the script and version, the path taken, the answers and the outcome. */
export interface ScriptRunRecord {
  readonly scriptId: string
  readonly scriptVersion: number
  readonly path: ReadonlyArray<string>
  readonly answers: Readonly<Record<string, ScriptScalar>>
  readonly finished: boolean
  readonly outcome?: ScriptRunOutcome
}

/** The run as it is recorded (without the script and the contact), finished or abandoned part way. */
export function scriptRunRecord(run: ScriptRun): ScriptRunRecord {
  return {
    scriptId: run.script.id,
    scriptVersion: run.script.version,
    path: run.path,
    answers: run.answers,
    finished: run.status === 'done',
    ...(run.outcome ? { outcome: run.outcome } : {}),
  }
}
