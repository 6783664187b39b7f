import {
  type AnsweredBy,
  type CallDirection,
  type CallEvent,
  type CallFailure,
  CallNotFound,
  type CallRole,
  type CallSnapshot,
  type CallState,
  type CallTarget,
  type HangupCause,
  type HangupSide,
  type InboundCall,
  InvalidCallState,
  type RecordingInfo,
  type TelephonyEvent,
  type Unsubscribe,
} from '@switchboard/core'
import type { Clock } from './clock.js'
import { elapsedSec, msToSec } from './units.js'

type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never
export type CallEventInput = DistributiveOmit<CallEvent, 'at' | 'callId'>

export interface Leg {
  readonly id: string
  readonly direction: CallDirection
  readonly role: CallRole
  readonly target?: CallTarget
  readonly agentId?: string
  state: CallState
  readonly createdAt: number
  answeredAt?: number
  answeredBy?: AnsweredBy
  endedAt?: number
  /** Start of the current unbridged-while-answered stretch (epoch ms). */
  waitingSince?: number
  /** Time answered but unbridged so far, in milliseconds (reported in seconds). */
  holdMs: number
  bridgedTo?: string
  recording?: RecordingInfo
}

/**
 * Shared bookkeeping for backends: the table of live legs, the state machine, durations and the event
 * streams. Every backend funnels through it, so every backend emits the same event sequence shapes.
 */
export class CallLedger {
  private readonly legs = new Map<string, Leg>()
  private readonly listeners = new Set<(event: TelephonyEvent) => void>()
  private readonly callListeners = new Map<string, Set<(event: CallEvent) => void>>()
  private readonly inboundListeners = new Set<(call: InboundCall) => void>()

  constructor(private readonly clock: Clock) {}

  now(): number {
    return this.clock.now()
  }

  get size(): number {
    return this.legs.size
  }

  liveIds(): string[] {
    return [...this.legs.keys()]
  }

  has(id: string): boolean {
    return this.legs.has(id)
  }

  get(id: string): Leg | undefined {
    return this.legs.get(id)
  }

  /** The live leg, or CallNotFound. */
  require(id: string): Leg {
    const leg = this.legs.get(id)
    if (!leg) throw new CallNotFound({ callId: id })
    return leg
  }

  requireAnswered(id: string, operation: string): Leg {
    const leg = this.require(id)
    if (leg.state !== 'answered' && leg.state !== 'bridged')
      throw new InvalidCallState({ callId: id, state: leg.state, operation })
    return leg
  }

  create(init: {
    id: string
    direction: CallDirection
    role: CallRole
    target?: CallTarget
    agentId?: string
    metadata?: Readonly<Record<string, string>>
  }): Leg {
    if (this.legs.has(init.id))
      throw new InvalidCallState({
        callId: init.id,
        state: 'exists',
        operation: 'create a call with this id',
      })
    const leg: Leg = {
      id: init.id,
      direction: init.direction,
      role: init.role,
      state: 'initiated',
      createdAt: this.clock.now(),
      holdMs: 0,
      ...(init.target ? { target: init.target } : {}),
      ...(init.agentId !== undefined ? { agentId: init.agentId } : {}),
    }
    this.legs.set(init.id, leg)
    if (init.direction === 'outbound') {
      this.emit(init.id, {
        type: 'initiated',
        direction: init.direction,
        role: init.role,
        target: init.target ?? { type: 'uri', uri: 'unknown' },
        ...(init.agentId !== undefined ? { agentId: init.agentId } : {}),
        ...(init.metadata ? { metadata: init.metadata } : {}),
      })
    }
    return leg
  }

  offerInbound(call: InboundCall): void {
    this.emitRaw({ ...call, type: 'inbound' })
    for (const l of [...this.inboundListeners]) safe(() => l(call))
  }

  ringing(id: string, early = false): void {
    const leg = this.legs.get(id)
    if (leg?.state !== 'initiated') return
    leg.state = 'ringing'
    this.emit(id, { type: 'ringing', early })
  }

  answered(id: string, answeredBy: AnsweredBy): void {
    const leg = this.legs.get(id)
    if (!leg || (leg.state !== 'initiated' && leg.state !== 'ringing')) return
    const now = this.clock.now()
    leg.state = 'answered'
    leg.answeredAt = now
    leg.answeredBy = answeredBy
    leg.waitingSince = now
    this.emit(id, { type: 'answered', answeredBy })
  }

  bridged(a: string, b: string): void {
    const now = this.clock.now()
    for (const [x, y] of [
      [a, b],
      [b, a],
    ] as const) {
      const leg = this.require(x)
      if (leg.bridgedTo && leg.bridgedTo !== y) this.unbridged(x)
      this.closeWait(leg, now)
      leg.state = 'bridged'
      leg.bridgedTo = y
    }
    this.emit(a, { type: 'bridged', otherCallId: b })
    this.emit(b, { type: 'bridged', otherCallId: a })
  }

