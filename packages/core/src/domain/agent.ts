import { z } from 'zod'
import { EntityBase } from './common.js'
import { AgentState } from './dialing.js'
import { EmailAddress } from './email.js'
import { AgentId, EscalationTierId, QueueId, SkillId } from './ids.js'
import { Text } from './text.js'

export { AgentState } from './dialing.js'

export const Agent = EntityBase.extend({
  id: AgentId,
  name: Text.requiredName,
  email: EmailAddress.optional(),
  /** Where the contact center reaches the agent's softphone (a SIP URI or a number). */
  endpoint: z.string().min(1).max(256).optional(),
  state: AgentState,
  pauseReason: Text.short.optional(),
  skills: z.array(z.strictObject({ skillId: SkillId, level: z.number().int().min(1).max(10) })),
  tierId: EscalationTierId.optional(),
})
export type Agent = z.infer<typeof Agent>

export const AgentInput = z.strictObject({
  name: Text.requiredName,
  email: EmailAddress.optional(),
  endpoint: z.string().min(1).max(256).optional(),
  skills: z.array(z.strictObject({ skillId: SkillId, level: z.number().int().min(1).max(10) })).default([]),
  tierId: EscalationTierId.optional(),
})
export type AgentInput = z.input<typeof AgentInput>

export const Skill = EntityBase.extend({
  id: SkillId,
  name: Text.requiredName,
})
export type Skill = z.infer<typeof Skill>

export const Queue = EntityBase.extend({
  id: QueueId,
  name: Text.requiredName,
  skills: z.array(SkillId),
  tierId: EscalationTierId.optional(),
})
export type Queue = z.infer<typeof Queue>
