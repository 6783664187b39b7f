/**
 * The telephony contract: what a telephony backend (a SIP stack, a simulated network, a CPaaS) offers to
 * the dialer, click-to-call, screen pop and recording. Backends live in `@switchboard/telephony` or in
 * third-party packages; they are tested with `@switchboard/testkit/telephony`.
 *
 * A "call" here is one leg: one party (a customer or an agent) connected to the backend. The backend
 * bridges legs (B2BUA). Methods return promises that reject with the typed errors of `./errors.ts`.
 *
 * Units: durations are in **seconds** (numbers, fractions allowed; fields end in `Sec`), as everywhere in
 * Switchboard. Instants (an event's `at`, a recording's `startedAt`) are epoch milliseconds.
 */

export type CallId = string

export type CallDirection = 'outbound' | 'inbound'

/** Who is on the leg. Agents are reached by id; the backend resolves their endpoint. */
export type CallRole = 'customer' | 'agent'

/** What answered: a person, an answering machine, or unknown when the backend cannot tell. */
export type AnsweredBy = 'person' | 'machine' | 'unknown'

export type CallState = 'initiated' | 'ringing' | 'answered' | 'bridged' | 'ended'

/** Where to place a call: a phone number (E.164 preferred), a SIP URI, or an agent by id. */
export type CallTarget =
  | { readonly type: 'number'; readonly number: string }
  | { readonly type: 'uri'; readonly uri: string }
  | { readonly type: 'agent'; readonly agentId: string }

/** Why a call ended (snake_case, like every outcome in Switchboard). */
export type HangupCause =
  | 'normal' // someone hung up after the conversation
  | 'busy'
  | 'no_answer'
  | 'rejected'
  | 'unreachable'
  | 'cancelled' // hung up locally while ringing
  | 'abandoned' // answered but no agent was available; the dialer hung up (after the message)
  | 'machine' // answered by a machine and released by policy
  | 'transferred' // this leg left the call by a transfer
  | 'server_down'
  | 'timeout'
  | 'error'

/** Who ended the call. */
export type HangupSide = 'local' | 'remote' | 'network'

/** How long a leg spent in each phase, in seconds. */
export interface CallDurations {
  /** From the start of ringing (or of the attempt) to answer or failure, in seconds. */
  readonly ringSec: number
  /** From answer to end, minus hold, in seconds. */
  readonly talkSec: number
  /** Time on hold (unbridged while answered, or held by re-INVITE), in seconds. */
  readonly holdSec: number
}

export interface TelephonyCapabilities {
  /** Classifies answers as person or machine (otherwise `answeredBy` is always 'unknown'). */
  readonly answeringMachineDetection: boolean
  readonly blindTransfer: boolean
  readonly attendedTransfer: boolean
  /** Start and stop recording on demand. */
  readonly recording: boolean
  /** Play a prerecorded message into a call (the abandoned-call message). */
  readonly playMedia: boolean
  readonly sendDtmf: boolean
  /** Receives inbound calls. */
  readonly inbound: boolean
}

interface CallEventBase {
  readonly callId: CallId
  /** Time of the event on the backend's clock (epoch ms; virtual time on a simulated clock). */
  readonly at: number
}

export type CallEvent =
  | (CallEventBase & {
      readonly type: 'initiated'
      readonly direction: CallDirection
      readonly role: CallRole
      readonly target: CallTarget
      readonly agentId?: string
      readonly metadata?: Readonly<Record<string, string>>
    })
  | (CallEventBase & { readonly type: 'ringing'; readonly early: boolean })
  | (CallEventBase & { readonly type: 'answered'; readonly answeredBy: AnsweredBy })
  | (CallEventBase & { readonly type: 'bridged'; readonly otherCallId: CallId })
  | (CallEventBase & { readonly type: 'unbridged'; readonly otherCallId: CallId })
  | (CallEventBase & {
      readonly type: 'transferred'
      readonly kind: 'blind' | 'attended'
      /** The leg that now talks to this call's party. */
      readonly toCallId?: CallId
      readonly target?: CallTarget
    })
  | (CallEventBase & { readonly type: 'recording-started'; readonly recordingId: string })
  | (CallEventBase & {
      readonly type: 'recording-stopped'
      readonly recordingId: string
      /** Length of the recording, in seconds. */
      readonly durationSec: number
      /** Where the media server wrote it, when known (a file path or URL). */
      readonly location?: string
    })
  | (CallEventBase & {
      readonly type: 'media-played'
      readonly media: string
      /** Length of the playback, in seconds. */
      readonly durationSec: number
    })
  | (CallEventBase & {
      readonly type: 'dtmf'
      readonly digit: string
      readonly direction: 'received' | 'sent'
    })
  | (CallEventBase & {
      readonly type: 'ended'
      readonly cause: HangupCause
      readonly side: HangupSide
      readonly sipStatus?: number
      readonly durations: CallDurations
    })

export type CallEventType = CallEvent['type']

/** An inbound call offered to the host; answer it with `answer`, refuse it with `reject`. */
export interface InboundCall {
  readonly callId: CallId
  readonly at: number
  /** The caller's number: P-Asserted-Identity when present (trusted network), otherwise From. */
  readonly from: string
  /** The From header's user part, as received. */
  readonly fromHeader: string
  readonly pAssertedIdentity?: string
  /** The dialled number (Request-URI user part, or To). */
  readonly to: string
  /** The caller withheld the number (Privacy: id, anonymous From). */
  readonly withheld: boolean
  /** Set when the call comes from a known agent endpoint. */
  readonly agentId?: string
}

export type TelephonyEvent = CallEvent | (InboundCall & { readonly type: 'inbound' })