  /** Breaks the bridge of `id` (both sides), if any. */
  unbridged(id: string): void {
    const leg = this.legs.get(id)
    if (!leg?.bridgedTo) return
    const other = this.legs.get(leg.bridgedTo)
    const now = this.clock.now()
    const otherId = leg.bridgedTo
    delete leg.bridgedTo
    leg.state = 'answered'
    leg.waitingSince = now
    this.emit(id, { type: 'unbridged', otherCallId: otherId })
    if (other && other.bridgedTo === id) {
      delete other.bridgedTo
      other.state = 'answered'
      other.waitingSince = now
      this.emit(other.id, { type: 'unbridged', otherCallId: id })
    }
  }

  event(id: string, event: CallEventInput): void {
    if (!this.legs.has(id)) return
    this.emit(id, event)
  }

  setRecording(id: string, recording: RecordingInfo | undefined): void {
    const leg = this.legs.get(id)
    if (!leg) return
    if (recording) leg.recording = recording
    else delete leg.recording
  }

  /**
   * The recording `rec` of a leg stops now: while the leg is live, it is cleared and `recording-stopped` is
   * emitted. Returns the stopped recording (with its length in seconds).
   */
  recordingStopped(id: string, rec: RecordingInfo): RecordingInfo {
    const stoppedAt = this.clock.now()
    const info: RecordingInfo = { ...rec, stoppedAt, durationSec: elapsedSec(rec.startedAt, stoppedAt) }
    this.setRecording(id, undefined)
    this.event(id, {
      type: 'recording-stopped',
      recordingId: rec.recordingId,
      durationSec: info.durationSec ?? 0,
      ...(rec.location !== undefined ? { location: rec.location } : {}),
    })
    return info
  }

  /** Ends a leg once: emits `ended` with durations and forgets it. Returns false if already ended. */
  ended(id: string, cause: HangupCause, side: HangupSide, sipStatus?: number): boolean {
    const leg = this.legs.get(id)
    if (!leg) return false
    if (leg.bridgedTo) this.unbridged(id)
    const now = this.clock.now()
    if (leg.recording && leg.recording.stoppedAt === undefined) this.recordingStopped(id, leg.recording)
    this.closeWait(leg, now)
    leg.state = 'ended'
    leg.endedAt = now
    const ringSec = elapsedSec(leg.createdAt, leg.answeredAt ?? now)
    const talkSec = leg.answeredAt === undefined ? 0 : elapsedSec(leg.answeredAt + leg.holdMs, now)
    this.legs.delete(id)
    this.emit(id, {
      type: 'ended',
      cause,
      side,
      durations: { ringSec, talkSec, holdSec: msToSec(leg.holdMs) },
      ...(sipStatus !== undefined ? { sipStatus } : {}),
    })
    this.callListeners.delete(id)
    return true
  }

  snapshot(id: string): CallSnapshot | undefined {
    const leg = this.legs.get(id)
    if (!leg) return undefined
    return {
      callId: leg.id,
      state: leg.state,
      direction: leg.direction,
      role: leg.role,
      ...(leg.target ? { target: leg.target } : {}),
      ...(leg.agentId !== undefined ? { agentId: leg.agentId } : {}),
      ...(leg.answeredBy ? { answeredBy: leg.answeredBy } : {}),
      ...(leg.bridgedTo ? { bridgedTo: leg.bridgedTo } : {}),
      ...(leg.recording ? { recording: leg.recording } : {}),
    }
  }

  onEvent(listener: (event: TelephonyEvent) => void): Unsubscribe {
    this.listeners.add(listener)
    return () => this.listeners.delete(listener)
  }

  onCallEvent(id: string, listener: (event: CallEvent) => void): Unsubscribe {
    let set = this.callListeners.get(id)
    if (!set) {
      set = new Set()
      this.callListeners.set(id, set)
    }
    set.add(listener)
    return () => set.delete(listener)
  }

  onInbound(listener: (call: InboundCall) => void): Unsubscribe {
    this.inboundListeners.add(listener)
    return () => this.inboundListeners.delete(listener)
  }

  private closeWait(leg: Leg, now: number): void {
    if (leg.waitingSince !== undefined) {
      leg.holdMs += Math.max(0, now - leg.waitingSince)
      delete leg.waitingSince
    }
  }

  private emit(id: string, input: CallEventInput): void {
    const event = { ...input, callId: id, at: this.clock.now() } as CallEvent
    this.emitRaw(event)
    const set = this.callListeners.get(id)
    if (set) for (const l of [...set]) safe(() => l(event))
  }

  private emitRaw(event: TelephonyEvent): void {
    for (const l of [...this.listeners]) safe(() => l(event))
  }
}

const safe = (fn: () => void): void => {
  try {
    fn()
  } catch (err) {
    queueMicrotask(() => {
      throw err
    })
  }
}

/** The hangup cause of a failed attempt, for a failure from `callFailureFromSipStatus`. */
export const hangupCauseOf = (failure: CallFailure): HangupCause =>
  failure._tag === 'CallBusy'
    ? 'busy'
    : failure._tag === 'CallNoAnswer'
      ? 'no_answer'
      : failure._tag === 'CallUnreachable'
        ? 'unreachable'
        : 'rejected'

export const targetLabel = (t: CallTarget): string =>
  t.type === 'number' ? t.number : t.type === 'uri' ? t.uri : `agent:${t.agentId}`
