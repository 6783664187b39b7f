import { randomUUID } from 'node:crypto'
import { EventEmitter } from 'node:events'
import net from 'node:net'
import { digestResponse, parseDigest } from '../../src/drachtio/registrar.js'
import { answerSdp, peerSdp } from './sdp-peer.js'

/**
 * A TCP peer on 127.0.0.1 that speaks drachtio-server's framing (`<length>#<msgId>|<type>|...`) to a real
 * drachtio-srf client: authenticate, route, SIP requests and responses with transaction and dialog ids.
 * Behind it sits a scripted SIP network (phones by Request-URI user), so the real library's parsing,
 * transaction and dialog code runs. It is not drachtio-server: no SIP transport, no timers, no retransmits.
 */

export type WireScript =
  | { kind: 'answer'; afterSec: number }
  | { kind: 'fail'; status: number; reason: string; afterSec: number }
  | { kind: 'ring-forever' }
  /** Rings; answers 200 OK at the moment the CANCEL arrives (the 200 crosses the CANCEL on the wire). */
  | { kind: 'answer-on-cancel' }
  /** A trunk that asks for credentials (401 or 407), then answers a request that carries the right digest. */
  | { kind: 'challenge'; status: 401 | 407; username: string; password: string; afterSec: number }

export interface SipMsg {
  readonly startLine: string
  readonly headers: Map<string, string>
  readonly body: string
  readonly method?: string
  readonly status?: number
}

export const parseSip = (raw: string): SipMsg => {
  const sep = raw.indexOf('\r\n\r\n')
  const head = sep === -1 ? raw : raw.slice(0, sep)
  const body = sep === -1 ? '' : raw.slice(sep + 4)
  const [startLine = '', ...lines] = head.split('\r\n')
  const headers = new Map<string, string>()
  for (const line of lines) {
    const i = line.indexOf(':')
    if (i > 0) headers.set(line.slice(0, i).trim().toLowerCase(), line.slice(i + 1).trim())
  }
  const status = /^SIP\/2\.0 (\d{3})/.exec(startLine)?.[1]
  const method = /^([A-Z]+) /.exec(startLine)?.[1]
  return {
    startLine,
    headers,
    body,
    ...(status ? { status: Number(status) } : {}),
    ...(method ? { method } : {}),
  }
}

const CANON: Record<string, string> = {
  via: 'Via',
  from: 'From',
  to: 'To',
  'call-id': 'Call-ID',
  cseq: 'CSeq',
  contact: 'Contact',
  'content-type': 'Content-Type',
  'content-length': 'Content-Length',
  'max-forwards': 'Max-Forwards',
}
const canon = (h: string) =>
  CANON[h] ?? h.replace(/(^|-)([a-z])/g, (_m, d: string, c: string) => d + c.toUpperCase())

export const buildSip = (
  startLine: string,
  headers: Map<string, string> | Record<string, string>,
  body = '',
): string => {
  const entries = headers instanceof Map ? [...headers] : Object.entries(headers)
  const lines = entries
    .filter(([k]) => k.toLowerCase() !== 'content-length')
    .map(([k, v]) => `${canon(k.toLowerCase())}: ${v}`)
  lines.push(`Content-Length: ${Buffer.byteLength(body)}`)
  return `${startLine}\r\n${lines.join('\r\n')}\r\n\r\n${body}`
}

const tagOf = (h: string | undefined) => (h ? /;tag=([^;>\s]+)/.exec(h)?.[1] : undefined)
const userOf = (h: string | undefined) => (h ? /sips?:([^@;>]+)/.exec(h)?.[1] : undefined)

/** One frame received from the application. */
export interface AppFrame {
  readonly msgId: string
  readonly type: string
  readonly tokens: string[]
  readonly sip?: SipMsg
  readonly raw: string
}

interface NetDialog {
  readonly dialogId: string
  readonly callId: string
  readonly localHeaders: { from: string; to: string }
  /** Our (network) side's URI: the phone. */
  readonly user: string
  cseq: number
  closed: boolean
  /** The phone's RTP port (stable for the dialog, as a real phone's is). */
  readonly port: number
  /** Every offer/answer of the dialog, in order: what the phone received and what it sent. */
  readonly sdp: { readonly received?: string; readonly sent: string }[]
}

