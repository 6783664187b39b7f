import type { DispositionCategory, DispositionFlags, Interaction } from '@switchboard/core'
import { abandonmentRates } from '@switchboard/dialer'
import type { ReportRow, RevenueFigure } from './types.js'

/** What a report needs of a disposition code. */
export interface CodeInfo {
  readonly category: DispositionCategory
  readonly flags: Pick<DispositionFlags, 'countsAsContact' | 'countsAsSale'>
}

/** Categories of calls that never reached a person talking to an agent. */
const NOT_CONNECTED: ReadonlySet<DispositionCategory> = new Set([
  'no_answer',
  'busy',
  'machine',
  'abandoned',
  'failed',
])

/** Whether an interaction is a dial: an outbound voice interaction of a campaign. */
export const isDial = (i: Pick<Interaction, 'direction' | 'channel' | 'campaignId'>): boolean =>
  i.direction === 'outbound' && i.channel === 'voice' && i.campaignId !== undefined

/** The running counts of one group. */
export class KpiTally {
  dials = 0
  contacts = 0
  connects = 0
  handleSec = 0
  abandoned = 0
  machines = 0
  falsePositives = 0
  sales = 0
  readonly revenue = new Map<string, number>()

  /**
   * Counts one dial, coded `code` (undefined: no code, or one the catalogue lacks), of a campaign
   * whose regime estimates `amdFalsePositiveRate` of machine answers to be people.
   */
  add(
    i: Pick<Interaction, 'agentId' | 'durations' | 'outcomeValue'>,
    code: CodeInfo | undefined,
    amdFalsePositiveRate: number,
  ): void {
    this.dials++
    if (code?.flags.countsAsContact) this.contacts++
    if (i.agentId !== undefined && !(code && NOT_CONNECTED.has(code.category))) {
      this.connects++
      this.handleSec += i.durations.talkSec + i.durations.holdSec + i.durations.wrapSec
    }
    if (code?.category === 'abandoned') this.abandoned++
    if (code?.category === 'machine') {
      this.machines++
      this.falsePositives += amdFalsePositiveRate
    }
    if (code?.flags.countsAsSale) {
      this.sales++
      if (i.outcomeValue)
        this.revenue.set(
          i.outcomeValue.currency,
          (this.revenue.get(i.outcomeValue.currency) ?? 0) + i.outcomeValue.amountMinor,
        )
    }
  }

  /** Adds another tally's counts to this one. */
  merge(o: KpiTally): void {
    this.dials += o.dials
    this.contacts += o.contacts
    this.connects += o.connects
    this.handleSec += o.handleSec
    this.abandoned += o.abandoned
    this.machines += o.machines
    this.falsePositives += o.falsePositives
    this.sales += o.sales
    for (const [c, a] of o.revenue) this.revenue.set(c, (this.revenue.get(c) ?? 0) + a)
  }
}

const ratio = (n: number, d: number | null): number | null => (d ? n / d : null)

/** The row of a tally, with the group's agent time in seconds (null: not attributable). */
export function rowOf(key: string, t: KpiTally, agentSeconds: number | null): ReportRow {
  const agentHours = agentSeconds === null ? null : agentSeconds / 3600
  const revenue: RevenueFigure[] = [...t.revenue.keys()].sort().map((currency) => {
    const amountMinor = t.revenue.get(currency) ?? 0
    return { currency, amountMinor, perAgentHourMinor: ratio(amountMinor, agentHours) }
  })
  return {
    key,
    dials: t.dials,
    contacts: t.contacts,
    contactRate: ratio(t.contacts, t.dials),
    connects: t.connects,
    connectRate: ratio(t.connects, t.dials),
    handleSec: t.handleSec,
    avgHandleSec: ratio(t.handleSec, t.connects),
    machines: t.machines,
    abandonment: abandonmentRates(t.connects + t.abandoned, t.abandoned, t.falsePositives),
    sales: t.sales,
    saleRate: ratio(t.sales, t.connects),
    revenue,
    agentHours,
    salesPerAgentHour: ratio(t.sales, agentHours),
  }
}
