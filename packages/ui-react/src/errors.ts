import type { Refusal } from '@switchboard/core/domain'

/** What a failed request says, in the shape the server's error body and the client's error share. */
export interface ProblemView {
  readonly message: string
  readonly reason?: string
  /** A click-to-call refusal: every reason. */
  readonly reasons?: ReadonlyArray<Refusal>
  /** A validation failure: the fields named. */
  readonly issues?: ReadonlyArray<{ readonly field: string; readonly message: string }>
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null

/** Reads any thrown value (a `SwitchboardHttpError`, a core error, an Error, a string) as a ProblemView. */
export function describeProblem(e: unknown): ProblemView {
  if (!isRecord(e)) return { message: String(e) }
  const message = typeof e.message === 'string' && e.message ? e.message : 'the request failed'
  return {
    message,
    ...(typeof e.reason === 'string' ? { reason: e.reason } : {}),
    ...(Array.isArray(e.reasons) ? { reasons: e.reasons as Refusal[] } : {}),
    ...(Array.isArray(e.issues) ? { issues: e.issues as ProblemView['issues'] & object } : {}),
  }
}
