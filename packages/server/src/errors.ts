import { isSwitchboardError, isTelephonyError } from '@switchboard/core'
import type { Context } from 'hono'
import { HTTPException } from 'hono/http-exception'

/** The body of every error response. */
export interface ErrorBody {
  readonly error: {
    readonly reason: string
    readonly message: string
    readonly issues?: ReadonlyArray<{ field: string; value: unknown; message: string }>
    readonly reasons?: ReadonlyArray<{ code: string; message: string }>
  }
}

/** An HTTP-level refusal (401, 403, 404 that core does not raise itself). */
export class HttpRefusal extends Error {
  constructor(
    readonly status: 401 | 403 | 404 | 413,
    readonly reason: string,
    message: string,
  ) {
    super(message)
  }
}

export const unauthenticated = () =>
  new HttpRefusal(401, 'unauthenticated', 'no principal: the host did not authenticate this request')
export const forbidden = (message: string) => new HttpRefusal(403, 'forbidden', message)
export const notFoundHere = (entity: string, id: string) =>
  new HttpRefusal(404, 'not_found', `${entity} ${id} was not found in this tenant`)

type Status = 400 | 401 | 403 | 404 | 409 | 413 | 422 | 500 | 502

const STATUS: Record<string, Status> = {
  ValidationFailed: 400,
  NotFound: 404,
  // Crossing tenants reads as absence: never reveal that the id exists elsewhere.
  ForbiddenTenant: 404,
  Conflict: 409,
}

/** Maps any thrown value to a status and the JSON error body; unknown errors are 500 with no detail. */
export function toError(e: unknown, log: (message: string, error: unknown) => void): [Status, ErrorBody] {
  if (e instanceof HttpRefusal) return [e.status, { error: { reason: e.reason, message: e.message } }]
  if (e instanceof HTTPException && e.status < 500) {
    if (e.status === 413) return [413, { error: { reason: 'payload_too_large', message: e.message } }]
    return [
      400,
      {
        error: {
          reason: 'validation_failed',
          message: e.message,
          issues: [{ field: '(body)', value: null, message: e.message }],
        },
      },
    ]
  }
  if (typeof e === 'object' && e !== null && (e as { _tag?: unknown })._tag === 'ClickToCallRefused') {
    const r = e as unknown as { message: string; reasons: ReadonlyArray<{ code: string; message: string }> }
    return [
      422,
      {
        error: {
          reason: 'click_to_call_refused',
          message: r.message,
          reasons: r.reasons.map((x) => ({ ...x })),
        },
      },
    ]
  }
  if (isSwitchboardError(e) && STATUS[e._tag]) {
    const status = STATUS[e._tag]!
    if (e._tag === 'ForbiddenTenant') return [404, { error: { reason: 'not_found', message: 'not found' } }]
    return [
      status,
      {
        error: {
          reason: e.reason,
          message: e.message,
          ...(e._tag === 'ValidationFailed'
            ? { issues: e.issues.map((i) => ({ field: i.field, value: i.value, message: i.message })) }
            : {}),
        },
      },
    ]
  }
  // The telephony backend's typed errors (unreachable, busy...): the network said no, not this server.
  // (a call in the wrong state, or a feature the backend lacks, is the caller's conflict).
  if (isTelephonyError(e)) {
    const status = e._tag === 'InvalidCallState' || e._tag === 'CapabilityNotSupported' ? 409 : 502
    return [status, { error: { reason: e.reason, message: e.message } }]
  }
  log('@switchboard/server: a request failed', e)
  return [500, { error: { reason: 'internal', message: 'internal error' } }]
}

export const errorResponse = (c: Context, e: unknown, log: (message: string, error: unknown) => void) => {
  const [status, body] = toError(e, log)
  return c.json(body, status)
}
