import { z } from 'zod'
import { type Case, CasePriority, CaseStatus } from '../domain/case.js'
import { Text } from '../domain/text.js'
import { Seconds } from '../domain/time.js'
import {
  addBusinessSec,
  type BusinessCalendar,
  type BusinessCalendarInput,
  CalendarKey,
  elapsedBusinessSec,
} from './calendar.js'

const Target = z.number().finite().positive()
const Targets = z.strictObject({ firstResponseSec: Target, resolutionSec: Target })

/**
 * An SLA policy: first response and resolution targets in business seconds
 * of a calendar, optionally per priority, with the statuses that pause the
 * clocks (waiting on the customer).
 */
export const SlaPolicy = z.strictObject({
  key: CalendarKey,
  name: Text.requiredName,
  /** The business calendar (its key) the clocks run on. */
  calendar: CalendarKey,
  firstResponseSec: Target,
  resolutionSec: Target,
  /** Other targets for some priorities (urgent cases answered sooner). */
  byPriority: z.partialRecord(CasePriority, Targets).default({}),
  /** While the case is in one of these statuses the clocks stand still. */
  pauseOn: z.array(CaseStatus.exclude(['open', 'solved', 'closed'])).default(['pending']),
  /** Escalate this long before a breach (0: only on the breach itself). */
  escalateLeadSec: Seconds.default(0),
})
export type SlaPolicy = z.output<typeof SlaPolicy>
export type SlaPolicyInput = z.input<typeof SlaPolicy>

/** One SLA clock of a case at an instant. */
export interface SlaClock {
  readonly targetSec: number
  /** Business seconds counted so far (open hours, not paused, until met). */
  readonly elapsedSec: number
  /** `targetSec - elapsedSec`: negative once breached. */
  readonly leftSec: number
  /** `running`, `paused` (waiting on the customer), `met` (answered or solved in time), or `missed` (stopped after its target). */
  readonly state: 'running' | 'paused' | 'met' | 'missed'
  /** When the clock runs out (or ran out), when that is known: not while paused before a breach. */
  readonly dueAt?: Date
  /** When the target was passed, if it was. */
  readonly breachedAt?: Date
  readonly breached: boolean
}

export interface SlaClocks {
  readonly firstResponse: SlaClock
  readonly resolution: SlaClock
}

/** What the clocks read from a case: when it opened, its status history, when it was first answered. */
export type SlaCase = Pick<Case, 'createdAt' | 'status' | 'priority' | 'history'> & {
  readonly sla: Pick<Case['sla'], 'firstRespondedAt'>
}

type Span = readonly [start: number, end: number]

/** The spans (epoch ms) in which the case was in `status`-es that count, from its history, up to `until`. */
function countingSpans(c: SlaCase, counts: (s: CaseStatus) => boolean, until: number): Span[] {
  const changes = c.history
    .filter((e) => e.type === 'status_changed' && e.to !== undefined)
    .map((e) => ({ at: e.at.getTime(), to: CaseStatus.parse(e.to) }))
    .sort((a, b) => a.at - b.at)
  const spans: Span[] = []
  let status: CaseStatus = 'open'
  let since = c.createdAt.getTime()
  for (const ch of [...changes, { at: Number.POSITIVE_INFINITY, to: c.status }]) {
    const end = Math.min(ch.at, until)
    if (counts(status) && end > since) spans.push([since, end])
    if (ch.at >= until) break
    status = ch.to
    since = Math.max(since, ch.at)
  }
  return spans
}

function clock(
  cal: BusinessCalendar | BusinessCalendarInput,
  spans: ReadonlyArray<Span>,
  targetSec: number,
  stopped: boolean,
  runningNow: boolean,
  now: number,
): SlaClock {
  let elapsed = 0
  let breachedAt: Date | undefined
  for (const [s, e] of spans) {
    const part = elapsedBusinessSec(cal, new Date(s), new Date(e))
    if (!breachedAt && elapsed + part >= targetSec) {
      breachedAt = addBusinessSec(cal, new Date(s), targetSec - elapsed)
    }
    elapsed += part
  }
  const leftSec = targetSec - elapsed
  const breached = breachedAt !== undefined && (!stopped || elapsed > targetSec)
  const dueAt = breachedAt ?? (runningNow ? addBusinessSec(cal, new Date(now), leftSec) : undefined)
  return {
    targetSec,
    elapsedSec: elapsed,
    leftSec,
    state: stopped ? (breached ? 'missed' : 'met') : runningNow ? 'running' : 'paused',
    ...(dueAt ? { dueAt } : {}),
    ...(breached && breachedAt ? { breachedAt } : {}),
    breached,
  }
}

/**
 * A case's first response and resolution clocks at `now`, in business
 * seconds of `calendar`, from its status history: the clocks run while the
 * case is open (or in any status the policy does not pause on), stand still
 * while it is `pending` on the customer, and stop when it is answered (first
 * response) or solved or closed (resolution; a reopened case runs again).
 *
 * @example
 * ```ts
 * import { slaClocks, type BusinessCalendarInput, type Case, type SlaPolicy } from '@switchboard/core'
 * declare const policy: SlaPolicy, calendar: BusinessCalendarInput, c: Case
 * const { resolution } = slaClocks(c, policy, calendar, new Date())
 * if (resolution.breached) console.log('late since', resolution.breachedAt)
 * else console.log(resolution.leftSec, 'business seconds left, due', resolution.dueAt)
 * ```
 */
export function slaClocks(
  c: SlaCase,
  policy: SlaPolicy,
  calendar: BusinessCalendar | BusinessCalendarInput,
  now: Date,
): SlaClocks {
  const t = now.getTime()
  const targets = policy.byPriority[c.priority] ?? policy
  const paused = new Set<CaseStatus>(policy.pauseOn)
  const runs = (s: CaseStatus) => s !== 'solved' && s !== 'closed' && !paused.has(s)
  const responded = c.sla.firstRespondedAt?.getTime()
  const responseUntil = Math.min(t, responded ?? t)
  const responseStopped = responded !== undefined && responded <= t
  const resolutionStopped = c.status === 'solved' || c.status === 'closed'
  const measure = (until: number, targetSec: number, stopped: boolean) =>
    clock(calendar, countingSpans(c, runs, until), targetSec, stopped, !stopped && runs(c.status), t)
  return {
    firstResponse: measure(responseUntil, targets.firstResponseSec, responseStopped),
    resolution: measure(t, targets.resolutionSec, resolutionStopped),
  }
}
