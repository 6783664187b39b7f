// The campaign runtime over the SIP backend (integration points 3 and 6 on real signalling): the same
// runner as runner.test.ts, but on DrachtioTelephony, in real time (no ManualClock).
//
// 1. Layer 2 (runs here): the real drachtio-srf library speaks drachtio-server's wire protocol over TCP on
//    127.0.0.1 to the fake peer of the telephony package's wire tests (packages/telephony/test/fakes/
//    drachtio-wire.ts), which scripts the phones by Request-URI user: customers that answer, refuse with
//    486 or 404, or ring until the runner CANCELs them at its ring timeout; agents alice and bob answer.
//    A progressive campaign dials them; the test checks each attempt's interaction and code, the SIP the
//    peer saw (INVITE to the trunk per customer, INVITE to the agent, the re-INVITEs of the bridge, the
//    CANCEL, the BYEs), and the lead states. Without a media anchor the SIP backend cannot record
//    (`capabilities.recording` is false: drachtio only does signalling), so recording is checked in 2.
// 2. Layer 2 + real media (runs here when rtpengine is installed, required in CI): the same peer, plus a
//    real rtpengine (userspace, 127.0.0.1) anchoring the customer legs; an agent records part of a call
//    on demand and the recording row gets a location and a duration.
// 3. Layer 3 (DRACHTIO_BIN; skipped without it): a real drachtio-server, sipp phones (customers that
//    answer and hang up, refuse 486 / 404, or ring out; alice's and bob's phones answer) and rtpengine,
//    the same campaign, with one call recorded on demand. UNVERIFIED HERE: there is no drachtio-server
//    binary on this machine. It type-checks; its two sipp scenarios (written to a temp dir) were run only
//    against sipp callers on 127.0.0.1, never behind drachtio-server. Its start-up code is copied from
//    packages/telephony/test/e2e/drachtio-server.e2e.test.ts (whose helpers are not exported); rtpengine
//    is started with that package's test helper (test/media/rtpengine-process.ts).
// Also: an agent who hangs up their phone first (BYE from the agent leg) must end the customer's call.
import { type ChildProcess, spawn, spawnSync } from 'node:child_process'
import dgram from 'node:dgram'
import { mkdtempSync, readdirSync, writeFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import net from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { type CampaignRuntime, createCampaignRuntime } from '@switchboard/campaigns'
import {
  type Agent,
  type AgentId,
  type Campaign,
  type Contact,
  createSwitchboard,
  type Interaction,
  type RecordingPolicy,
  regimes,
  type Switchboard,
  type TenantApi,
} from '@switchboard/core'
import { DrachtioTelephony, drachtio, RtpengineMedia, type SrfLike } from '@switchboard/telephony/drachtio'
import { afterAll, afterEach, describe, expect, it } from 'vitest'
import { FakeDrachtioServer, type WireScript } from '../../../packages/telephony/test/fakes/drachtio-wire.ts'
import { rtpengineBinary, startRtpengine } from '../../../packages/telephony/test/media/rtpengine-process.ts'
import { BACKENDS, CI, dropSchemas, openStorage, phoneOf } from './harness.ts'

// drachtio-srf is a dependency of @switchboard/telephony, not of this package: resolve it from there.
const requireFromTelephony = createRequire(
  new URL('../../../packages/telephony/package.json', import.meta.url),
)
const Srf = requireFromTelephony('drachtio-srf') as new () => SrfLike

afterAll(dropSchemas)

const sleepSec = (s: number) => new Promise<void>((r) => setTimeout(r, s * 1000))

/** Polls `check` (real time) until it returns a value; fails after `timeoutSec`. */
async function until<T>(what: string, check: () => Promise<T | undefined>, timeoutSec = 15): Promise<T> {
  const deadline = Date.now() + timeoutSec * 1000
  for (;;) {
    const v = await check()
    if (v !== undefined) return v
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`)
    await sleepSec(0.05)
  }
}

const CALLER_ID = '+12125550100'
/** Customers by contact index: what each one does when called. */
const ANSWER_A = 0
const ANSWER_B = 1
const BUSY = 2
const NOT_FOUND = 3
const RING = 4
const CONTACTS = 5

/**
 * The contacts' zone and a calling window that holds "now" (real time): 00:00-23:59 every day, in UTC,
 * or in a zone where it is not 23:59 (the one minute the window cannot hold).
 */
const zone = () => (new Date().getUTCHours() === 23 && new Date().getUTCMinutes() >= 58 ? 'Etc/GMT+6' : 'UTC')
const regime = {
  ...regimes.US,
  name: 'US-test',
  callingWindows: [{ days: [0, 1, 2, 3, 4, 5, 6], start: '00:00', end: '23:59' }],
  // the runner rings for max(regime.minRingSec, runtime ringTimeoutSec): both lowered for a short test
  minRingSec: 2,
}
const RING_TIMEOUT_SEC = 2

interface SipWorld {
  readonly sb: Switchboard
  readonly t: TenantApi
  readonly runtime: CampaignRuntime
  readonly backend: DrachtioTelephony
  readonly campaign: Campaign
  readonly alice: Agent
  readonly bob: Agent
  readonly contacts: Contact[]
  /** Each contact's interactions on the campaign. */
  attempts(i: number): Promise<Interaction[]>
  close(): Promise<void>
}

/**
 * A tenant with agents alice and bob, five contacts and a progressive campaign, run by a campaign runtime
 * on the SIP backend `telephony` builds (it gets the agents' ids: the backend's static agent endpoints
 * are keyed by the AgentIds the tenant created).
 */
async function sipWorld(o: {
  backend: 'sqlite' | 'postgres'
  telephony: (agents: { alice: AgentId; bob: AgentId }) => DrachtioTelephony
  recording?: RecordingPolicy
  /** How many contacts (indices 0..n-1; default all five). */
  contacts?: number
}): Promise<SipWorld> {
  const sb = await createSwitchboard({ storage: openStorage(o.backend), outbox: false })
  const t = sb.tenant('acme')
  const alice = await t.agents.create({ name: 'alice' })
  const bob = await t.agents.create({ name: 'bob' })
  await t.dispositions.define({ code: 'SALE', label: 'Sale', category: 'sale' })
  const timeZone = zone()
  const contacts: Contact[] = []
  for (let i = 0; i < (o.contacts ?? CONTACTS); i++)
    contacts.push(
      await t.contacts.create({ firstName: `Lead${i}`, lastName: 'Sip', phones: [phoneOf(i)], timeZone }),
    )
  const campaign = await t.campaigns.create({
    name: 'Renewals over SIP',
    kind: 'telemarketing',
    dialMode: { mode: 'progressive' },
    regime,
    consentPurpose: 'marketing',
    callerId: CALLER_ID,
    recording: o.recording ?? 'never',
    wrapUpSec: 30,
  })
  await t.lists.enqueue(
    campaign.id,
    contacts.map((c) => c.id),
  )
  for (const a of [alice, bob]) await t.sessions.login(a.id, { campaignIds: [campaign.id] })
  const backend = o.telephony({ alice: alice.id, bob: bob.id })
  await backend.start()
  const runtime = createCampaignRuntime(sb, {
    telephony: backend,
    ringTimeoutSec: RING_TIMEOUT_SEC,
    followIntervalMs: 50,
  })
  const errors: string[] = []
  runtime.on('runtime.error', (e) => errors.push(`${e.message}: ${String(e.error)}`))
  return {
    sb,
    t,
    runtime,
    backend,
    campaign,
    alice,
    bob,
    contacts,
    attempts: (i) => t.interactions.find({ campaignId: campaign.id, contactId: contacts[i]!.id }),
    async close() {
      await runtime.close()
      await backend.stop().catch(() => {})
      await sb.close()
      expect(errors, 'runtime errors').toEqual([])
    },
  }
}

/** Agents that code SALE shortly after each connected call ends (real time). */
function codeSales(w: SipWorld, afterSec = 0.2): { coded: string[] } {
  const state = { coded: [] as string[] }
  w.runtime.on('call.ended', (e) => {
    if (!e.agentId || !e.wrapUntil) return
    setTimeout(() => {
      void w.runtime
        .dispose(w.t.tenantId, e.agentId!, { code: 'SALE' })
        .then(() => state.coded.push(e.callId))
    }, afterSec * 1000)
  })
  return state
}

/** Waits until every contact has one closed, coded attempt and `coded` connected calls were coded. */
const campaignDone = (w: SipWorld, agentsCoded: () => number, expectedCoded: number, timeoutSec = 25) =>
  until(
    'every attempt closed and coded',
    async () => {
      if (agentsCoded() < expectedCoded) return undefined
      const all = await Promise.all(w.contacts.map((_, i) => w.attempts(i)))
      return all.every((a) => a.length === 1 && a[0]!.endedAt && a[0]!.disposition)
        ? all.map((a) => a[0]!)
        : undefined
    },
    timeoutSec,
  )

const numberScripts = (): Record<string, WireScript> => ({
  [phoneOf(ANSWER_A)]: { kind: 'answer', afterSec: 0.05 },
  [phoneOf(ANSWER_B)]: { kind: 'answer', afterSec: 0.08 },
  [phoneOf(BUSY)]: { kind: 'fail', status: 486, reason: 'Busy Here', afterSec: 0.03 },
  [phoneOf(NOT_FOUND)]: { kind: 'fail', status: 404, reason: 'Not Found', afterSec: 0.03 },
  [phoneOf(RING)]: { kind: 'ring-forever' },
  alice: { kind: 'answer', afterSec: 0.02 },
  bob: { kind: 'answer', afterSec: 0.02 },
})

const wireBackend =
  (port: number, media?: RtpengineMedia) =>
  (agents: { alice: AgentId; bob: AgentId }): DrachtioTelephony =>
    new DrachtioTelephony({
      srf: new Srf(),
      server: { mode: 'connect', host: '127.0.0.1', port, secret: 'cymru' },
      trunk: { uriTemplate: 'sip:{number}@127.0.0.1:5090' },
      agents: {
        static: { [agents.alice]: 'sip:alice@127.0.0.1:5090', [agents.bob]: 'sip:bob@127.0.0.1:5090' },
      },
      ...(media ? { media, closeMediaOnStop: true } : {}),
    })

/** The customer hangs up `holdSec` after being connected to an agent: a BYE from the network side. */
function customersHangUp(w: SipWorld, peer: FakeDrachtioServer, holdSec: number): void {
  w.runtime.on('call.connected', (e) => {
    setTimeout(() => {
      const dialogId = peer.dialogByAppCall.get(e.callId)
      if (dialogId && peer.dialogs.has(dialogId)) peer.inDialogFromNetwork(dialogId, 'BYE')
    }, holdSec * 1000)
  })
}

const trunkUri = (i: number) => `sip:${encodeURIComponent(phoneOf(i))}@127.0.0.1:5090`

describe.each(BACKENDS)(
  'campaign runtime over drachtio-srf and the drachtio wire protocol, on %s',
  (backend) => {
    const cleanup: Array<() => Promise<void>> = []
    afterEach(async () => {
      for (const c of cleanup.splice(0).reverse()) await c()
    })

    it('dials the list over SIP: answered calls reach alice and bob, 486 is BUSY, 404 FAILED, ringing out NO_ANSWER', async () => {
      const peer = new FakeDrachtioServer('cymru', numberScripts())
      const port = await peer.listen()
      cleanup.push(() => peer.close())
      const w = await sipWorld({ backend, telephony: wireBackend(port) })
      let closed = false
      cleanup.push(async () => {
        if (!closed) await w.close().catch(() => {})
      })
      expect(w.backend.capabilities.recording).toBe(false) // no media anchor: nothing to record with
      const offered = new Map<string, string>() // callId -> agentId
      w.runtime.on('call.offered', (pop) => offered.set(pop.callId, pop.agentId))
      customersHangUp(w, peer, 1)
      const agents = codeSales(w)

      await w.runtime.start(w.t.tenantId, w.campaign.id)
      const attempts = await campaignDone(w, () => agents.coded.length, 2)

      // every contact: one attempt, closed, with the code its phone earned
      expect(attempts.map((a) => a.disposition)).toEqual(['SALE', 'SALE', 'BUSY', 'FAILED', 'NO_ANSWER'])
      const answered = [attempts[ANSWER_A]!, attempts[ANSWER_B]!]
      for (const a of answered) {
        expect(a.durations.talkSec).toBeGreaterThan(0.5) // the customer hung up 1 s after the bridge
        expect(offered.get(a.callId!)).toBe(a.agentId)
      }
      expect(new Set(answered.map((a) => a.agentId))).toEqual(new Set([w.alice.id, w.bob.id]))
      for (const i of [BUSY, NOT_FOUND, RING]) {
        expect(attempts[i]!.agentId, `contact ${i}`).toBeUndefined()
        expect(attempts[i]!.durations.talkSec, `contact ${i}`).toBe(0)
      }
      expect(attempts[RING]!.durations.ringSec).toBeGreaterThanOrEqual(RING_TIMEOUT_SEC - 0.05)
      expect(await w.t.interactions.find({ campaignId: w.campaign.id, open: true })).toEqual([])

      // the SIP the network saw. Initial INVITEs (no dialog yet): one to the trunk per customer, one per agent leg
      const initial = peer.sipFrames('INVITE').filter((f) => !f.tokens[3])
      const reinvites = peer.sipFrames('INVITE').filter((f) => f.tokens[3])
      expect(initial.map((f) => f.sip!.startLine).sort()).toEqual(
        [
          ...w.contacts.map((_, i) => `INVITE ${trunkUri(i)} SIP/2.0`),
          'INVITE sip:alice@127.0.0.1:5090 SIP/2.0',
          'INVITE sip:bob@127.0.0.1:5090 SIP/2.0',
        ].sort(),
      )
      for (const [i, a] of attempts.entries()) {
        const invite = initial.find((f) => f.sip!.startLine === `INVITE ${trunkUri(i)} SIP/2.0`)!
        expect(invite.sip!.headers.get('x-switchboard-call-id'), `contact ${i}`).toBe(a.callId)
        expect(invite.sip!.headers.get('from'), `contact ${i}`).toContain(CALLER_ID)
      }
      expect(reinvites).toHaveLength(4) // third-party call control: each bridge re-INVITEs both legs
      const cancels = peer.sipFrames('CANCEL')
      expect(cancels.map((f) => f.sip!.startLine)).toEqual([`CANCEL ${trunkUri(RING)} SIP/2.0`])
      // the customers BYE'd (network side); the runner then hung up each agent's leg
      const byes = peer.sipFrames('BYE')
      expect(byes).toHaveLength(2)
      const agentDialogIds = [...peer.dialogs.values()].filter((d) => d.user === 'alice' || d.user === 'bob')
      expect(new Set(byes.map((f) => f.tokens[3]))).toEqual(new Set(agentDialogIds.map((d) => d.dialogId)))

      // leads: sales are done; the rest wait for their retry rule
      const lead = (i: number) => w.t.lists.get(w.campaign.id, w.contacts[i]!.id)
      expect((await lead(ANSWER_A))?.status).toBe('done')
      expect((await lead(ANSWER_B))?.status).toBe('done')
      const retry = async (i: number, afterSec: number) => {
        const l = await lead(i)
        expect(l?.status, `contact ${i}`).toBe('pending')
        expect(l?.outcome, `contact ${i}`).toBe(attempts[i]!.disposition)
        const delay = (l!.notBefore!.getTime() - attempts[i]!.endedAt!.getTime()) / 1000
        expect(delay, `contact ${i} retry delay`).toBeGreaterThanOrEqual(afterSec - 5)
        expect(delay, `contact ${i} retry delay`).toBeLessThanOrEqual(afterSec + 5)
      }
      await retry(BUSY, 15 * 60) // default rule for busy
      await retry(NOT_FOUND, 3600) // no rule for failed: the campaign's default delay
      await retry(RING, 2 * 3600) // default rule for no_answer

      const status = w.runtime.status(w.t.tenantId, w.campaign.id)!
      expect(status.dials).toBe(5)
      expect(status.connects).toBe(2)
      expect(status.abandoned).toBe(0)
      // alice and bob went through a whole call, as recorded history
      const paths = new Set((await w.t.sessions.states({})).map((s) => `${s.from}>${s.to}`))
      for (const p of ['available>reserved', 'reserved>on_call', 'on_call>wrap_up', 'wrap_up>available'])
        expect(paths).toContain(p)
      closed = true
      await w.close()
    }, 40_000)

    it('an agent who hangs up their phone ends the customer call too (BYE from the agent leg)', async () => {
      const peer = new FakeDrachtioServer('cymru', numberScripts())
      const port = await peer.listen()
      cleanup.push(() => peer.close())
      const w = await sipWorld({ backend, telephony: wireBackend(port), contacts: 1 })
      let closed = false
      cleanup.push(async () => {
        if (!closed) await w.close().catch(() => {})
      })
      const agents = codeSales(w)
      w.runtime.on('call.connected', () => {
        setTimeout(() => {
          const agentDialog = [...peer.dialogs.values()].find((d) => d.user === 'alice' || d.user === 'bob')
          if (agentDialog) peer.inDialogFromNetwork(agentDialog.dialogId, 'BYE')
        }, 1000)
      })
      await w.runtime.start(w.t.tenantId, w.campaign.id)
      // the customer must not be left on an unbridged leg: the runner BYEs it, closes the attempt, wraps up
      const [attempt] = await campaignDone(w, () => agents.coded.length, 1, 10)
      expect(attempt!.disposition).toBe('SALE')
      expect(attempt!.durations.talkSec).toBeGreaterThan(0.5)
      const customerDialog = peer.dialogByAppCall.get(attempt!.callId!)
      expect(peer.sipFrames('BYE').map((f) => f.tokens[3])).toEqual([customerDialog])
      expect((await w.t.lists.get(w.campaign.id, w.contacts[0]!.id))?.status).toBe('done')
      closed = true
      await w.close()
    }, 30_000)
  },
)

const RTPENGINE = rtpengineBinary()
const freeUdpPort = async (): Promise<number> => {
  const s = dgram.createSocket('udp4')
  await new Promise<void>((r) => s.bind(0, '127.0.0.1', () => r()))
  const port = s.address().port
  await new Promise<void>((r) => s.close(() => r()))
  return port
}
const walk = (d: string): string[] =>
  readdirSync(d, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? walk(join(d, e.name)) : [join(d, e.name)],
  )

if (!RTPENGINE && !CI)
  console.warn(
    'sip.test.ts: rtpengine is not installed (run .ci/telephony.sh): the SIP recording test is SKIPPED',
  )

describe.skipIf(!RTPENGINE && !CI).each(BACKENDS)(
  'campaign runtime over the drachtio wire protocol with real rtpengine media, on %s',
  (backend) => {
    const cleanup: Array<() => Promise<void>> = []
    afterEach(async () => {
      for (const c of cleanup.splice(0).reverse()) await c()
    })

    it("an agent records part of a call on demand: the recording row has rtpengine's location and a duration", async () => {
      if (!RTPENGINE)
        throw new Error('CI requires rtpengine (rtpengine-daemon): run .ci/telephony.sh before the tests')
      const ngPort = await freeUdpPort()
      const rtp = await startRtpengine(RTPENGINE, ngPort, 34_000 + Math.floor(Math.random() * 50) * 100)
      cleanup.push(() => rtp.stop())
      const media = new RtpengineMedia({
        host: '127.0.0.1',
        port: ngPort,
        timeoutSec: 1,
        recordingDir: rtp.recordingDir,
      })
      await until(
        'rtpengine to answer ng ping',
        async () => ((await media.ping().catch(() => false)) ? true : undefined),
        5,
      )
      const peer = new FakeDrachtioServer('cymru', numberScripts())
      const port = await peer.listen()
      cleanup.push(() => peer.close())
      const w = await sipWorld({
        backend,
        telephony: wireBackend(port, media),
        contacts: 1,
        recording: 'on_demand',
      })
      let closed = false
      cleanup.push(async () => {
        if (!closed) await w.close().catch(() => {})
      })
      expect(w.backend.capabilities.recording).toBe(true)
      const agents = codeSales(w)
      const recorded: string[] = []
      w.runtime.on('call.connected', (e) => {
        void (async () => {
          await sleepSec(0.2)
          await w.runtime.startRecording(w.t.tenantId, e.agentId)
          await sleepSec(0.6)
          await w.runtime.stopRecording(w.t.tenantId, e.agentId)
          recorded.push(e.callId)
          await sleepSec(0.2)
          peer.inDialogFromNetwork(peer.dialogByAppCall.get(e.callId)!, 'BYE')
        })()
      })
      await w.runtime.start(w.t.tenantId, w.campaign.id)
      const [attempt] = await campaignDone(w, () => agents.coded.length, 1, 15)
      expect(recorded).toEqual([attempt!.callId])
      expect(attempt!.disposition).toBe('SALE')
      const rows = await w.t.recordings.forInteraction(attempt!.id)
      expect(rows).toHaveLength(1)
      const rec = rows[0]!
      expect(rec.uri).toBe(rtp.recordingDir) // the backend names rtpengine's recording directory, not the file
      expect(rec.format).toBe('pcap')
      expect(rec.startedBy).toBe('agent')
      expect(rec.callId).toBe(attempt!.callId)
      expect(rec.agentId).toBe(attempt!.agentId)
      expect(rec.durationSec).toBeGreaterThan(0.4)
      expect(rec.endedAt).toBeDefined()
      const [again] = await w.t.interactions.find({ campaignId: w.campaign.id, contactId: w.contacts[0]!.id })
      expect(again!.recordingIds).toEqual([rec.id])
      // rtpengine recorded the anchored customer leg (its media call id is sb-<call id>)
      expect(rtp.stderr()).toMatch(/start recording/i)
      const pcaps = walk(rtp.recordingDir).filter((f) => f.endsWith('.pcap'))
      expect(pcaps).toHaveLength(1)
      expect(pcaps[0]).toContain(encodeURIComponent(`sb-${attempt!.callId}`))
      closed = true
      await w.close()
    }, 30_000)
  },
)

// ---- layer 3: a real drachtio-server (DRACHTIO_BIN), sipp phones, rtpengine. UNVERIFIED HERE. ----------
// Start-up copied from packages/telephony/test/e2e/drachtio-server.e2e.test.ts (its helpers are not
// exported). The two sipp scenarios below were checked only against sipp callers on 127.0.0.1 (every branch
// of the customers' one: answer + their BYE, 486, 404, ring + CANCEL; the agents' one: answer, re-INVITE,
// BYE), never against drachtio-server.

const DRACHTIO_BIN = process.env.DRACHTIO_BIN
const SIPP = spawnSync('sh', ['-c', 'command -v sipp'], { encoding: 'utf8' }).stdout.trim() || undefined
const realSip = Boolean(DRACHTIO_BIN && SIPP)

/** The campaign's customers behind the trunk, one sipp for all of them, branching on the number dialled. */
const CUSTOMERS_XML = `<?xml version="1.0" encoding="ISO-8859-1" ?>
<!DOCTYPE scenario SYSTEM "sipp.dtd">
<!-- The campaign's customers behind the trunk, by the number dialled (Request-URI user, + or %2B):
     %2B12125551000 and %2B12125551001 answer (PCMU, RTP from the pcap) and hang up after 2 s;
     %2B12125551002 is busy (486); %2B12125551003 does not exist (404); anything else rings until CANCEL. -->
<scenario name="campaign-customers">
  <recv request="INVITE" crlf="true" rrs="true">
    <action>
      <ereg regexp="INVITE sip:(%2B|[+])?([0-9]+)@" search_in="msg" check_it="true" assign_to="ruri,plus,num"/>
      <ereg regexp="([0-9]+) INVITE" search_in="hdr" header="CSeq:" check_it="true" assign_to="cseqall,cseq"/>
      <ereg regexp=".*" search_in="hdr" header="From:" check_it="true" assign_to="remote"/>
      <ereg regexp=".*" search_in="hdr" header="To:" check_it="true" assign_to="local"/>
      <strcmp assign_to="c0" variable="num" value="12125551000"/>
      <strcmp assign_to="c1" variable="num" value="12125551001"/>
      <strcmp assign_to="c2" variable="num" value="12125551002"/>
      <strcmp assign_to="c3" variable="num" value="12125551003"/>
      <test assign_to="answer0" variable="c0" compare="equal" value="0"/>
      <test assign_to="answer1" variable="c1" compare="equal" value="0"/>
      <test assign_to="busy" variable="c2" compare="equal" value="0"/>
      <test assign_to="notfound" variable="c3" compare="equal" value="0"/>
    </action>
  </recv>
  <send>
    <![CDATA[

      SIP/2.0 180 Ringing
      [last_Via:]
      [last_From:]
      [last_To:];tag=[pid]SIPpTag01[call_number]
      [last_Call-ID:]
      [last_CSeq:]
      Contact: <sip:[local_ip]:[local_port];transport=[transport]>
      Content-Length: 0

    ]]>
  </send>
  <nop next="answer" test="answer0"/>
  <nop next="answer" test="answer1"/>
  <nop next="busy" test="busy"/>
  <nop next="notfound" test="notfound"/>

  <!-- rings until the caller CANCELs: 200 to the CANCEL, 487 to the INVITE, ACK -->
  <recv request="CANCEL"/>
  <send>
    <![CDATA[

      SIP/2.0 200 OK
      [last_Via:]
      [last_From:]
      [last_To:];tag=[pid]SIPpTag01[call_number]
      [last_Call-ID:]
      [last_CSeq:]
      Content-Length: 0

    ]]>
  </send>
  <send>
    <![CDATA[

      SIP/2.0 487 Request Terminated
      [last_Via:]
      [last_From:]
      [last_To:];tag=[pid]SIPpTag01[call_number]
      [last_Call-ID:]
      CSeq: [$cseq] INVITE
      Content-Length: 0

    ]]>
  </send>
  <recv request="ACK" next="end"/>

  <label id="busy"/>
  <send>
    <![CDATA[

      SIP/2.0 486 Busy Here
      [last_Via:]
      [last_From:]
      [last_To:];tag=[pid]SIPpTag01[call_number]
      [last_Call-ID:]
      [last_CSeq:]
      Content-Length: 0

    ]]>
  </send>
  <recv request="ACK" next="end"/>

  <label id="notfound"/>
  <send>
    <![CDATA[

      SIP/2.0 404 Not Found
      [last_Via:]
      [last_From:]
      [last_To:];tag=[pid]SIPpTag01[call_number]
      [last_Call-ID:]
      [last_CSeq:]
      Content-Length: 0

    ]]>
  </send>
  <recv request="ACK" next="end"/>

  <label id="answer"/>
  <pause milliseconds="100"/>
  <send retrans="500">
    <![CDATA[

      SIP/2.0 200 OK
      [last_Via:]
      [last_From:]
      [last_To:];tag=[pid]SIPpTag01[call_number]
      [last_Call-ID:]
      [last_CSeq:]
      Contact: <sip:[local_ip]:[local_port];transport=[transport]>
      Content-Type: application/sdp
      Content-Length: [len]

      v=0
      o=user1 53655765 2353687637 IN IP[local_ip_type] [local_ip]
      s=-
      c=IN IP[media_ip_type] [media_ip]
      t=0 0
      m=audio [media_port] RTP/AVP 0
      a=rtpmap:0 PCMU/8000

    ]]>
  </send>
  <recv request="ACK" crlf="true"/>
  <nop>
    <action>
      <exec play_pcap_audio="/usr/share/sip-tester/g711a.pcap"/>
    </action>
  </nop>
  <pause milliseconds="2000"/>
  <!-- the customer hangs up -->
  <send retrans="500">
    <![CDATA[

      BYE [next_url] SIP/2.0
      Via: SIP/2.0/[transport] [local_ip]:[local_port];branch=[branch]
      From: [$local];tag=[pid]SIPpTag01[call_number]
      To: [$remote]
      [last_Call-ID:]
      CSeq: 1 BYE
      Contact: <sip:[local_ip]:[local_port];transport=[transport]>
      Max-Forwards: 70
      Content-Length: 0

    ]]>
  </send>
  <recv response="200" crlf="true"/>

  <label id="end"/>
  <Reference variables="ruri,plus,cseqall"/>
  <pause milliseconds="100"/>
</scenario>
`

/** alice's and bob's phones (one sipp for both): answer, take the bridge's re-INVITE, then the BYE. */
const AGENTS_XML = `<?xml version="1.0" encoding="ISO-8859-1" ?>
<!DOCTYPE scenario SYSTEM "sipp.dtd">
<!-- Agents' phones: answer, take the bridge's re-INVITE, wait for the BYE when the customer has gone. -->
<scenario name="campaign-agents">
  <recv request="INVITE" crlf="true"/>
  <send>
    <![CDATA[

      SIP/2.0 180 Ringing
      [last_Via:]
      [last_From:]
      [last_To:];tag=[pid]SIPpTag01[call_number]
      [last_Call-ID:]
      [last_CSeq:]
      Contact: <sip:[local_ip]:[local_port];transport=[transport]>
      Content-Length: 0

    ]]>
  </send>
  <pause milliseconds="100"/>
  <send retrans="500">
    <![CDATA[

      SIP/2.0 200 OK
      [last_Via:]
      [last_From:]
      [last_To:];tag=[pid]SIPpTag01[call_number]
      [last_Call-ID:]
      [last_CSeq:]
      Contact: <sip:[local_ip]:[local_port];transport=[transport]>
      Content-Type: application/sdp
      Content-Length: [len]

      v=0
      o=agent 1 1 IN IP[local_ip_type] [local_ip]
      s=-
      c=IN IP[media_ip_type] [media_ip]
      t=0 0
      m=audio [media_port] RTP/AVP 0
      a=rtpmap:0 PCMU/8000

    ]]>
  </send>
  <recv request="ACK" crlf="true"/>
  <!-- third-party call control: the bridge re-INVITEs the agent with the customer's media -->
  <recv request="INVITE"/>
  <send retrans="500">
    <![CDATA[

      SIP/2.0 200 OK
      [last_Via:]
      [last_From:]
      [last_To:]
      [last_Call-ID:]
      [last_CSeq:]
      Contact: <sip:[local_ip]:[local_port];transport=[transport]>
      Content-Type: application/sdp
      Content-Length: [len]

      v=0
      o=agent 1 2 IN IP[local_ip_type] [local_ip]
      s=-
      c=IN IP[media_ip_type] [media_ip]
      t=0 0
      m=audio [media_port] RTP/AVP 0
      a=rtpmap:0 PCMU/8000

    ]]>
  </send>
  <recv request="ACK" crlf="true"/>
  <recv request="BYE"/>
  <send>
    <![CDATA[

      SIP/2.0 200 OK
      [last_Via:]
      [last_From:]
      [last_To:]
      [last_Call-ID:]
      [last_CSeq:]
      Content-Length: 0

    ]]>
  </send>
  <pause milliseconds="100"/>
</scenario>
`

const freeTcpPort = async (): Promise<number> => {
  const s = net.createServer()
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', () => r()))
  const port = (s.address() as net.AddressInfo).port
  await new Promise<void>((r) => s.close(() => r()))
  return port
}

const tcpOpen = (port: number) =>
  new Promise<boolean>((resolve) => {
    const c = net.connect(port, '127.0.0.1')
    c.once('connect', () => {
      c.destroy()
      resolve(true)
    })
    c.once('error', () => resolve(false))
  })

/** Runs a sipp scenario until it has handled `calls` calls; resolves with its exit code (0 = every call passed). */
const runSipp = (scenario: string, calls: number, args: string[], timeoutSec = 30) => {
  const child: ChildProcess = spawn(
    SIPP!,
    ['-sf', scenario, '-i', '127.0.0.1', '-m', String(calls), '-nostdin', ...args],
    { stdio: 'ignore' },
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

if (!realSip)
  console.warn(
    `sip.test.ts: the campaign over a real drachtio-server is SKIPPED (${!DRACHTIO_BIN ? 'DRACHTIO_BIN is not set' : 'sipp is not installed'})`,
  )

describe.skipIf(!realSip).each(BACKENDS)(
  'campaign runtime over a real drachtio-server, sipp phones and rtpengine, on %s',
  (backend) => {
    let server: ChildProcess | undefined
    let adminPort = 0
    let sipPort = 0
    let dir = ''
    const cleanup: Array<() => Promise<void>> = []
    afterEach(async () => {
      for (const c of cleanup.splice(0).reverse()) await c()
    })
    afterAll(() => {
      server?.kill('SIGTERM')
    })

    it('dials answer / 486 / 404 / ring-out sipp customers, connects alice and bob, records one call on demand', async () => {
      if (!RTPENGINE)
        throw new Error(
          'this suite needs rtpengine (rtpengine-daemon) for the recording: run .ci/telephony.sh',
        )
      adminPort = await freeTcpPort()
      sipPort = 27_000 + Math.floor(Math.random() * 2_000)
      dir = mkdtempSync(join(tmpdir(), 'sb-campaign-sip-'))
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
      writeFileSync(join(dir, 'customers.xml'), CUSTOMERS_XML)
      writeFileSync(join(dir, 'agents.xml'), AGENTS_XML)
      server = spawn(DRACHTIO_BIN!, ['-f', conf], { stdio: 'ignore' })
      await until(
        'drachtio-server admin port',
        async () => ((await tcpOpen(adminPort)) ? true : undefined),
        10,
      )
      const ngPort = await freeUdpPort()
      const rtp = await startRtpengine(RTPENGINE, ngPort, 36_000 + Math.floor(Math.random() * 20) * 100)
      cleanup.push(() => rtp.stop())

      const trunkPort = sipPort + 10
      const agentPort = sipPort + 40
      const customers = runSipp(join(dir, 'customers.xml'), CONTACTS, [
        '-p',
        String(trunkPort),
        '-mp',
        String(sipPort + 200),
      ])
      const phones = runSipp(join(dir, 'agents.xml'), 2, [
        '-p',
        String(agentPort),
        '-mp',
        String(sipPort + 400),
      ])
      cleanup.push(async () => {
        customers.child.kill('SIGKILL')
        phones.child.kill('SIGKILL')
      })
      await sleepSec(0.3)
      const w = await sipWorld({
        backend,
        recording: 'on_demand',
        telephony: (agents) =>
          drachtio({
            server: { mode: 'connect', host: '127.0.0.1', port: adminPort, secret: 'e2e-secret' },
            trunk: { uriTemplate: `sip:{number}@127.0.0.1:${trunkPort}` },
            agents: {
              static: {
                [agents.alice]: `sip:alice@127.0.0.1:${agentPort}`,
                [agents.bob]: `sip:bob@127.0.0.1:${agentPort}`,
              },
            },
            rtpengine: { host: '127.0.0.1', port: ngPort, recordingDir: rtp.recordingDir, timeoutSec: 1 },
          }),
      })
      let closed = false
      cleanup.push(async () => {
        if (!closed) await w.close().catch(() => {})
      })
      const agents = codeSales(w)
      // the first connected call is recorded for 0.6 s by its agent (the customer hangs up 2 s after answering)
      const recorded: string[] = []
      w.runtime.on('call.connected', (e) => {
        if (recorded.length) return
        recorded.push(e.callId)
        void (async () => {
          await sleepSec(0.2)
          await w.runtime.startRecording(w.t.tenantId, e.agentId)
          await sleepSec(0.6)
          await w.runtime.stopRecording(w.t.tenantId, e.agentId)
        })().catch((err) => recorded.push(`failed: ${String(err)}`))
      })

      await w.runtime.start(w.t.tenantId, w.campaign.id)
      const attempts = await campaignDone(w, () => agents.coded.length, 2, 30)
      expect(attempts.map((a) => a.disposition)).toEqual(['SALE', 'SALE', 'BUSY', 'FAILED', 'NO_ANSWER'])
      const answered = [attempts[ANSWER_A]!, attempts[ANSWER_B]!]
      for (const a of answered) expect(a.durations.talkSec).toBeGreaterThan(1)
      expect(new Set(answered.map((a) => a.agentId))).toEqual(new Set([w.alice.id, w.bob.id]))
      expect(await customers.done).toBe(0) // every customer's exchange went as scripted (incl. the CANCEL)
      expect(await phones.done).toBe(0) // both agents' phones: INVITE, re-INVITE, BYE

      expect(recorded).toHaveLength(1)
      const recordedAttempt = attempts.find((a) => a.callId === recorded[0])!
      const rows = await w.t.recordings.forInteraction(recordedAttempt.id)
      expect(rows).toHaveLength(1)
      expect(rows[0]!.uri).toBe(rtp.recordingDir)
      expect(rows[0]!.durationSec).toBeGreaterThan(0)
      expect(walk(rtp.recordingDir).filter((f) => f.endsWith('.pcap'))).toHaveLength(1)

      expect((await w.t.lists.get(w.campaign.id, w.contacts[BUSY]!.id))?.status).toBe('pending')
      expect((await w.t.lists.get(w.campaign.id, w.contacts[ANSWER_A]!.id))?.status).toBe('done')
      closed = true
      await w.close()
    }, 50_000)
  },
)
