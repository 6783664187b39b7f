import type { Channel } from '../domain/common.js'
import type { ConsentRecord } from '../domain/consent.js'

/**
 * Why an entry may not correct `target`, or undefined when it may. A
 * correction names an entry of the same contact, channel and purpose that
 * nothing corrects yet: the corrections of one entry form a chain, never a
 * fork, so "the entry in force" stays a single answer.
 */
export function correctionProblem(
  ledger: ReadonlyArray<ConsentRecord>,
  target: string,
  channel: Channel,
  purpose: string,
): string | undefined {
  const wrong = ledger.find((r) => r.id === target)
  if (!wrong) return "is not an entry of this contact's consent ledger"
  if (wrong.channel !== channel || wrong.purpose !== purpose) {
    return `corrects an entry for ${wrong.channel} / ${wrong.purpose}; a correction keeps the channel and purpose (record a new entry instead)`
  }
  const later = ledger.find((r) => r.corrects === target)
  if (later) return `is already corrected by ${later.id}; correct that entry instead`
  return undefined
}
