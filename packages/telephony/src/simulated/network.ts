import {
  type AnsweredBy,
  type AnsweredCall,
  CallCancelled,
  type CallEvent,
  type CallFailure,
  type CallId,
  type CallSnapshot,
  type CallTarget,
  CapabilityNotSupported,
  type ClickToCallRequest,
  type ClickToCallResult,
  callFailureFromSipStatus,
  DEFAULT_RING_TIMEOUT_SEC,
  type HangupCause,
  type InboundCall,
  InvalidCallState,
  type OriginateRequest,
  type PlayRequest,
  type RecordingInfo,
  type TelephonyBackend,
  type TelephonyCapabilities,
  type TelephonyEvent,
  TelephonyServerDown,
  type TransferRequest,
  type Unsubscribe,
} from '@switchboard/core'
import { type Clock, realClock, type TimerHandle } from '../shared/clock.js'
import { newCallId } from '../shared/ids.js'
import { CallLedger, hangupCauseOf, targetLabel } from '../shared/ledger.js'
import { agentFirstClickToCall, connectBlindTransfer } from '../shared/leg-recipes.js'
import { elapsedSec, secToMs } from '../shared/units.js'
import { type Distribution, fixed, Rng, sample, uniform } from './random.js'

/** What the far end of a customer call does. */
export type SimulatedOutcome = 'person' | 'machine' | 'busy' | 'no_answer' | 'rejected' | 'unreachable'

/** A scripted far end for one number (overrides the carrier's random draw). */
export interface NumberScript {
  readonly outcome: SimulatedOutcome
  /** Ring time before the outcome, in seconds (default: the carrier's `ringSec` draw). */
  readonly ringSec?: number
  /** Once bridged, the person hangs up after this long, in seconds. */
  readonly talkSec?: number
  /** SIP status for 'rejected' (default 403) or 'unreachable' (default 404). */
  readonly sipStatus?: number
  /** Digits the party presses once bridged (one every 0.3 s). */
  readonly dtmf?: string
}

/** How the virtual carrier behaves. Every duration is a distribution in seconds. */
export interface CarrierProfile {
  /** Shares of outcomes (normalised). */
  readonly outcomes: Readonly<Partial<Record<SimulatedOutcome, number>>>
  /** Time before ringing starts (routing, 100 Trying → 180). */
  readonly setupSec: Distribution
  /** Ring time before a person or machine answers, or before busy/rejected comes back. */
  readonly ringSec: Distribution
  /** How long an unanswered phone rings before the network gives up (the ring timeout usually wins). */
  readonly noAnswerRingSec: Distribution
  /** Conversation length once the person is bridged to someone. */
  readonly talkSec: Distribution
  /** How long an answered person waits, unbridged, before hanging up (abandonment from their side). */
  readonly patienceSec: Distribution
  /** An answering machine's greeting plus beep: it hangs up after this. */
  readonly machineSec: Distribution
}

export interface AmdProfile {
  /** P(detected as machine | machine). */
  readonly sensitivity: number
  /** P(detected as person | person). */
  readonly specificity: number
  /** Time from pickup to the verdict; the `answered` event comes at the verdict. */
  readonly detectionSec: Distribution
}

export interface AgentProfile {
  /** Time the agent's softphone rings before the agent answers, in seconds. */
  readonly answerSec?: Distribution
  /** An agent that does not answer (logged out, away). */
  readonly outcome?: 'answer' | 'no_answer' | 'busy'
  /** After-call work, in seconds; not used by the network itself, exposed through `sampleWrapSec` for dialer simulations. */
  readonly wrapSec?: Distribution
}

export interface SimulatedNetworkOptions {
  readonly seed?: number
  /** Real time by default; pass a `ManualClock` to run on virtual time. */
  readonly clock?: Clock
  readonly carrier?: Partial<CarrierProfile>
  readonly amd?: Partial<AmdProfile>
  /** Deterministic behaviour per number (E.164 or SIP URI as given in the target). */
  readonly numbers?: Readonly<Record<string, NumberScript>>
  /** Known agents. With `anyAgent`, unknown agent ids are answered with the default profile. */
  readonly agents?: Readonly<Record<string, AgentProfile>>
  readonly anyAgent?: boolean
  /** Playback length per media reference, in seconds (default 4). */
  readonly mediaDurationsSec?: Readonly<Record<string, number>>
  readonly capabilities?: Partial<TelephonyCapabilities>
}

