import { z } from 'zod'
import { Channel, CountryCode, E164, EntityBase, Timestamp } from './common.js'
import { ConsentRecordId, ContactId, DoNotCallId, RecordingId } from './ids.js'
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
 * What proves an entry: what the person was shown and how they answered.
 * At least one field; `ip` is an IPv4 or IPv6 address.
 */
export const ConsentEvidence = z
  .strictObject({
    /** The wording the person agreed to (or refused), as shown or read out. */
    textShown: Text.long.optional(),
    /** The call recording in which it was said. */
    recordingId: RecordingId.optional(),
    /** The form (its id, name or URL) it was captured on. */
    form: Text.short.optional(),
    ip: z.union([z.ipv4(), z.ipv6()], { error: 'must be an IPv4 or IPv6 address' }).optional(),
    userAgent: Text.short.optional(),
  })
  .refine((e) => Object.values(e).some((v) => v !== undefined), 'must give at least one piece of evidence')
export type ConsentEvidence = z.infer<typeof ConsentEvidence>

/** Free text (as before), or the structured evidence. */
const EvidenceField = z.union([Text.long, ConsentEvidence])

/**
 * One entry of a contact's consent ledger. The ledger is append-only: a
 * mistake is fixed by a new entry whose `corrects` names the wrong one, which
 * then no longer counts. The current state for (channel, purpose) is the
 * latest entry by capture time that no other entry corrects.
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
  evidence: EvidenceField.optional(),
  capturedAt: Timestamp,
  expiresAt: Timestamp.optional(),
  /** The entry this one corrects (same contact): that one no longer counts. */
  corrects: ConsentRecordId.optional(),
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
    /** Free text, or `{ textShown, recordingId, form, ip, userAgent }`. */
    evidence: EvidenceField.optional(),
    /** When the person said so (default: now; never in the future). */
    capturedAt: Timestamp.optional(),
    expiresAt: Timestamp.optional(),
    /** The id of the entry this one corrects (it must be the contact's, and not corrected already). */
    corrects: ConsentRecordId.optional(),
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
