// The telephony errors' convention (tag, snake_case reason, retryable), their guards, and how dial
// results map to core's DialOutcome. The errors live in @switchboard/core; both backends throw them.
import {
  CallBusy,
  CallCancelled,
  CallNoAnswer,
  CallNotFound,
  CallRejected,
  CallUnreachable,
  CapabilityNotSupported,
  callFailureFromSipStatus,
  DialOutcome,
  dialOutcomeOf,
  InvalidCallState,
  isRetryable,
  isTelephonyError,
  MediaError,
  TelephonyServerDown,
} from '@switchboard/core'
import { describe, expect, it } from 'vitest'

const all = [
  [new CallBusy({ callId: 'c', sipStatus: 486 }), 'busy', true],
  [new CallNoAnswer({ callId: 'c', ringSec: 30 }), 'no_answer', true],
  [new CallRejected({ callId: 'c', sipStatus: 403, sipReason: 'Forbidden' }), 'rejected', false],
  [new CallRejected({ callId: 'c', sipStatus: 503, sipReason: 'Service Unavailable' }), 'rejected', true],
  [new CallUnreachable({ callId: 'c', detail: '404 Not Found', permanent: true }), 'unreachable', false],
  [new CallUnreachable({ callId: 'c', detail: 'ECONNREFUSED', permanent: false }), 'unreachable', true],
  [new TelephonyServerDown({ detail: 'gone' }), 'server_down', true],
  [new CallCancelled({ callId: 'c' }), 'cancelled', false],
  [new CallNotFound({ callId: 'c' }), 'call_not_found', false],
  [new InvalidCallState({ callId: 'c', state: 'ringing', operation: 'bridge' }), 'invalid_call_state', false],
  [new CapabilityNotSupported({ capability: 'recording', backend: 'x' }), 'capability_not_supported', false],
  [new MediaError({ callId: 'c', operation: 'play media', detail: 'no file' }), 'media_error', false],
] as const

describe('telephony errors', () => {
  it('each has a tag, a snake_case reason, retryable, and a message that says what to do', () => {
    for (const [error, reason, retryable] of all) {
      expect(error.reason, error._tag).toBe(reason)
      expect(error.reason).toMatch(/^[a-z]+(_[a-z]+)*$/)
      expect(error.retryable, error._tag).toBe(retryable)
      expect(isRetryable(error), error._tag).toBe(retryable)
      expect(error.message, error._tag).toMatch(/;/) // what happened; what to do
      expect(isTelephonyError(error)).toBe(true)
      expect(isTelephonyError(error, error._tag)).toBe(true)
    }
    expect(new Set(all.map(([e]) => e._tag)).size).toBe(10)
  })

  it('isTelephonyError checks the tag (across copies of the package) and narrows with one', () => {
    const copy: unknown = { _tag: 'CallNoAnswer', reason: 'no_answer', callId: 'c', ringSec: 12.5 }
    expect(isTelephonyError(copy)).toBe(true)
    if (isTelephonyError(copy, 'CallNoAnswer')) expect(copy.ringSec).toBe(12.5)
    else throw new Error('expected a CallNoAnswer')
    expect(isTelephonyError(copy, 'CallBusy')).toBe(false)
    expect(isTelephonyError({ _tag: 'NotFound' })).toBe(false)
    expect(isTelephonyError(new Error('x'))).toBe(false)
    expect(isTelephonyError(null)).toBe(false)
    expect(isTelephonyError('CallBusy')).toBe(false)
  })

  it('maps SIP statuses to the same errors on every backend, with the ring time in seconds', () => {
    expect(callFailureFromSipStatus('c', 486, 'Busy Here', 4)._tag).toBe('CallBusy')
    const noAnswer = callFailureFromSipStatus('c', 487, 'Request Terminated', 25.5)
    expect(noAnswer).toMatchObject({ _tag: 'CallNoAnswer', reason: 'no_answer', ringSec: 25.5 })
    expect(noAnswer.message).toContain('25.5 s')
    expect(callFailureFromSipStatus('c', 404, 'Not Found', 0)).toMatchObject({
      _tag: 'CallUnreachable',
      permanent: true,
    })
    expect(callFailureFromSipStatus('c', 503, 'Service Unavailable', 1)).toMatchObject({
      _tag: 'CallRejected',
      retryable: true,
    })
  })
})

describe('dialOutcomeOf', () => {
  it('maps answers and failures to core dial outcomes', () => {
    expect(dialOutcomeOf({ callId: 'c', answeredBy: 'person', ringSec: 3 })).toBe('person')
    expect(dialOutcomeOf({ callId: 'c', answeredBy: 'unknown', ringSec: 3 })).toBe('person')
    expect(dialOutcomeOf({ callId: 'c', answeredBy: 'machine', ringSec: 3 })).toBe('machine')
    expect(dialOutcomeOf({ agentCallId: 'a', customerCallId: 'c', answeredBy: 'machine' })).toBe('machine')
    expect(dialOutcomeOf(new CallBusy({ callId: 'c' }))).toBe('busy')
    expect(dialOutcomeOf(new CallNoAnswer({ callId: 'c', ringSec: 30 }))).toBe('no_answer')
    for (const failed of [
      new CallRejected({ callId: 'c', sipStatus: 403, sipReason: 'Forbidden' }),
      new CallUnreachable({ callId: 'c', detail: 'x', permanent: true }),
      new TelephonyServerDown({ detail: 'x' }),
      new CallCancelled({ callId: 'c' }),
      new Error('not a telephony error'),
      undefined,
    ])
      expect(dialOutcomeOf(failed)).toBe('failed')
  })

  it('only ever answers with core DialOutcome values', () => {
    for (const [error] of all) expect(DialOutcome.options).toContain(dialOutcomeOf(error))
  })
})
