// Leads with a known ground-truth conversion model, seeded (mulberry32): what
// the scoring benchmark evaluates the model, the weighted score and a
// constant against, on leads it held out.

/** The truth: log-odds of a sale on the next connected call, from what a lead is and did. */
export const TRUTH = {
  intercept: -2.6,
  /** per thousand of income above 50,000 */
  incomeK: 0.03,
  visits: 0.3,
  referral: 1.1,
  callbacks: 0.7,
  inbound: 0.9,
  unanswered: -0.35,
  email: 0.4,
} as const

export interface PastInteraction {
  readonly direction: 'inbound' | 'outbound'
  readonly disposition?: 'NO_ANSWER' | 'CALL_BACK'
  readonly daysBefore: number
  readonly talkSec: number
}

export interface GeneratedLead {
  readonly income: number
  readonly visits: number
  readonly dealValue: number
  readonly referral: boolean
  readonly email: boolean
  readonly history: ReadonlyArray<PastInteraction>
  /** The ground-truth probability that it buys when reached. */
  readonly truth: number
}

const sigmoid = (z: number) => 1 / (1 + Math.exp(-z))

export function generateLeads(n: number, rand: () => number): GeneratedLead[] {
  const normal = () => Math.sqrt(-2 * Math.log(1 - rand())) * Math.cos(2 * Math.PI * rand())
  const poisson = (mean: number) => {
    // Knuth's: fine for small means.
    const l = Math.exp(-mean)
    let k = 0
    let p = rand()
    while (p > l) {
      k++
      p *= rand()
    }
    return k
  }
  const leads: GeneratedLead[] = []
  for (let i = 0; i < n; i++) {
    const income = Math.round(50_000 * Math.exp(0.45 * normal()))
    const visits = poisson(1.5)
    const referral = rand() < 0.2
    const email = rand() < 0.6
    const history: PastInteraction[] = []
    for (let c = Math.min(5, poisson(1.2)); c > 0; c--) {
      const reached = rand() < 0.45
      history.push({
        direction: 'outbound',
        disposition: reached ? 'CALL_BACK' : 'NO_ANSWER',
        daysBefore: 1 + rand() * 59,
        talkSec: reached ? Math.round(60 + rand() * 120) : 0,
      })
    }
    for (let c = poisson(0.3); c > 0; c--)
      history.push({
        direction: 'inbound',
        daysBefore: 1 + rand() * 59,
        talkSec: Math.round(90 + rand() * 120),
      })
    const callbacks = history.filter((h) => h.disposition === 'CALL_BACK').length
    const unanswered = history.filter((h) => h.disposition === 'NO_ANSWER').length
    const inbound = history.filter((h) => h.direction === 'inbound').length
    const logit =
      TRUTH.intercept +
      TRUTH.incomeK * (income / 1000 - 50) +
      TRUTH.visits * visits +
      TRUTH.referral * (referral ? 1 : 0) +
      TRUTH.callbacks * callbacks +
      TRUTH.inbound * inbound +
      TRUTH.unanswered * unanswered +
      TRUTH.email * (email ? 1 : 0)
    leads.push({
      income,
      visits,
      dealValue: Math.round(500 + rand() * 4500),
      referral,
      email,
      history,
      truth: sigmoid(logit),
    })
  }
  return leads
}
