// Real media: rtpengine from Debian in userspace mode on 127.0.0.1, driven over the ng protocol by the SIP
// backend's media module (signalling is scripted; RTP and recording are real).
import dgram from 'node:dgram'
import { readdirSync, statSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { DrachtioTelephony } from '../src/drachtio/backend.js'
import { RtpengineMedia } from '../src/drachtio/media.js'
import { directionOf, endpointOf, withDirection } from '../src/drachtio/sdp.js'
import { type FakeDialog, FakeSrf } from './fakes/fake-srf.js'
import { sleepSec } from './fakes/time.js'
import { readPcap, udpOf } from './media/pcap.js'
import { RtpPhone } from './media/rtp-phone.js'
import { mediaAddress, PcmuSender } from './media/rtp-sender.js'
import { type RunningRtpengine, rtpengineBinary, startRtpengine } from './media/rtpengine-process.js'

const bin = rtpengineBinary()
const inCI = /^(1|true)$/i.test(process.env.CI ?? '')
if (!bin) {
  const msg = 'rtpengine is not installed (apt-get install rtpengine-daemon, or run .ci/telephony.sh)'
  console.warn(`\n${'!'.repeat(100)}\n!! SKIPPING REAL MEDIA TESTS: ${msg}\n${'!'.repeat(100)}\n`)
}

const freeUdpPort = async (): Promise<number> => {
  const s = dgram.createSocket('udp4')
  await new Promise<void>((r) => s.bind(0, '127.0.0.1', () => r()))
  const port = s.address().port
  await new Promise<void>((r) => s.close(() => r()))
  return port
}

const walk = (dir: string): string[] =>
  readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? walk(join(dir, e.name)) : [join(dir, e.name)],
  )

/** 8 kHz, 16-bit mono PCM WAV of a 440 Hz tone. */
const writeWav = (path: string, seconds: number) => {
  const n = Math.round(8000 * seconds)
  const data = Buffer.alloc(n * 2)
  for (let i = 0; i < n; i++)
    data.writeInt16LE(Math.round(8000 * Math.sin((2 * Math.PI * 440 * i) / 8000)), i * 2)
  const h = Buffer.alloc(44)
  h.write('RIFF', 0)
  h.writeUInt32LE(36 + data.length, 4)
  h.write('WAVE', 8)
  h.write('fmt ', 12)
  h.writeUInt32LE(16, 16)
  h.writeUInt16LE(1, 20)
  h.writeUInt16LE(1, 22)
  h.writeUInt32LE(8000, 24)
  h.writeUInt32LE(16000, 28)
  h.writeUInt16LE(2, 32)
  h.writeUInt16LE(16, 34)
  h.write('data', 36)
  h.writeUInt32LE(data.length, 40)
  writeFileSync(path, Buffer.concat([h, data]))
}

