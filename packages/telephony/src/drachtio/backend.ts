import {
  type AnsweredCall,
  CallCancelled,
  type CallEvent,
  type CallFailure,
  type CallId,
  type CallSnapshot,
  type CallTarget,
  CallUnreachable,
  CapabilityNotSupported,
  type ClickToCallRequest,
  type ClickToCallResult,
  callFailureFromSipStatus,
  DEFAULT_RING_TIMEOUT_SEC,
  type HangupCause,
  type HangupSide,
  type InboundCall,
  InvalidCallState,
  MediaError,
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
import { CallLedger, hangupCauseOf } from '../shared/ledger.js'
import { agentFirstClickToCall, connectBlindTransfer } from '../shared/leg-recipes.js'
import { elapsedSec, secToMs } from '../shared/units.js'
import type { AnchoredLeg, MediaAnchor } from './media.js'
import { Registrar, type RegistrarOptions } from './registrar.js'
import { answerDirection, directionOf, holdSdp, mediaChanged, unbridgedSdp, withDirection } from './sdp.js'
import { callerOf, digitFromInfo, dtmfInfoBody, tagOf, uriOf, userOf } from './sip.js'
import type { DialogLike, SrfLike, SrfRequestLike, SrfResponseLike } from './srf-like.js'

export type DrachtioServerOptions =
  /** The application connects to drachtio-server's admin port (inbound connection, default 9022). */
  | { readonly mode: 'connect'; readonly host: string; readonly port?: number; readonly secret: string }
  /** drachtio-server connects to the application (outbound connection mode). */
  | { readonly mode: 'listen'; readonly port: number; readonly host?: string; readonly secret: string }

export interface DrachtioBackendOptions {
  /** The drachtio-srf instance (or any object with the same subset). */
  readonly srf: SrfLike
  readonly server: DrachtioServerOptions
  /** How phone numbers are dialled: `sip:{number}@carrier.example.com`, with optional digest credentials. */
  readonly trunk?: {
    readonly uriTemplate: string
    readonly auth?: { readonly username: string; readonly password: string }
    readonly proxy?: string
  }
  /** Agents as SIP endpoints: static URIs, and/or a registrar with digest authentication. */
  readonly agents?: {
    readonly static?: Readonly<Record<string, string>>
    readonly registrar?: RegistrarOptions
  }
  /** Default presented caller id. */
  readonly callerId?: string
  /** Media anchor (rtpengine). Without it, recording and playing media are reported absent. */
  readonly media?: MediaAnchor
  /** Address written in the SDP of unanchored legs. */
  readonly sdpAddress?: string
  /** Close the media anchor's client on `stop` (set by the `drachtio()` factory, which creates it). */
  readonly closeMediaOnStop?: boolean
  readonly clock?: Clock
}

interface SipLeg extends AnchoredLeg {
  readonly id: CallId
  dialog?: DialogLike
  inviteReq?: SrfRequestLike
  /** Inbound: the pending INVITE's response object. */
  inviteRes?: SrfResponseLike
  /** The far end's current description (its INVITE offer, its answer, its last re-INVITE or answer). */
  remoteSdp?: string
  /** Ours as the far end last received it (INVITE, 200 OK or re-INVITE): a bridge re-INVITEs when it changes. */
  localSdp?: string
  /** Anchored legs: the anchor's description for the internal side (where a bridged peer sends media). */
  internalSdp?: string
  anchored: boolean
  direction: 'outbound' | 'inbound'
  cancelled?: boolean
  pendingCause?: HangupCause
  ringTimer?: TimerHandle
  timedOut?: boolean
  reject?: (e: CallFailure) => void
  /** SIP dialog teardown initiated by us (ignore the 'destroy' echo). */
  localTeardown?: boolean
}

interface SipErrorLike {
  status?: number
  reason?: string
  message?: string
}

/** The SIP backend: drachtio-srf for signalling (B2BUA / third-party call control), rtpengine for media. */
export class DrachtioTelephony implements TelephonyBackend {
  readonly name = 'drachtio'
  readonly capabilities: TelephonyCapabilities
  readonly registrar?: Registrar
  private readonly clock: Clock
  private readonly ledger: CallLedger
  private readonly legs = new Map<CallId, SipLeg>()
  private connected = false
  private started = false
  private handlersInstalled = false
  private recordingSeq = 0

  constructor(private readonly options: DrachtioBackendOptions) {
    this.clock = options.clock ?? realClock()
    this.ledger = new CallLedger(this.clock)
    if (options.agents?.registrar) this.registrar = new Registrar(options.agents.registrar)
    const media = options.media !== undefined
    this.capabilities = {
      answeringMachineDetection: false,
      blindTransfer: true,
      attendedTransfer: true,
      recording: media,
      playMedia: media,
      sendDtmf: true,
      inbound: true,
    }
  }

  /** True while the drachtio-server connection is up. */
  get isConnected(): boolean {
    return this.connected
  }

  // ---- connection --------------------------------------------------------------------------------------

  async start(): Promise<void> {
    if (this.started && this.connected) return
    const srf = this.options.srf
    if (!this.handlersInstalled) {
      this.handlersInstalled = true
      srf.on('connect', (err) => {
        if (!err) this.connected = true
      })
      srf.on('close', () => this.onServerLost('drachtio-server connection closed'))
      srf.on('error', () => this.onServerLost('drachtio-server connection error'))
      srf.on('reconnecting', () => {})
      srf.invite((req, res) => this.onInvite(req, res))
      srf.register((req, res) => {
        if (this.registrar) this.registrar.handle(req, res)
        else res.send(405, 'Method Not Allowed')
      })
    }
    this.started = true
    const up = new Promise<void>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new TelephonyServerDown({ detail: 'no drachtio-server connection' })),
        10_000,
      )
      timer.unref()
      srf.on('connect', (err) => {
        clearTimeout(timer)
        if (err) reject(new TelephonyServerDown({ detail: `drachtio-server refused: ${err.message}` }))
        else resolve()
      })
    })
    const s = this.options.server
    if (s.mode === 'connect') srf.connect({ host: s.host, port: s.port ?? 9022, secret: s.secret })
    else {
      srf.listen({ port: s.port, secret: s.secret, ...(s.host !== undefined ? { host: s.host } : {}) })
      // In outbound mode drachtio-server connects when a call arrives: the backend is ready to accept it.
      this.connected = true
      return
    }
    await up
  }

  async stop(): Promise<void> {
    for (const id of this.ledger.liveIds()) await this.hangup(id, 'normal')
    this.started = false
    this.connected = false
    try {
      this.options.srf.disconnect()
    } catch {
      // already disconnected
    }
    if (this.options.closeMediaOnStop) await this.options.media?.close()
  }

  private onServerLost(detail: string): void {
    if (!this.connected && this.options.server.mode === 'connect') return
    if (this.options.server.mode === 'connect') this.connected = false
    // Dialogs on a lost connection cannot be controlled any more: end them, typed.
    for (const id of this.ledger.liveIds()) {
      const leg = this.legs.get(id)
      if (leg?.reject) {
        const reject = leg.reject
        delete leg.reject
        reject(new TelephonyServerDown({ detail, callId: id }))
      }
      this.end(id, 'server_down', 'network')
    }
  }

  private assertUp(callId?: string): void {
    if (!this.started || !this.connected)
      throw new TelephonyServerDown({
        detail: 'not connected to drachtio-server',
        ...(callId !== undefined ? { callId } : {}),
      })
  }

  // ---- targets -----------------------------------------------------------------------------------------

  private resolve(
    id: CallId,
    target: CallTarget,
  ): { uri: string; auth?: { username: string; password: string } } {
    if (target.type === 'uri') return { uri: target.uri }
    if (target.type === 'agent') {
      const registered = this.registrar?.lookup(target.agentId)
      const uri = registered ?? this.options.agents?.static?.[target.agentId]
      if (!uri)
        throw new CallUnreachable({
          callId: id,
          detail: `agent ${target.agentId} is not registered`,
          permanent: this.options.agents?.registrar?.users[target.agentId] === undefined,
        })
      return { uri }
    }
    const trunk = this.options.trunk
    if (!trunk)
      throw new CallUnreachable({ callId: id, detail: 'no trunk configured for numbers', permanent: true })
    return {
      uri: trunk.uriTemplate.replace('{number}', encodeURIComponent(target.number)),
      ...(trunk.auth ? { auth: trunk.auth } : {}),
    }
  }

  // ---- outbound ----------------------------------------------------------------------------------------

  async originate(request: OriginateRequest): Promise<AnsweredCall> {
    const id = request.callId ?? newCallId()
    this.assertUp(id)
    const { uri, auth } = this.resolve(id, request.target)
    const role = request.role ?? (request.target.type === 'agent' ? 'agent' : 'customer')
    const ledgerLeg = this.ledger.create({
      id,
      direction: 'outbound',
      role,
      target: request.target,
      ...(request.target.type === 'agent' ? { agentId: request.target.agentId } : {}),
      ...(request.metadata ? { metadata: request.metadata } : {}),
    })
    const media = this.options.media
    const leg: SipLeg = {
      id,
      mediaCallId: `sb-${id}`,
      internalTag: `sb-${id}`,
      anchored: media !== undefined,
      direction: 'outbound',
    }
    this.legs.set(id, leg)
    const callerId = request.callerId ?? this.options.callerId
    let localSdp = holdSdp(this.options.sdpAddress)
    try {
      if (leg.anchored && media)
        localSdp = await media.offer(leg, 'internal', unbridgedSdp(this.options.sdpAddress))
    } catch (err) {
      this.end(id, 'error', 'local')
      throw new MediaError({ callId: id, operation: 'anchor media', detail: String(err) })
    }
    leg.localSdp = localSdp
    const ringTimeoutSec = request.ringTimeoutSec ?? DEFAULT_RING_TIMEOUT_SEC
    return new Promise<AnsweredCall>((resolve, reject) => {
      leg.reject = reject
      leg.ringTimer = this.clock.setTimeout(() => {
        leg.timedOut = true
        leg.inviteReq?.cancel?.()
      }, secToMs(ringTimeoutSec))
      const headers: Record<string, string> = { 'X-Switchboard-Call-Id': id }
      // without a caller id the From still has a user part (RFC 3261 §20.20 asks for a usable address;
      // `anonymous` is RFC 3323's spelling of "not given")
      headers.From = callerId?.startsWith('sip')
        ? `<${callerId}>`
        : `<sip:${callerId ?? 'anonymous'}@switchboard>`
      this.options.srf
        .createUAC(
          uri,
          {
            localSdp,
            headers,
            ...(auth ? { auth } : {}),
            ...(this.options.trunk?.proxy && request.target.type === 'number'
              ? { proxy: this.options.trunk.proxy }
              : {}),
          },
          {
            cbRequest: (errOrReq, maybeReq) => {
              const req = maybeReq ?? (errOrReq as SrfRequestLike | null)
              if (!req || typeof req !== 'object' || !('method' in req)) return
              leg.inviteReq = req
              if (leg.cancelled) req.cancel?.()
            },
            cbProvisional: (res) => {
              if (res.status === 180 || res.status === 183) this.ledger.ringing(id, res.status === 183)
            },
          },
        )
        .then(
          async (dialog) => {
            if (leg.ringTimer) this.clock.clearTimeout(leg.ringTimer)
            if (leg.cancelled || !this.ledger.has(id)) {
              // 200 OK crossed our CANCEL: release the dialog at once (ACK, then BYE), and the call is
              // cancelled as asked, not answered
              leg.localTeardown = true
              await Promise.resolve(dialog.destroy()).catch(() => {})
              delete leg.reject
              if (this.ledger.has(id)) this.end(id, 'cancelled', 'local', 487)
              reject(new CallCancelled({ callId: id }))
              return
            }
            leg.dialog = dialog
            leg.remoteTag = dialog.sip.remoteTag
            leg.remoteSdp = dialog.remote.sdp
            this.watchDialog(leg, dialog)
            if (leg.anchored && media) {
              try {
                leg.internalSdp = await media.answer(leg, 'internal', dialog.remote.sdp)
              } catch {
                // media problems do not fail the call; recording/playback will report them
              }
            }
            delete leg.reject
            this.ledger.answered(id, 'unknown')
            resolve({
              callId: id,
              answeredBy: 'unknown',
              ringSec: elapsedSec(ledgerLeg.createdAt, this.clock.now()),
            })
          },
          (err: SipErrorLike) => {
            if (leg.ringTimer) this.clock.clearTimeout(leg.ringTimer)
            delete leg.reject
            const ringSec = elapsedSec(ledgerLeg.createdAt, this.clock.now())
            let failure: CallFailure
            let cause: HangupCause
            let side: HangupSide = 'remote'
            if (leg.cancelled) {
              failure = new CallCancelled({ callId: id })
              cause = 'cancelled'
              side = 'local'
            } else if (leg.timedOut) {
              failure = callFailureFromSipStatus(id, 487, 'Request Terminated', ringSec)
              cause = 'no_answer'
              side = 'local'
            } else if (typeof err?.status === 'number') {
              failure = callFailureFromSipStatus(id, err.status, err.reason ?? '', ringSec)
              cause = hangupCauseOf(failure)
            } else if (!this.connected) {
              failure = new TelephonyServerDown({ detail: String(err?.message ?? err), callId: id })
              cause = 'server_down'
              side = 'network'
            } else {
              failure = new CallUnreachable({
                callId: id,
                detail: String(err?.message ?? err),
                permanent: false,
              })
              cause = 'unreachable'
              side = 'network'
            }
            this.end(
              id,
              cause,
              side,
              typeof err?.status === 'number' ? err.status : leg.cancelled ? 487 : undefined,
            )
            reject(failure)
          },
        )
    })
  }

  clickToCall(request: ClickToCallRequest): Promise<ClickToCallResult> {
    return agentFirstClickToCall(this, (id) => this.ledger.has(id), request)
  }

  // ---- inbound -----------------------------------------------------------------------------------------

  private onInvite(req: SrfRequestLike, res: SrfResponseLike): void {
    if (!this.started) {
      res.send(503, 'Service Unavailable')
      return
    }
    const id = newCallId()
    const caller = callerOf(req)
    const to = userOf(req.uri) ?? userOf(req.get('to')) ?? ''
    const agentId = this.registrar?.agentForUri(req.get('from') ?? '')
    const leg: SipLeg = {
      id,
      mediaCallId: req.get('call-id') ?? id,
      internalTag: `sb-${id}`,
      anchored: this.options.media !== undefined,
      direction: 'inbound',
      inviteReq: req,
      inviteRes: res,
      ...(req.body ? { remoteSdp: req.body } : {}),
    }
    const remoteTag = tagOf(req.get('from'))
    if (remoteTag !== undefined) leg.remoteTag = remoteTag
    this.legs.set(id, leg)
    this.ledger.create({
      id,
      direction: 'inbound',
      role: agentId !== undefined ? 'agent' : 'customer',
      target: { type: 'number', number: to },
      ...(agentId !== undefined ? { agentId } : {}),
    })
    req.on('cancel', () => this.end(id, 'cancelled', 'remote', 487))
    const offer: InboundCall = {
      callId: id,
      at: this.clock.now(),
      from: caller.from,
      fromHeader: caller.fromHeader,
      to,
      withheld: caller.withheld,
      ...(caller.pAssertedIdentity !== undefined ? { pAssertedIdentity: caller.pAssertedIdentity } : {}),
      ...(agentId !== undefined ? { agentId } : {}),
    }
    this.ledger.offerInbound(offer)
    if (this.ledger.has(id)) {
      res.send(180, 'Ringing')
      this.ledger.ringing(id)
    }
  }

  async answer(callId: CallId): Promise<void> {
    this.assertUp(callId)
    const leg = this.legs.get(callId)
    const state = this.ledger.require(callId).state
    if (leg?.direction !== 'inbound' || leg.dialog || !leg.inviteReq || !leg.inviteRes)
      throw new InvalidCallState({ callId, state, operation: 'answer' })
    let localSdp = holdSdp(this.options.sdpAddress)
    const media = this.options.media
    if (leg.anchored && media && leg.remoteSdp) {
      try {
        leg.internalSdp = await media.offer(leg, 'remote', leg.remoteSdp)
        localSdp = await media.answer(leg, 'remote', unbridgedSdp(this.options.sdpAddress))
      } catch (err) {
        throw new MediaError({ callId, operation: 'anchor media', detail: String(err) })
      }
    }
    leg.localSdp = localSdp
    const dialog = await this.options.srf.createUAS(leg.inviteReq, leg.inviteRes, { localSdp })
    if (!this.ledger.has(callId)) {
      await Promise.resolve(dialog.destroy()).catch(() => {})
      return
    }
    leg.dialog = dialog
    this.watchDialog(leg, dialog)
    this.ledger.answered(callId, 'person')
  }

  async reject(callId: CallId, sipStatus = 486): Promise<void> {
    const leg = this.legs.get(callId)
    const state = this.ledger.require(callId).state
    if (leg?.direction !== 'inbound' || leg.dialog || !leg.inviteRes)
      throw new InvalidCallState({ callId, state, operation: 'reject' })
    leg.inviteRes.send(sipStatus)
    this.end(callId, 'rejected', 'local', sipStatus)
  }

  // ---- dialogs -----------------------------------------------------------------------------------------

  private watchDialog(leg: SipLeg, dialog: DialogLike): void {
    dialog.on('destroy', () => {
      if (leg.localTeardown) return
      this.end(leg.id, 'normal', 'remote')
    })
    dialog.on('info', (req, res) => {
      res.send(200)
      const digit = digitFromInfo(req.get('content-type'), req.body)
      if (digit) this.ledger.event(leg.id, { type: 'dtmf', digit, direction: 'received' })
    })
    dialog.on('refer', (req, res) => this.onRefer(leg, req, res))
    dialog.on('modify', (req, res) => {
      this.onReinvite(leg, req.body ?? '').then(
        (body) => res.send(200, { body, headers: { 'Content-Type': 'application/sdp' } }),
        () => res.send(488, 'Not Acceptable Here'),
      )
    })
  }

  /**
   * The far end re-INVITEs (hold with `sendonly`, unhold with `sendrecv`, a new address): the offer goes
   * on to whatever the leg is bridged to, and that side's answer comes back (RFC 3264 §8, RFC 6337 §5.3).
   * Unbridged, the answer mirrors the offered direction. Returns the description to answer with.
   */
  private async onReinvite(leg: SipLeg, offer: string): Promise<string> {
    leg.remoteSdp = offer
    const media = this.options.media
    const partnerId = this.ledger.get(leg.id)?.bridgedTo
    const partner = partnerId ? this.legs.get(partnerId) : undefined
    let answer: string
    if (leg.anchored && media) {
      const forInternal = await media.offer(leg, 'remote', offer)
      leg.internalSdp = forInternal
      const internalAnswer = partner?.dialog
        ? await this.pointAt(partner, forInternal)
        : withDirection(unbridgedSdp(this.options.sdpAddress), answerDirection(directionOf(offer)))
      answer = await media.answer(leg, 'remote', internalAnswer)
    } else if (partner?.dialog) {
      answer = await this.pointAt(partner, offer)
    } else {
      answer = withDirection(
        leg.localSdp ?? holdSdp(this.options.sdpAddress),
        answerDirection(directionOf(offer)),
      )
    }
    leg.localSdp = answer
    return answer
  }

  /** A phone on a bridged leg asks to transfer its partner (REFER): blind, or attended with Replaces. */
  private onRefer(leg: SipLeg, req: SrfRequestLike, res: SrfResponseLike): void {
    const referTo = req.get('refer-to')
    const partner = this.ledger.get(leg.id)?.bridgedTo
    if (!referTo || !partner) {
      res.send(400, 'Bad Request')
      return
    }
    res.send(202, 'Accepted')
    const uri = uriOf(referTo)
    const replaces = /[?&]Replaces=([^&>]+)/i.exec(uri)?.[1]
    const notify = (frag: string) =>
      leg.dialog
        ?.request({
          method: 'NOTIFY',
          headers: {
            Event: 'refer',
            'Subscription-State': 'terminated;reason=noresource',
            'Content-Type': 'message/sipfrag;version=2.0',
          },
          body: frag,
        })
        .catch(() => {})
    let op: Promise<void>
    if (replaces) {
      const replacedCallId = decodeURIComponent(replaces).split(';')[0]
      const consult = [...this.legs.values()].find((l) => l.dialog?.sip.callId === replacedCallId)
      const consultPartner = consult ? this.ledger.get(consult.id)?.bridgedTo : undefined
      op = consultPartner
        ? this.transfer(partner, { type: 'attended', consultCallId: consultPartner })
        : Promise.reject(new Error('no dialog matches Replaces'))
    } else {
      op = this.transfer(partner, { type: 'blind', target: { type: 'uri', uri: uri.split('?')[0] ?? uri } })
    }
    op.then(
      () => notify('SIP/2.0 200 OK'),
      () => notify('SIP/2.0 503 Service Unavailable'),
    )
  }

  // ---- in-call operations ------------------------------------------------------------------------------

  private requireSip(callId: CallId, operation: string): SipLeg {
    this.ledger.requireAnswered(callId, operation)
    const leg = this.legs.get(callId)
    if (!leg?.dialog) throw new InvalidCallState({ callId, state: 'answered', operation })
    return leg
  }

  /**
   * A leg's media, step by step (each step one offer/answer; `localSdp`/`remoteSdp` are the last ones):
   *
   * - anchored (a media anchor is configured; every leg): the phone or trunk talks to the anchor only.
   *   new → offered (INVITE or 200 OK with the anchor's address, `sendrecv`, the internal side on the
   *   discard port) → unbridged (media flows phone ↔ anchor: recordable, prompts play) → bridged (the
   *   internal side re-offered with the other leg's internal side; the phone is re-INVITEd only when the
   *   anchor's description for it changed) → held/resumed when either phone re-INVITEs `sendonly`/`sendrecv`
   *   (passed through the two anchors to the other phone) → released (the anchor's call deleted).
   * - unanchored (no anchor): new → offered `inactive` with a real address → bridged by third-party call
   *   control (A re-INVITEd with B's description made `sendrecv`, then B with A's answer) → held/resumed
   *   (a re-INVITE goes on to the partner, its answer comes back).
   */
  private async pointAt(leg: SipLeg, peerSdp: string): Promise<string> {
    const media = this.options.media
    if (leg.anchored && media) {
      const forRemote = await media.offer(leg, 'internal', peerSdp)
      const remoteAnswer = mediaChanged(leg.localSdp, forRemote)
        ? await this.reinvite(leg, forRemote)
        : (leg.remoteSdp ?? leg.dialog?.remote.sdp ?? '')
      leg.internalSdp = await media.answer(leg, 'internal', remoteAnswer)
      return leg.internalSdp
    }
    return this.reinvite(leg, peerSdp)
  }

  /** A re-INVITE to the far end of `leg` with `sdp`; returns its answer. */
  private async reinvite(leg: SipLeg, sdp: string): Promise<string> {
    const answer = await leg.dialog!.modify(sdp)
    leg.localSdp = sdp
    leg.remoteSdp = answer
    return answer
  }

  /** Where a peer should send media to reach this leg's party (the anchor's internal side if anchored). */
  private peerFacingSdp(leg: SipLeg): string {
    if (leg.anchored && leg.internalSdp) return leg.internalSdp
    return leg.remoteSdp ?? leg.dialog?.remote.sdp ?? ''
  }

  async bridge(a: CallId, b: CallId): Promise<void> {
    this.assertUp(a)
    if (a === b)
      throw new InvalidCallState({ callId: a, state: 'answered', operation: 'bridge a call to itself' })
    const legA = this.requireSip(a, 'bridge')
    const legB = this.requireSip(b, 'bridge')
    if (legA.anchored && legB.anchored) {
      // the two anchors' internal sides point at each other; the phones keep talking to the anchor
      await this.pointAt(legA, withDirection(this.peerFacingSdp(legB), 'sendrecv'))
      await this.pointAt(legB, withDirection(this.peerFacingSdp(legA), 'sendrecv'))
    } else {
      // third-party call control: A re-INVITEd with B's description made sendrecv, then B with A's answer
      const answerA = await this.pointAt(legA, withDirection(this.peerFacingSdp(legB), 'sendrecv'))
      await this.pointAt(legB, answerA)
    }
    if (this.ledger.has(a) && this.ledger.has(b)) this.ledger.bridged(a, b)
  }

  async transfer(callId: CallId, request: TransferRequest): Promise<void> {
    this.assertUp(callId)
    const leg = this.ledger.requireAnswered(callId, 'transfer')
    if (request.type === 'blind') {
      const previous = leg.bridgedTo
      if (previous) await this.hangup(previous, 'transferred')
      await connectBlindTransfer(this, this.ledger, callId, request)
      return
    }
    const consult = this.ledger.requireAnswered(request.consultCallId, 'complete an attended transfer to')
    const released = new Set([leg.bridgedTo, consult.bridgedTo].filter((x): x is string => !!x))
    released.delete(callId)
    released.delete(request.consultCallId)
    for (const r of released) await this.hangup(r, 'transferred')
    await this.bridge(callId, request.consultCallId)
    this.ledger.event(callId, { type: 'transferred', kind: 'attended', toCallId: request.consultCallId })
  }

  async hangup(callId: CallId, cause: HangupCause = 'normal'): Promise<void> {
    const leg = this.legs.get(callId)
    const state = this.ledger.get(callId)?.state
    if (!leg || !state) return
    if (leg.direction === 'outbound' && !leg.dialog) {
      // Still ringing: CANCEL. The INVITE's failure (487) ends the leg and rejects originate.
      leg.cancelled = true
      leg.inviteReq?.cancel?.()
      return new Promise<void>((resolve) => {
        const off = this.ledger.onCallEvent(callId, (e) => {
          if (e.type === 'ended') {
            off()
            resolve()
          }
        })
        // If the INVITE has not left yet, cbRequest cancels it as soon as it does.
      })
    }
    if (leg.direction === 'inbound' && !leg.dialog) {
      leg.inviteRes?.send(480, 'Temporarily Unavailable')
      this.end(callId, 'rejected', 'local', 480)
      return
    }
    leg.localTeardown = true
    try {
      await Promise.resolve(leg.dialog?.destroy())
    } catch {
      // the dialog may already be gone (BYE crossed, server lost): the leg ends anyway
    }
    this.end(callId, cause, 'local')
  }

  async playMessage(callId: CallId, request: PlayRequest): Promise<void> {
    const media = this.options.media
    if (!media) throw new CapabilityNotSupported({ capability: 'playMedia', backend: this.name })
    this.assertUp(callId)
    const leg = this.requireSip(callId, 'play a message')
    if (!leg.anchored)
      throw new InvalidCallState({ callId, state: 'unanchored', operation: 'play a message' })
    let durationSec: number
    try {
      durationSec = await media.play(leg, request.media)
    } catch (err) {
      throw new MediaError({ callId, operation: 'play media', detail: String(err) })
    }
    const done = new Promise<void>((resolve) => {
      const off = this.ledger.onCallEvent(callId, (e) => {
        if (e.type === 'ended') {
          off()
          resolve()
        }
      })
      this.clock.setTimeout(() => {
        off()
        this.ledger.event(callId, { type: 'media-played', media: request.media, durationSec })
        resolve()
      }, secToMs(durationSec))
    })
    if (request.waitForEnd !== false) await done
  }

  async startRecording(callId: CallId): Promise<RecordingInfo> {
    const media = this.options.media
    if (!media) throw new CapabilityNotSupported({ capability: 'recording', backend: this.name })
    this.assertUp(callId)
    const leg = this.requireSip(callId, 'start recording')
    const ledgerLeg = this.ledger.require(callId)
    if (ledgerLeg.recording)
      throw new InvalidCallState({ callId, state: 'recording', operation: 'start recording' })
    const target = this.recordable(leg)
    try {
      await media.startRecording(target)
    } catch (err) {
      throw new MediaError({ callId, operation: 'start recording', detail: String(err) })
    }
    const info: RecordingInfo = {
      callId,
      recordingId: `${target.mediaCallId}#${++this.recordingSeq}`,
      startedAt: this.clock.now(),
      ...(media.recordingLocation !== undefined ? { location: media.recordingLocation } : {}),
    }
    this.ledger.setRecording(callId, info)
    this.ledger.event(callId, { type: 'recording-started', recordingId: info.recordingId })
    return info
  }

  async stopRecording(callId: CallId): Promise<RecordingInfo> {
    const media = this.options.media
    if (!media) throw new CapabilityNotSupported({ capability: 'recording', backend: this.name })
    this.assertUp(callId)
    const ledgerLeg = this.ledger.require(callId)
    const rec = ledgerLeg.recording
    if (!rec)
      throw new InvalidCallState({
        callId,
        state: ledgerLeg.state,
        operation: 'stop recording (not recording)',
      })
    const leg = this.legs.get(callId)
    if (leg) {
      try {
        await media.stopRecording(this.recordable(leg))
      } catch (err) {
        throw new MediaError({ callId, operation: 'stop recording', detail: String(err) })
      }
    }
    return this.ledger.recordingStopped(callId, rec)
  }

  /** The anchored leg whose media carries this call: the leg itself, or the customer leg it is bridged to. */
  private recordable(leg: SipLeg): SipLeg {
    const own = this.ledger.get(leg.id)
    const partner = own?.bridgedTo
    const p = partner ? this.legs.get(partner) : undefined
    // one recording per conversation: on the customer's anchor, which carries both directions
    if (leg.anchored && own?.role !== 'agent') return leg
    if (p?.anchored) return p
    if (leg.anchored) return leg
    throw new InvalidCallState({
      callId: leg.id,
      state: 'unanchored',
      operation: 'record (media not anchored)',
    })
  }

  async sendDtmf(callId: CallId, digits: string): Promise<void> {
    this.assertUp(callId)
    if (!/^[0-9*#A-D]+$/.test(digits))
      throw new InvalidCallState({ callId, state: 'answered', operation: `send DTMF "${digits}"` })
    const leg = this.requireSip(callId, 'send DTMF')
    const media = this.options.media
    for (const digit of digits) {
      if (leg.anchored && media?.playDtmf) {
        // RFC 4733 inside the RTP, through the anchor; each digit 100 ms, then a 60 ms gap
        try {
          await media.playDtmf(leg, digit, 0.1)
        } catch (err) {
          throw new MediaError({ callId, operation: 'send DTMF', detail: String(err) })
        }
        await new Promise((r) => this.clock.setTimeout(() => r(undefined), 160))
        this.ledger.event(callId, { type: 'dtmf', digit, direction: 'sent' })
        continue
      }
      await leg.dialog!.request({
        method: 'INFO',
        headers: { 'Content-Type': 'application/dtmf-relay' },
        body: dtmfInfoBody(digit),
      })
      this.ledger.event(callId, { type: 'dtmf', digit, direction: 'sent' })
    }
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

  private end(id: CallId, cause: HangupCause, side: HangupSide, sipStatus?: number): void {
    const leg = this.legs.get(id)
    this.legs.delete(id)
    if (leg?.ringTimer) this.clock.clearTimeout(leg.ringTimer)
    if (leg?.anchored && this.options.media) this.options.media.release(leg).catch(() => {})
    this.ledger.ended(id, cause, side, sipStatus)
  }
}