export class FakeDrachtioServer extends EventEmitter {
  readonly frames: AppFrame[] = []
  readonly routes: string[] = []
  private server?: net.Server
  private sockets = new Set<net.Socket>()
  private socket?: net.Socket
  private buf = Buffer.alloc(0)
  /** INVITE transactions from the app: txnId → pending state. */
  private invites = new Map<
    string,
    { msg: SipMsg; toTag: string; timers: NodeJS.Timeout[]; done: boolean; onCancel?: () => void }
  >()
  /** Dialogs by dialog id. */
  readonly dialogs = new Map<string, NetDialog>()
  /** The Switchboard call id (X-Switchboard-Call-Id) → dialog id. */
  readonly dialogByAppCall = new Map<string, string>()
  /** Network INVITEs we sent: network call-id → txn and dialog ids. */
  readonly inbound = new Map<
    string,
    { txnId: string; dialogId: string; invite: string; from: string; to: string; port: number; offer: string }
  >()
  private port = 42_000
  port_?: number
  authenticated = false
  /** The digest challenges the trunk sent (their statuses). */
  readonly challenges: number[] = []

  constructor(
    readonly secret: string,
    readonly scripts: Record<string, WireScript> = {},
  ) {
    super()
  }

  async listen(): Promise<number> {
    this.server = net.createServer((s) => this.onConnection(s))
    await new Promise<void>((r) => this.server!.listen(0, '127.0.0.1', r))
    this.port_ = (this.server.address() as net.AddressInfo).port
    return this.port_
  }

  /** Closes every client connection (drachtio-server restarting). */
  dropConnections(): void {
    for (const s of this.sockets) s.destroy()
    this.sockets.clear()
    this.authenticated = false
  }

  async close(): Promise<void> {
    for (const inv of this.invites.values()) for (const t of inv.timers) clearTimeout(t)
    this.dropConnections()
    await new Promise<void>((r) => (this.server ? this.server.close(() => r()) : r()))
  }

  /** Waits until a frame from the app matches. */
  async waitFor(pred: (f: AppFrame) => boolean, timeoutSec = 3): Promise<AppFrame> {
    const found = this.frames.find(pred)
    if (found) return found
    return new Promise<AppFrame>((resolve, reject) => {
      const t = setTimeout(() => {
        this.off('frame', on)
        reject(new Error('timed out waiting for a frame from the app'))
      }, timeoutSec * 1_000)
      const on = (f: AppFrame) => {
        if (pred(f)) {
          clearTimeout(t)
          this.off('frame', on)
          resolve(f)
        }
      }
      this.on('frame', on)
    })
  }

  sipFrames(method?: string): AppFrame[] {
    return this.frames.filter((f) => f.type === 'sip' && (!method || f.sip?.method === method))
  }

  // ---- network side ------------------------------------------------------------------------------------

  /** A call arrives from the network. Returns its SIP Call-ID. */
  inviteFromNetwork(p: { from: string; to: string; pai?: string; privacy?: string }): string {
    const callId = `net-${randomUUID()}@127.0.0.1`
    const fromTag = `nt${Math.floor(Math.random() * 1e9)}`
    const txnId = randomUUID()
    const dialogId = `${callId};from-tag=${fromTag}`
    const from = `<sip:${p.from}@127.0.0.1:5090>;tag=${fromTag}`
    const to = `<sip:${p.to}@127.0.0.1:5060>`
    const headers: Record<string, string> = {
      via: `SIP/2.0/UDP 127.0.0.1:5090;branch=z9hG4bK${txnId.slice(0, 8)}`,
      from,
      to,
      'call-id': callId,
      cseq: '1 INVITE',
      contact: `<sip:${p.from}@127.0.0.1:5090>`,
      'max-forwards': '70',
      'content-type': 'application/sdp',
      ...(p.pai ? { 'p-asserted-identity': `<sip:${p.pai}@127.0.0.1>` } : {}),
      ...(p.privacy ? { privacy: p.privacy } : {}),
    }
    const port = this.port++
    const offer = peerSdp(port)
    const invite = buildSip(`INVITE sip:${p.to}@127.0.0.1:5060 SIP/2.0`, headers, offer)
    this.inbound.set(callId, { txnId, dialogId, invite, from, to, port, offer })
    this.sendNetwork(invite, txnId, dialogId)
    return callId
  }

  cancelFromNetwork(callId: string): void {
    const i = this.inbound.get(callId)
    if (!i) return
    const m = parseSip(i.invite)
    const h = new Map(m.headers)
    h.set('cseq', '1 CANCEL')
    h.delete('content-type')
    this.sendNetwork(buildSip(`CANCEL ${m.startLine.split(' ')[1]} SIP/2.0`, h), randomUUID(), i.dialogId)
  }

