import { z } from 'zod'
import { Channel, EntityBase, Money } from './common.js'
import { AgentId, CampaignId, CaseId, ContactId, InteractionId, RecordingId } from './ids.js'

export const Direction = z.enum(['inbound', 'outbound', 'internal'])
export type Direction = z.infer<typeof Direction>

/** Seconds spent in each phase of a voice or video touchpoint. */
export const Durations = z.object({
  ringSec: z.number().nonnegative().default(0),
  talkSec: z.number().nonnegative().default(0),
  holdSec: z.number().nonnegative().default(0),
  wrapSec: z.number().nonnegative().default(0),
})
export type Durations = z.infer<typeof Durations>

/** One touchpoint on a contact's unified timeline, any channel. */
export const Interaction = EntityBase.extend({
  id: InteractionId,
  contactId: ContactId,
  channel: Channel,
  direction: Direction,
  agentId: AgentId.optional(),
  campaignId: CampaignId.optional(),
  caseId: CaseId.optional(),
  startedAt: z.date(),
  endedAt: z.date().optional(),
  durations: Durations,
  /** Disposition code (from the campaign's set) that closed the conversation. */
  disposition: z.string().optional(),
  recordingIds: z.array(RecordingId),
  outcomeValue: Money.optional(),
  subject: z.string().optional(),
  body: z.string().optional(),
  /** Telephony call id, to join with the contact center's call events. */
  callId: z.string().optional(),
})
export type Interaction = z.infer<typeof Interaction>

export const InteractionInput = Interaction.omit({
  id: true,
  tenantId: true,
  createdAt: true,
  updatedAt: true,
  durations: true,
  recordingIds: true,
  startedAt: true,
}).extend({
  startedAt: z.date().optional(),
  durations: Durations.partial().optional(),
  recordingIds: z.array(z.string()).optional(),
})
export type InteractionInput = z.input<typeof InteractionInput>