/** The ring timeout of a leg when the request does not set one, in seconds. */
export const DEFAULT_RING_TIMEOUT_SEC = 30

export interface OriginateRequest {
  readonly target: CallTarget
  /** Presented caller id (E.164 or SIP URI). */
  readonly callerId?: string
  /** Role of the party reached; defaults to 'agent' for agent targets, 'customer' otherwise. */
  readonly role?: CallRole
  /** Caller-chosen id (must be unique); the backend generates one otherwise. */
  readonly callId?: CallId
  /** Ring timeout before the attempt fails with CallNoAnswer, in seconds. Default `DEFAULT_RING_TIMEOUT_SEC` (30). */
  readonly ringTimeoutSec?: number
  /** Ask for answering-machine detection (ignored when the capability is absent: answeredBy 'unknown'). */
  readonly detectMachine?: boolean
  readonly metadata?: Readonly<Record<string, string>>
}

export interface AnsweredCall {
  readonly callId: CallId
  readonly answeredBy: AnsweredBy
  /** How long it rang before the answer, in seconds. */
  readonly ringSec: number
}

export interface ClickToCallRequest {
  readonly agentId: string
  readonly customer: CallTarget
  readonly callerId?: string
  readonly agentCallId?: CallId
  readonly customerCallId?: CallId
  /** Ring timeout of the agent's leg, in seconds (default: the backend's, 30). */
  readonly agentRingTimeoutSec?: number
  /** Ring timeout of the customer's leg, in seconds (default: the backend's, 30). */
  readonly customerRingTimeoutSec?: number
  readonly metadata?: Readonly<Record<string, string>>
}

export interface ClickToCallResult {
  readonly agentCallId: CallId
  readonly customerCallId: CallId
  readonly answeredBy: AnsweredBy
}

export type TransferRequest =
  /** Connect the party on `callId` to a new target; the leg it was bridged to is released. */
  | {
      readonly type: 'blind'
      readonly target: CallTarget
      readonly callId?: CallId
      /** Ring timeout of the new leg, in seconds. */
      readonly ringTimeoutSec?: number
    }
  /**
   * Connect the party on `callId` to the party on `consultCallId` (already answered, typically after the
   * agent consulted them); the legs they were bridged to are released.
   */
  | { readonly type: 'attended'; readonly consultCallId: CallId }

export interface PlayRequest {
  /** Media reference understood by the backend (a WAV path for rtpengine, any label for the simulator). */
  readonly media: string
  /** Resolve when playback ends (default true). */
  readonly waitForEnd?: boolean
}

export interface RecordingInfo {
  readonly callId: CallId
  readonly recordingId: string
  /** Epoch ms. */
  readonly startedAt: number
  /** Epoch ms. */
  readonly stoppedAt?: number
  /** Length, in seconds, once stopped. */
  readonly durationSec?: number
  readonly location?: string
}

export interface CallSnapshot {
  readonly callId: CallId
  readonly state: CallState
  readonly direction: CallDirection
  readonly role: CallRole
  readonly target?: CallTarget
  readonly agentId?: string
  readonly answeredBy?: AnsweredBy
  readonly bridgedTo?: CallId
  readonly recording?: RecordingInfo
}

export type Unsubscribe = () => void

/**
 * A telephony backend. The contract test suite (`@switchboard/testkit/telephony`) fixes the semantics:
 * - `originate` resolves when the leg is answered and rejects with a CallFailure otherwise; the
 *   `initiated`, `ringing`, `answered` and `ended` events are emitted in that order (ringing may be absent).
 * - every leg that emitted `initiated` (or `inbound`) emits exactly one `ended`, last, with durations.
 * - operations on unknown or ended calls reject with CallNotFound; absent capabilities reject with
 *   CapabilityNotSupported.
 */
export interface TelephonyBackend {
  readonly name: string
  readonly capabilities: TelephonyCapabilities

  /** Connects to the network (idempotent). Operations before `start` reject with TelephonyServerDown. */
  start(): Promise<void>
  /** Hangs up every call (cause 'server_down' is NOT used: 'normal', side 'local') and disconnects. */
  stop(): Promise<void>

  originate(request: OriginateRequest): Promise<AnsweredCall>
  /** Agent leg first; when the agent answers, the customer leg; bridged when the customer answers. */
  clickToCall(request: ClickToCallRequest): Promise<ClickToCallResult>
  /** Answer an offered inbound call. */
  answer(callId: CallId): Promise<void>
  /** Refuse an offered inbound call with a SIP status (default 486). */
  reject(callId: CallId, sipStatus?: number): Promise<void>
  /** Connect the media of two answered legs. Re-bridging releases neither leg's previous partner. */
  bridge(a: CallId, b: CallId): Promise<void>
  transfer(callId: CallId, request: TransferRequest): Promise<void>
  /** Hang up one leg (CANCEL while ringing, BYE when answered). Hanging up an ended call is a no-op. */
  hangup(callId: CallId, cause?: HangupCause): Promise<void>
  playMessage(callId: CallId, request: PlayRequest): Promise<void>
  startRecording(callId: CallId): Promise<RecordingInfo>
  stopRecording(callId: CallId): Promise<RecordingInfo>
  sendDtmf(callId: CallId, digits: string): Promise<void>

  /** Current state of a live call, undefined once ended. */
  call(callId: CallId): CallSnapshot | undefined
  /** Every event of every call, and inbound offers. */
  onEvent(listener: (event: TelephonyEvent) => void): Unsubscribe
  /** Events of one call. */
  onCallEvent(callId: CallId, listener: (event: CallEvent) => void): Unsubscribe
  /** Inbound calls offered to the host (resolve the caller for a screen pop, then answer or reject). */
  onInbound(listener: (call: InboundCall) => void): Unsubscribe
}
