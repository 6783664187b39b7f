import type { Case, EscalationReason, EscalationTier } from '../domain/case.js'
import type { EscalationTierId } from '../domain/ids.js'
import type { SlaClock, SlaClocks } from './sla.js'

/** The automatic escalation's name in a case's history (`by`). */
export const DESK_ESCALATOR = 'switchboard.desk'

/** A knowledge lookup made for the case: what was asked and how many answers it found. */
export interface KnowledgeLookup {
  readonly query: string
  readonly found: number
}

export interface EscalationCheck {
  readonly case: Pick<Case, 'tierId' | 'status' | 'history'>
  /** The tenant's tiers (any order). */
  readonly tiers: ReadonlyArray<Pick<EscalationTier, 'id' | 'level' | 'code'>>
  /** The case's SLA clocks now (see slaClocks); none: no SLA rule applies. */
  readonly clocks?: SlaClocks
  /** Escalate when a running clock has this little time left (business seconds; 0: only on the breach). */
  readonly leadSec?: number
  /** The contact is a VIP. */
  readonly vip?: boolean
  /** The lowest tier level a VIP's case belongs at (default: one above where it is). */
  readonly vipLevel?: number
  /** A knowledge lookup for the case's fault: none found means the current tier does not know it. */
  readonly knowledge?: KnowledgeLookup
}

export interface EscalationDue {
  readonly toTier: EscalationTierId
  readonly fromTier?: EscalationTierId
  readonly reason: Exclude<EscalationReason, 'manual'>
  /** Which clock or fact triggered it, first: the history keeps it and the next check reads it. */
  readonly note: string
}

const CLOCKS = { firstResponse: 'first response', resolution: 'resolution' } as const

/** Whether an automatic escalation with this reason and note prefix is in the history already. */
const done = (c: EscalationCheck['case'], reason: string, subject: string): boolean =>
  c.history.some((e) => e.type === 'escalated' && e.reason?.startsWith(`${reason}: ${subject}`) === true)

/**
 * The escalation a case is due, if any, and why, checked in this order: an
 * SLA clock breached, a running clock within `leadSec` of its target, a VIP
 * contact below `vipLevel`, a knowledge lookup that found nothing. Each
 * automatic escalation happens once per case (its reason and subject are in
 * the history), so a sweep can ask again and again. A case without a tier
 * goes to the lowest one; a solved or closed case, or one at the top tier, is
 * due nothing.
 *
 * @example
 * ```ts
 * import { escalationDue, slaClocks, type BusinessCalendarInput, type Case, type EscalationTier, type SlaPolicy } from '@switchboard/core'
 * declare const c: Case, tiers: EscalationTier[], policy: SlaPolicy, calendar: BusinessCalendarInput
 * const due = escalationDue({ case: c, tiers, clocks: slaClocks(c, policy, calendar, new Date()), leadSec: 900 })
 * if (due) console.log(`to ${due.toTier}: ${due.reason} (${due.note})`)
 * ```
 */
export function escalationDue(check: EscalationCheck): EscalationDue | undefined {
  const c = check.case
  if (c.status === 'solved' || c.status === 'closed') return undefined
  const tiers = [...check.tiers].sort((a, b) => a.level - b.level)
  const current = tiers.find((t) => t.id === c.tierId)
  const level = current?.level ?? 0
  const next = tiers.find((t) => t.level > level)
  if (!next) return undefined
  const due = (reason: EscalationDue['reason'], note: string, to = next): EscalationDue => ({
    toTier: to.id,
    ...(current ? { fromTier: current.id } : {}),
    reason,
    note,
  })
  const at = (k: keyof typeof CLOCKS, clock: SlaClock) => `${CLOCKS[k]} target ${clock.targetSec}s`
  if (check.clocks) {
    for (const k of ['firstResponse', 'resolution'] as const) {
      const clock = check.clocks[k]
      if (clock.breached && clock.state !== 'missed' && !done(c, 'sla_breach', CLOCKS[k])) {
        return due('sla_breach', `${at(k, clock)} passed at ${clock.breachedAt?.toISOString()}`)
      }
    }
    const lead = check.leadSec ?? 0
    for (const k of ['firstResponse', 'resolution'] as const) {
      const clock = check.clocks[k]
      const risky = lead > 0 && clock.state === 'running' && !clock.breached && clock.leftSec <= lead
      if (risky && !done(c, 'sla_at_risk', CLOCKS[k]) && !done(c, 'sla_breach', CLOCKS[k])) {
        return due(
          'sla_at_risk',
          `${at(k, clock)}: ${clock.leftSec}s left, due ${clock.dueAt?.toISOString()}`,
        )
      }
    }
  }
  if (check.vip) {
    const target = tiers.find((t) => t.level >= (check.vipLevel ?? next.level)) ?? next
    if (target.level > level && !done(c, 'vip', 'contact')) return due('vip', 'contact is a VIP', target)
  }
  if (check.knowledge && check.knowledge.found === 0 && !done(c, 'unknown_fault', 'knowledge')) {
    return due('unknown_fault', `knowledge lookup found nothing for ${JSON.stringify(check.knowledge.query)}`)
  }
  return undefined
}
