// Layer 1, SIP-specific details the contract does not fix: media anchoring order, SDP handed between
// legs when bridging, caller identification, digest authentication.
import { describe, expect, it } from 'vitest'
import { DrachtioTelephony } from '../src/drachtio/backend.js'
import { digestResponse, parseDigest, Registrar } from '../src/drachtio/registrar.js'
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
  it('anchors the customer leg, hands the anchor SDP to the agent on bridge, records the anchored leg', async () => {
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
    expect(srf.uacOptions[0]!.localSdp).toContain('m=audio 30000') // rtpengine's customer-facing port
    expect(srf.uacOptions[1]!.localSdp).toContain('a=inactive') // agents are not anchored
    await b.bridge(a.callId, c.callId)
    const agentDialog = srf.dialogsByCall.get('agent')!
    expect(agentDialog.offers[0]).toContain('m=audio 30002') // the anchor's internal side
    expect(media.calls.map((x) => x.op)).toEqual(['offerOutbound', 'answerOutbound', 'setPeer'])
    await b.startRecording('agent') // recording the agent's call records the anchored customer leg
    await b.stopRecording('agent')
    expect(media.calls.filter((x) => x.op.endsWith('Recording')).map((x) => x.leg)).toEqual([
      'sb-cust',
      'sb-cust',
    ])
    await b.stop()
    expect(media.calls.some((x) => x.op === 'release' && x.leg === 'sb-cust')).toBe(true)
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
