import { Data } from 'effect'
import type { DialOutcome } from '../domain/dialing.js'
import type { AnsweredCall, ClickToCallResult } from './types.js'

/**
 * Typed telephony errors, with the same convention as core's errors (`../domain/errors.ts`): each is
 * tagged (`_tag`), has a stable snake_case `reason` to branch on, says whether a retry of the same call
 * later makes sense (`retryable`), and its `message` says what to do. A dialer applies its retry rules
 * without parsing SIP; Promise users branch with `isTelephonyError(e, tag)` and core's `isRetryable(e)`.
 *
 * @example
 * ```ts
 * import { type DialOutcome, dialOutcomeOf, isTelephonyError, type TelephonyBackend } from '@switchboard/core'
 *
 * async function dial(telephony: TelephonyBackend, number: string): Promise<DialOutcome> {
 *   try {
 *     return dialOutcomeOf(await telephony.originate({ target: { type: 'number', number } })) // 'person' | 'machine'
 *   } catch (e) {
 *     if (isTelephonyError(e, 'CallNoAnswer')) console.log(`no answer after ${e.ringSec} s`)
 *     return dialOutcomeOf(e) // 'busy' | 'no_answer' | 'failed'
 *   }
 * }
 * ```
 */

/** The called party is busy (SIP 486 / 600). A later attempt may succeed. */
export class CallBusy extends Data.TaggedError('CallBusy')<{
  readonly callId: string
  readonly sipStatus?: number
}> {
  readonly reason = 'busy' as const
  get retryable(): boolean {
    return true
  }
  override get message(): string {
    return `call ${this.callId}: busy${this.sipStatus ? ` (${this.sipStatus})` : ''}; retry later`
  }
}

/** Nobody answered before the ring timeout (or SIP 408 / 480 / 487 after our timeout). */
export class CallNoAnswer extends Data.TaggedError('CallNoAnswer')<{
  readonly callId: string
  /** How long it rang, in seconds. */
  readonly ringSec: number
  readonly sipStatus?: number
}> {
  readonly reason = 'no_answer' as const
  get retryable(): boolean {
    return true
  }
  override get message(): string {
    return `call ${this.callId}: no answer after ${this.ringSec} s; retry later, or raise ringTimeoutSec`
  }
}

/** The network or the party refused the call with a final SIP status (4xx/5xx/6xx other than busy). */
export class CallRejected extends Data.TaggedError('CallRejected')<{
  readonly callId: string
  readonly sipStatus: number
  readonly sipReason: string
}> {
  readonly reason = 'rejected' as const
  /** Temporary refusals (service unavailable, temporarily unavailable, congestion) are worth retrying. */
  get retryable(): boolean {
    return RETRYABLE_STATUSES.has(this.sipStatus)
  }
  override get message(): string {
    return `call ${this.callId}: rejected ${this.sipStatus} ${this.sipReason}; ${
      this.retryable ? 'temporary refusal, retry later' : 'check the number and the trunk; do not retry as is'
    }`
  }
}

/** The destination could not be reached (no route, DNS, transport failure, invalid number). */
export class CallUnreachable extends Data.TaggedError('CallUnreachable')<{
  readonly callId: string
  readonly detail: string
  /** false for a number that cannot exist (invalid, not found); true for a transport failure. */
  readonly permanent: boolean
}> {
  readonly reason = 'unreachable' as const
  get retryable(): boolean {
    return !this.permanent
  }
  override get message(): string {
    return `call ${this.callId}: unreachable (${this.detail}); ${
      this.permanent ? 'the number or address does not exist, fix it' : 'retry later'
    }`
  }
}

/** The telephony server (drachtio-server, media server, carrier) is down or the backend is not connected. */
export class TelephonyServerDown extends Data.TaggedError('TelephonyServerDown')<{
  readonly detail: string
  readonly callId?: string
}> {
  readonly reason = 'server_down' as const
  get retryable(): boolean {
    return true
  }
  override get message(): string {
    return `telephony server down: ${this.detail}; check that the backend is started and its server reachable, then retry`
  }
}

/** The call was cancelled locally (hangup while ringing) before it was answered. */
export class CallCancelled extends Data.TaggedError('CallCancelled')<{
  readonly callId: string
}> {
  readonly reason = 'cancelled' as const
  get retryable(): boolean {
    return false
  }
  override get message(): string {
    return `call ${this.callId}: cancelled; it was hung up locally while ringing (originate again to call back)`
  }
}

/** No call with this id is known to the backend (never existed, or already ended). */
export class CallNotFound extends Data.TaggedError('CallNotFound')<{
  readonly callId: string
}> {
  readonly reason = 'call_not_found' as const
  get retryable(): boolean {
    return false
  }
  override get message(): string {
    return `call ${this.callId}: not found; it never existed or has already ended (watch for its 'ended' event)`
  }
}

