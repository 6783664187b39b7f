import { z } from 'zod'
import { Timestamp } from '../domain/common.js'
import { AgentId, ContactId, InteractionId, ScriptRunId, TenantId } from '../domain/ids.js'
import { CallScript } from './script.js'

/** A saved version of a call script: versions are never edited, a change is the next version. */
export const StoredScript = CallScript.extend({
  tenantId: TenantId,
  savedAt: Timestamp,
})
export type StoredScript = z.infer<typeof StoredScript>

const Answer = z.union([z.string(), z.number(), z.boolean()])

/** A script run as recorded on an interaction: checked against the script's version when it was recorded. */
export const RecordedScriptRun = z.object({
  tenantId: TenantId,
  id: ScriptRunId,
  interactionId: InteractionId,
  contactId: ContactId,
  agentId: AgentId.optional(),
  scriptId: z.string(),
  scriptVersion: z.number().int().positive(),
  path: z.array(z.string()),
  answers: z.record(z.string(), Answer),
  /** Whether the run reached an end node (a run may be recorded part way, abandoned). */
  finished: z.boolean(),
  /** The end node's outcome: contact fields set (path -> value) and a disposition code suggested. */
  outcome: z
    .object({
      endNode: z.string(),
      setFields: z.record(z.string(), Answer),
      disposition: z.string().optional(),
    })
    .optional(),
  recordedAt: Timestamp,
})
export type RecordedScriptRun = z.infer<typeof RecordedScriptRun>
