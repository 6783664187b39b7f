import { z } from 'zod'
import { EntityBase, Timestamp } from './common.js'
import { ContactId, InteractionId, RecordingId } from './ids.js'

/** Audio of a call (or part of it, when started and stopped on demand). */
export const Recording = EntityBase.extend({
  id: RecordingId,
  interactionId: InteractionId,
  contactId: ContactId,
  uri: z.string().min(1),
  format: z.string().min(1),
  startedAt: Timestamp,
  endedAt: Timestamp.optional(),
  durationSec: z.number().nonnegative().optional(),
})
export type Recording = z.infer<typeof Recording>
