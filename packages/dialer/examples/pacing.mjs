// Runnable example: node examples/pacing.mjs (after building core and the dialer:
// `pnpm --filter @switchboard/core build && pnpm --filter @switchboard/dialer build`)
import {
  CampaignId,
  ContactId,
  DEFAULT_RETRY_RULES,
  hours,
  regimes,
  withRegime,
} from '@switchboard/core/domain'
import { AbandonmentLedger, ComplianceGuard, handleAbandonedCall, PredictivePacer } from '../dist/index.js'
import { SCENARIO_M, simulate } from '../dist/sim.js'

// 1. A campaign's pacer: the US rule at a 2% target (a campaign setting, not a constant). The regime,
//    attempts and purpose are core's; in an app this is the Campaign core stores (acme.campaigns.get).
const regime = withRegime(regimes.US, { abandonment: { limit: 0.02 } })
const campaign = {
  id: CampaignId.parse('cp-spring-offer'),
  regime,
  attempts: { max: 6, retry: [...DEFAULT_RETRY_RULES], defaultRetryAfterSec: hours(1) },
  consentPurpose: 'sales',
  abandonMessage: 'abandoned-us.wav',
}
const pacer = new PredictivePacer({ abandonment: campaign.regime.abandonment })

// Feed it what happens (telephony events, seconds on the campaign clock): outcomes of dials (core's
// DialOutcome), connects, talk and wrap-up times.
let t = 0
for (let i = 0; i < 3000; i++) {
  t += 0.3
  const u = Math.random()
  const outcome =
    u < 0.2 ? 'person' : u < 0.4 ? 'machine' : u < 0.85 ? 'no_answer' : u < 0.92 ? 'busy' : 'failed'
  pacer.observe({
    type: 'outcome',
    at: t,
    outcome,
    ringSec: outcome === 'no_answer' ? 25 : 3 + 10 * Math.random(),
  })
  if (outcome === 'person') {
    pacer.observe({ type: 'connect', at: t, waitSec: 0, abandoned: false })
    pacer.observe({ type: 'talk', at: t, durationSec: 60 + 180 * Math.random() })
    pacer.observe({ type: 'wrap_up', at: t, durationSec: 10 + 10 * Math.random() })
  }
}

// 2. Ask for a decision: agents (core's AgentState, since when) and calls in flight (CallPhase, since when).
const now = t
const agents = [
  ...Array.from({ length: 3 }, () => ({ state: 'available', since: now - 2 })),
  ...Array.from({ length: 40 }, (_, i) => ({ state: 'on_call', since: now - 5 * i })),
  ...Array.from({ length: 7 }, (_, i) => ({ state: 'wrap_up', since: now - 2 * i })),
]
const calls = Array.from({ length: 12 }, (_, i) => ({ phase: 'ringing', since: now - i }))
const decision = pacer.decide({ now, agents, calls })
console.log(`launch ${decision.launch}: ${decision.reason}`)
console.log(decision.figures)

// 3. Every dial goes through the compliance guard first.
const paidDebtor = ContactId.parse('paid-debtor')
const guard = new ComplianceGuard({
  campaign,
  // core's acme.consent.canContact in a real app: it applies the campaign's regime and purpose
  canContact: async () => ({ allowed: true, reasons: [], localTimes: [] }),
  isSuppressed: (id) => id === paidDebtor,
})
const verdict = await guard.check(
  { contactId: paidDebtor, phone: '+12125550100', timeZone: 'America/New_York' },
  new Date('2026-03-11T02:30:00Z'),
)
console.log(verdict) // refused: outside_calling_hours (22:30 local time, EDT) and suppressed

// 4. An abandoned call: count it, play the campaign's message (core's TelephonyBackend in an app).
const ledger = new AbandonmentLedger(campaign.regime.abandonment)
const telephony = { playMessage: async (callId, { media }) => console.log(`playing ${media} on ${callId}`) }
const record = await handleAbandonedCall(
  { callId: 'call-1', contactId: 'ct-1', at: now, wallClock: new Date(), campaign },
  ledger,
  telephony,
)
console.log(record)

// 5. Or simulate a whole 8-hour shift of the benchmark's scenario M (`@switchboard/dialer/sim`).
const run = simulate(SCENARIO_M, new PredictivePacer({ abandonment: regime.abandonment }), { seed: 1 })
console.log(
  `M, 50 agents: handle occupancy ${(run.handleOccupancy * 100).toFixed(1)}%, abandonment ${(run.usRate * 100).toFixed(2)}% (US) / ${(run.ukRate * 100).toFixed(2)}% (UK)`,
)