const DEFAULT_CARRIER: CarrierProfile = {
  outcomes: { person: 0.35, machine: 0.15, busy: 0.08, no_answer: 0.35, rejected: 0.04, unreachable: 0.03 },
  setupSec: uniform(0.05, 0.4),
  ringSec: { type: 'lognormal', medianSec: 9, sigma: 0.5, minSec: 2, maxSec: 40 },
  noAnswerRingSec: fixed(60),
  talkSec: { type: 'lognormal', medianSec: 120, sigma: 0.8, minSec: 5, maxSec: 1_800 },
  patienceSec: uniform(2, 8),
  machineSec: uniform(12, 30),
}

const DEFAULT_AMD: AmdProfile = { sensitivity: 0.9, specificity: 0.95, detectionSec: uniform(1.5, 3) }

const DEFAULT_AGENT: Required<Omit<AgentProfile, 'wrapSec'>> & { wrapSec: Distribution } = {
  answerSec: uniform(0.3, 1.5),
  outcome: 'answer',
  wrapSec: { type: 'lognormal', medianSec: 20, sigma: 0.5, minSec: 3, maxSec: 300 },
}

interface Pending {
  resolve: (a: AnsweredCall) => void
  reject: (e: CallFailure) => void
  ringTimer?: TimerHandle
}

interface Party {
  /** Ground truth of the far end. */
  kind: 'person' | 'machine' | 'agent' | 'caller'
  talkSec?: number
  dtmf?: string
  talkTimerArmed: boolean
  patienceTimer?: TimerHandle
}

/**
 * A virtual carrier and virtual softphones implementing the telephony contract. Seeded and reproducible;
 * runs on real time or on a `ManualClock`.
 */
export class SimulatedTelephony implements TelephonyBackend {
  readonly name = 'simulated'
  readonly capabilities: TelephonyCapabilities
  readonly clock: Clock
  private readonly ledger: CallLedger
  private readonly rng: Rng
  private readonly carrier: CarrierProfile
  private readonly amd: AmdProfile
  private readonly timers = new Map<CallId, Set<TimerHandle>>()
  private readonly pending = new Map<CallId, Pending>()
  private readonly parties = new Map<CallId, Party>()
  private started = false
  private down = false
  private recordingSeq = 0

  constructor(private readonly options: SimulatedNetworkOptions = {}) {
    this.clock = options.clock ?? realClock()
    this.ledger = new CallLedger(this.clock)
    this.rng = new Rng(options.seed ?? 1)
    this.carrier = { ...DEFAULT_CARRIER, ...options.carrier }
    this.amd = { ...DEFAULT_AMD, ...options.amd }
    this.capabilities = {
      answeringMachineDetection: true,
      blindTransfer: true,
      attendedTransfer: true,
      recording: true,
      playMedia: true,
      sendDtmf: true,
      inbound: true,
      ...options.capabilities,
    }
  }

  // ---- lifecycle ---------------------------------------------------------------------------------------

  async start(): Promise<void> {
    this.started = true
  }

  async stop(): Promise<void> {
    for (const id of this.ledger.liveIds()) this.finish(id, 'normal', 'local')
    this.started = false
  }

  /** Simulates the carrier going down (true) or coming back (false). Live calls are dropped. */
  setDown(down: boolean): void {
    this.down = down
    if (down) for (const id of this.ledger.liveIds()) this.finish(id, 'server_down', 'network')
  }

  /** Number of live legs (for tests and benchmarks). */
  get liveCalls(): number {
    return this.ledger.size
  }

  /** Draws an after-call work time for an agent, in seconds (for dialer simulations). */
  sampleWrapSec(agentId: string): number {
    return sample(this.rng, this.options.agents?.[agentId]?.wrapSec ?? DEFAULT_AGENT.wrapSec)
  }

