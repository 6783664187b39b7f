// Layer 1, SIP-specific details the contract does not fix: media anchoring order, SDP handed between
// legs when bridging, caller identification, digest authentication.
import { describe, expect, it } from 'vitest'
import { DrachtioTelephony } from '../src/drachtio/backend.js'
import { digestResponse, parseDigest, Registrar } from '../src/drachtio/registrar.js'
import { directionOf, endpointOf, withDirection } from '../src/drachtio/sdp.js'
import { callerOf, digitFromInfo, userOf } from '../src/drachtio/sip.js'
import { FakeMedia, FakeRequest, FakeResponse, FakeSrf } from './fakes/fake-srf.js'

const headers = (h: Record<string, string>) => ({ get: (n: string) => h[n.toLowerCase()] })

describe('SIP helpers', () => {
  it('takes the caller from P-Asserted-Identity, then From; honours Privacy and anonymous', () => {
    expect(
      callerOf(headers({ from: '"X" <sip:+331@a>;tag=1', 'p-asserted-identity': '<sip:+332@b>' })),
    ).toEqual({
      from: '+332',
      fromHeader: '+331',
      pAssertedIdentity: '+332',
      withheld: false,
    })
    expect(callerOf(headers({ from: '<sip:+331@a>;tag=1' })).from).toBe('+331')
    expect(callerOf(headers({ from: '<sip:+331@a>', privacy: 'id' })).withheld).toBe(true)
    expect(callerOf(headers({ from: '"Anonymous" <sip:anonymous@anonymous.invalid>' })).from).toBe(
      'anonymous',
    )
    expect(userOf('tel:+33123')).toBe('+33123')
    expect(userOf('<sip:%2B33123@x>')).toBe('+33123')
  })

  it('reads DTMF from SIP INFO bodies', () => {
    expect(digitFromInfo('application/dtmf-relay', 'Signal=#\r\nDuration=160')).toBe('#')
    expect(digitFromInfo('application/dtmf', '5')).toBe('5')
    expect(digitFromInfo('text/plain', 'Signal=5')).toBeUndefined()
  })
})

describe('registrar (digest authentication)', () => {
  const reg = (auth?: string) =>
    new FakeRequest('REGISTER', 'sip:sb.test', {
      from: '<sip:alice@sb.test>;tag=1',
      contact: '<sip:alice@10.0.0.5:5062>;expires=60',
      ...(auth ? { authorization: auth } : {}),
    })
  it('challenges, rejects a wrong password, accepts the right one and expires the binding', () => {
    let now = 1_000_000
    const r = new Registrar({ realm: 'sb.test', users: { alice: 'pw' }, now: () => now })
    const res1 = new FakeResponse()
    r.handle(reg(), res1)
    expect(res1.sent[0]?.status).toBe(401)
    const opts = res1.sent[0]!.reason as { headers: Record<string, string> }
    const www = opts.headers['WWW-Authenticate']!
    const d = parseDigest(www)
    const auth = (password: string) =>
      `Digest username="alice", realm="sb.test", nonce="${d.nonce}", uri="sip:sb.test", response="${digestResponse({ username: 'alice', realm: 'sb.test', password, method: 'REGISTER', uri: 'sip:sb.test', nonce: d.nonce! })}"`
    const res2 = new FakeResponse()
    r.handle(reg(auth('wrong')), res2)
    expect(res2.sent[0]?.status).toBe(403)
    const res3 = new FakeResponse()
    r.handle(reg(auth('pw')), res3)
    expect(res3.sent[0]?.status).toBe(200)
    expect(r.lookup('alice')).toBe('sip:alice@10.0.0.5:5062')
    now += 61_000
    expect(r.lookup('alice')).toBeUndefined()
  })
})

