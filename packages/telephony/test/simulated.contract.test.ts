import { telephonyContractSuite } from '@switchboard/testkit/telephony'
import { fixed, ManualClock, SimulatedTelephony } from '../src/simulated/index.js'

const numbers = {
  '+33600000001': { outcome: 'person', ringMs: 3_000, talkMs: 3_600_000 },
  '+33600000002': { outcome: 'machine', ringMs: 4_000 },
  '+33600000003': { outcome: 'busy', ringMs: 1_000 },
  '+33600000004': { outcome: 'no-answer' },
  '+33600000005': { outcome: 'rejected', ringMs: 500, sipStatus: 403 },
  '+33600000006': { outcome: 'unreachable', sipStatus: 404 },
} as const

const makeHarness = (clockKind: 'manual' | 'real') => async () => {
  const manual = clockKind === 'manual' ? new ManualClock() : undefined
  const scale = clockKind === 'manual' ? 1 : 0.02 // real time: same script, fifty times faster
  const scaled = Object.fromEntries(
    Object.entries(numbers).map(([k, v]) => [
      k,
      { ...v, ...('ringMs' in v ? { ringMs: Math.round(v.ringMs * scale) } : {}) },
    ]),
  )
  const backend = new SimulatedTelephony({
    seed: 42,
    ...(manual ? { clock: manual } : {}),
    numbers: scaled,
    agents: { alice: { answerMs: fixed(800 * scale) }, bob: { answerMs: fixed(1_200 * scale) } },
    amd: { sensitivity: 1, specificity: 1, detectionMs: fixed(2_000 * scale) },
    carrier: { setupMs: fixed(100 * scale), patienceMs: fixed(3_600_000), machineMs: fixed(3_600_000) },
    mediaDurations: { 'abandoned.wav': 3_000 * scale },
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
      backend.placeInboundCall({ ...call, patienceMs: 3_600_000 })
    },
    advance: manual
      ? (ms: number) => manual.advance(ms)
      : (ms: number) => new Promise<void>((r) => setTimeout(r, ms)),
    serverDown: async () => backend.setDown(true),
    dispose: async () => {},
  }
}

telephonyContractSuite('simulated (virtual clock)', makeHarness('manual'))
telephonyContractSuite('simulated (real time)', makeHarness('real'), { stepMs: 20 })
