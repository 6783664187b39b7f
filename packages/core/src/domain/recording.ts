import { z } from 'zod'
import { EntityBase, Timestamp } from './common.js'
import { AgentId, CampaignId, ContactId, InteractionId, RecordingId } from './ids.js'

/**
 * A campaign's recording policy: `never`; `on_demand` (the agent starts and
 * stops it); `always` (from connect to hang-up); `always_with_pause` (always,
 * and the agent may pause it, e.g. while a card number is read out).
 */
export const RecordingPolicy = z.enum(['never', 'on_demand', 'always', 'always_with_pause'])
export type RecordingPolicy = z.infer<typeof RecordingPolicy>

/** Audio of a call (or part of it, when started and stopped on demand). */
export const Recording = EntityBase.extend({
  id: RecordingId,
  interactionId: InteractionId,
  contactId: ContactId,
  campaignId: CampaignId.optional(),
  agentId: AgentId.optional(),
  /** The telephony call (leg) recorded. */
  callId: z.string().min(1).max(256).optional(),
  /** Where the media server wrote it (a file path or URL); the player fetches it from here. */
  uri: z.string().min(1),
  format: z.string().min(1),
  startedAt: Timestamp,
  endedAt: Timestamp.optional(),
  durationSec: z.number().nonnegative().optional(),
  /** Who started it: the campaign's policy or an agent on demand. */
  startedBy: z.enum(['policy', 'agent']),
})
export type Recording = z.infer<typeof Recording>