  /** Sends an in-dialog request from the phone side (BYE, INFO, REFER). */
  inDialogFromNetwork(dialogId: string, method: string, extra: Record<string, string> = {}, body = ''): void {
    const d = this.dialogs.get(dialogId)
    if (!d) throw new Error(`no dialog ${dialogId}`)
    d.cseq++
    const headers: Record<string, string> = {
      via: `SIP/2.0/UDP 127.0.0.1:5090;branch=z9hG4bK${randomUUID().slice(0, 8)}`,
      // From the phone's point of view: From = the dialog's remote (its own) side.
      from: d.localHeaders.to,
      to: d.localHeaders.from,
      'call-id': d.callId,
      cseq: `${d.cseq} ${method}`,
      contact: `<sip:${d.user}@127.0.0.1:5090>`,
      ...extra,
    }
    if (method === 'BYE') d.closed = true
    this.sendNetwork(
      buildSip(`${method} sip:switchboard@127.0.0.1:5060 SIP/2.0`, headers, body),
      randomUUID(),
      dialogId,
    )
  }

  private sendNetwork(sip: string, txnId: string, dialogId: string): void {
    this.send(
      `sip|network|${Buffer.byteLength(sip)}|udp|127.0.0.1|5090|${Date.now()}|${txnId}|${dialogId}\r\n${sip}`,
    )
  }

  private respondNetwork(
    req: SipMsg,
    txnId: string,
    status: number,
    reason: string,
    o: {
      toTag?: string
      dialogId?: string
      body?: string
      user?: string
      extra?: Record<string, string>
    } = {},
  ): void {
    const h = new Map<string, string>()
    for (const k of ['via', 'from', 'call-id', 'cseq']) {
      const v = req.headers.get(k)
      if (v !== undefined) h.set(k, v)
    }
    const to = req.headers.get('to') ?? ''
    h.set('to', o.toTag && !tagOf(to) ? `${to};tag=${o.toTag}` : to)
    if (status >= 180 && status < 300) h.set('contact', `<sip:${o.user ?? 'peer'}@127.0.0.1:5090>`)
    if (o.body) h.set('content-type', 'application/sdp')
    for (const [k, v] of Object.entries(o.extra ?? {})) h.set(k, v)
    this.sendNetwork(buildSip(`SIP/2.0 ${status} ${reason}`, h, o.body ?? ''), txnId, o.dialogId ?? '')
  }

  // ---- framing -----------------------------------------------------------------------------------------

  private onConnection(socket: net.Socket): void {
    this.sockets.add(socket)
    this.socket = socket
    this.buf = Buffer.alloc(0)
    socket.on('data', (d) => this.onData(d))
    socket.on('error', () => {})
    socket.on('close', () => this.sockets.delete(socket))
  }

  private send(body: string): void {
    const s = `${randomUUID()}|${body}`
    this.socket?.write(`${Buffer.byteLength(s)}#${s}`)
  }

  private reply(msgId: string, rest: string, sip?: string): void {
    this.send(`response|${msgId}|${rest}${sip !== undefined ? `\r\n${sip}` : ''}`)
  }

  private onData(d: Buffer): void {
    this.buf = Buffer.concat([this.buf, d])
    for (;;) {
      const i = this.buf.indexOf('#')
      if (i <= 0) return
      const len = Number(this.buf.toString('utf8', 0, i))
      if (this.buf.length < i + 1 + len) return
      const msg = this.buf.toString('utf8', i + 1, i + 1 + len)
      this.buf = this.buf.subarray(i + 1 + len)
      this.onFrame(msg)
    }
  }

  private onFrame(msg: string): void {
    const nl = msg.indexOf('\r\n')
    const leader = nl === -1 ? msg : msg.slice(0, nl)
    const tokens = leader.split('|')
    const [msgId = '', type = ''] = tokens
    const raw = nl === -1 ? '' : msg.slice(nl + 2)
    const frame: AppFrame = { msgId, type, tokens, raw, ...(raw ? { sip: parseSip(raw) } : {}) }
    this.frames.push(frame)
    switch (type) {
      case 'authenticate':
        if (tokens[2] === this.secret) {
          this.authenticated = true
          this.reply(msgId, 'OK|127.0.0.1:5060|v0.8.26|udp/127.0.0.1:5060')
        } else this.reply(msgId, 'NOK|invalid secret')
        break
      case 'route':
        this.routes.push(tokens[2] ?? '')
        break
      case 'ping':
        this.reply(msgId, 'OK')
        break
      case 'sip':
        this.onAppSip(frame)
        break
    }
    this.emit('frame', frame)
  }

