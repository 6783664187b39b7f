import { z } from 'zod'

// Branded ids: a ContactId cannot be passed where a CaseId is expected.
const id = <B extends string>(brand: B) => z.string().min(1).max(128).describe(brand).brand<B>()

export const TenantId = id('TenantId')
export type TenantId = z.infer<typeof TenantId>
export const ContactId = id('ContactId')
export type ContactId = z.infer<typeof ContactId>
export const InteractionId = id('InteractionId')
export type InteractionId = z.infer<typeof InteractionId>
export const CampaignId = id('CampaignId')
export type CampaignId = z.infer<typeof CampaignId>
export const ConsentRecordId = id('ConsentRecordId')
export type ConsentRecordId = z.infer<typeof ConsentRecordId>
export const DoNotCallId = id('DoNotCallId')
export type DoNotCallId = z.infer<typeof DoNotCallId>
export const CaseId = id('CaseId')
export type CaseId = z.infer<typeof CaseId>
export const EscalationTierId = id('EscalationTierId')
export type EscalationTierId = z.infer<typeof EscalationTierId>
export const DispositionCodeId = id('DispositionCodeId')
export type DispositionCodeId = z.infer<typeof DispositionCodeId>
export const CallbackId = id('CallbackId')
export type CallbackId = z.infer<typeof CallbackId>
export const AgentId = id('AgentId')
export type AgentId = z.infer<typeof AgentId>
export const QueueId = id('QueueId')
export type QueueId = z.infer<typeof QueueId>
export const SkillId = id('SkillId')
export type SkillId = z.infer<typeof SkillId>
export const RecordingId = id('RecordingId')
export type RecordingId = z.infer<typeof RecordingId>
export const SegmentId = id('SegmentId')
export type SegmentId = z.infer<typeof SegmentId>
export const RuleId = id('RuleId')
export type RuleId = z.infer<typeof RuleId>
export const EventId = id('EventId')
export type EventId = z.infer<typeof EventId>
export const RuleFiringId = id('RuleFiringId')
export type RuleFiringId = z.infer<typeof RuleFiringId>
export const AgentSessionId = id('AgentSessionId')
export type AgentSessionId = z.infer<typeof AgentSessionId>
export const ConsentDecisionId = id('ConsentDecisionId')
export type ConsentDecisionId = z.infer<typeof ConsentDecisionId>
export const ScriptRunId = id('ScriptRunId')
export type ScriptRunId = z.infer<typeof ScriptRunId>
export const IdentityCheckId = id('IdentityCheckId')
export type IdentityCheckId = z.infer<typeof IdentityCheckId>

const prefixes = {
  ContactId: 'ct',
  InteractionId: 'in',
  CampaignId: 'cp',
  ConsentRecordId: 'co',
  DoNotCallId: 'dn',
  CaseId: 'cs',
  EscalationTierId: 'tr',
  DispositionCodeId: 'dc',
  CallbackId: 'cb',
  AgentId: 'ag',
  QueueId: 'qu',
  SkillId: 'sk',
  RecordingId: 'rc',
  SegmentId: 'sg',
  RuleId: 'ru',
  EventId: 'ev',
  RuleFiringId: 'rf',
  AgentSessionId: 'as',
  ConsentDecisionId: 'cd',
  ScriptRunId: 'sr',
  IdentityCheckId: 'ic',
} as const

export type IdKind = keyof typeof prefixes

/**
 * Time-ordered ids (UUIDv7 layout, hex): sorting ids sorts by creation time,
 * within a millisecond too, which keeps B-tree inserts append-only and makes
 * ids usable as pagination cursors. The 12 bits after the timestamp are a
 * counter (RFC 9562, method 1): several ids in one millisecond increase, and
 * when the counter runs out the timestamp is advanced by one. Randomness comes
 * from Web Crypto, so ids can be made in a browser too.
 */
const pool = new Uint8Array(4096)
let offset = pool.length
let lastMs = 0
let counter = 0

const hex = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'))

export function newId<K extends IdKind>(kind: K): string & z.BRAND<K> {
  if (offset + 10 > pool.length) {
    globalThis.crypto.getRandomValues(pool)
    offset = 0
  }
  let ms = Date.now()
  if (ms <= lastMs) {
    ms = lastMs
    counter++
    if (counter > 0xfff) {
      ms = ++lastMs
      counter = 0
    }
  } else {
    lastMs = ms
    // Start low in the range so that a burst has room to count up.
    counter = pool[offset]! & 0x3f
  }
  let out = `${prefixes[kind]}_`
  for (let shift = 40; shift >= 0; shift -= 8) out += hex[Math.floor(ms / 2 ** shift) & 0xff]
  out += hex[0x70 | (counter >> 8)]! + hex[counter & 0xff]!
  out += hex[(pool[offset + 1]! & 0x3f) | 0x80]
  for (let i = 2; i < 9; i++) out += hex[pool[offset + i]!]
  offset += 9
  return out as string & z.BRAND<K>
}
