import { z } from 'zod'
import { EntityBase } from './common.js'
import { AgentId, EscalationTierId, QueueId, SkillId } from './ids.js'

export const AgentState = z.enum(['offline', 'available', 'on_call', 'wrap_up', 'paused'])
export type AgentState = z.infer<typeof AgentState>

export const Agent = EntityBase.extend({
  id: AgentId,
  name: z.string().min(1),
  email: z.email().optional(),
  /** Where the contact center reaches the agent's softphone. */
  endpoint: z.string().optional(),
  state: AgentState,
  pauseReason: z.string().optional(),
  skills: z.array(z.object({ skillId: SkillId, level: z.number().int().min(1).max(10) })),
  tierId: EscalationTierId.optional(),
})
export type Agent = z.infer<typeof Agent>

export const Skill = EntityBase.extend({
  id: SkillId,
  name: z.string().min(1),
})
export type Skill = z.infer<typeof Skill>

export const Queue = EntityBase.extend({
  id: QueueId,
  name: z.string().min(1),
  skills: z.array(SkillId),
  tierId: EscalationTierId.optional(),
})
export type Queue = z.infer<typeof Queue>
