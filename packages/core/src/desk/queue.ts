import { z } from 'zod'
import { issuesFromZod, validationFailed } from '../domain/errors.js'
import { Seconds } from '../domain/time.js'

/** A call, chat or case waiting in a queue, with what the CRM knows about its customer. */
export interface WorkItem {
  readonly id: string
  readonly kind: 'call' | 'chat' | 'case'
  /** When it joined the queue: the tie-breaker (first come, first served). */
  readonly enqueuedAt: Date
  /** The customer's value (e.g. lifetime value in the tenant's currency); 0 when unknown. */
  readonly customerValue: number
  /** The customer's other open cases. */
  readonly openCases: number
  /** The customer's contacts in the repeat window (see `repeatWindowDays`). */
  readonly repeatContacts: number
  /** Business seconds left on its nearest SLA clock (negative: breached); none: no SLA. */
  readonly slaLeftSec?: number
  /** Open work items of the agent who owns it now (0: unowned). */
  readonly ownerLoad: number
  /** Skills an agent needs to take it. */
  readonly skills: ReadonlyArray<string>
}

/**
 * How much each fact weighs in a work item's score. Features: `value` is
 * log10(1 + customer value) (a 10× richer customer adds one unit), `openCases`
 * and `repeats` are counts, `sla` is the urgency 0 (an `slaHorizonSec` or more
 * left) to 1 (at the breach) to 2 (an `slaHorizonSec` past it), `workload` the
 * owner's open items. Weights may be negative: the default `workload` weight
 * is, so the items of an owner who is already busy wait behind the others.
 */
export const QueueWeights = z.strictObject({
  value: z.number().finite().default(1),
  openCases: z.number().finite().default(0.5),
  repeats: z.number().finite().default(1),
  sla: z.number().finite().default(3),
  workload: z.number().finite().default(-0.25),
  slaHorizonSec: Seconds.positive().default(3_600),
  /** How far back repeat contacts count (the service reads interactions of these days). */
  repeatWindowDays: z.number().int().min(1).max(365).default(7),
})
export type QueueWeights = z.output<typeof QueueWeights>
export type QueueWeightsInput = z.input<typeof QueueWeights>

/** A work item's score and its parts (each part is weight × feature; the score is their sum). */
export interface ScoredItem<T extends WorkItem = WorkItem> {
  readonly item: T
  readonly score: number
  readonly parts: {
    readonly value: number
    readonly openCases: number
    readonly repeats: number
    readonly sla: number
    readonly workload: number
  }
  /** The parts in words, largest first. */
  readonly explanation: string
}

export const weights = (input: QueueWeightsInput = {}): QueueWeights => {
  const r = QueueWeights.safeParse(input)
  if (r.success) return r.data
  throw validationFailed('queue weights', issuesFromZod(input, r.error.issues, QueueWeights))
}

/** SLA urgency: 0 with a horizon or more left, 1 at the breach, at most 2. */
const urgency = (leftSec: number | undefined, horizon: number): number =>
  leftSec === undefined ? 0 : Math.min(2, Math.max(0, 1 - leftSec / horizon))

const round = (n: number) => Math.round(n * 1000) / 1000

/**
 * A work item's score with its parts and a one-line explanation.
 *
 * @example
 * ```ts
 * import { scoreWorkItem } from '@switchboard/core'
 * const s = scoreWorkItem({ id: 'cs_1', kind: 'case', enqueuedAt: new Date(), customerValue: 999,
 *   openCases: 2, repeatContacts: 3, slaLeftSec: 1_800, ownerLoad: 0, skills: [] })
 * s.explanation // 'score 8.5: value 3 (999), repeats 3 (3 in 7 days), sla 1.5 (1800s left), open cases 1 (2)'
 * ```
 */
export function scoreWorkItem<T extends WorkItem>(
  item: T,
  w: QueueWeightsInput | QueueWeights = {},
): ScoredItem<T> {
  const k = weights(w)
  const parts = {
    value: k.value * Math.log10(1 + Math.max(0, item.customerValue)),
    openCases: k.openCases * item.openCases,
    repeats: k.repeats * item.repeatContacts,
    sla: k.sla * urgency(item.slaLeftSec, k.slaHorizonSec),
    workload: k.workload * item.ownerLoad,
  }
  // A negative weight times nothing is -0: say 0.
  for (const p of Object.keys(parts) as Array<keyof typeof parts>) parts[p] ||= 0
  const score = parts.value + parts.openCases + parts.repeats + parts.sla + parts.workload
  const facts: Record<keyof typeof parts, string> = {
    value: `value ${round(parts.value)} (${item.customerValue})`,
    openCases: `open cases ${round(parts.openCases)} (${item.openCases})`,
    repeats: `repeats ${round(parts.repeats)} (${item.repeatContacts} in ${k.repeatWindowDays} days)`,
    sla: `sla ${round(parts.sla)} (${item.slaLeftSec === undefined ? 'no SLA' : `${round(item.slaLeftSec)}s left`})`,
    workload: `workload ${round(parts.workload)} (owner has ${item.ownerLoad})`,
  }
  const said = (Object.keys(parts) as Array<keyof typeof parts>)
    .filter((p) => parts[p] !== 0)
    .sort((a, b) => Math.abs(parts[b]) - Math.abs(parts[a]))
    .map((p) => facts[p])
  return {
    item,
    score,
    parts,
    explanation: `score ${round(score)}${said.length ? `: ${said.join(', ')}` : ''}`,
  }
}

/**
 * The queue in the order agents should take it: highest score first, then
 * the one waiting longest, then by id (a total order: the same queue always
 * comes out the same).
 *
 * @example
 * ```ts
 * import { orderQueue, type WorkItem } from '@switchboard/core'
 * declare const items: WorkItem[]
 * for (const s of orderQueue(items, { sla: 5 })) console.log(s.item.id, s.explanation)
 * ```
 */
export function orderQueue<T extends WorkItem>(
  items: ReadonlyArray<T>,
  w: QueueWeightsInput | QueueWeights = {},
): ScoredItem<T>[] {
  const k = weights(w)
  return items
    .map((i) => scoreWorkItem(i, k))
    .sort(
      (a, b) =>
        b.score - a.score ||
        a.item.enqueuedAt.getTime() - b.item.enqueuedAt.getTime() ||
        (a.item.id < b.item.id ? -1 : a.item.id > b.item.id ? 1 : 0),
    )
}
