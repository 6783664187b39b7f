/**
 * The service desk's KPIs over a time range `[from, to)`, computed by the
 * database (see `tenant.desk.kpis`). Rates are `null` when there is nothing
 * to divide by. Durations are wall-clock seconds.
 */
export interface DeskKpis {
  /** Open and pending cases now, by the tier they are at (none: no tier). */
  readonly backlog: ReadonlyArray<{
    readonly tierId?: string
    readonly open: number
    readonly pending: number
  }>
  /** Cases opened in the range. */
  readonly opened: number
  /** Of those, the ones escalated at least once (so far). */
  readonly escalatedCases: number
  /** `escalatedCases / opened`. */
  readonly escalationRate: number | null
  /** Escalations made in the range (a case may move up more than once). */
  readonly escalations: number
  /** Cases solved (or closed unsolved) in the range. */
  readonly resolved: number
  /** Of those, the ones with no SLA breach recorded (the sweep records breaches). */
  readonly resolvedInSla: number
  /** `resolvedInSla / resolved`. */
  readonly slaAttainment: number | null
  /** Time cases spent at each tier, over the stays that ended in the range. */
  readonly timePerTier: ReadonlyArray<{
    readonly tierId?: string
    readonly stays: number
    readonly avgSec: number
  }>
  /**
   * Of the cases resolved in the range, those resolved at the first contact:
   * never escalated, and at most one interaction logged on the case.
   */
  readonly firstContactResolved: number
  /** `firstContactResolved / resolved`. */
  readonly firstContactResolution: number | null
  /** The window of `repeatContacts`, in days (`KpiRange.repeatWindowDays`, default 7). */
  readonly repeatWindowDays: number
  /** Customer contacts in the range: inbound interactions of any channel but notes. */
  readonly contacts: number
  /** Of those, the ones that came within `repeatWindowDays` after another contact of the same customer. */
  readonly repeatContacts: number
  /** `repeatContacts / contacts`. */
  readonly repeatRate: number | null
  /** By queue (none: cases without a queue): backlog now, opened, resolved and resolved at first contact in the range. */
  readonly byQueue: ReadonlyArray<DeskBreakdown & { readonly queueId?: string }>
  /**
   * By assignee (none: unassigned cases), the same, and the interactions the
   * agent handled in the range.
   */
  readonly byAgent: ReadonlyArray<
    Omit<DeskBreakdown, 'opened'> & { readonly agentId?: string; readonly interactions: number }
  >
  /** The customers with the most contacts in the range (`KpiRange.customers`, default 20), most first. */
  readonly byCustomer: ReadonlyArray<{
    readonly contactId: string
    readonly contacts: number
    readonly repeatContacts: number
    /** Cases the customer opened in the range. */
    readonly opened: number
  }>
}

/** One line of a KPI breakdown. */
export interface DeskBreakdown {
  /** Open and pending cases now. */
  readonly backlog: number
  readonly opened: number
  readonly resolved: number
  readonly firstContactResolved: number
}
