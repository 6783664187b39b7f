import {
  Agent,
  AgentSession,
  AgentStateChange,
  Callback,
  Campaign,
  Case,
  ConsentPurpose,
  ConsentRecord,
  Contact,
  DispositionCode,
  DoNotCallEntry,
  Interaction,
  Recording,
  Rule,
  RuleFiring,
  StoredEvent,
  storageFailure,
} from '@switchboard/core'
import type { z } from 'zod'

/** JSON text (SQLite, a text column) or an already-parsed value (PostgreSQL jsonb). */
const parseJson = (data: unknown): unknown => (typeof data === 'string' ? JSON.parse(data) : data)

/**
 * A stored row's JSON, decoded through the domain's own schema (which turns
 * ISO timestamps back into Dates). A row that does not match is a
 * non-retryable StorageFailure naming the table and the id, never a wrongly
 * typed object handed to the domain.
 */
export function decoder<S extends z.ZodType>(table: string, schema: S): (data: unknown) => z.output<S> {
  return (data) => {
    let json: unknown
    try {
      json = parseJson(data)
    } catch (cause) {
      throw storageFailure(
        `decode ${table}`,
        new Error(`a row of ${table} holds text that is not JSON`, { cause }),
      )
    }
    const r = schema.safeParse(json)
    if (r.success) return r.data
    const o = json as { id?: unknown; key?: unknown; sessionId?: unknown; seq?: unknown } | null
    const id =
      o?.id ?? o?.key ?? (o?.sessionId !== undefined ? `${String(o.sessionId)}#${String(o?.seq)}` : undefined)
    const first = r.error.issues[0]
    throw storageFailure(
      `decode ${table}`,
      new Error(
        `row ${String(id)} of ${table} does not match the schema (${first?.path.join('.') || '(root)'}: ${first?.message}); it was written by something other than Switchboard, or by an incompatible version`,
      ),
      false,
    )
  }
}

export const decode = {
  contact: decoder('contacts', Contact),
  interaction: decoder('interactions', Interaction),
  consent: decoder('consent_records', ConsentRecord),
  dnc: decoder('dnc_entries', DoNotCallEntry),
  campaign: decoder('campaigns', Campaign),
  case: decoder('cases', Case),
  agent: decoder('agents', Agent),
  purpose: decoder('consent_purposes', ConsentPurpose),
  rule: decoder('rules', Rule),
  firing: decoder('rule_firings', RuleFiring),
  event: decoder('events', StoredEvent),
  disposition: decoder('disposition_codes', DispositionCode),
  callback: decoder('callbacks', Callback),
  recording: decoder('recordings', Recording),
  agentSession: decoder('agent_sessions', AgentSession),
  agentState: decoder('agent_state_changes', AgentStateChange),
}