  private onAppSip(frame: AppFrame): void {
    const sip = frame.sip!
    const txnIdIn = frame.tokens[2] ?? ''
    const dialogIdIn = frame.tokens[3] ?? ''
    if (sip.status !== undefined) {
      this.onAppResponse(frame, sip, txnIdIn)
      return
    }
    const method = sip.method ?? ''
    const h = new Map(sip.headers)
    let dialogId = dialogIdIn
    let txnId: string = randomUUID()
    let dialog = dialogId ? this.dialogs.get(dialogId) : undefined
    if (dialog) {
      // In-dialog request: drachtio-server fills the dialog's headers.
      h.set('call-id', dialog.callId)
      h.set('from', dialog.localHeaders.from)
      h.set('to', dialog.localHeaders.to)
      if (method !== 'ACK') dialog.cseq++
      h.set('cseq', `${method === 'ACK' ? dialog.cseq : dialog.cseq} ${method}`)
    } else if (method === 'CANCEL') {
      txnId = txnIdIn
    } else {
      if (!h.has('call-id')) h.set('call-id', `${randomUUID()}@127.0.0.1`)
      const from = h.get('from') ?? '<sip:switchboard@127.0.0.1>'
      if (!tagOf(from)) h.set('from', `${from};tag=app${Math.floor(Math.random() * 1e9)}`)
      if (!h.has('to')) h.set('to', `<${sip.startLine.split(' ')[1]}>`)
      h.set('cseq', `1 ${method}`)
    }
    h.set('via', `SIP/2.0/UDP 127.0.0.1:5060;branch=z9hG4bK${txnId.slice(0, 8)}`)
    if (!h.has('max-forwards')) h.set('max-forwards', '70')
    if (!h.has('contact') && method !== 'ACK') h.set('contact', '<sip:127.0.0.1:5060>')
    const echo = buildSip(sip.startLine, h, sip.body)
    const echoed = parseSip(echo)
    this.reply(
      frame.msgId,
      `OK|application|${Buffer.byteLength(echo)}|udp|127.0.0.1|5060|${Date.now()}|${txnId}|${dialogId}`,
      echo,
    )

    if (dialog) {
      if (method === 'ACK') return
      setTimeout(() => {
        if (method === 'BYE') {
          dialog!.closed = true
          this.respondNetwork(echoed, txnId, 200, 'OK', { dialogId })
        } else if (method === 'INVITE') {
          // a faithful phone: its own address and port, the direction the re-INVITE allows
          const answer = answerSdp(sip.body, dialog!.port)
          dialog!.sdp.push({ ...(sip.body ? { received: sip.body } : {}), sent: answer })
          this.respondNetwork(echoed, txnId, 200, 'OK', { dialogId, body: answer, user: dialog!.user })
        } else this.respondNetwork(echoed, txnId, 200, 'OK', { dialogId })
      }, 2)
      return
    }
    if (method === 'CANCEL') {
      this.respondNetwork(echoed, randomUUID(), 200, 'OK')
      const inv = this.invites.get(txnIdIn)
      if (inv && !inv.done && inv.onCancel) {
        inv.done = true
        for (const t of inv.timers) clearTimeout(t)
        inv.onCancel()
      } else if (inv && !inv.done) {
        inv.done = true
        for (const t of inv.timers) clearTimeout(t)
        setTimeout(
          () => this.respondNetwork(inv.msg, txnIdIn, 487, 'Request Terminated', { toTag: inv.toTag }),
          2,
        )
      }
      return
    }
    if (method === 'INVITE') {
      const user = userOf(sip.startLine.split(' ')[1]) ?? ''
      const script = this.scripts[decodeURIComponent(user)] ?? {
        kind: 'fail',
        status: 404,
        reason: 'Not Found',
        afterSec: 0.005,
      }
      const toTag = `pt${Math.floor(Math.random() * 1e9)}`
      const inv: {
        msg: SipMsg
        toTag: string
        timers: NodeJS.Timeout[]
        done: boolean
        onCancel?: () => void
      } = { msg: echoed, toTag, timers: [], done: false }
      this.invites.set(txnId, inv)
      if (script.kind === 'challenge') {
        const header = script.status === 407 ? 'proxy-authorization' : 'authorization'
        const given = echoed.headers.get(header)
        const realm = 'trunk.test'
        const nonce = 'n0nce-trunk'
        if (!given) {
          // the ACK of a non-2xx final response is drachtio-server's business, not the app's
          inv.done = true
          this.challenges.push(script.status)
          const h = script.status === 407 ? 'proxy-authenticate' : 'www-authenticate'
          setTimeout(
            () =>
              this.respondNetwork(
                echoed,
                txnId,
                script.status,
                script.status === 407 ? 'Proxy Authentication Required' : 'Unauthorized',
                {
                  toTag,
                  extra: { [h]: `Digest realm="${realm}", nonce="${nonce}", algorithm=MD5, qop="auth"` },
                },
              ),
            1,
          )
          return
        }
        const d = parseDigest(given)
        const expected = digestResponse({
          username: script.username,
          realm,
          password: script.password,
          method: 'INVITE',
          uri: d.uri ?? '',
          nonce,
          ...(d.nc ? { nc: d.nc } : {}),
          ...(d.cnonce ? { cnonce: d.cnonce } : {}),
          ...(d.qop ? { qop: d.qop } : {}),
        })
        if (d.username !== script.username || d.response !== expected) {
          inv.done = true
          setTimeout(() => this.respondNetwork(echoed, txnId, 403, 'Forbidden', { toTag }), 1)
          return
        }
      }
      inv.timers.push(setTimeout(() => this.respondNetwork(echoed, txnId, 100, 'Trying'), 1))
      inv.timers.push(
        setTimeout(() => this.respondNetwork(echoed, txnId, 180, 'Ringing', { toTag, user }), 3),
      )
      const answerNow = () => {
        inv.done = true
        if (script.kind === 'fail') {
          this.respondNetwork(echoed, txnId, script.status, script.reason, { toTag })
          return
        }
        const callId = echoed.headers.get('call-id') ?? ''
        const fromTag = tagOf(echoed.headers.get('from')) ?? ''
        dialogId = `${callId};from-tag=${fromTag}`
        const port = this.port++
        const answer = answerSdp(echoed.body, port)
        dialog = {
          port,
          sdp: [{ ...(echoed.body ? { received: echoed.body } : {}), sent: answer }],
          dialogId,
          callId,
          user: decodeURIComponent(user),
          cseq: 1,
          closed: false,
          localHeaders: {
            from: echoed.headers.get('from') ?? '',
            to: `${echoed.headers.get('to')};tag=${toTag}`,
          },
        }
        this.dialogs.set(dialogId, dialog)
        const appCall = echoed.headers.get('x-switchboard-call-id')
        if (appCall) this.dialogByAppCall.set(appCall, dialogId)
        this.respondNetwork(echoed, txnId, 200, 'OK', { toTag, dialogId, body: answer, user })
      }
      if (script.kind === 'ring-forever') return
      if (script.kind === 'answer-on-cancel') {
        inv.onCancel = answerNow
        return
      }
      inv.timers.push(setTimeout(answerNow, script.afterSec * 1_000))
    }
  }

