// Layer 1: the SIP backend's call logic against scripted dialogs (a structural fake of drachtio-srf),
// through the same contract suite as the simulated backend.
import { telephonyContractSuite } from '@switchboard/testkit/telephony'
import { DrachtioTelephony } from '../src/drachtio/backend.js'
import { contractAgents, contractTargets } from './fakes/contract-targets.js'
import { type FakeDialog, FakeMedia, FakeRequest, FakeSrf } from './fakes/fake-srf.js'
import { sleepSec } from './fakes/time.js'

const makeHarness = (withMedia: boolean) => async () => {
  const srf = new FakeSrf({
    '+33600000001': { kind: 'answer', afterSec: 0.02 },
    '+33600000003': { kind: 'fail', status: 486, reason: 'Busy Here', afterSec: 0.01 },
    '+33600000004': { kind: 'ring-forever' },
    '+33600000005': { kind: 'fail', status: 403, reason: 'Forbidden', afterSec: 0.01 },
    '+33600000006': { kind: 'fail', status: 404, reason: 'Not Found', afterSec: 0.01 },
    alice: { kind: 'answer', afterSec: 0.015 },
    bob: { kind: 'answer', afterSec: 0.025 },
  })
  const backend = new DrachtioTelephony({
    srf,
    server: { mode: 'connect', host: '127.0.0.1', port: 9022, secret: 'cymru' },
    trunk: { uriTemplate: 'sip:{number}@carrier.test' },
    agents: { static: { alice: 'sip:alice@10.0.0.11', bob: 'sip:bob@10.0.0.12' } },
    callerId: '+33100000000',
    ...(withMedia ? { media: new FakeMedia() } : {}),
  })
  const inboundRequests = new Map<string, FakeRequest>()
  const inboundDialogs = new Map<string, FakeDialog>()
  let lastInbound: FakeRequest | undefined
  backend.onInbound((c) => {
    if (!lastInbound) return
    const req = lastInbound
    inboundRequests.set(c.callId, req)
    req.on('dialog', (d: FakeDialog) => inboundDialogs.set(c.callId, d))
  })
  return {
    backend,
    targets: contractTargets,
    agentIds: contractAgents,
    media: '/usr/share/switchboard/abandoned.wav',
    remoteHangup: async (id: string) => {
      const d = srf.dialogsByCall.get(id) ?? inboundDialogs.get(id)
      if (d) d.remoteBye()
      else inboundRequests.get(id)?.emit('cancel')
    },
    remoteDtmf: async (id: string, digits: string) => {
      const d = srf.dialogsByCall.get(id) ?? inboundDialogs.get(id)
      for (const digit of digits) d?.remoteInfo(digit)
    },
    inbound: async (call: { from: string; to: string; pAssertedIdentity?: string; withheld?: boolean }) => {
      const req = new FakeRequest(
        'INVITE',
        `sip:${call.to}@switchboard.test`,
        {
          from: `<sip:${call.from}@carrier.test>;tag=caller1`,
          to: `<sip:${call.to}@switchboard.test>`,
          'call-id': `in-${Math.random()}`,
          ...(call.pAssertedIdentity
            ? { 'p-asserted-identity': `<sip:${call.pAssertedIdentity}@carrier.test>` }
            : {}),
          ...(call.withheld ? { privacy: 'id' } : {}),
        },
        'v=0\r\no=c 1 1 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\nm=audio 41000 RTP/AVP 0\r\n',
      )
      lastInbound = req
      srf.inviteHandler?.(req, { send() {} })
    },
    advance: sleepSec,
    serverDown: async () => srf.dropConnection(),
    dispose: async () => {},
  }
}

telephonyContractSuite('drachtio over scripted dialogs, with a media anchor', makeHarness(true), {
  stepSec: 0.01,
  stepLimitSec: 5,
})
telephonyContractSuite('drachtio over scripted dialogs, without media', makeHarness(false), {
  stepSec: 0.01,
  stepLimitSec: 5,
})
