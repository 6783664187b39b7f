import { z } from 'zod'
import { Channel, E164, EntityBase } from './common.js'
import { ConsentRecordId, ContactId, DoNotCallId } from './ids.js'

export const ConsentStatus = z.enum(['opted_in', 'opted_out', 'unknown'])
export type ConsentStatus = z.infer<typeof ConsentStatus>

export const LawfulBasis = z.enum([
  'consent',
  'contract',
  'legitimate_interest',
  'legal_obligation',
  'vital_interest',
  'public_task',
])

/** Any purpose: an opt-out recorded for "*" covers every purpose. */
export const ALL_PURPOSES = '*'

/**
 * One entry of a contact's consent history. The history is append-only:
 * the current state for (channel, purpose) is the latest entry by capture time.
 */
export const ConsentRecord = EntityBase.extend({
  id: ConsentRecordId,
  contactId: ContactId,
  channel: Channel,
  purpose: z.string().min(1),
  status: ConsentStatus,
  lawfulBasis: LawfulBasis.optional(),
  source: z.string().min(1),
  evidence: z.string().optional(),
  capturedAt: z.date(),
  expiresAt: z.date().optional(),
})
export type ConsentRecord = z.infer<typeof ConsentRecord>

export const ConsentInput = ConsentRecord.pick({
  contactId: true,
  channel: true,
  purpose: true,
  status: true,
  lawfulBasis: true,
  source: true,
  evidence: true,
  expiresAt: true,
}).extend({ capturedAt: z.date().optional() })
export type ConsentInput = z.input<typeof ConsentInput>

/** A number nobody may call: the tenant's own list or an imported national registry. */
export const DoNotCallEntry = EntityBase.extend({
  id: DoNotCallId,
  phone: E164,
  list: z.string().min(1),
  reason: z.string().optional(),
  source: z.string().min(1),
  expiresAt: z.date().optional(),
})
export type DoNotCallEntry = z.infer<typeof DoNotCallEntry>