  /** The app answered a network request: echo it with ids; a 200 to an INVITE forms a dialog (and we ACK). */
  private onAppResponse(frame: AppFrame, sip: SipMsg, txnId: string): void {
    const h = new Map(sip.headers)
    const callId = h.get('call-id') ?? ''
    const inbound = this.inbound.get(callId)
    const cseq = h.get('cseq') ?? ''
    const isInvite = / INVITE$/.test(cseq)
    let dialogId = ''
    if (inbound && isInvite && sip.status !== undefined && sip.status >= 180) {
      if (!tagOf(h.get('to'))) h.set('to', `${h.get('to')};tag=sw${Math.floor(Math.random() * 1e9)}`)
      if (!h.has('contact')) h.set('contact', '<sip:127.0.0.1:5060>')
      dialogId = inbound.dialogId
    }
    const echo = buildSip(sip.startLine, h, sip.body)
    this.reply(
      frame.msgId,
      `OK|application|${Buffer.byteLength(echo)}|udp|127.0.0.1|5060|${Date.now()}|${txnId}|${dialogId}`,
      echo,
    )
    if (inbound && isInvite && sip.status === 200) {
      const d: NetDialog = {
        dialogId,
        callId,
        user: userOf(inbound.from) ?? 'caller',
        cseq: 1,
        closed: false,
        port: inbound.port,
        sdp: [{ sent: inbound.offer, ...(sip.body ? { received: sip.body } : {}) }],
        // From the app's point of view: from = app side (To of the INVITE), to = the caller.
        localHeaders: { from: h.get('to') ?? inbound.to, to: inbound.from },
      }
      this.dialogs.set(dialogId, d)
      const m = parseSip(inbound.invite)
      const ack = new Map(m.headers)
      ack.set('cseq', '1 ACK')
      ack.set('to', h.get('to') ?? inbound.to)
      ack.delete('content-type')
      setTimeout(
        () =>
          this.sendNetwork(buildSip(`ACK ${m.startLine.split(' ')[1]} SIP/2.0`, ack), randomUUID(), dialogId),
        2,
      )
    }
  }
}
