import { z } from 'zod'
import { Channel, Timestamp } from './common.js'
import { CampaignId, ConsentDecisionId, ContactId, TenantId } from './ids.js'
import { RefusalCode } from './refusal.js'
import { Text } from './text.js'

/**
 * One `canContact` answer as it was given, for a regulator or a subject
 * access request: the question, what the answer rested on, and every reason.
 */
export const ConsentDecisionLog = z.object({
  id: ConsentDecisionId,
  tenantId: TenantId,
  contactId: ContactId,
  /** When the question was answered (the instance's clock). */
  decidedAt: Timestamp,
  /** The moment asked about (usually `decidedAt`). */
  at: Timestamp,
  /** Who asked: "api" unless the caller says (the dialer's guard says "dialer-guard"). */
  caller: Text.label,
  channel: Channel,
  /** The declared purpose's key. */
  purpose: z.string(),
  campaignId: CampaignId.optional(),
  /** The number checked (E.164), when the channel uses one. */
  phone: z.string().optional(),
  requiresOptIn: z.boolean(),
  regime: z.string().optional(),
  /** The ledger entry the answer rested on. */
  basisId: z.string().optional(),
  /** Every ledger entry of the contact that was considered (ids, oldest first). */
  ledgerIds: z.array(z.string()),
  /** Do-not-call lists and registry versions the number was found on ("internal", "us-dnc@3"). */
  lists: z.array(z.string()),
  localTimes: z.array(z.string()),
  allowed: z.boolean(),
  reasons: z.array(z.object({ code: RefusalCode, message: z.string() })),
})
export type ConsentDecisionLog = z.infer<typeof ConsentDecisionLog>

/** Per-tenant audit settings: off by default (a question can still ask to be logged with `audit: true`). */
export const ConsentAuditSettings = z.strictObject({
  /** Log every `canContact` answer of this tenant. */
  logDecisions: z.boolean(),
})
export type ConsentAuditSettings = z.infer<typeof ConsentAuditSettings>

/** Which rows an export covers: one contact, a date range, or both (`from` inclusive, `to` exclusive). */
export const ConsentExportSelection = z
  .strictObject({
    contactId: ContactId.optional(),
    from: Timestamp.optional(),
    to: Timestamp.optional(),
    format: z.enum(['csv', 'jsonl']).default('jsonl'),
    /** What to export: the ledger entries, the logged decisions, or both (default). */
    include: z
      .array(z.enum(['ledger', 'decisions']))
      .min(1)
      .default(['ledger', 'decisions']),
  })
  .refine((s) => s.contactId || s.from || s.to, {
    message: 'give a contactId or a date range (from, to): a whole-tenant export is not offered',
    path: ['contactId'],
  })
  .refine((s) => !s.from || !s.to || s.from < s.to, { message: 'must be after from', path: ['to'] })
export type ConsentExportSelection = z.input<typeof ConsentExportSelection>

/** A keyset range over time-ordered rows: oldest first, after (`at`, `id`). */
export interface TimeRange {
  readonly contactId?: ContactId
  readonly from?: Date
  readonly to?: Date
  readonly after?: { readonly at: Date; readonly id: string }
  readonly limit: number
}
