import { z } from 'zod'
import { Channel, EntityBase, Money, Timestamp } from './common.js'
import { AgentId, CampaignId, CaseId, ContactId, InteractionId, RecordingId } from './ids.js'
import { Text } from './text.js'
import { Seconds } from './time.js'

export const Direction = z.enum(['inbound', 'outbound', 'internal'])
export type Direction = z.infer<typeof Direction>

/** Seconds spent in each phase of a voice or video touchpoint. */
export const Durations = z.strictObject({
  ringSec: Seconds.default(0),
  talkSec: Seconds.default(0),
  holdSec: Seconds.default(0),
  wrapSec: Seconds.default(0),
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
  startedAt: Timestamp,
  endedAt: Timestamp.optional(),
  durations: Durations,
  /** Disposition code (from the campaign's set) that closed the conversation. */
  disposition: z.string().min(1).max(32).optional(),
  recordingIds: z.array(RecordingId),
  outcomeValue: Money.optional(),
  subject: Text.short.optional(),
  /** Notes or the message body, exactly as written (white space kept). */
  body: Text.long.optional(),
  /** Telephony call id, to join with the contact center's call events. */
  callId: z.string().min(1).max(256).optional(),
  /** The dialing list (a segment id or an import's list id) the campaign's lead came from. */
  listId: z.string().min(1).max(128).optional(),
})
export type Interaction = z.infer<typeof Interaction>

export const InteractionInput = z
  .strictObject({
    contactId: ContactId,
    channel: Channel,
    direction: Direction,
    agentId: AgentId.optional(),
    /** Must be a campaign of this tenant. */
    campaignId: CampaignId.optional(),
    /** Must be a case of this tenant, of the same contact. */
    caseId: CaseId.optional(),
    /** Default: now. */
    startedAt: Timestamp.optional(),
    endedAt: Timestamp.optional(),
    durations: Durations.partial().optional(),
    disposition: z.string().min(1).max(32).optional(),
    recordingIds: z.array(RecordingId).max(100).optional(),
    outcomeValue: Money.optional(),
    subject: Text.short.optional(),
    body: Text.long.optional(),
    callId: z.string().min(1).max(256).optional(),
  })
  .refine((i) => !i.endedAt || !i.startedAt || i.endedAt >= i.startedAt, {
    message: 'must not be before startedAt',
    path: ['endedAt'],
  })
export type InteractionInput = z.input<typeof InteractionInput>