  // ---- outbound ----------------------------------------------------------------------------------------

  originate(request: OriginateRequest): Promise<AnsweredCall> {
    const id = request.callId ?? newCallId()
    if (!this.started || this.down)
      return Promise.reject(new TelephonyServerDown({ detail: 'simulated network unavailable', callId: id }))
    let leg: ReturnType<CallLedger['create']>
    try {
      const role = request.role ?? (request.target.type === 'agent' ? 'agent' : 'customer')
      leg = this.ledger.create({
        id,
        direction: 'outbound',
        role,
        target: request.target,
        ...(request.target.type === 'agent' ? { agentId: request.target.agentId } : {}),
        ...(request.metadata ? { metadata: request.metadata } : {}),
      })
    } catch (err) {
      return Promise.reject(err)
    }
    return new Promise<AnsweredCall>((resolve, reject) => {
      const pending: Pending = { resolve, reject }
      this.pending.set(id, pending)
      const plan = this.plan(request.target)
      const setupSec = sample(this.rng, this.carrier.setupSec)
      const ringTimeoutSec = request.ringTimeoutSec ?? DEFAULT_RING_TIMEOUT_SEC
      this.after(id, setupSec, () => {
        if (plan.kind === 'unreachable') return this.fail(id, plan.sipStatus ?? 404, 'Not Found')
        this.ledger.ringing(id)
        pending.ringTimer = this.after(id, ringTimeoutSec, () =>
          this.fail(id, 487, 'Request Terminated', 'no_answer'),
        )
        if (plan.kind === 'no_answer') return
        this.after(id, plan.ringSec, () => {
          if (plan.kind === 'busy') return this.fail(id, 486, 'Busy Here')
          if (plan.kind === 'rejected') return this.fail(id, plan.sipStatus ?? 403, 'Forbidden')
          if (pending.ringTimer) this.clock.clearTimeout(pending.ringTimer)
          this.parties.set(id, {
            kind: plan.kind as Party['kind'],
            talkTimerArmed: false,
            ...(plan.talkSec !== undefined ? { talkSec: plan.talkSec } : {}),
            ...(plan.dtmf !== undefined ? { dtmf: plan.dtmf } : {}),
          })
          const detect = request.detectMachine === true && this.capabilities.answeringMachineDetection
          const verdictSec = detect ? sample(this.rng, this.amd.detectionSec) : 0
          this.after(id, verdictSec, () => {
            const answeredBy = detect ? this.classify(plan.kind) : 'unknown'
            this.ledger.answered(id, answeredBy)
            this.pending.delete(id)
            this.afterAnswer(id)
            resolve({ callId: id, answeredBy, ringSec: elapsedSec(leg.createdAt, this.clock.now()) })
          })
        })
      })
    })
  }

  clickToCall(request: ClickToCallRequest): Promise<ClickToCallResult> {
    return agentFirstClickToCall(this, (id) => this.ledger.has(id), request)
  }

  // ---- inbound -----------------------------------------------------------------------------------------

  /**
   * A call arrives from the network (a customer calling the dialled number). Returns its id. The caller
   * hangs up after `patienceSec` seconds if nobody answers, and after `talkSec` seconds of conversation once
   * bridged.
   */
  placeInboundCall(call: {
    readonly from: string
    readonly to: string
    readonly pAssertedIdentity?: string
    readonly withheld?: boolean
    readonly patienceSec?: number
    readonly talkSec?: number
    readonly callId?: CallId
  }): CallId {
    if (!this.started || this.down) throw new TelephonyServerDown({ detail: 'simulated network unavailable' })
    const id = call.callId ?? newCallId()
    this.ledger.create({
      id,
      direction: 'inbound',
      role: 'customer',
      target: { type: 'number', number: call.to },
    })
    this.parties.set(id, {
      kind: 'caller',
      talkTimerArmed: false,
      ...(call.talkSec !== undefined ? { talkSec: call.talkSec } : {}),
    })
    const patience = call.patienceSec ?? sample(this.rng, this.carrier.noAnswerRingSec)
    this.after(id, patience, () => {
      const leg = this.ledger.get(id)
      if (leg && leg.state === 'ringing') this.finish(id, 'cancelled', 'remote', 487)
    })
    const withheld = call.withheld ?? false
    const offer: InboundCall = {
      callId: id,
      at: this.clock.now(),
      from: withheld ? 'anonymous' : (call.pAssertedIdentity ?? call.from),
      fromHeader: withheld ? 'anonymous' : call.from,
      to: call.to,
      withheld,
      ...(call.pAssertedIdentity !== undefined ? { pAssertedIdentity: call.pAssertedIdentity } : {}),
    }
    this.ledger.offerInbound(offer)
    this.ledger.ringing(id)
    return id
  }

