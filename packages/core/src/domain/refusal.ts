import { z } from 'zod'

/**
 * Why a contact may not be contacted (or dialled) now. One list for core's
 * consent decision and the dialer's guard; each refusal keeps its own code.
 */
export const RefusalCode = z.enum([
  /** No such contact in this tenant. */
  'contact_not_found',
  /** The contact has no phone (voice, sms, video) or no e-mail for the channel. */
  'no_address_for_channel',
  /** The latest consent entry in force for the channel and purpose is an opt-out. */
  'opted_out',
  /** The purpose (or the campaign's regime) needs an opt-in and none is in force. */
  'no_opt_in',
  /** The opt-in the answer would rest on has expired. */
  'consent_expired',
  /** The number is on a do-not-call list (internal or a national registry). */
  'do_not_call',
  /** Outside the calling windows in the contact's local time. */
  'outside_calling_hours',
  /** A weekday on which the regime has no calling window. */
  'non_calling_day',
  /** A listed local holiday. */
  'holiday',
  /** The contact's local time cannot be known (no zone, no country), so no calling window can be checked. */
  'unknown_time_zone',
  /** Attempts at this contact reached the campaign's maximum. */
  'attempt_limit',
  /** Attempts ending with the last attempt's disposition reached that disposition's limit. */
  'disposition_attempt_limit',
  /** The retry delay after the last attempt's disposition has not elapsed. */
  'retry_too_soon',
  /** Within the regime's no-re-call period after an abandoned call (UK: 72 h). */
  'recall_after_abandon',
  /** Taken off the campaign's list after it was loaded (it paid, it complained). */
  'suppressed',
])
export type RefusalCode = z.infer<typeof RefusalCode>

export interface Refusal {
  readonly code: RefusalCode
  /** A sentence for the agent or the supervisor: what forbids it, and since when. */
  readonly message: string
}
