import type { Case } from '../domain/case.js'

/** A stretch of a case's life at one tier (none: before it had one). */
export interface TierSpan {
  readonly seq: number
  readonly tierId?: string
  readonly since: Date
  /** When it left the tier, or was solved or closed there; none while it is still there and open. */
  readonly until?: Date
}

/**
 * The tiers a case went through, from its history: the tier it was opened at
 * (the first escalation's `from`, or its tier when it never moved), then one
 * span per escalation. The last span ends when the case was solved (or
 * closed unsolved); a reopened case runs again. What the desk's time-per-tier KPI sums.
 */
export function tierSpans(c: Pick<Case, 'createdAt' | 'tierId' | 'status' | 'history'>): TierSpan[] {
  const moves = c.history.filter((e) => e.type === 'escalated')
  const first = moves.length ? moves[0]!.from : c.tierId
  const spans: Array<{ seq: number; tierId?: string; since: Date; until?: Date }> = [
    { seq: 0, ...(first ? { tierId: first } : {}), since: c.createdAt },
  ]
  for (const m of moves) {
    spans[spans.length - 1]!.until = m.at
    spans.push({ seq: spans.length, ...(m.to ? { tierId: m.to } : {}), since: m.at })
  }
  // Work ended when it was solved (or closed unsolved); closing a solved case does not add time.
  let end: Date | undefined
  for (const e of c.history) {
    if (e.type !== 'status_changed') continue
    if (e.to === 'solved' || (e.to === 'closed' && e.from !== 'solved')) end = e.at
    else if (e.to === 'open' || e.to === 'pending') end = undefined
  }
  const last = spans[spans.length - 1]!
  if (end && (c.status === 'solved' || c.status === 'closed'))
    last.until = end < last.since ? last.since : end
  return spans
}
