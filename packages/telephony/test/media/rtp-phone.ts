import dgram from 'node:dgram'
import { directionOf, endpointOf } from '../../src/drachtio/sdp.js'

/** What the phone's signalling says at this moment: the description it received and the one it sent. */
export interface PhoneSdp {
  readonly received: string
  readonly sent: string
}

/**
 * A test phone's media: one UDP socket on a second loopback address (127.0.0.2 by default, so that an SDP
 * naming 0.0.0.0 or 127.0.0.1 for the phone is wrong and shows), sending 20 ms PCMU packets only where and
 * when its SDP says: to the address and port of the description it received, and only while the
 * direction it sent allows sending (`sendrecv`/`sendonly`) and the received one allows it to be heard
 * (not `inactive`/`sendonly` from the other side, RFC 3264 §6.1). A 0.0.0.0 address is never sent to.
 * Each packet's payload starts with the phone's tag and the packet's number, so the other side can tell
 * whose media it got and whether any went missing. `sdp()` is read on every packet: a re-INVITE takes
 * effect on the next one.
 */
export class RtpPhone {
  private readonly socket = dgram.createSocket('udp4')
  private timer?: NodeJS.Timeout
  private seq = 0
  readonly ssrc: number
  /** Packets sent, and packets received by sender tag (with the highest number seen). */
  sent = 0
  readonly received = new Map<string, { count: number; last: number }>()
  /** Packets received that carried no phone tag (prompts played by the anchor, for example). */
  other = 0
  /** DTMF digits received as RFC 4733 telephone-events, in order. */
  readonly dtmf: string[] = []
  private readonly dtmfSeen = new Set<number>()

  constructor(
    readonly tag: string,
    readonly address = '127.0.0.2',
  ) {
    this.ssrc = Number.parseInt(Buffer.from(tag.padEnd(4, '_').slice(0, 4)).toString('hex'), 16) >>> 0
  }

  async bind(): Promise<number> {
    await new Promise<void>((r) => this.socket.bind(0, this.address, () => r()))
    this.socket.on('message', (msg) => {
      if (msg.length >= 16 && (msg[1]! & 0x7f) === 101) {
        // RFC 4733 telephone-event: one digit per RTP timestamp, repeated, the last packets with the E bit
        const ts = msg.readUInt32BE(4)
        const event = msg[12]!
        const end = (msg[13]! & 0x80) !== 0
        if (end && !this.dtmfSeen.has(ts)) {
          this.dtmfSeen.add(ts)
          this.dtmf.push('0123456789*#ABCD'[event] ?? '?')
        }
        return
      }
      const from = msg.length >= 20 ? msg.subarray(12, 16).toString('latin1').replace(/_+$/, '') : ''
      if (msg.length < 20 || !/^[a-z]+$/.test(from)) {
        this.other++
        return
      }
      const n = msg.readUInt32BE(16)
      const r = this.received.get(from) ?? { count: 0, last: -1 }
      this.received.set(from, { count: r.count + 1, last: Math.max(r.last, n) })
    })
    return this.socket.address().port
  }

  /** Starts the 20 ms clock; `sdp()` gives the phone's current offer/answer. */
  start(sdp: () => PhoneSdp | undefined): void {
    const tick = () => {
      const now = sdp()
      if (!now) return
      const mine = directionOf(now.sent)
      const theirs = directionOf(now.received)
      const { address, port } = endpointOf(now.received)
      const maySend =
        (mine === 'sendrecv' || mine === 'sendonly') && theirs !== 'inactive' && theirs !== 'sendonly'
      if (!maySend || !port || address === '0.0.0.0' || address === '') return
      const h = Buffer.alloc(12)
      h[0] = 0x80
      h[1] = this.seq === 0 ? 0x80 : 0x00 // marker on the first packet, PT 0 (PCMU)
      h.writeUInt16BE(this.seq & 0xffff, 2)
      h.writeUInt32BE((this.seq * 160) >>> 0, 4)
      h.writeUInt32BE(this.ssrc, 8)
      const payload = Buffer.alloc(160, 0xff)
      payload.write(this.tag.padEnd(4, '_').slice(0, 4), 0, 'latin1')
      payload.writeUInt32BE(this.seq, 4)
      this.socket.send(Buffer.concat([h, payload]), port, address)
      this.seq++
      this.sent++
    }
    this.timer = setInterval(tick, 20)
  }

  /** Packets received from the phone tagged `from`. */
  heard(from: string): number {
    return this.received.get(from)?.count ?? 0
  }

  close(): void {
    if (this.timer) clearInterval(this.timer)
    this.socket.close()
  }
}
