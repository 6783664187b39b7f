import { z } from 'zod'
import { EntityBase } from './common.js'
import { DispositionCodeId } from './ids.js'
import { Text } from './text.js'

export const DispositionCategory = z.enum([
  'sale',
  'contact_no_sale',
  'callback',
  'do_not_call',
  'wrong_number',
  'no_answer',
  'busy',
  'machine',
  'abandoned',
  'failed',
  'other',
])
export type DispositionCategory = z.infer<typeof DispositionCategory>

/** A disposition code as it is written: upper-case letters, digits and `_`. */
export const DispositionCodeName = z
  .string()
  .regex(/^[A-Z0-9_]{1,32}$/, 'must be 1-32 upper-case letters, digits or _ (such as SALE or NO_INTEREST)')

export const DispositionFlags = z.strictObject({
  /** No further attempts for this contact in the campaign. */
  final: z.boolean(),
  countsAsContact: z.boolean(),
  countsAsSale: z.boolean(),
  addsToDnc: z.boolean(),
})
export type DispositionFlags = z.infer<typeof DispositionFlags>

/** How a conversation ended; drives both the CRM history and the dialer. */
export const DispositionCode = EntityBase.extend({
  id: DispositionCodeId,
  code: DispositionCodeName,
  label: z.string().min(1),
  category: DispositionCategory,
  flags: DispositionFlags,
})
export type DispositionCode = z.infer<typeof DispositionCode>

/**
 * What a host gives to define a code of the tenant's catalogue (a campaign's
 * set names codes of it). Flags default from the category: a `sale` counts as
 * a contact and a sale and is final, a `do_not_call` adds to the do-not-call
 * list and is final, and so on (see `defaultFlags`).
 */
export const DispositionCodeInput = z.strictObject({
  code: DispositionCodeName,
  label: Text.short,
  category: DispositionCategory,
  flags: DispositionFlags.partial().optional(),
})
export type DispositionCodeInput = z.input<typeof DispositionCodeInput>

/** The flags a category implies unless a code sets its own. */
export function defaultFlags(category: DispositionCategory): DispositionFlags {
  const person = ['sale', 'contact_no_sale', 'callback', 'do_not_call'].includes(category)
  return {
    final: ['sale', 'contact_no_sale', 'do_not_call', 'wrong_number'].includes(category),
    countsAsContact: person,
    countsAsSale: category === 'sale',
    addsToDnc: category === 'do_not_call',
  }
}

/**
 * The codes the runner writes itself when no agent coded the call: one per
 * dial outcome that never reached an agent, and `WRAP_TIMEOUT` when an
 * agent's wrap-up ran out. Every tenant has them (they cannot be redefined),
 * and every campaign's set includes them.
 */
export const SYSTEM_DISPOSITIONS: ReadonlyArray<{
  readonly code: string
  readonly label: string
  readonly category: DispositionCategory
}> = [
  { code: 'NO_ANSWER', label: 'No answer', category: 'no_answer' },
  { code: 'BUSY', label: 'Busy', category: 'busy' },
  { code: 'MACHINE', label: 'Answering machine', category: 'machine' },
  { code: 'ABANDONED', label: 'Abandoned (no agent free)', category: 'abandoned' },
  { code: 'FAILED', label: 'Failed (rejected, unreachable)', category: 'failed' },
  { code: 'INTERRUPTED', label: 'Interrupted (the runner stopped mid-call)', category: 'failed' },
  { code: 'WRAP_TIMEOUT', label: 'Not coded before the wrap-up limit', category: 'other' },
]
