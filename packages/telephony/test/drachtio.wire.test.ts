// Layer 2: the real drachtio-srf (its wire protocol, SIP parser, transactions and dialogs) against a TCP
// peer on 127.0.0.1 that speaks drachtio-server's framing and replays realistic SIP exchanges.
import { createRequire } from 'node:module'
import { telephonyContractSuite } from '@switchboard/testkit/telephony'
import { afterEach, describe, expect, it } from 'vitest'
import { DrachtioTelephony } from '../src/drachtio/backend.js'
import { digestResponse, parseDigest } from '../src/drachtio/registrar.js'
import { directionOf, endpointOf, withDirection } from '../src/drachtio/sdp.js'
import type { SrfLike } from '../src/drachtio/srf-like.js'
import { contractAgents, contractTargets } from './fakes/contract-targets.js'
import { FakeDrachtioServer, type WireScript } from './fakes/drachtio-wire.js'
import { sleepSec } from './fakes/time.js'

const require = createRequire(import.meta.url)
const Srf = require('drachtio-srf') as new () => SrfLike

const scripts: Record<string, WireScript> = {
  '+33600000001': { kind: 'answer', afterSec: 0.02 },
  '+33600000003': { kind: 'fail', status: 486, reason: 'Busy Here', afterSec: 0.01 },
  '+33600000004': { kind: 'ring-forever' },
  '+33600000005': { kind: 'fail', status: 403, reason: 'Forbidden', afterSec: 0.01 },
  '+33600000016': { kind: 'answer-on-cancel' },
  '+33600000017': { kind: 'challenge', status: 407, username: 'trunk', password: 'tr0nk', afterSec: 0.01 },
  '+33600000018': { kind: 'challenge', status: 401, username: 'trunk', password: 'tr0nk', afterSec: 0.01 },
  '+33600000006': { kind: 'fail', status: 404, reason: 'Not Found', afterSec: 0.01 },
  alice: { kind: 'answer', afterSec: 0.015 },
  bob: { kind: 'answer', afterSec: 0.025 },
}

const setup = async (opts: { secret?: string; registrar?: boolean; trunkPassword?: string } = {}) => {
  const server = new FakeDrachtioServer('cymru', scripts)
  const port = await server.listen()
  const backend = new DrachtioTelephony({
    srf: new Srf(),
    server: { mode: 'connect', host: '127.0.0.1', port, secret: opts.secret ?? 'cymru' },
    trunk: {
      uriTemplate: 'sip:{number}@127.0.0.1:5090',
      ...(opts.trunkPassword ? { auth: { username: 'trunk', password: opts.trunkPassword } } : {}),
    },
    agents: {
      static: { alice: 'sip:alice@127.0.0.1:5090', bob: 'sip:bob@127.0.0.1:5090' },
      ...(opts.registrar ? { registrar: { realm: 'switchboard.test', users: { carol: 's3cret' } } } : {}),
    },
    callerId: '+33100000000',
  })
  return { server, backend }
}

const makeHarness = async () => {
  const { server, backend } = await setup()
  const inboundNet = new Map<string, string>()
  let lastNet: string | undefined
  backend.onInbound((c) => {
    if (lastNet) inboundNet.set(c.callId, lastNet)
  })
  const dialogOf = (id: string) => {
    const d = server.dialogByAppCall.get(id)
    if (d) return d
    const net = inboundNet.get(id)
    return net ? server.inbound.get(net)?.dialogId : undefined
  }
  return {
    backend,
    targets: contractTargets,
    agentIds: contractAgents,
    media: 'abandoned.wav',
    remoteHangup: async (id: string) => {
      const dialogId = dialogOf(id)
      if (dialogId && server.dialogs.has(dialogId)) server.inDialogFromNetwork(dialogId, 'BYE')
      else if (inboundNet.get(id)) server.cancelFromNetwork(inboundNet.get(id)!)
    },
    remoteDtmf: async (id: string, digits: string) => {
      const dialogId = dialogOf(id)
      if (!dialogId) return
      for (const d of digits)
        server.inDialogFromNetwork(
          dialogId,
          'INFO',
          { 'content-type': 'application/dtmf-relay' },
          `Signal=${d}\r\nDuration=160\r\n`,
        )
    },
    inbound: async (call: { from: string; to: string; pAssertedIdentity?: string; withheld?: boolean }) => {
      lastNet = server.inviteFromNetwork({
        from: call.from,
        to: call.to,
        ...(call.pAssertedIdentity ? { pai: call.pAssertedIdentity } : {}),
        ...(call.withheld ? { privacy: 'id' } : {}),
      })
    },
    advance: sleepSec,
    serverDown: async () => {
      server.dropConnections()
      await server.close()
      await sleepSec(0.02)
    },
    dispose: async () => {
      await backend.stop().catch(() => {})
      await server.close()
    },
  }
}

