import { z } from 'zod'
import { EntityBase, Timestamp, TimeZone } from './common.js'
import { AgentId, CallbackId, CampaignId, ContactId } from './ids.js'
import { Text } from './text.js'

/** A call booked for a time in the contact's zone, for one agent or for any. */
export const Callback = EntityBase.extend({
  id: CallbackId,
  contactId: ContactId,
  campaignId: CampaignId.optional(),
  /** Absent: any agent of the campaign may take it. */
  agentId: AgentId.optional(),
  dueAt: Timestamp,
  timeZone: TimeZone,
  status: z.enum(['scheduled', 'done', 'missed', 'cancelled']),
  note: Text.long.optional(),
})
export type Callback = z.infer<typeof Callback>
