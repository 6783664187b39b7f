import { telephonyContractSuite } from '@switchboard/testkit/telephony'
import { fixed, ManualClock, SimulatedTelephony } from '../src/simulated/index.js'

const numbers = {
  '+33600000001': { outcome: 'person', ringSec: 3, talkSec: 3_600 },
  '+33600000002': { outcome: 'machine', ringSec: 4 },
  '+33600000003': { outcome: 'busy', ringSec: 1 },
  '+33600000004': { outcome: 'no_answer' },
  '+33600000005': { outcome: 'rejected', ringSec: 0.5, sipStatus: 403 },
  '+33600000006': { outcome: 'unreachable', sipStatus: 404 },
} as const

const makeHarness = (clockKind: 'manual' | 'real') => async () => {
  const manual = clockKind === 'manual' ? new ManualClock() : undefined
  const scale = clockKind === 'manual' ? 1 : 0.02 // real time: same script, fifty times faster
  const scaled = Object.fromEntries(
    Object.entries(numbers).map(([k, v]) => [
      k,
      { ...v, ...('ringSec' in v ? { ringSec: v.ringSec * scale } : {}) },
    ]),
  )
  const backend = new SimulatedTelephony({
    seed: 42,
    ...(manual ? { clock: manual } : {}),
    numbers: scaled,
    agents: { alice: { answerSec: fixed(0.8 * scale) }, bob: { answerSec: fixed(1.2 * scale) } },
    amd: { sensitivity: 1, specificity: 1, detectionSec: fixed(2 * scale) },
    carrier: { setupSec: fixed(0.1 * scale), patienceSec: fixed(3_600), machineSec: fixed(3_600) },
    mediaDurationsSec: { 'abandoned.wav': 3 * scale },
  })
  const target = (n: string) => ({ type: 'number' as const, number: n })
  return {
    backend,
    targets: {
      person: target('+33600000001'),
      machine: target('+33600000002'),
      busy: target('+33600000003'),
      noAnswer: target('+33600000004'),
      rejected: target('+33600000005'),
      unreachable: target('+33600000006'),
    },
    agentIds: ['alice', 'bob'] as const,
    media: 'abandoned.wav',
    remoteHangup: async (id: string) => backend.remoteHangup(id),
    remoteDtmf: async (id: string, digits: string) => backend.remoteDtmf(id, digits),
    inbound: async (call: { from: string; to: string; pAssertedIdentity?: string; withheld?: boolean }) => {
      backend.placeInboundCall({ ...call, patienceSec: 3_600 })
    },
    advance: manual
      ? (sec: number) => manual.advance(sec)
      : (sec: number) => new Promise<void>((r) => setTimeout(r, sec * 1_000)),
    serverDown: async () => backend.setDown(true),
    dispose: async () => {},
  }
}

telephonyContractSuite('simulated (virtual clock)', makeHarness('manual'))
telephonyContractSuite('simulated (real time)', makeHarness('real'), { stepSec: 0.02 })