telephonyContractSuite('drachtio-srf over the drachtio wire protocol (no media)', makeHarness, {
  stepSec: 0.01,
  stepLimitSec: 5,
})

describe('drachtio wire exchanges', () => {
  const cleanup: (() => Promise<void>)[] = []
  afterEach(async () => {
    for (const c of cleanup.splice(0)) await c().catch(() => {})
  })
  const started = async (opts: { registrar?: boolean; trunkPassword?: string } = {}) => {
    const s = await setup(opts)
    cleanup.push(async () => {
      await s.backend.stop().catch(() => {})
      await s.server.close()
    })
    await s.backend.start()
    return s
  }

  it('authenticates with the secret and routes INVITE and REGISTER', async () => {
    const { server } = await started()
    expect(server.frames[0]?.type).toBe('authenticate')
    expect(server.frames[0]?.tokens[2]).toBe('cymru')
    await server.waitFor((f) => f.type === 'route' && f.tokens[2] === 'register')
    expect(server.routes).toEqual(expect.arrayContaining(['invite', 'register']))
  })

  it('fails start with TelephonyServerDown on a wrong secret', async () => {
    const s = await setup({ secret: 'wrong' })
    cleanup.push(async () => {
      await s.backend.stop().catch(() => {})
      await s.server.close()
    })
    await expect(s.backend.start()).rejects.toMatchObject({ _tag: 'TelephonyServerDown' })
  })

  it('INVITE out, 180, 200 OK, ACK; hangup sends BYE in the dialog', async () => {
    const { server, backend } = await started()
    const r = await backend.originate({ target: { type: 'number', number: '+33600000001' }, callId: 'w1' })
    expect(r.callId).toBe('w1')
    const invite = server.sipFrames('INVITE')[0]!
    expect(invite.sip?.startLine).toBe('INVITE sip:%2B33600000001@127.0.0.1:5090 SIP/2.0')
    expect(invite.sip?.headers.get('from')).toContain('+33100000000')
    expect(invite.sip?.body).toContain('m=audio')
    const ack = await server.waitFor((f) => f.sip?.method === 'ACK')
    const dialogId = server.dialogByAppCall.get('w1')!
    expect(ack.tokens[3]).toBe(dialogId)
    await backend.hangup('w1')
    const bye = await server.waitFor((f) => f.sip?.method === 'BYE')
    expect(bye.tokens[3]).toBe(dialogId)
    expect(backend.call('w1')).toBeUndefined()
  })

  it('INVITE out answered 486 Busy Here rejects with CallBusy', async () => {
    const { backend } = await started()
    await expect(
      backend.originate({ target: { type: 'number', number: '+33600000003' } }),
    ).rejects.toMatchObject({ _tag: 'CallBusy', sipStatus: 486 })
  })

  it('CANCEL of a ringing INVITE carries its transaction id; the 487 ends the leg', async () => {
    const { server, backend } = await started()
    const p = backend.originate({ target: { type: 'number', number: '+33600000004' }, callId: 'w-cancel' })
    p.catch(() => {})
    const invite = await server.waitFor((f) => f.sip?.method === 'INVITE')
    await sleepSec(0.02)
    await backend.hangup('w-cancel')
    await expect(p).rejects.toMatchObject({ _tag: 'CallCancelled' })
    const cancel = server.sipFrames('CANCEL')[0]!
    const inviteTxn = server.frames.indexOf(invite)
    expect(inviteTxn).toBeGreaterThanOrEqual(0)
    expect(cancel.tokens[2]?.length).toBeGreaterThan(0) // the INVITE's stack transaction id
  })

  it('INVITE in: 180, then 200 OK with SDP on answer; the caller BYE ends the leg', async () => {
    const { server, backend } = await started()
    const offers: string[] = []
    backend.onInbound((c) => offers.push(c.callId))
    const net = server.inviteFromNetwork({ from: '+33611111111', to: '+33199999999', pai: '+33622222222' })
    const ringing = await server.waitFor((f) => f.sip?.status === 180)
    expect(ringing.sip?.headers.get('call-id')).toBe(net)
    const id = offers[0]!
    await backend.answer(id)
    const ok = await server.waitFor((f) => f.sip?.status === 200 && f.sip.headers.get('cseq') === '1 INVITE')
    expect(ok.sip?.body).toContain('m=audio')
    await sleepSec(0.02)
    server.inDialogFromNetwork(server.inbound.get(net)!.dialogId, 'BYE')
    await server.waitFor((f) => f.sip?.status === 200 && /BYE/.test(f.sip.headers.get('cseq') ?? ''))
    expect(backend.call(id)).toBeUndefined()
  })

  it('CANCEL in for a ringing inbound call ends it as cancelled by the remote side', async () => {
    const { server, backend } = await started()
    const events: { type: string; cause?: string; side?: string }[] = []
    backend.onEvent((e) => events.push(e as never))
    const net = server.inviteFromNetwork({ from: '+33611111111', to: '+33199999999' })
    await server.waitFor((f) => f.sip?.status === 180)
    server.cancelFromNetwork(net)
    for (let i = 0; i < 100 && !events.some((e) => e.type === 'ended'); i++) await sleepSec(0.01)
    expect(events.find((e) => e.type === 'ended')).toMatchObject({ cause: 'cancelled', side: 'remote' })
  })

  it('REFER from an agent phone: 202, INVITE to the target, re-INVITEs to bridge, NOTIFY 200, agent released', async () => {
    const { server, backend } = await started()
    const customer = await backend.originate({ target: { type: 'number', number: '+33600000001' } })
    const agent = await backend.originate({ target: { type: 'agent', agentId: 'alice' } })
    await backend.bridge(customer.callId, agent.callId)
    const reinvites = server.sipFrames('INVITE').filter((f) => f.tokens[3])
    expect(reinvites.length).toBe(2) // third-party call control: one re-INVITE per leg
    const agentDialog = server.dialogByAppCall.get(agent.callId)!
    server.inDialogFromNetwork(agentDialog, 'REFER', {
      'refer-to': '<sip:bob@127.0.0.1:5090>',
      'referred-by': '<sip:alice@127.0.0.1:5090>',
    })
    await server.waitFor((f) => f.sip?.status === 202)
    await server.waitFor((f) => f.sip?.method === 'INVITE' && f.sip.startLine.startsWith('INVITE sip:bob@'))
    const notify = await server.waitFor((f) => f.sip?.method === 'NOTIFY')
    expect(notify.sip?.body).toBe('SIP/2.0 200 OK')
    expect(backend.call(agent.callId)).toBeUndefined()
    const bridged = backend.call(customer.callId)?.bridgedTo
    expect(bridged).toBeDefined()
    expect(backend.call(bridged!)?.target).toEqual({ type: 'uri', uri: 'sip:bob@127.0.0.1:5090' })
  })

  it('a 200 OK that crosses our CANCEL: originate rejects CallCancelled, and the dialog is ACKed and BYEd at once', async () => {
    const { server, backend } = await started()
    const placing = backend.originate({
      target: { type: 'number', number: '+33600000016' },
      callId: 'crossed',
    })
    await server.waitFor((f) => f.sip?.method === 'INVITE')
    await sleepSec(0.05)
    await backend.hangup('crossed', 'cancelled')
    await expect(placing).rejects.toMatchObject({ _tag: 'CallCancelled' })
    await server.waitFor((f) => f.sip?.method === 'CANCEL')
    const dialogId = server.dialogByAppCall.get('crossed')!
    expect(dialogId, 'the peer answered 200 OK to the INVITE').toBeDefined()
    // drachtio-srf sends the BYE in the dialog the crossing 200 OK formed (drachtio-server fills in its headers)
    await server.waitFor((f) => f.sip?.method === 'ACK' && f.tokens[3] === dialogId)
    await server.waitFor((f) => f.sip?.method === 'BYE' && f.tokens[3] === dialogId)
    expect(backend.call('crossed')).toBeUndefined()
  })

  it('a trunk that challenges (407 Proxy-Authenticate, 401 WWW-Authenticate) gets the digest and answers; a wrong password is refused', async () => {
    const { server, backend } = await started({ trunkPassword: 'tr0nk' })
    for (const number of ['+33600000017', '+33600000018']) {
      const r = await backend.originate({ target: { type: 'number', number } })
      expect(backend.call(r.callId)?.state).toBe('answered')
      await backend.hangup(r.callId)
    }
    expect(server.challenges).toEqual([407, 401])
    const invites = server.sipFrames('INVITE').filter((f) => !f.tokens[3])
    expect(invites.map((f) => f.sip?.headers.get('proxy-authorization') !== undefined)).toEqual([
      false,
      true,
      false,
      false,
    ])
    expect(invites[3]?.sip?.headers.get('authorization')).toContain('username="trunk"')

    const wrong = await started({ trunkPassword: 'wrong' })
    await expect(
      wrong.backend.originate({ target: { type: 'number', number: '+33600000017' } }),
    ).rejects.toMatchObject({ sipStatus: 403 })
  })

  it('far-end hold on a bridged pair: the customer re-INVITEs sendonly, the agent phone is re-INVITEd sendonly and answers recvonly, the customer gets recvonly; then resume', async () => {
    const { server, backend } = await started()
    const customer = await backend.originate({ target: { type: 'number', number: '+33600000001' } })
    const agent = await backend.originate({ target: { type: 'agent', agentId: 'alice' } })
    await backend.bridge(customer.callId, agent.callId)
    const custDialog = server.dialogByAppCall.get(customer.callId)!
    const agentDialog = server.dialogByAppCall.get(agent.callId)!
    const cust = server.dialogs.get(custDialog)!
    const agentPhone = server.dialogs.get(agentDialog)!
    // after the bridge each phone was offered the other's address, sendrecv (third-party call control)
    expect(endpointOf(agentPhone.sdp.at(-1)!.received!)).toEqual(endpointOf(cust.sdp[0]!.sent))
    expect(endpointOf(cust.sdp.at(-1)!.received!)).toEqual(endpointOf(agentPhone.sdp.at(-1)!.sent))
    for (const d of [cust, agentPhone]) expect(directionOf(d.sdp.at(-1)!.received!)).toBe('sendrecv')

    const reinvite = async (direction: 'sendonly' | 'sendrecv') => {
      const before = server.frames.length
      server.inDialogFromNetwork(
        custDialog,
        'INVITE',
        { 'content-type': 'application/sdp' },
        withDirection(cust.sdp[0]!.sent, direction),
      )
      const ok = await server.waitFor(
        (f) =>
          server.frames.indexOf(f) >= before &&
          f.sip?.status === 200 &&
          /INVITE$/.test(f.sip.headers.get('cseq') ?? ''),
      )
      return ok.sip!.body
    }
    const heldAnswer = await reinvite('sendonly')
    expect(directionOf(heldAnswer)).toBe('recvonly')
    expect(directionOf(agentPhone.sdp.at(-1)!.received!)).toBe('sendonly')
    expect(directionOf(agentPhone.sdp.at(-1)!.sent)).toBe('recvonly')
    const resumed = await reinvite('sendrecv')
    expect(directionOf(resumed)).toBe('sendrecv')
    expect(directionOf(agentPhone.sdp.at(-1)!.received!)).toBe('sendrecv')
    expect(backend.call(customer.callId)?.bridgedTo).toBe(agent.callId)
  })

  it('the customer hangs up first on a bridged outbound call: the customer leg ends on the remote side', async () => {
    const { server, backend } = await started()
    const customer = await backend.originate({ target: { type: 'number', number: '+33600000001' } })
    const agent = await backend.originate({ target: { type: 'agent', agentId: 'alice' } })
    await backend.bridge(customer.callId, agent.callId)
    const ended = new Promise<{ cause: string; side: string }>((resolve) =>
      backend.onCallEvent(customer.callId, (e) => {
        if (e.type === 'ended') resolve({ cause: e.cause, side: e.side })
      }),
    )
    server.inDialogFromNetwork(server.dialogByAppCall.get(customer.callId)!, 'BYE')
    expect(await ended).toEqual({ cause: 'normal', side: 'remote' })
    expect(backend.call(agent.callId)?.state).toBe('answered') // the runner decides what the agent does next
    await backend.hangup(agent.callId)
    await server.waitFor(
      (f) => f.sip?.method === 'BYE' && f.tokens[3] === server.dialogByAppCall.get(agent.callId),
    )
  })

  it('eight concurrent calls: placed at once, bridged in pairs, each phone offered its own partner, all torn down', async () => {
    const { server, backend } = await started()
    const legs = await Promise.all(
      Array.from({ length: 4 }, async () => {
        const [c, a] = await Promise.all([
          backend.originate({ target: { type: 'number', number: '+33600000001' } }),
          backend.originate({ target: { type: 'agent', agentId: 'bob' } }),
        ])
        return { c: c.callId, a: a.callId }
      }),
    )
    await Promise.all(legs.map((p) => backend.bridge(p.c, p.a)))
    for (const p of legs) {
      const c = server.dialogs.get(server.dialogByAppCall.get(p.c)!)!
      const a = server.dialogs.get(server.dialogByAppCall.get(p.a)!)!
      expect(endpointOf(c.sdp.at(-1)!.received!).port, 'customer offered its own agent').toBe(a.port)
      expect(endpointOf(a.sdp.at(-1)!.received!).port, 'agent offered its own customer').toBe(c.port)
      expect(backend.call(p.c)?.bridgedTo).toBe(p.a)
    }
    await Promise.all(legs.flatMap((p) => [backend.hangup(p.c), backend.hangup(p.a)]))
    await sleepSec(0.05)
    expect(server.sipFrames('BYE')).toHaveLength(8)
  })

  it('DTMF goes out as SIP INFO application/dtmf-relay', async () => {
    const { server, backend } = await started()
    const r = await backend.originate({ target: { type: 'number', number: '+33600000001' } })
    await backend.sendDtmf(r.callId, '7')
    const info = await server.waitFor((f) => f.sip?.method === 'INFO')
    expect(info.sip?.headers.get('content-type')).toBe('application/dtmf-relay')
    expect(info.sip?.body).toContain('Signal=7')
  })

  it('server disconnect ends live calls as server_down; after reconnect calls work again', async () => {
    const { server, backend } = await started()
    const events: { type: string; cause?: string; callId?: string }[] = []
    backend.onEvent((e) => events.push(e as never))
    const r = await backend.originate({ target: { type: 'number', number: '+33600000001' } })
    server.dropConnections()
    for (let i = 0; i < 100 && backend.isConnected; i++) await sleepSec(0.01)
    expect(events.find((e) => e.type === 'ended' && e.callId === r.callId)).toMatchObject({
      cause: 'server_down',
    })
    await expect(
      backend.originate({ target: { type: 'number', number: '+33600000001' } }),
    ).rejects.toMatchObject({ _tag: 'TelephonyServerDown' })
    // drachtio-srf reconnects by itself (backoff from 150 ms)
    for (let i = 0; i < 300 && !backend.isConnected; i++) await sleepSec(0.01)
    expect(backend.isConnected).toBe(true)
    const again = await backend.originate({ target: { type: 'number', number: '+33600000001' } })
    expect(again.answeredBy).toBe('unknown')
  })

  it('registrar: REGISTER is challenged (401), accepted with a valid digest, and the agent is then dialled', async () => {
    const { server, backend } = await started({ registrar: true })
    const send = (auth?: string) => {
      const callId = `reg-${Math.random()}@127.0.0.1`
      const headers: Record<string, string> = {
        via: 'SIP/2.0/UDP 127.0.0.1:5091;branch=z9hG4bKreg',
        from: '<sip:carol@switchboard.test>;tag=r1',
        to: '<sip:carol@switchboard.test>',
        'call-id': callId,
        cseq: '1 REGISTER',
        contact: '<sip:carol@127.0.0.1:5091>;expires=600',
        ...(auth ? { authorization: auth } : {}),
      }
      // biome-ignore lint/suspicious/noExplicitAny: test reaches into the fake for a raw request
      ;(server as any).sendNetwork(
        `REGISTER sip:switchboard.test SIP/2.0\r\n${Object.entries(headers)
          .map(([k, v]) => `${k}: ${v}`)
          .join('\r\n')}\r\nContent-Length: 0\r\n\r\n`,
        `txn-${callId}`,
        '',
      )
    }
    send()
    const challenge = await server.waitFor((f) => f.sip?.status === 401)
    const d = parseDigest(challenge.sip?.headers.get('www-authenticate') ?? '')
    const response = digestResponse({
      username: 'carol',
      realm: d.realm!,
      password: 's3cret',
      method: 'REGISTER',
      uri: 'sip:switchboard.test',
      nonce: d.nonce!,
      nc: '00000001',
      cnonce: 'abc',
      qop: 'auth',
    })
    send(
      `Digest username="carol", realm="${d.realm}", nonce="${d.nonce}", uri="sip:switchboard.test", response="${response}", qop=auth, nc=00000001, cnonce="abc"`,
    )
    await server.waitFor((f) => f.sip?.status === 200 && f.sip.headers.get('cseq') === '1 REGISTER')
    const p = backend.originate({ target: { type: 'agent', agentId: 'carol' }, ringTimeoutSec: 0.3 })
    p.catch(() => {})
    const inv = await server.waitFor((f) => f.sip?.method === 'INVITE')
    expect(inv.sip?.startLine).toBe('INVITE sip:carol@127.0.0.1:5091 SIP/2.0')
    await expect(p).rejects.toMatchObject({ _tag: 'CallUnreachable' }) // the fake network has no phone "carol"
  })
})
