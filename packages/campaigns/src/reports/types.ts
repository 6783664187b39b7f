import type { AbandonmentFigures } from '@switchboard/dialer'

/** What a report's rows are grouped by. */
export type ReportGroupBy = 'campaign' | 'agent' | 'list' | 'hour'

/** The half-open time range `[from, to)` a report covers. */
export interface ReportRange {
  readonly from: Date
  readonly to: Date
}

/** What `campaignReport` is asked for. */
export interface ReportOptions extends ReportRange {
  readonly groupBy: ReportGroupBy
  /** Only this campaign's interactions, and only agent time of sessions logged in to it (its share). */
  readonly campaignId?: string
  /**
   * The instant the report is made at (default: the system clock; a simulation passes its virtual
   * time): a state still current, such as an agent still logged in, counts until `now` when `to` is
   * later, so a report whose range runs into the future does not count time not yet lived.
   */
  readonly now?: Date
  /**
   * An IANA zone for `hour` groups (`Europe/Madrid`): keys are then the local hour with its UTC
   * offset (`2026-01-06T15:00+01:00`). Default: UTC (`2026-01-06T14:00Z`).
   */
  readonly zone?: string
}

/** Revenue in one currency. */
export interface RevenueFigure {
  /** ISO 4217 code. */
  readonly currency: string
  /** The sum of the sales' `outcomeValue.amountMinor` in this currency (exact, minor units). */
  readonly amountMinor: number
  /** `amountMinor / agentHours` (minor units, not rounded); null when agent-hours are 0 or not attributable. */
  readonly perAgentHourMinor: number | null
}

/**
 * The KPIs of one group (or of the whole report). Rates are fractions (0.25 = 25 %); a rate whose
 * denominator is 0 is null.
 */
export interface ReportRow {
  /**
   * The group: a campaign id, an agent id (`(none)` for dials no agent took), a list id (`(none)`
   * when the interaction has none), or an hour (`2026-01-06T14:00Z`). `(total)` for the totals.
   */
  readonly key: string
  /** Outbound voice interactions of campaigns. */
  readonly dials: number
  /** Dials whose disposition code has the `countsAsContact` flag. */
  readonly contacts: number
  /** contacts / dials. */
  readonly contactRate: number | null
  /**
   * Person-answered connects: dials with an `agentId` whose code's category is none of
   * no_answer, busy, machine, abandoned, failed (a dial with an agent and no code counts).
   */
  readonly connects: number
  /** connects / dials. */
  readonly connectRate: number | null
  /** Sum of talkSec + holdSec + wrapSec over the connects. */
  readonly handleSec: number
  /** handleSec / connects, in seconds. */
  readonly avgHandleSec: number | null
  /** Dials coded with category `machine`. */
  readonly machines: number
  /**
   * Abandonment by the US and the UK formula (`abandonmentRates` of `@switchboard/dialer`):
   * live = connects + abandoned (calls coded `abandoned`); falsePositives = Σ over machine calls of
   * their campaign's `regime.abandonment.amdFalsePositiveRate`. `us` and `uk` are 0 with no live call.
   */
  readonly abandonment: AbandonmentFigures
  /** Dials whose code has the `countsAsSale` flag. */
  readonly sales: number
  /** sales / connects: the share of connected calls that ended in a sale. */
  readonly saleRate: number | null
  /** Revenue of the sales, one entry per currency (sorted by code); empty when no sale had a value. */
  readonly revenue: ReadonlyArray<RevenueFigure>
  /**
   * Logged-in agent time (any state but offline) inside the range, in hours. Null when grouping
   * by list: agent time is not attributable to a list.
   */
  readonly agentHours: number | null
  /** sales / agentHours; null when agentHours is 0 or null. */
  readonly salesPerAgentHour: number | null
}

/** A combined CRM and contact-center report: one row per group, and the totals. */
export interface CampaignReport {
  readonly range: ReportRange
  readonly groupBy: ReportGroupBy
  /** The zone of `hour` keys (absent: UTC). */
  readonly zone?: string
  /** The campaign the report was restricted to, if any. */
  readonly campaignId?: string
  /** One row per group, sorted by key (hours in time order). */
  readonly rows: ReadonlyArray<ReportRow>
  /** The whole report; its agent-hours are never null (all logged-in time, or the campaign's share). */
  readonly totals: ReportRow
}
