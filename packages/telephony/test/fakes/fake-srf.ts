import { EventEmitter } from 'node:events'
import type { AnchoredLeg, MediaAnchor, MediaSide } from '../../src/drachtio/media.js'
import { directionOf } from '../../src/drachtio/sdp.js'
import { userOf } from '../../src/drachtio/sip.js'
import type {
  CreateUACOptionsLike,
  DialogLike,
  SrfLike,
  SrfRequestLike,
  SrfResponseLike,
} from '../../src/drachtio/srf-like.js'
import { answerSdp, peerSdp } from './sdp-peer.js'

/** Scripted far ends by Request-URI user: what each "phone" does with an INVITE. */
export type Script =
  | { kind: 'answer'; afterSec: number }
  | { kind: 'fail'; status: number; reason: string; afterSec: number }
  | { kind: 'ring-forever' }

let seq = 0

export class FakeRequest extends EventEmitter implements SrfRequestLike {
  readonly method: string
  readonly uri: string
  readonly body?: string
  readonly headers: Record<string, string>
  cancelled = false
  onCancel?: () => void
  constructor(method: string, uri: string, headers: Record<string, string>, body?: string) {
    super()
    this.method = method
    this.uri = uri
    this.headers = Object.fromEntries(Object.entries(headers).map(([k, v]) => [k.toLowerCase(), v]))
    if (body !== undefined) this.body = body
  }
  get(name: string): string | undefined {
    return this.headers[name.toLowerCase()]
  }
  has(name: string): boolean {
    return name.toLowerCase() in this.headers
  }
  cancel(): void {
    if (this.cancelled) return
    this.cancelled = true
    this.onCancel?.()
  }
}

export class FakeResponse implements SrfResponseLike {
  readonly sent: { status: number; reason?: string | object }[] = []
  send(status: number, reason?: string | object): void {
    this.sent.push({ status, ...(reason !== undefined ? { reason } : {}) })
  }
}

export class FakeDialog extends EventEmitter implements DialogLike {
  readonly sip: { callId: string; localTag: string; remoteTag: string }
  readonly local: { sdp: string }
  readonly remote: { sdp: string }
  readonly requests: { method: string; headers?: Record<string, string>; body?: string }[] = []
  readonly offers: string[] = []
  destroyed = false
  constructor(
    readonly peer: string,
    localSdp: string,
    remotePort: number,
    /** UAS dialogs: the caller's offer (a UAC dialog's remote description is the phone's answer). */
    remoteOffer?: string,
  ) {
    super()
    const n = ++seq
    this.sip = { callId: `fake-${n}@127.0.0.1`, localTag: `l${n}`, remoteTag: `r${n}` }
    this.local = { sdp: localSdp }
    this.remote = { sdp: remoteOffer ?? answerSdp(localSdp, remotePort) }
    this.port = remotePort
  }
  private readonly port: number
  async destroy(): Promise<void> {
    this.destroyed = true
  }
  async modify(sdp: string): Promise<string> {
    if (this.destroyed) throw new Error('dialog gone')
    this.offers.push(sdp)
    this.local.sdp = sdp
    this.remote.sdp = answerSdp(sdp, this.port)
    return this.remote.sdp
  }
  async request(opts: { method: string; headers?: Record<string, string>; body?: string }): Promise<unknown> {
    if (this.destroyed) throw new Error('dialog gone')
    this.requests.push(opts)
    return { status: 200 }
  }
  /** The far end hangs up (BYE received). */
  remoteBye(): void {
    if (this.destroyed) return
    this.destroyed = true
    this.emit('destroy', undefined)
  }
  /** The far end re-INVITEs with `offer` (hold: `sendonly`); resolves with the answer it got. */
  remoteReinvite(offer: string): Promise<{ status: number; body?: string }> {
    return new Promise((resolve) => {
      const req = new FakeRequest('INVITE', 'sip:x', { 'content-type': 'application/sdp' }, offer)
      const res = {
        send: (status: number, reason?: string | object) => {
          const body = typeof reason === 'object' ? (reason as { body?: string }).body : undefined
          if (body !== undefined) {
            this.remote.sdp = offer
            this.local.sdp = body
          }
          resolve({ status, ...(body !== undefined ? { body } : {}) })
        },
      }
      if (!this.emit('modify', req, res)) resolve({ status: 200, body: this.local.sdp })
    })
  }
  remoteInfo(digit: string): void {
    const req = new FakeRequest(
      'INFO',
      'sip:x',
      { 'content-type': 'application/dtmf-relay' },
      `Signal=${digit}\r\n`,
    )
    this.emit('info', req, new FakeResponse())
  }
}

/** A scripted stand-in for drachtio-srf: no sockets, dialogs driven by per-user scripts. */
export class FakeSrf extends EventEmitter implements SrfLike {
  readonly dialogsByCall = new Map<string, FakeDialog>()
  readonly uacUris: string[] = []
  readonly uacOptions: CreateUACOptionsLike[] = []
  inviteHandler?: (req: SrfRequestLike, res: SrfResponseLike) => void
  registerHandler?: (req: SrfRequestLike, res: SrfResponseLike) => void
  private port = 40_000