  async answer(callId: CallId): Promise<void> {
    this.assertUp()
    const leg = this.ledger.require(callId)
    if (leg.direction !== 'inbound' || leg.state !== 'ringing')
      throw new InvalidCallState({ callId, state: leg.state, operation: 'answer' })
    this.ledger.answered(callId, 'person')
    this.afterAnswer(callId)
  }

  async reject(callId: CallId, sipStatus = 486): Promise<void> {
    this.assertUp()
    const leg = this.ledger.require(callId)
    if (leg.direction !== 'inbound' || leg.state !== 'ringing')
      throw new InvalidCallState({ callId, state: leg.state, operation: 'reject' })
    this.finish(callId, 'rejected', 'local', sipStatus)
  }

  // ---- remote party controls (the "virtual softphones") ------------------------------------------------

  /** The far end of a leg hangs up (BYE from the remote party, or CANCEL for a ringing inbound call). */
  remoteHangup(callId: CallId): void {
    const leg = this.ledger.get(callId)
    if (!leg) return
    if (leg.state === 'initiated' || leg.state === 'ringing') {
      if (leg.direction === 'inbound') this.finish(callId, 'cancelled', 'remote', 487)
      else this.fail(callId, 480, 'Temporarily Unavailable')
      return
    }
    this.finish(callId, 'normal', 'remote')
  }

  /** The far end presses keys (RFC 2833 / SIP INFO on a real network). */
  remoteDtmf(callId: CallId, digits: string): void {
    if (!this.ledger.get(callId)) return
    for (const digit of digits) this.ledger.event(callId, { type: 'dtmf', digit, direction: 'received' })
  }

  // ---- in-call operations ------------------------------------------------------------------------------

  async bridge(a: CallId, b: CallId): Promise<void> {
    this.assertUp()
    if (a === b)
      throw new InvalidCallState({ callId: a, state: 'answered', operation: 'bridge a call to itself' })
    this.ledger.requireAnswered(a, 'bridge')
    this.ledger.requireAnswered(b, 'bridge')
    this.ledger.bridged(a, b)
    this.armTalk(a)
    this.armTalk(b)
  }

  async transfer(callId: CallId, request: TransferRequest): Promise<void> {
    this.assertUp()
    const leg = this.ledger.requireAnswered(callId, 'transfer')
    if (request.type === 'blind') {
      if (!this.capabilities.blindTransfer) throw this.unsupported('blindTransfer')
      const previous = leg.bridgedTo
      if (previous) this.finish(previous, 'transferred', 'local')
      await connectBlindTransfer(this, this.ledger, callId, request)
      return
    }
    if (!this.capabilities.attendedTransfer) throw this.unsupported('attendedTransfer')
    const consult = this.ledger.requireAnswered(request.consultCallId, 'complete an attended transfer to')
    const released = new Set([leg.bridgedTo, consult.bridgedTo].filter((x): x is string => !!x))
    released.delete(callId)
    released.delete(request.consultCallId)
    for (const r of released) this.finish(r, 'transferred', 'local')
    await this.bridge(callId, request.consultCallId)
    this.ledger.event(callId, { type: 'transferred', kind: 'attended', toCallId: request.consultCallId })
  }

