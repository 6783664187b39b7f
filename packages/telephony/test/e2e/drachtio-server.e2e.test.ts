// Layer 3: real SIP end to end. A drachtio-server binary (DRACHTIO_BIN), sipp (Debian sip-tester) as the
// phones and callers, and rtpengine for media when installed. Everything on 127.0.0.1.
// drachtio-server is packaged neither for Debian nor npm: without DRACHTIO_BIN this suite is SKIPPED.
import { type ChildProcess, spawn, spawnSync } from 'node:child_process'
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs'
import net from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import type { InboundCall } from '@switchboard/core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { DrachtioTelephony } from '../../src/drachtio/backend.js'
import { drachtio } from '../../src/drachtio/index.js'
import { sleepSec } from '../fakes/time.js'
import { type RunningRtpengine, rtpengineBinary, startRtpengine } from '../media/rtpengine-process.js'

const DRACHTIO_BIN = process.env.DRACHTIO_BIN
const SIPP = spawnSync('sh', ['-c', 'command -v sipp'], { encoding: 'utf8' }).stdout.trim() || undefined
const scenarios = fileURLToPath(new URL('../sipp/', import.meta.url))
const enabled = Boolean(DRACHTIO_BIN && SIPP)

if (!enabled) {
  const why = !DRACHTIO_BIN ? 'DRACHTIO_BIN is not set' : 'sipp (apt-get install sip-tester) is not installed'
  console.warn(
    `\n${'#'.repeat(100)}\n## SKIPPED: real SIP end-to-end suite (layer 3): ${why}.\n` +
      '## Nothing here was verified against a real drachtio-server. See packages/telephony/README.md.\n' +
      `${'#'.repeat(100)}\n`,
  )
}

const freeTcpPort = async (): Promise<number> => {
  const s = net.createServer()
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', () => r()))
  const port = (s.address() as net.AddressInfo).port
  await new Promise<void>((r) => s.close(() => r()))
  return port
}

/** Runs one sipp scenario to completion (`-m 1`); resolves with its exit code (0 = scenario passed). */
// sipp writes its error logs into its working directory: the suite's temporary one, removed afterwards
let workDir: string | undefined
const runSipp = (
  scenario: string,
  args: string[],
  timeoutSec = 15,
): { done: Promise<number>; child: ChildProcess } => {
  const child = spawn(
    SIPP!,
    ['-sf', join(scenarios, scenario), '-i', '127.0.0.1', '-m', '1', '-nostdin', ...args],
    { stdio: 'ignore', ...(workDir ? { cwd: workDir } : {}) },
  )
  const done = new Promise<number>((resolve) => {
    const t = setTimeout(() => child.kill('SIGKILL'), timeoutSec * 1_000)
    child.once('exit', (code) => {
      clearTimeout(t)
      resolve(code ?? -1)
    })
  })
  return { done, child }
}

