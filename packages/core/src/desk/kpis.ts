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
}
