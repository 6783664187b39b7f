import dgram from 'node:dgram'

/** A small RTP sender: 20 ms PCMU packets (160 bytes of payload) from 127.0.0.2 (the address the fake phones announce) to a target. */
export class PcmuSender {
  private readonly socket = dgram.createSocket('udp4')
  private timer?: NodeJS.Timeout
  private seq = 0
  private ts = 0
  sent = 0
  received = 0
  readonly ssrc = 0x5b0a4d01

  async bind(port = 0): Promise<number> {
    await new Promise<void>((r) => this.socket.bind(port, '127.0.0.2', () => r()))
    this.socket.on('message', () => {
      this.received++
    })
    return this.socket.address().port
  }

  start(host: string, port: number): void {
    const payload = Buffer.alloc(160, 0xff) // PCMU silence-ish
    const tick = () => {
      const h = Buffer.alloc(12)
      h[0] = 0x80
      h[1] = this.seq === 0 ? 0x80 : 0x00 // marker on first packet, PT 0 (PCMU)
      h.writeUInt16BE(this.seq & 0xffff, 2)
      h.writeUInt32BE(this.ts >>> 0, 4)
      h.writeUInt32BE(this.ssrc, 8)
      this.socket.send(Buffer.concat([h, payload]), port, host)
      this.seq++
      this.ts += 160
      this.sent++
    }
    tick()
    this.timer = setInterval(tick, 20)
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer)
  }

  close(): void {
    this.stop()
    this.socket.close()
  }
}

/** The first audio connection address and port in an SDP. */
export const mediaAddress = (sdp: string): { host: string; port: number } => {
  const host = /^c=IN IP4 (\S+)/m.exec(sdp)?.[1] ?? '127.0.0.1'
  const port = Number(/^m=audio (\d+)/m.exec(sdp)?.[1] ?? 0)
  return { host, port }
}
