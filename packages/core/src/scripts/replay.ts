import type { Contact } from '../domain/contact.js'
import { type FieldIssue, validationFailed } from '../domain/errors.js'
import { answer, type ScriptRun, startRun } from './run.js'
import type { CallScript } from './script.js'

/**
 * Walks `script` again for `contact` with the answers a guided screen or a
 * bot collected, and checks that they lead along `path` (the nodes visited,
 * the start first; a run recorded part way stops at the question it was
 * on). Returns the run it reaches. An answer the question does not take is a
 * `ScriptAnswerRefused` (from `answer`); a path the answers do not lead
 * along, a missing answer or one for a node not asked is a `ValidationFailed`
 * naming `path[i]` or `answers.<id>`: what is recorded is a run that happened.
 *
 * @example
 * ```ts
 * import { replayRun, type CallScript, type Contact } from '@switchboard/core'
 * declare const script: CallScript // see CallScript's example
 * declare const ana: Contact
 * const run = replayRun(script, ana, ['hello', 'sold'], { hello: true })
 * console.log(run.status, run.outcome?.disposition) // done SALE
 * ```
 */
export function replayRun(
  script: CallScript,
  contact: Contact,
  path: ReadonlyArray<string>,
  answers: Readonly<Record<string, unknown>>,
): ScriptRun {
  const fail = (issue: FieldIssue): never => {
    throw validationFailed('script run', [issue])
  }
  let run = startRun(script, contact)
  if (path[0] !== run.node.id)
    fail({ field: 'path[0]', value: path[0], message: `the script starts at ${run.node.id}` })
  for (let i = 1; i < path.length; i++) {
    const asked = run.node
    if (asked.kind === 'end')
      fail({ field: `path[${i}]`, value: path[i], message: `the run ended at ${asked.id}` })
    if (!Object.hasOwn(answers, asked.id))
      fail({
        field: `answers.${asked.id}`,
        value: undefined,
        message: `is missing: the path goes on from ${asked.id}, so it was answered`,
      })
    run = answer(run, answers[asked.id])
    if (run.node.id !== path[i])
      fail({
        field: `path[${i}]`,
        value: path[i],
        message: `the answers lead from ${asked.id} to ${run.node.id}`,
      })
  }
  for (const id of Object.keys(answers))
    if (!Object.hasOwn(run.answers, id))
      fail({
        field: `answers.${id}`,
        value: answers[id],
        message: `${id} was not answered on this path (${path.join(' > ')})`,
      })
  return run
}
