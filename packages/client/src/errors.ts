/** A field the server refused, with the value it was given. */
export interface HttpFieldIssue {
  readonly field: string
  readonly value: unknown
  readonly message: string
}

/** A reason a click-to-call (or a dial) was refused. */
export interface HttpRefusalReason {
  readonly code: string
  readonly message: string
}

/**
 * A non-2xx answer from the Switchboard server: `reason` is the stable code
 * to branch on (`validation_failed`, `forbidden`, `not_found`, `conflict`,
 * `click_to_call_refused`...).
 */
export class SwitchboardHttpError extends Error {
  override readonly name = 'SwitchboardHttpError'
  readonly status: number
  readonly reason: string
  readonly issues?: ReadonlyArray<HttpFieldIssue>
  readonly reasons?: ReadonlyArray<HttpRefusalReason>

  constructor(
    status: number,
    body: {
      reason: string
      message: string
      issues?: ReadonlyArray<HttpFieldIssue>
      reasons?: ReadonlyArray<HttpRefusalReason>
    },
  ) {
    super(body.message)
    this.status = status
    this.reason = body.reason
    if (body.issues) this.issues = body.issues
    if (body.reasons) this.reasons = body.reasons
  }
}

/** The error a response carries (a body that is not the server's error shape still gives status and text). */
export async function errorOf(res: Response): Promise<SwitchboardHttpError> {
  const text = await res.text().catch(() => '')
  try {
    const body = JSON.parse(text) as { error?: { reason?: unknown; message?: unknown } }
    if (body.error && typeof body.error.reason === 'string' && typeof body.error.message === 'string')
      return new SwitchboardHttpError(res.status, body.error as never)
  } catch {
    // not JSON: fall through
  }
  return new SwitchboardHttpError(res.status, {
    reason: res.status >= 500 ? 'internal' : 'http_error',
    message: text.slice(0, 300) || `HTTP ${res.status}`,
  })
}
