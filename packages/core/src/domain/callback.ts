import { z } from 'zod'
import { EntityBase, Timestamp, TimeZone } from './common.js'
import { AgentId, CallbackId, CampaignId, ContactId } from './ids.js'
import { Text } from './text.js'

/**
 * What happens to a callback booked for one agent when that agent is not
 * logged in when it falls due: `wait` for them, or give it to `anyone`.
 */
export const CallbackAgentPolicy = z.enum(['wait', 'anyone'])
export type CallbackAgentPolicy = z.infer<typeof CallbackAgentPolicy>

/** A wall-clock time without a zone, `YYYY-MM-DDTHH:mm`, as a person books it. */
export const LocalDateTime = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/, 'must be a local time YYYY-MM-DDTHH:mm such as 2026-03-11T15:30')

/** `scheduled` until the runner takes it (`dialing`), then `done`; or `missed`, `cancelled`. */
export const CallbackStatus = z.enum(['scheduled', 'dialing', 'done', 'missed', 'cancelled'])
export type CallbackStatus = z.infer<typeof CallbackStatus>

/** A call booked for a time in the contact's zone, for one agent or for any. */
export const Callback = EntityBase.extend({
  id: CallbackId,
  contactId: ContactId,
  campaignId: CampaignId,
  /** Absent: any agent of the campaign may take it. */
  agentId: AgentId.optional(),
  /** When it is due (the instant of `localTime` in `timeZone`). */
  dueAt: Timestamp,
  /** The contact's zone the time was booked in. */
  timeZone: TimeZone,
  /** The wall-clock time as booked, `YYYY-MM-DDTHH:mm` in `timeZone` (kept as the person typed it). */
  localTime: LocalDateTime,
  ifAgentAway: CallbackAgentPolicy,
  status: CallbackStatus,
  note: Text.long.optional(),
})
export type Callback = z.infer<typeof Callback>

/**
 * What an agent books: a wall-clock time in the contact's zone (`localTime`,
 * `2026-03-11T15:30`) or an instant (`dueAt`); for themself (`agentId`) or for
 * any agent of the campaign.
 */
export const CallbackInput = z
  .strictObject({
    contactId: ContactId,
    campaignId: CampaignId,
    agentId: AgentId.optional(),
    localTime: LocalDateTime.optional(),
    dueAt: Timestamp.optional(),
    /** The zone of `localTime` (default: the contact's). */
    timeZone: TimeZone.optional(),
    ifAgentAway: CallbackAgentPolicy.default('anyone'),
    note: Text.long.optional(),
  })
  .refine((c) => (c.localTime === undefined) !== (c.dueAt === undefined), {
    message: 'give exactly one of localTime (in the contact zone) or dueAt (an instant)',
    path: ['localTime'],
  })
export type CallbackInput = z.input<typeof CallbackInput>

/** Moving a callback: a new time (local or instant), a new agent, a new note. */
export const CallbackMove = z
  .strictObject({
    localTime: LocalDateTime.optional(),
    dueAt: Timestamp.optional(),
    agentId: AgentId.nullable().optional(),
    ifAgentAway: CallbackAgentPolicy.optional(),
    note: Text.long.optional(),
  })
  .refine((c) => !(c.localTime !== undefined && c.dueAt !== undefined), {
    message: 'give localTime or dueAt, not both',
    path: ['localTime'],
  })
export type CallbackMove = z.input<typeof CallbackMove>
