import { z } from 'zod'
import { EntityBase } from './common.js'
import { DispositionCodeId } from './ids.js'

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

/** How a conversation ended; drives both the CRM history and the dialer. */
export const DispositionCode = EntityBase.extend({
  id: DispositionCodeId,
  code: z.string().regex(/^[A-Z0-9_]{1,32}$/, 'must be 1-32 upper-case letters, digits or _'),
  label: z.string().min(1),
  category: DispositionCategory,
  flags: z.object({
    /** No further attempts for this contact in the campaign. */
    final: z.boolean(),
    countsAsContact: z.boolean(),
    countsAsSale: z.boolean(),
    addsToDnc: z.boolean(),
  }),
})
export type DispositionCode = z.infer<typeof DispositionCode>
