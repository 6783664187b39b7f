import { Data } from 'effect'

/** Why an answer was refused. */
export type AnswerRefusedReason =
  | 'run_finished'
  | 'wrong_type'
  | 'out_of_range'
  | 'not_whole'
  | 'too_long'
  | 'blank'
  | 'unknown_option'
  | 'bad_date'
  | 'unstorable'

/**
 * An answer a question does not take (or a run that has ended): names the
 * node and the value, and the message says what it takes. The run is
 * unchanged, so a guided screen or a bot asks again.
 */
export class ScriptAnswerRefused extends Data.TaggedError('ScriptAnswerRefused')<{
  readonly reason: AnswerRefusedReason
  readonly nodeId: string
  readonly value: unknown
  readonly message: string
}> {
  readonly retryable = false
}

export const answerRefused = (reason: AnswerRefusedReason, nodeId: string, value: unknown, why: string) => {
  let shown: string
  try {
    shown = JSON.stringify(value) ?? String(value)
  } catch {
    shown = String(value)
  }
  return new ScriptAnswerRefused({
    reason,
    nodeId,
    value,
    message: `${nodeId}: ${shown.length > 60 ? `${shown.slice(0, 57)}...` : shown} ${why}`,
  })
}
