// The numbers the scripted SIP peers (fake Srf, framing peer) answer with each outcome.
const target = (n: string) => ({ type: 'number' as const, number: n })

export const contractTargets = {
  person: target('+33600000001'),
  busy: target('+33600000003'),
  noAnswer: target('+33600000004'),
  rejected: target('+33600000005'),
  unreachable: target('+33600000006'),
}

export const contractAgents = ['alice', 'bob'] as const
