import { z } from 'zod'
import { EntityBase, Timestamp } from './common.js'
import {
  AgentId,
  CaseId,
  ContactId,
  EscalationTierId,
  newId,
  QueueId,
  SkillId,
  type TenantId,
} from './ids.js'
import { Text } from './text.js'

/** The key of a tenant's service desk setting (a business calendar, an SLA policy). */
export const DeskKey = z
  .string()
  .regex(/^[a-z0-9][a-z0-9_-]{0,63}$/, 'must be a key: lower-case letters, digits, "_" or "-" (at most 64)')

/**
 * A support level: L1, L2, L3, field, or the host's own. Escalation goes to
 * the tier of the next higher `level`; the tier's cases run on its SLA policy
 * (targets in business seconds, see desk/sla).
 */
export const EscalationTier = EntityBase.extend({
  id: EscalationTierId,
  code: z.string().min(1).max(32),
  name: Text.requiredName,
  level: z.number().int().min(1),
  skills: z.array(SkillId),
  /** The SLA policy (its key) of cases at this tier; none: the tenant's `default` policy. */
  slaPolicy: DeskKey.optional(),
})
export type EscalationTier = z.infer<typeof EscalationTier>

export const CasePriority = z.enum(['low', 'normal', 'high', 'urgent'])
export type CasePriority = z.infer<typeof CasePriority>
export const CaseStatus = z.enum(['open', 'pending', 'solved', 'closed'])
export type CaseStatus = z.infer<typeof CaseStatus>

/** Why a case moved up: `sla_at_risk` is the configurable lead time before a breach. */
export const EscalationReason = z.enum(['manual', 'sla_breach', 'vip', 'unknown_fault', 'sla_at_risk'])
export type EscalationReason = z.infer<typeof EscalationReason>

export const CaseEvent = z.object({
  at: Timestamp,
  type: z.enum(['created', 'escalated', 'assigned', 'status_changed', 'sla_breached', 'merged', 'responded']),
  from: z.string().optional(),
  to: z.string().optional(),
  reason: Text.short.optional(),
  by: z.string().optional(),
})
export type CaseEvent = z.infer<typeof CaseEvent>

/** A ticket: priority, queue, tier, SLA clocks and its history. */
export const Case = EntityBase.extend({
  id: CaseId,
  contactId: ContactId,
  subject: Text.label,
  description: Text.long.optional(),
  priority: CasePriority,
  status: CaseStatus,
  tierId: EscalationTierId.optional(),
  queueId: QueueId.optional(),
  assigneeId: AgentId.optional(),
  skills: z.array(SkillId),
  sla: z.object({
    firstResponseDueAt: Timestamp.optional(),
    resolutionDueAt: Timestamp.optional(),
    firstRespondedAt: Timestamp.optional(),
    breachedAt: Timestamp.optional(),
  }),
  history: z.array(CaseEvent),
})
export type Case = z.infer<typeof Case>

/** A new open case: its id, no SLA clocks yet, and a history that starts with "created". */
export function newCase(
  fields: Omit<Case, 'id' | 'tenantId' | 'status' | 'sla' | 'history' | 'createdAt' | 'updatedAt'>,
  tenantId: TenantId,
  at: Date,
): Case {
  return {
    ...fields,
    id: newId('CaseId') as CaseId,
    tenantId,
    status: 'open',
    sla: {},
    history: [{ at, type: 'created' }],
    createdAt: at,
    updatedAt: at,
  }
}

export const CaseInput = z.strictObject({
  contactId: ContactId,
  subject: Text.label,
  description: Text.long.optional(),
  tierId: EscalationTierId.optional(),
  queueId: QueueId.optional(),
  /** Must be an agent of this tenant. */
  assigneeId: AgentId.optional(),
  priority: CasePriority.default('normal'),
  skills: z.array(SkillId).max(50).default([]),
})
export type CaseInput = z.input<typeof CaseInput>

export const EscalateInput = z
  .strictObject({
    toTier: EscalationTierId,
    reason: EscalationReason,
    /** Why, in the agent's words (required for a manual escalation). */
    note: Text.short.optional(),
    /** Who escalated (an agent id or a system name). */
    by: z.string().min(1).max(128).optional(),
  })
  .refine((e) => e.reason !== 'manual' || (e.note?.trim().length ?? 0) > 0, {
    message: 'a manual escalation needs a reason in `note`',
    path: ['note'],
  })
export type EscalateInput = z.input<typeof EscalateInput>
