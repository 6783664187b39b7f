import { Data } from 'effect'

/**
 * Typed telephony errors. Every error says whether a retry of the same call later makes sense
 * (`retryable`), so a dialer can apply its retry rules without parsing SIP.
 */

/** The called party is busy (SIP 486 / 600). A later attempt may succeed. */
export class CallBusy extends Data.TaggedError('CallBusy')<{
  readonly callId: string
  readonly sipStatus?: number
}> {
  get retryable(): boolean {
    return true
  }
  override get message(): string {
    return `call ${this.callId}: busy${this.sipStatus ? ` (${this.sipStatus})` : ''}`
  }
}

/** Nobody answered before the ring timeout (or SIP 408 / 480 / 487 after our timeout). */
export class CallNoAnswer extends Data.TaggedError('CallNoAnswer')<{
  readonly callId: string
  readonly ringMs: number
  readonly sipStatus?: number
}> {
  get retryable(): boolean {
    return true
  }
  override get message(): string {
    return `call ${this.callId}: no answer after ${this.ringMs} ms`
  }
}

/** The network or the party refused the call with a final SIP status (4xx/5xx/6xx other than busy). */
export class CallRejected extends Data.TaggedError('CallRejected')<{
  readonly callId: string
  readonly sipStatus: number
  readonly sipReason: string
}> {
  /** Temporary refusals (service unavailable, temporarily unavailable, congestion) are worth retrying. */
  get retryable(): boolean {
    return RETRYABLE_STATUSES.has(this.sipStatus)
  }
  override get message(): string {
    return `call ${this.callId}: rejected ${this.sipStatus} ${this.sipReason}`
  }
}

/** The destination could not be reached (no route, DNS, transport failure, invalid number). */
export class CallUnreachable extends Data.TaggedError('CallUnreachable')<{
  readonly callId: string
  readonly detail: string
  /** false for a number that cannot exist (invalid, not found); true for a transport failure. */
  readonly permanent: boolean
}> {
  get retryable(): boolean {
    return !this.permanent
  }
  override get message(): string {
    return `call ${this.callId}: unreachable (${this.detail})`
  }
}

/** The telephony server (drachtio-server, media server, carrier) is down or the backend is not connected. */
export class TelephonyServerDown extends Data.TaggedError('TelephonyServerDown')<{
  readonly detail: string
  readonly callId?: string
}> {
  get retryable(): boolean {
    return true
  }
  override get message(): string {
    return `telephony server down: ${this.detail}`
  }
}

/** The call was cancelled locally (hangup while ringing) before it was answered. */
export class CallCancelled extends Data.TaggedError('CallCancelled')<{
  readonly callId: string
}> {
  get retryable(): boolean {
    return false
  }
  override get message(): string {
    return `call ${this.callId}: cancelled`
  }
}

/** No call with this id is known to the backend (never existed, or already ended). */
export class CallNotFound extends Data.TaggedError('CallNotFound')<{
  readonly callId: string
}> {
  get retryable(): boolean {
    return false
  }
  override get message(): string {
    return `call ${this.callId}: not found`
  }
}

/** The operation is not valid in the call's current state (for example bridging a ringing call). */
export class InvalidCallState extends Data.TaggedError('InvalidCallState')<{
  readonly callId: string
  readonly state: string
  readonly operation: string
}> {
  get retryable(): boolean {
    return false
  }
  override get message(): string {
    return `call ${this.callId}: cannot ${this.operation} while ${this.state}`
  }
}

/** The backend does not have this capability (see `TelephonyCapabilities`); it does not pretend. */
export class CapabilityNotSupported extends Data.TaggedError('CapabilityNotSupported')<{
  readonly capability: string
  readonly backend: string
}> {
  get retryable(): boolean {
    return false
  }
  override get message(): string {
    return `${this.backend}: capability ${this.capability} is not available`
  }
}

/** A media operation (recording, playback) failed at the media server. */
export class MediaError extends Data.TaggedError('MediaError')<{
  readonly callId: string
  readonly operation: string
  readonly detail: string
}> {
  get retryable(): boolean {
    return false
  }
  override get message(): string {
    return `call ${this.callId}: ${this.operation} failed: ${this.detail}`
  }
}

export type CallFailure =
  | CallBusy
  | CallNoAnswer
  | CallRejected
  | CallUnreachable
  | TelephonyServerDown
  | CallCancelled

export type TelephonyError =
  | CallFailure
  | CallNotFound
  | InvalidCallState
  | CapabilityNotSupported
  | MediaError

const TAGS = new Set([
  'CallBusy',
  'CallNoAnswer',
  'CallRejected',
  'CallUnreachable',
  'TelephonyServerDown',
  'CallCancelled',
  'CallNotFound',
  'InvalidCallState',
  'CapabilityNotSupported',
  'MediaError',
])

export const isTelephonyError = (u: unknown): u is TelephonyError =>
  typeof u === 'object' && u !== null && '_tag' in u && TAGS.has((u as { _tag: string })._tag)

/** 480 Temporarily Unavailable, 500, 503 Service Unavailable, 504, 580 Precondition Failure, 603 Decline is final. */
const RETRYABLE_STATUSES = new Set([480, 500, 503, 504, 580])

/** SIP statuses that say the number or address cannot exist. */
const PERMANENT_UNREACHABLE = new Set([404, 410, 484, 485, 604])

/**
 * Maps a final failure status of an outbound INVITE to a typed error. Shared by every SIP-like backend
 * (and the simulated network, which speaks in SIP statuses) so that the same outcome yields the same error.
 */
export const callFailureFromSipStatus = (
  callId: string,
  sipStatus: number,
  sipReason: string,
  ringMs: number,
): CallFailure => {
  if (sipStatus === 486 || sipStatus === 600) return new CallBusy({ callId, sipStatus })
  if (sipStatus === 408 || sipStatus === 487) return new CallNoAnswer({ callId, ringMs, sipStatus })
  if (PERMANENT_UNREACHABLE.has(sipStatus))
    return new CallUnreachable({ callId, detail: `${sipStatus} ${sipReason}`, permanent: true })
  if (sipStatus === 502 || sipStatus === 504)
    return new CallUnreachable({ callId, detail: `${sipStatus} ${sipReason}`, permanent: false })
  return new CallRejected({ callId, sipStatus, sipReason })
}