  async hangup(callId: CallId, cause: HangupCause = 'normal'): Promise<void> {
    const leg = this.ledger.get(callId)
    if (!leg) return
    if (leg.direction === 'outbound' && (leg.state === 'initiated' || leg.state === 'ringing')) {
      const pending = this.pending.get(callId)
      this.pending.delete(callId)
      this.finish(callId, 'cancelled', 'local', 487)
      pending?.reject(new CallCancelled({ callId }))
      return
    }
    if (leg.direction === 'inbound' && leg.state === 'ringing') {
      this.finish(callId, 'rejected', 'local', 480)
      return
    }
    this.finish(callId, cause, 'local')
  }

  async playMessage(callId: CallId, request: PlayRequest): Promise<void> {
    this.assertUp()
    if (!this.capabilities.playMedia) throw this.unsupported('playMedia')
    this.ledger.requireAnswered(callId, 'play a message')
    const durationSec = this.options.mediaDurationsSec?.[request.media] ?? 4
    const done = new Promise<void>((resolve) => {
      const unsubscribe = this.ledger.onCallEvent(callId, (e) => {
        if (e.type === 'ended') {
          unsubscribe()
          resolve()
        }
      })
      this.after(callId, durationSec, () => {
        unsubscribe()
        this.ledger.event(callId, { type: 'media-played', media: request.media, durationSec })
        resolve()
      })
    })
    if (request.waitForEnd !== false) await done
  }

  async startRecording(callId: CallId): Promise<RecordingInfo> {
    this.assertUp()
    if (!this.capabilities.recording) throw this.unsupported('recording')
    const leg = this.ledger.requireAnswered(callId, 'start recording')
    if (leg.recording)
      throw new InvalidCallState({ callId, state: 'recording', operation: 'start recording' })
    const info: RecordingInfo = {
      callId,
      recordingId: `rec-${++this.recordingSeq}`,
      startedAt: this.clock.now(),
      location: `simulated://recordings/${callId}/${this.recordingSeq}`,
    }
    this.ledger.setRecording(callId, info)
    this.ledger.event(callId, { type: 'recording-started', recordingId: info.recordingId })
    return info
  }

  async stopRecording(callId: CallId): Promise<RecordingInfo> {
    this.assertUp()
    if (!this.capabilities.recording) throw this.unsupported('recording')
    const leg = this.ledger.require(callId)
    const rec = leg.recording
    if (!rec)
      throw new InvalidCallState({ callId, state: leg.state, operation: 'stop recording (not recording)' })
    return this.ledger.recordingStopped(callId, rec)
  }