/** The operation is not valid in the call's current state (for example bridging a ringing call). */
export class InvalidCallState extends Data.TaggedError('InvalidCallState')<{
  readonly callId: string
  readonly state: string
  readonly operation: string
}> {
  readonly reason = 'invalid_call_state' as const
  get retryable(): boolean {
    return false
  }
  override get message(): string {
    return `call ${this.callId}: cannot ${this.operation} while ${this.state}; check backend.call(id)?.state first`
  }
}

/** The backend does not have this capability (see `TelephonyCapabilities`); it does not pretend. */
export class CapabilityNotSupported extends Data.TaggedError('CapabilityNotSupported')<{
  readonly capability: string
  readonly backend: string
}> {
  readonly reason = 'capability_not_supported' as const
  get retryable(): boolean {
    return false
  }
  override get message(): string {
    return `${this.backend}: capability ${this.capability} is not available; check backend.capabilities.${this.capability} before calling`
  }
}

/** A media operation (recording, playback) failed at the media server. */
export class MediaError extends Data.TaggedError('MediaError')<{
  readonly callId: string
  readonly operation: string
  readonly detail: string
}> {
  readonly reason = 'media_error' as const
  get retryable(): boolean {
    return false
  }
  override get message(): string {
    return `call ${this.callId}: ${this.operation} failed: ${this.detail}; check the media server (rtpengine) and the media reference`
  }
}

/** Why an attempt to reach a party failed: what `originate` and `clickToCall` reject with. */
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

/** The stable `reason` codes of the telephony errors (snake_case). */
export type TelephonyErrorReason = TelephonyError['reason']

type Tag = TelephonyError['_tag']
const TAGS: ReadonlySet<string> = new Set<Tag>([
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

/**
 * Whether `e` is one of the telephony errors (optionally: of this tag). Works across copies of the
 * package (it checks the tag, not the class), like core's `isSwitchboardError`.
 */
export function isTelephonyError(e: unknown): e is TelephonyError
export function isTelephonyError<T extends Tag>(e: unknown, tag: T): e is Extract<TelephonyError, { _tag: T }>
export function isTelephonyError(e: unknown, tag?: Tag): boolean {
  if (typeof e !== 'object' || e === null) return false
  const t = (e as { _tag?: unknown })._tag
  return typeof t === 'string' && TAGS.has(t) && (tag === undefined || t === tag)
}

/**
 * What became of a dial, in core's vocabulary (`DialOutcome`): pass what `originate` (or `clickToCall`)
 * resolved with, or what it rejected with. An answer is `machine` when answering-machine detection said
 * so, otherwise `person` (`answeredBy: 'unknown'` counts as a person); `CallBusy` is `busy`,
 * `CallNoAnswer` is `no_answer`; any other failure (rejected, unreachable, server down, cancelled, or
 * an error that is not a telephony error) is `failed`. Whether to retry is `isRetryable(e)`'s answer.
 */
export function dialOutcomeOf(result: AnsweredCall | ClickToCallResult | CallFailure | unknown): DialOutcome {
  if (isTelephonyError(result)) {
    if (result._tag === 'CallBusy') return 'busy'
    if (result._tag === 'CallNoAnswer') return 'no_answer'
    return 'failed'
  }
  if (typeof result === 'object' && result !== null && 'answeredBy' in result)
    return (result as AnsweredCall).answeredBy === 'machine' ? 'machine' : 'person'
  return 'failed'
}

/** 480 Temporarily Unavailable, 500, 503 Service Unavailable, 504, 580 Precondition Failure, 603 Decline is final. */
const RETRYABLE_STATUSES = new Set([480, 500, 503, 504, 580])

/** SIP statuses that say the number or address cannot exist. */
const PERMANENT_UNREACHABLE = new Set([404, 410, 484, 485, 604])

/**
 * Maps a final failure status of an outbound INVITE to a typed error. Shared by every SIP-like backend
 * (and the simulated network, which speaks in SIP statuses) so that the same outcome yields the same error.
 * `ringSec` is how long the attempt rang, in seconds.
 */
export const callFailureFromSipStatus = (
  callId: string,
  sipStatus: number,
  sipReason: string,
  ringSec: number,
): CallFailure => {
  if (sipStatus === 486 || sipStatus === 600) return new CallBusy({ callId, sipStatus })
  if (sipStatus === 408 || sipStatus === 487) return new CallNoAnswer({ callId, ringSec, sipStatus })
  if (PERMANENT_UNREACHABLE.has(sipStatus))
    return new CallUnreachable({ callId, detail: `${sipStatus} ${sipReason}`, permanent: true })
  if (sipStatus === 502 || sipStatus === 504)
    return new CallUnreachable({ callId, detail: `${sipStatus} ${sipReason}`, permanent: false })
  return new CallRejected({ callId, sipStatus, sipReason })
}
