import { z } from 'zod'
import { EntityBase, Timestamp } from './common.js'
import { AgentState } from './dialing.js'
import { AgentId, AgentSessionId, CampaignId, QueueId, SkillId } from './ids.js'
import { Text } from './text.js'

/**
 * One shift of an agent: from log-in to log-out, on some campaigns and
 * queues, with the skills they work with. Every state change inside it is an
 * `AgentStateChange` (the supervisor screen and the agent-hour reports read
 * them).
 */
export const AgentSession = EntityBase.extend({
  id: AgentSessionId,
  agentId: AgentId,
  campaignIds: z.array(CampaignId),
  queueIds: z.array(QueueId),
  skills: z.array(z.strictObject({ skillId: SkillId, level: z.number().int().min(1).max(10) })),
  startedAt: Timestamp,
  endedAt: Timestamp.optional(),
  /** The current state and since when (mirrors the agent's `state`). */
  state: AgentState,
  stateSince: Timestamp,
  pauseReason: Text.short.optional(),
  /** The call the agent is reserved for, on, or wrapping up. */
  callId: z.string().min(1).max(256).optional(),
  /** How many state changes the session has had (the last change's `seq`). */
  seq: z.number().int().nonnegative(),
})
export type AgentSession = z.infer<typeof AgentSession>

/** One state change of an agent in a session, append-only. */
export const AgentStateChange = z.strictObject({
  tenantId: z.string(),
  sessionId: AgentSessionId,
  agentId: AgentId,
  /** Position in the session (1, 2, ...). */
  seq: z.number().int().positive(),
  from: AgentState,
  to: AgentState,
  at: Timestamp,
  reason: Text.short.optional(),
  callId: z.string().min(1).max(256).optional(),
})
export type AgentStateChange = z.infer<typeof AgentStateChange>

/** What an agent gives to log in. Skills default to the agent's own. */
export const AgentLogin = z.strictObject({
  campaignIds: z.array(CampaignId).max(100).default([]),
  queueIds: z.array(QueueId).max(100).default([]),
  skills: z.array(z.strictObject({ skillId: SkillId, level: z.number().int().min(1).max(10) })).optional(),
  /** Start `available` (default) or `paused` (with `pauseReason`). */
  ready: z.boolean().default(true),
})
export type AgentLogin = z.input<typeof AgentLogin>

/**
 * Which state may follow which inside a session. `offline` is only the end
 * (log-out); `reserved` leads to `on_call` or back to `available`; a call
 * ends in `wrap_up` (or straight back to `available` when nothing is left to
 * code).
 */
export const AGENT_TRANSITIONS: Readonly<Record<AgentState, ReadonlyArray<AgentState>>> = {
  offline: ['available', 'paused'],
  available: ['reserved', 'on_call', 'paused', 'offline'],
  paused: ['available', 'offline'],
  reserved: ['on_call', 'available', 'paused', 'offline'],
  on_call: ['wrap_up', 'available', 'offline'],
  wrap_up: ['available', 'paused', 'offline'],
}
