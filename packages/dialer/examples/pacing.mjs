// Runnable example: node examples/pacing.mjs (after `pnpm --filter @switchboard/dialer build`)
import {
  ComplianceGuard,
  PredictivePacer,
  SCENARIO_M,
  simulate,
  US_REGIME,
  withRegime,
} from '../dist/index.js'

// 1. A campaign's pacer: the US rule at a 2% target (a campaign setting, not a constant).
const regime = withRegime(US_REGIME, { abandonment: { limit: 0.02 } })
const pacer = new PredictivePacer({ rule: regime.abandonment })

// Feed it what happens (telephony events): outcomes of dials, connects, talk and wrap-up times.
let t = 0
for (let i = 0; i < 3000; i++) {
  t += 0.3
  const u = Math.random()
  const outcome = u < 0.2 ? 'person' : u < 0.4 ? 'machine' : u < 0.85 ? 'noAnswer' : 'failed'
  pacer.observe({
    type: 'outcome',
    at: t,
    outcome,
    ringTime: outcome === 'noAnswer' ? 25 : 3 + 10 * Math.random(),
  })
  if (outcome === 'person') {
    pacer.observe({ type: 'connect', at: t, wait: 0, abandoned: false })
    pacer.observe({ type: 'talk', at: t, duration: 60 + 180 * Math.random() })
    pacer.observe({ type: 'wrap', at: t, duration: 10 + 10 * Math.random() })
  }
}

// 2. Ask for a decision: agents (state and since when) and calls in flight (phase and since when).
const now = t
const agents = [
  ...Array.from({ length: 3 }, () => ({ state: 'available', since: now - 2 })),
  ...Array.from({ length: 40 }, (_, i) => ({ state: 'talking', since: now - 5 * i })),
  ...Array.from({ length: 7 }, (_, i) => ({ state: 'wrap', since: now - 2 * i })),
]
const calls = Array.from({ length: 12 }, (_, i) => ({ phase: 'ringing', since: now - i }))
const decision = pacer.decide({ now, agents, calls })
console.log(`launch ${decision.launch}: ${decision.reason}`)
console.log(decision.figures)

// 3. Every dial goes through the compliance guard first.
const guard = new ComplianceGuard({
  regime,
  purpose: 'sales',
  canContact: async () => ({ allowed: true, reasons: [] }), // core's canContact in a real app
  isSuppressed: (id) => id === 'paid-debtor',
})
const verdict = await guard.check(
  { contactId: 'paid-debtor', phone: '+12125550100', timeZone: 'America/New_York' },
  new Date('2026-03-11T02:30:00Z'),
)
console.log(verdict) // refused: 22:30 local time (EDT) and suppressed, each with its reason

// 4. Or simulate a whole 8-hour shift of the benchmark's scenario M.
const run = simulate(SCENARIO_M, new PredictivePacer({ rule: regime.abandonment }), { seed: 1 })
console.log(
  `M, 50 agents: handle occupancy ${(run.handleOccupancy * 100).toFixed(1)}%, abandonment ${(run.usRate * 100).toFixed(2)}% (US) / ${(run.ukRate * 100).toFixed(2)}% (UK)`,
)