describe.skipIf(!enabled)('real SIP: drachtio-server + sipp (+ rtpengine)', () => {
  let server: ChildProcess
  let backend: DrachtioTelephony
  let rtp: RunningRtpengine | undefined
  let sipPort: number
  const inbound: InboundCall[] = []
  let inboundPolicy: (c: InboundCall) => void = () => {}

  beforeAll(async () => {
    const adminPort = await freeTcpPort()
    sipPort = 25_000 + Math.floor(Math.random() * 2_000)
    const dir = mkdtempSync(join(tmpdir(), 'sb-drachtio-'))
    workDir = dir
    const conf = join(dir, 'drachtio.conf.xml')
    writeFileSync(
      conf,
      `<drachtio>
  <admin port="${adminPort}" secret="e2e-secret">127.0.0.1</admin>
  <sip><contacts><contact>sip:127.0.0.1:${sipPort};transport=udp</contact></contacts></sip>
  <logging><console/><loglevel>info</loglevel><sofia-loglevel>3</sofia-loglevel></logging>
</drachtio>
`,
    )
    server = spawn(DRACHTIO_BIN!, ['-f', conf], { stdio: 'ignore' })
    const bin = rtpengineBinary()
    let rtpengine: { host: string; port: number; recordingDir: string } | undefined
    if (bin) {
      const ngPort = await freeTcpPort()
      rtp = await startRtpengine(bin, ngPort, 33_000 + Math.floor(Math.random() * 20) * 100)
      rtpengine = { host: '127.0.0.1', port: ngPort, recordingDir: rtp.recordingDir }
    }
    backend = drachtio({
      server: { mode: 'connect', host: '127.0.0.1', port: adminPort, secret: 'e2e-secret' },
      trunk: { uriTemplate: `sip:{number}@127.0.0.1:${sipPort + 10}` },
      ...(rtpengine ? { rtpengine } : {}),
    })
    backend.onInbound((c) => {
      inbound.push(c)
      inboundPolicy(c)
    })
    for (let i = 0; ; i++) {
      try {
        await backend.start()
        break
      } catch (err) {
        if (i > 20) throw err
        await sleepSec(0.25)
      }
    }
  }, 30_000)

  afterAll(async () => {
    await backend?.stop().catch(() => {})
    server?.kill('SIGTERM')
    await rtp?.stop()
    if (workDir) rmSync(workDir, { recursive: true, force: true })
  })

  it('outbound call answered by a sipp phone, then hung up with BYE (uas-answer-expect-bye)', async () => {
    const phone = runSipp('uas-answer-expect-bye.xml', [
      '-p',
      String(sipPort + 10),
      '-mp',
      String(sipPort + 200),
    ])
    await sleepSec(0.3)
    const r = await backend.originate({
      target: { type: 'number', number: '+33600000001' },
      ringTimeoutSec: 5,
    })
    await sleepSec(0.5)
    await backend.hangup(r.callId)
    expect(await phone.done).toBe(0)
  }, 20_000)

  it('outbound call to a busy sipp phone fails with CallBusy 486 (uas-reply-486)', async () => {
    const phone = runSipp('uas-reply-486.xml', ['-p', String(sipPort + 10)])
    await sleepSec(0.3)
    await expect(
      backend.originate({ target: { type: 'number', number: '+33600000003' }, ringTimeoutSec: 5 }),
    ).rejects.toMatchObject({ _tag: 'CallBusy', sipStatus: 486 })
    expect(await phone.done).toBe(0)
  }, 20_000)

  it('outbound call that rings out is CANCELled at the ring timeout (uas-ring-expect-cancel)', async () => {
    const phone = runSipp('uas-ring-expect-cancel.xml', ['-p', String(sipPort + 10)])
    await sleepSec(0.3)
    await expect(
      backend.originate({ target: { type: 'number', number: '+33600000004' }, ringTimeoutSec: 1 }),
    ).rejects.toMatchObject({ _tag: 'CallNoAnswer' })
    expect(await phone.done).toBe(0)
  }, 20_000)

  it('inbound call refused with 486; the caller is identified by P-Asserted-Identity (uac-expect-486)', async () => {
    inboundPolicy = (c) => void backend.reject(c.callId, 486)
    const caller = runSipp('uac-expect-486.xml', [
      '-p',
      String(sipPort + 20),
      '-s',
      '+33199999999',
      `127.0.0.1:${sipPort}`,
    ])
    expect(await caller.done).toBe(0)
    const offer = inbound[inbound.length - 1]
    expect(offer?.from).toBe('+33622222222')
    expect(offer?.to).toBe('+33199999999')
  }, 20_000)

  it('inbound call answered with RTP; recording on demand writes a pcap when rtpengine is present (uac-expect-200-then-bye)', async () => {
    let recorded = false
    inboundPolicy = (c) => {
      void (async () => {
        await backend.answer(c.callId)
        if (backend.capabilities.recording) {
          await sleepSec(0.3)
          await backend.startRecording(c.callId)
          await sleepSec(0.8)
          await backend.stopRecording(c.callId)
          recorded = true
        }
      })()
    }
    const caller = runSipp('uac-expect-200-then-bye.xml', [
      '-p',
      String(sipPort + 30),
      '-mp',
      String(sipPort + 400),
      '-s',
      '+33199999999',
      `127.0.0.1:${sipPort}`,
    ])
    expect(await caller.done).toBe(0)
    if (rtp) {
      expect(recorded).toBe(true)
      const walk = (d: string): string[] =>
        readdirSync(d, { withFileTypes: true }).flatMap((e) =>
          e.isDirectory() ? walk(join(d, e.name)) : [join(d, e.name)],
        )
      expect(walk(rtp.recordingDir).some((f) => f.endsWith('.pcap'))).toBe(true)
    }
  }, 25_000)
})

it.runIf(!enabled)(
  'SKIPPED: real SIP end-to-end suite needs DRACHTIO_BIN (a drachtio-server binary) and sipp',
  () => {
    expect(enabled).toBe(false)
  },
)