  async sendDtmf(callId: CallId, digits: string): Promise<void> {
    this.assertUp()
    if (!/^[0-9*#A-D]+$/.test(digits))
      throw new InvalidCallState({ callId, state: 'answered', operation: `send DTMF "${digits}"` })
    this.ledger.requireAnswered(callId, 'send DTMF')
    for (const digit of digits) this.ledger.event(callId, { type: 'dtmf', digit, direction: 'sent' })
  }

  call(callId: CallId): CallSnapshot | undefined {
    return this.ledger.snapshot(callId)
  }

  onEvent(listener: (event: TelephonyEvent) => void): Unsubscribe {
    return this.ledger.onEvent(listener)
  }

  onCallEvent(callId: CallId, listener: (event: CallEvent) => void): Unsubscribe {
    return this.ledger.onCallEvent(callId, listener)
  }

  onInbound(listener: (call: InboundCall) => void): Unsubscribe {
    return this.ledger.onInbound(listener)
  }

  // ---- internals ---------------------------------------------------------------------------------------

  private plan(target: CallTarget): {
    kind: SimulatedOutcome | 'agent'
    ringSec: number
    talkSec?: number
    sipStatus?: number
    dtmf?: string
  } {
    if (target.type === 'agent') {
      const profile = this.options.agents?.[target.agentId]
      if (!profile && !this.options.anyAgent) return { kind: 'unreachable', ringSec: 0, sipStatus: 404 }
      const outcome = profile?.outcome ?? 'answer'
      const ringSec = sample(this.rng, profile?.answerSec ?? DEFAULT_AGENT.answerSec)
      return { kind: outcome === 'answer' ? 'agent' : outcome, ringSec }
    }
    const script = this.options.numbers?.[targetLabel(target)]
    if (script) {
      return {
        kind: script.outcome,
        ringSec: script.ringSec ?? sample(this.rng, this.carrier.ringSec),
        ...(script.talkSec !== undefined ? { talkSec: script.talkSec } : {}),
        ...(script.sipStatus !== undefined ? { sipStatus: script.sipStatus } : {}),
        ...(script.dtmf !== undefined ? { dtmf: script.dtmf } : {}),
      }
    }
    const kind = this.rng.pick(this.carrier.outcomes)
    return { kind, ringSec: sample(this.rng, this.carrier.ringSec) }
  }

  private classify(truth: SimulatedOutcome | 'agent'): AnsweredBy {
    if (truth === 'machine') return this.rng.next() < this.amd.sensitivity ? 'machine' : 'person'
    return this.rng.next() < this.amd.specificity ? 'person' : 'machine'
  }

  private afterAnswer(id: CallId): void {
    const party = this.parties.get(id)
    if (!party) return
    if (party.kind === 'machine') {
      this.after(id, sample(this.rng, this.carrier.machineSec), () => this.finish(id, 'normal', 'remote'))
    } else if (party.kind === 'person' || party.kind === 'caller') {
      party.patienceTimer = this.after(id, sample(this.rng, this.carrier.patienceSec), () => {
        const leg = this.ledger.get(id)
        if (leg && leg.state === 'answered' && !party.talkTimerArmed) this.finish(id, 'normal', 'remote')
      })
    }
  }

  private armTalk(id: CallId): void {
    const party = this.parties.get(id)
    if (!party || party.talkTimerArmed || party.kind === 'agent' || party.kind === 'machine') return
    party.talkTimerArmed = true
    if (party.patienceTimer) this.clock.clearTimeout(party.patienceTimer)
    const talkSec = party.talkSec ?? sample(this.rng, this.carrier.talkSec)
    if (party.dtmf) {
      const digits = party.dtmf
      for (const [i, digit] of [...digits].entries()) {
        this.after(id, 0.3 * (i + 1), () =>
          this.ledger.event(id, { type: 'dtmf', digit, direction: 'received' }),
        )
      }
    }
    this.after(id, talkSec, () => this.finish(id, 'normal', 'remote'))
  }

  private fail(id: CallId, sipStatus: number, reason: string, cause?: HangupCause): void {
    const leg = this.ledger.get(id)
    if (!leg) return
    const pending = this.pending.get(id)
    this.pending.delete(id)
    const error = callFailureFromSipStatus(id, sipStatus, reason, elapsedSec(leg.createdAt, this.clock.now()))
    const mapped = cause ?? hangupCauseOf(error)
    this.finish(id, mapped, cause === 'no_answer' ? 'local' : 'remote', sipStatus)
    pending?.reject(error)
  }

  private finish(
    id: CallId,
    cause: HangupCause,
    side: 'local' | 'remote' | 'network',
    sipStatus?: number,
  ): void {
    const set = this.timers.get(id)
    if (set) for (const t of set) this.clock.clearTimeout(t)
    this.timers.delete(id)
    this.parties.delete(id)
    const pending = this.pending.get(id)
    this.pending.delete(id)
    if (!this.ledger.ended(id, cause, side, sipStatus)) return
    if (pending) {
      pending.reject(
        cause === 'server_down'
          ? new TelephonyServerDown({ detail: 'simulated network went down', callId: id })
          : new CallCancelled({ callId: id }),
      )
    }
  }

  /** Runs `fn` after `sec` seconds unless the call ends first. */
  private after(id: CallId, sec: number, fn: () => void): TimerHandle {
    let set = this.timers.get(id)
    if (!set) {
      set = new Set()
      this.timers.set(id, set)
    }
    const owner = set
    const handle: TimerHandle = this.clock.setTimeout(() => {
      owner.delete(handle)
      fn()
    }, secToMs(sec))
    set.add(handle)
    return handle
  }

  private assertUp(): void {
    if (!this.started || this.down) throw new TelephonyServerDown({ detail: 'simulated network unavailable' })
  }

  private unsupported(capability: string): CapabilityNotSupported {
    return new CapabilityNotSupported({ capability, backend: this.name })
  }
}