describe.skipIf(!bin && !inCI)('rtpengine media (real daemon, userspace, 127.0.0.1)', () => {
  let rtp: RunningRtpengine
  let media: RtpengineMedia

  beforeAll(async () => {
    if (!bin)
      throw new Error('CI requires rtpengine (rtpengine-daemon): run .ci/telephony.sh before the tests')
    const ngPort = await freeUdpPort()
    const portMin = 30_000 + Math.floor(Math.random() * 90) * 100
    rtp = await startRtpengine(bin, ngPort, portMin)
    media = new RtpengineMedia({
      host: '127.0.0.1',
      port: ngPort,
      timeoutSec: 1,
      recordingDir: rtp.recordingDir,
    })
    for (let i = 0; i < 50; i++) {
      if (await media.ping().catch(() => false)) return
      await sleepSec(0.1)
    }
    throw new Error(`rtpengine did not answer ng ping:\n${rtp.stderr().slice(-2000)}`)
  }, 15_000)

  afterAll(async () => {
    try {
      await media?.close()
    } finally {
      await rtp?.stop()
    }
  })

  const setup = async () => {
    const sender = new PcmuSender()
    const senderPort = await sender.bind()
    const srf = new FakeSrf({ '+33600000001': { kind: 'answer', afterSec: 0.01 } }, () => senderPort)
    const backend = new DrachtioTelephony({
      srf,
      server: { mode: 'connect', host: '127.0.0.1', port: 9022, secret: 'x' },
      trunk: { uriTemplate: 'sip:{number}@carrier.test' },
      media,
    })
    await backend.start()
    const answered = await backend.originate({ target: { type: 'number', number: '+33600000001' } })
    // The INVITE's SDP is rtpengine's: the customer sends its RTP there.
    const toward = mediaAddress(srf.uacOptions[0]!.localSdp)
    expect(toward.port).toBeGreaterThan(0)
    return { backend, sender, toward, callId: answered.callId }
  }

  it('a recording started and stopped on demand holds the RTP of that window (pcap)', async () => {
    const { backend, sender, toward, callId } = await setup()
    const before = new Set(walk(rtp.recordingDir))
    try {
      sender.start(toward.host, toward.port)
      await sleepSec(0.4) // media flows, not recorded yet
      const sentBefore = sender.sent
      const started = await backend.startRecording(callId)
      await sleepSec(1)
      const stopped = await backend.stopRecording(callId)
      const sentInWindow = sender.sent - sentBefore
      await sleepSec(0.4) // media still flows, not recorded any more
      sender.stop()
      expect(stopped.recordingId).toBe(started.recordingId)
      expect(stopped.durationSec).toBeGreaterThanOrEqual(0.95)
      await backend.hangup(callId)
      await sleepSec(0.3)
      const pcaps = walk(rtp.recordingDir).filter((f) => f.endsWith('.pcap') && !before.has(f))
      expect(
        pcaps.length,
        `pcap files in ${rtp.recordingDir}: ${walk(rtp.recordingDir).join(', ')}`,
      ).toBeGreaterThan(0)
      const ours = pcaps
        .flatMap((f) => readPcap(f).packets)
        .map((p) => ({ ts: p.tsMs, udp: udpOf(p.data) }))
        .filter((p) => p.udp && p.udp.payload.length === 172 && p.udp.payload.readUInt32BE(8) === sender.ssrc)
      // what was sent during the window (~50 packets of 20 ms), give or take the edges' ng round trips
      expect(ours.length).toBeGreaterThanOrEqual(sentInWindow - 8)
      expect(ours.length).toBeLessThanOrEqual(sentInWindow + 8)
      expect(ours.length).toBeGreaterThanOrEqual(30)
      const span = ours[ours.length - 1]!.ts - ours[0]!.ts
      expect(span).toBeGreaterThan(700)
      expect(span).toBeLessThan(1_300)
      expect(statSync(pcaps[0]!).size).toBeGreaterThan(30 * 172)
      // media flowed before and after the window too, and was left out (a count, not a wall-clock rate)
      expect(sender.sent).toBeGreaterThan(ours.length + 10)
    } finally {
      sender.close()
      await backend.stop()
    }
  }, 15_000)

  /** A customer (+33600000002) and an agent (alice) phone on 127.0.0.2, scripted signalling, the real anchor. */
  const twoPhones = async () => {
    const cust = new RtpPhone('cust')
    const agnt = new RtpPhone('agnt')
    const custPort = await cust.bind()
    const agntPort = await agnt.bind()
    const srf = new FakeSrf(
      { '+33600000002': { kind: 'answer', afterSec: 0.01 }, alice: { kind: 'answer', afterSec: 0.01 } },
      (user) => (user === 'alice' ? agntPort : custPort),
    )
    const backend = new DrachtioTelephony({
      srf,
      server: { mode: 'connect', host: '127.0.0.1', port: 9022, secret: 'x' },
      trunk: { uriTemplate: 'sip:{number}@carrier.test' },
      agents: { static: { alice: 'sip:alice@127.0.0.2' } },
      media,
    })
    return { cust, agnt, srf, backend }
  }

  /** What a phone's signalling says now: the description it received (ours) and the one it sent. */
  const phoneView = (d: FakeDialog) => () => ({ received: d.local.sdp, sent: d.remote.sdp })

  it('a customer and an agent on 127.0.0.2 hear each other through the anchors, both directions are recorded, a hold silences one way', async () => {
    const { cust, agnt, srf, backend } = await twoPhones()
    const before = new Set(walk(rtp.recordingDir))
    try {
      await backend.start()
      const c = await backend.originate({ target: { type: 'number', number: '+33600000002' } })
      const a = await backend.originate({ target: { type: 'agent', agentId: 'alice' } })
      const dc = srf.dialogsByCall.get(c.callId)!
      const da = srf.dialogsByCall.get(a.callId)!
      // both phones were offered the anchor's address, sendrecv, and answered from 127.0.0.2
      for (const d of [dc, da]) {
        expect(endpointOf(d.local.sdp).address).toBe('127.0.0.1')
        expect(directionOf(d.local.sdp)).toBe('sendrecv')
        expect(endpointOf(d.remote.sdp).address).toBe('127.0.0.2')
      }
      cust.start(phoneView(dc))
      agnt.start(phoneView(da))
      await sleepSec(0.4)
      expect(cust.sent, 'the customer sends to the anchor before the bridge').toBeGreaterThan(10)
      expect(agnt.heard('cust') + cust.heard('agnt'), 'not bridged yet: nobody hears anybody').toBe(0)

      await backend.bridge(a.callId, c.callId)
      const rec = await backend.startRecording(c.callId)
      await sleepSec(1.5)
      await backend.stopRecording(c.callId)
      // 1.5 s of 20 ms packets is 75 each way; allow for scheduling on a busy machine
      expect(agnt.heard('cust'), 'agent hears the customer').toBeGreaterThanOrEqual(45)
      expect(cust.heard('agnt'), 'customer hears the agent').toBeGreaterThanOrEqual(45)
      expect(rec.recordingId).toContain(c.callId)

      // the customer puts the call on hold (re-INVITE sendonly): answered recvonly, the agent's phone is
      // re-INVITEd sendonly and stops sending; the customer's media (music on hold) still reaches the agent
      const held = await dc.remoteReinvite(withDirection(dc.remote.sdp, 'sendonly'))
      expect(held.status).toBe(200)
      expect(directionOf(held.body!)).toBe('recvonly')
      expect(directionOf(da.local.sdp)).toBe('sendonly')
      expect(directionOf(da.remote.sdp)).toBe('recvonly')
      await sleepSec(0.2)
      const onHold = { toCust: cust.heard('agnt'), toAgent: agnt.heard('cust') }
      await sleepSec(1)
      expect(cust.heard('agnt') - onHold.toCust, 'on hold: the agent is not heard').toBeLessThanOrEqual(1)
      expect(agnt.heard('cust') - onHold.toAgent, 'on hold: the customer still is').toBeGreaterThanOrEqual(25)

      const resumed = await dc.remoteReinvite(withDirection(dc.remote.sdp, 'sendrecv'))
      expect(directionOf(resumed.body!)).toBe('sendrecv')
      await sleepSec(0.2)
      const back = cust.heard('agnt')
      await sleepSec(0.6)
      expect(cust.heard('agnt') - back, 'resumed: the agent is heard again').toBeGreaterThanOrEqual(15)

      await backend.hangup(c.callId)
      await backend.hangup(a.callId)
      await sleepSec(0.3)
      // the recording holds both directions of the bridged window, by payload tag
      const pcaps = walk(rtp.recordingDir).filter((f) => f.endsWith('.pcap') && !before.has(f))
      const tagged = pcaps
        .flatMap((f) => readPcap(f).packets)
        .map((p) => ({ ts: p.tsMs, udp: udpOf(p.data) }))
        .filter((p) => p.udp && p.udp.payload.length === 172)
        .map((p) => ({ ts: p.ts, tag: p.udp!.payload.subarray(12, 16).toString('latin1') }))
      for (const tag of ['cust', 'agnt']) {
        const mine = tagged.filter((p) => p.tag === tag)
        expect(mine.length, `${tag} packets recorded`).toBeGreaterThanOrEqual(45)
        expect(mine.length, `${tag} packets recorded`).toBeLessThanOrEqual(85)
        const span = mine[mine.length - 1]!.ts - mine[0]!.ts
        expect(span, `${tag} recorded span (ms)`).toBeGreaterThan(1_200)
        expect(span, `${tag} recorded span (ms)`).toBeLessThan(1_800)
      }
    } finally {
      cust.close()
      agnt.close()
      await backend.stop()
    }
  }, 20_000)

  it('sends DTMF to the customer as RFC 4733 telephone-events inside the RTP, through the anchor', async () => {
    const { cust, agnt, srf, backend } = await twoPhones()
    try {
      await backend.start()
      const c = await backend.originate({ target: { type: 'number', number: '+33600000002' } })
      const a = await backend.originate({ target: { type: 'agent', agentId: 'alice' } })
      cust.start(phoneView(srf.dialogsByCall.get(c.callId)!))
      agnt.start(phoneView(srf.dialogsByCall.get(a.callId)!))
      await backend.bridge(a.callId, c.callId)
      await sleepSec(0.3)
      await backend.sendDtmf(c.callId, '42#')
      await sleepSec(0.4)
      expect(cust.dtmf).toEqual(['4', '2', '#'])
      expect(srf.dialogsByCall.get(c.callId)!.requests.filter((r) => r.method === 'INFO')).toEqual([])
      expect(cust.heard('agnt'), 'the conversation goes on around the digits').toBeGreaterThan(20)
    } finally {
      cust.close()
      agnt.close()
      await backend.stop()
    }
  }, 15_000)

  it('plays a prompt (the abandoned-call message) to the customer', async () => {
    const { backend, sender, toward, callId } = await setup()
    const wav = join(rtp.recordingDir, 'abandoned.wav')
    writeWav(wav, 1)
    try {
      sender.start(toward.host, toward.port) // rtpengine learns where the customer is
      await sleepSec(0.2)
      const receivedBefore = sender.received
      await backend.playMessage(callId, { media: wav })
      const got = sender.received - receivedBefore
      // ~1 s of 20 ms packets played back to the customer's RTP port.
      expect(got).toBeGreaterThanOrEqual(35)
    } finally {
      sender.close()
      await backend.stop()
    }
  }, 15_000)
})

it.runIf(!bin && !inCI)('rtpengine media tests are SKIPPED here: rtpengine is not installed', () => {
  expect(bin).toBeUndefined()
})
