import { z } from 'zod'
import { Channel, CountryCode, E164, EntityBase, Timestamp } from './common.js'
import { ConsentRecordId, ContactId, DoNotCallId } from './ids.js'
import { PurposeName } from './purpose.js'
import { Text } from './text.js'

export { ALL_PURPOSES } from './purpose.js'

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
export type LawfulBasis = z.infer<typeof LawfulBasis>

/**
 * One entry of a contact's consent history. The history is append-only:
 * the current state for (channel, purpose) is the latest entry by capture time.
 * `purpose` is the declared purpose's key (lower case), or "*".
 */
export const ConsentRecord = EntityBase.extend({
  id: ConsentRecordId,
  contactId: ContactId,
  channel: Channel,
  purpose: PurposeName,
  status: ConsentStatus,
  lawfulBasis: LawfulBasis.optional(),
  source: Text.label,
  evidence: Text.long.optional(),
  capturedAt: Timestamp,
  expiresAt: Timestamp.optional(),
})
export type ConsentRecord = z.infer<typeof ConsentRecord>

export const ConsentInput = z
  .strictObject({
    contactId: ContactId,
    channel: Channel,
    /** A declared purpose (case-insensitive), or "*" for every purpose. */
    purpose: PurposeName,
    status: ConsentStatus,
    lawfulBasis: LawfulBasis.optional(),
    /** Where it was captured: "web form", "call", "unsubscribe link". */
    source: Text.label,
    evidence: Text.long.optional(),
    /** When the person said so (default: now; never in the future). */
    capturedAt: Timestamp.optional(),
    expiresAt: Timestamp.optional(),
  })
  .refine((r) => !r.expiresAt || !r.capturedAt || r.expiresAt > r.capturedAt, {
    message: 'must be after capturedAt',
    path: ['expiresAt'],
  })
export type ConsentInput = z.input<typeof ConsentInput>

/** A number nobody may call: the tenant's own list or an imported national registry. */
export const DoNotCallEntry = EntityBase.extend({
  id: DoNotCallId,
  phone: E164,
  list: Text.requiredName,
  reason: Text.short.optional(),
  source: Text.label,
  expiresAt: Timestamp.optional(),
})
export type DoNotCallEntry = z.infer<typeof DoNotCallEntry>

export const DoNotCallInput = z.strictObject({
  /** As typed; normalised to E.164 (with `defaultCountry` for national numbers). */
  phone: z.string().min(1).max(64),
  /** "internal" (default) for the tenant's own list, or the registry's name. */
  list: Text.requiredName.optional(),
  reason: Text.short.optional(),
  source: Text.label,
  expiresAt: Timestamp.optional(),
  defaultCountry: CountryCode.optional(),
})
export type DoNotCallInput = z.input<typeof DoNotCallInput>
