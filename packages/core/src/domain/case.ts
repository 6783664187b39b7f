import { z } from 'zod'
import { EntityBase } from './common.js'
import { AgentId, CaseId, ContactId, EscalationTierId, QueueId, SkillId } from './ids.js'

/** A support level: L1, L2, L3, field, or the host's own. */
export const EscalationTier = EntityBase.extend({
  id: EscalationTierId,
  code: z.string().min(1),
  name: z.string().min(1),
  level: z.number().int().min(1),
  skills: z.array(SkillId),
  sla: z.object({ firstResponseMinutes: z.number().positive(), resolutionMinutes: z.number().positive() }),
})
export type EscalationTier = z.infer<typeof EscalationTier>

export const CasePriority = z.enum(['low', 'normal', 'high', 'urgent'])
export const CaseStatus = z.enum(['open', 'pending', 'solved', 'closed'])

export const EscalationReason = z.enum(['manual', 'sla_breach', 'vip', 'unknown_fault'])

export const CaseEvent = z.object({
  at: z.date(),
  type: z.enum(['created', 'escalated', 'assigned', 'status_changed', 'sla_breached', 'merged']),
  from: z.string().optional(),
  to: z.string().optional(),
  reason: z.string().optional(),
  by: z.string().optional(),
})
export type CaseEvent = z.infer<typeof CaseEvent>

/** A ticket: priority, queue, tier, SLA clocks and its history. */
export const Case = EntityBase.extend({
  id: CaseId,
  contactId: ContactId,
  subject: z.string().min(1),
  description: z.string().optional(),
  priority: CasePriority,
  status: CaseStatus,
  tierId: EscalationTierId.optional(),
  queueId: QueueId.optional(),
  assigneeId: AgentId.optional(),
  skills: z.array(SkillId),
  sla: z.object({
    firstResponseDueAt: z.date().optional(),
    resolutionDueAt: z.date().optional(),
    firstRespondedAt: z.date().optional(),
    breachedAt: z.date().optional(),
  }),
  history: z.array(CaseEvent),
})
export type Case = z.infer<typeof Case>

export const CaseInput = Case.pick({
  contactId: true,
  subject: true,
  description: true,
  tierId: true,
  queueId: true,
  assigneeId: true,
}).extend({
  priority: CasePriority.default('normal'),
  skills: z.array(SkillId).default([]),
})
export type CaseInput = z.input<typeof CaseInput>
