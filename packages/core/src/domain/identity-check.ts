import { z } from 'zod'
import { Timestamp } from './common.js'
import { AgentId, ContactId, IdentityCheckId, InteractionId, TenantId } from './ids.js'

const Field = z.enum(['dateOfBirth', 'postalCode', 'phoneLast4', 'cardLast4', 'email', 'account'])

/**
 * One identity verification as logged: who the candidates were, what was
 * asked, how each candidate fared and who was verified. The answers
 * themselves are not kept (a date of birth said on the phone is not the
 * log's to keep); which fields matched is what an audit needs.
 */
export const IdentityCheck = z.object({
  tenantId: TenantId,
  id: IdentityCheckId,
  /** The interaction of the call, when it has one (an unidentified caller's may not exist yet). */
  interactionId: InteractionId.optional(),
  /** The telephony call, to join with the runtime's interaction once the caller is identified. */
  callId: z.string().min(1).max(256).optional(),
  agentId: AgentId.optional(),
  candidates: z.array(ContactId),
  asked: z.array(Field),
  status: z.enum(['verified', 'failed', 'ambiguous']),
  /** The verified contact. */
  contactId: ContactId.optional(),
  checks: z.array(
    z.object({
      contactId: ContactId,
      matched: z.array(Field),
      mismatched: z.array(Field),
      unknown: z.array(Field),
    }),
  ),
  checkedAt: Timestamp,
})
export type IdentityCheck = z.infer<typeof IdentityCheck>