  constructor(
    readonly scripts: Record<string, Script>,
    /** Media port the far end announces in its SDP (a real RTP socket in media tests). */
    private readonly sdpPort?: (user: string) => number,
  ) {
    super()
  }

  connect(): void {
    setImmediate(() => this.emit('connect', null, '127.0.0.1:5060'))
  }
  listen(): void {}
  disconnect(): void {}
  invite(handler: (req: SrfRequestLike, res: SrfResponseLike) => void): void {
    this.inviteHandler = handler
  }
  register(handler: (req: SrfRequestLike, res: SrfResponseLike) => void): void {
    this.registerHandler = handler
  }

  createUAC(
    uri: string,
    opts: CreateUACOptionsLike,
    progress?: {
      cbRequest?: (err: unknown, req?: SrfRequestLike) => void
      cbProvisional?: (res: SrfResponseLike) => void
    },
  ): Promise<DialogLike> {
    this.uacUris.push(uri)
    this.uacOptions.push(opts)
    const user = userOf(uri) ?? ''
    const script = this.scripts[user] ?? { kind: 'fail', status: 404, reason: 'Not Found', afterSec: 0.005 }
    const req = new FakeRequest('INVITE', uri, opts.headers ?? {}, opts.localSdp)
    const callId = opts.headers?.['X-Switchboard-Call-Id'] ?? ''
    return new Promise<DialogLike>((resolve, reject) => {
      const timers: NodeJS.Timeout[] = []
      req.onCancel = () => {
        for (const t of timers) clearTimeout(t)
        setTimeout(
          () => reject(Object.assign(new Error('487'), { status: 487, reason: 'Request Terminated' })),
          2,
        )
      }
      setImmediate(() => progress?.cbRequest?.(null, req))
      timers.push(setTimeout(() => progress?.cbProvisional?.({ status: 180, send() {} }), 3))
      if (script.kind === 'ring-forever') return
      timers.push(
        setTimeout(() => {
          if (script.kind === 'fail')
            return reject(
              Object.assign(new Error(String(script.status)), {
                status: script.status,
                reason: script.reason,
              }),
            )
          const dialog = new FakeDialog(user, opts.localSdp, this.sdpPort?.(user) ?? this.port++)
          this.dialogsByCall.set(callId, dialog)
          resolve(dialog)
        }, script.afterSec * 1_000),
      )
    })
  }

  async createUAS(
    req: SrfRequestLike,
    res: SrfResponseLike,
    opts: { localSdp: string },
  ): Promise<DialogLike> {
    res.send(200, { body: opts.localSdp })
    const dialog = new FakeDialog(userOf(req.get('from')) ?? 'caller', opts.localSdp, this.port++, req.body)
    ;(req as FakeRequest).emit('dialog', dialog)
    return dialog
  }

  /** drachtio-server goes away. */
  dropConnection(): void {
    this.emit('close')
  }
}

/** Records what the backend asks of the media anchor. */
export class FakeMedia implements MediaAnchor {
  readonly calls: { op: string; leg: string; arg?: string }[] = []
  readonly recordingLocation = '/var/spool/recordings'
  private log(op: string, leg: AnchoredLeg, arg?: string) {
    this.calls.push({ op, leg: leg.mediaCallId, ...(arg !== undefined ? { arg } : {}) })
  }
  private readonly ports = new Map<string, number>()
  private portOf(leg: AnchoredLeg, side: MediaSide) {
    const key = `${leg.mediaCallId}/${side}`
    if (!this.ports.has(key)) this.ports.set(key, 30_000 + 2 * this.ports.size)
    return this.ports.get(key)!
  }
  /** The anchor's description for `side`: its own address and port, the direction it was given. */
  async offer(leg: AnchoredLeg, side: MediaSide, sdp: string) {
    this.log(`offer:${side}`, leg, sdp)
    return peerSdp(
      this.portOf(leg, side === 'internal' ? 'remote' : 'internal'),
      directionOf(sdp),
      '127.0.0.1',
    )
  }
  async answer(leg: AnchoredLeg, offerer: MediaSide, sdp: string) {
    this.log(`answer:${offerer}`, leg, sdp)
    return peerSdp(this.portOf(leg, offerer), directionOf(sdp), '127.0.0.1')
  }
  async startRecording(leg: AnchoredLeg) {
    this.log('startRecording', leg)
  }
  async stopRecording(leg: AnchoredLeg) {
    this.log('stopRecording', leg)
  }
  async play(leg: AnchoredLeg, file: string) {
    this.log('play', leg, file)
    return 0.05 // seconds
  }
  async release(leg: AnchoredLeg) {
    this.log('release', leg)
  }
  async close() {}
}