describe('media anchoring with rtpengine (scripted)', () => {
  const anchoredWorld = async () => {
    const srf = new FakeSrf({
      '+331': { kind: 'answer', afterSec: 0.005 },
      alice: { kind: 'answer', afterSec: 0.005 },
    })
    const media = new FakeMedia()
    const b = new DrachtioTelephony({
      srf,
      server: { mode: 'connect', host: '127.0.0.1', secret: 's' },
      trunk: { uriTemplate: 'sip:{number}@carrier' },
      agents: { static: { alice: 'sip:alice@10.0.0.1' } },
      media,
    })
    await b.start()
    const c = await b.originate({ target: { type: 'number', number: '+331' }, callId: 'cust' })
    const a = await b.originate({ target: { type: 'agent', agentId: 'alice' }, callId: 'agent' })
    return { srf, media, b, c, a }
  }

  it('offers every phone the anchor, sendrecv, from the first INVITE; a bridge joins the anchors without re-INVITEs', async () => {
    const { srf, media, b, c, a } = await anchoredWorld()
    for (const o of srf.uacOptions) {
      expect(endpointOf(o.localSdp).address).toBe('127.0.0.1') // the anchor's address, never 0.0.0.0
      expect(directionOf(o.localSdp)).toBe('sendrecv')
    }
    // before the bridge each anchor's internal side is the discard port
    expect(media.calls.filter((x) => x.op === 'offer:internal').map((x) => endpointOf(x.arg!).port)).toEqual([
      9, 9,
    ])
    await b.bridge(a.callId, c.callId)
    const customer = srf.dialogsByCall.get('cust')!
    const agent = srf.dialogsByCall.get('agent')!
    // the phones already send and receive to the anchor: nothing to re-INVITE
    expect(customer.offers).toEqual([])
    expect(agent.offers).toEqual([])
    // each anchor's internal side now points at the other's
    const reoffers = media.calls.filter((x) => x.op === 'offer:internal').slice(2)
    expect(reoffers.map((x) => x.leg)).toEqual(['sb-agent', 'sb-cust'])
    for (const r of reoffers) {
      expect(endpointOf(r.arg!).port).toBeGreaterThanOrEqual(30_000)
      expect(directionOf(r.arg!)).toBe('sendrecv')
    }
    await b.startRecording('agent') // one recording per conversation: on the customer's anchor
    await b.stopRecording('agent')
    expect(media.calls.filter((x) => x.op.endsWith('Recording')).map((x) => x.leg)).toEqual([
      'sb-cust',
      'sb-cust',
    ])
    await b.stop()
    expect(media.calls.some((x) => x.op === 'release' && x.leg === 'sb-cust')).toBe(true)
  })

  it('a far-end hold (re-INVITE sendonly) reaches the other phone through both anchors and is answered recvonly', async () => {
    const { srf, b, c, a } = await anchoredWorld()
    await b.bridge(a.callId, c.callId)
    const customer = srf.dialogsByCall.get('cust')!
    const agent = srf.dialogsByCall.get('agent')!
    const held = await customer.remoteReinvite(withDirection(customer.remote.sdp, 'sendonly'))
    expect(held.status).toBe(200)
    expect(directionOf(held.body!)).toBe('recvonly')
    expect(agent.offers.map(directionOf)).toEqual(['sendonly']) // the agent's phone hears it is on hold
    const resumed = await customer.remoteReinvite(withDirection(customer.remote.sdp, 'sendrecv'))
    expect(directionOf(resumed.body!)).toBe('sendrecv')
    expect(agent.offers.map(directionOf)).toEqual(['sendonly', 'sendrecv'])
    await b.stop()
  })

  it('without an anchor: offers inactive at a real address, then bridges by third-party call control', async () => {
    const srf = new FakeSrf({
      '+331': { kind: 'answer', afterSec: 0.005 },
      alice: { kind: 'answer', afterSec: 0.005 },
    })
    const b = new DrachtioTelephony({
      srf,
      server: { mode: 'connect', host: '127.0.0.1', secret: 's' },
      trunk: { uriTemplate: 'sip:{number}@carrier' },
      agents: { static: { alice: 'sip:alice@10.0.0.1' } },
      sdpAddress: '127.0.0.9',
    })
    await b.start()
    const c = await b.originate({ target: { type: 'number', number: '+331' }, callId: 'cust' })
    const a = await b.originate({ target: { type: 'agent', agentId: 'alice' }, callId: 'agent' })
    for (const o of srf.uacOptions) {
      expect(endpointOf(o.localSdp).address).toBe('127.0.0.9')
      expect(directionOf(o.localSdp)).toBe('inactive')
    }
    const customer = srf.dialogsByCall.get('cust')!
    const agent = srf.dialogsByCall.get('agent')!
    await b.bridge(a.callId, c.callId)
    // the agent is offered the customer's address, sendrecv; the customer then gets the agent's answer
    expect(agent.offers).toHaveLength(1)
    expect(endpointOf(agent.offers[0]!)).toEqual(endpointOf(customer.remote.sdp))
    expect(directionOf(agent.offers[0]!)).toBe('sendrecv')
    expect(customer.offers).toHaveLength(1)
    expect(endpointOf(customer.offers[0]!)).toEqual(endpointOf(agent.remote.sdp))
    expect(directionOf(customer.offers[0]!)).toBe('sendrecv')
    await b.stop()
  })

  it('reports recording and playing media absent without an anchor', () => {
    const b = new DrachtioTelephony({
      srf: new FakeSrf({}),
      server: { mode: 'listen', port: 3001, secret: 's' },
    })
    expect(b.capabilities.recording).toBe(false)
    expect(b.capabilities.playMedia).toBe(false)
    expect(b.capabilities.answeringMachineDetection).toBe(false)
  })
})
