import { randomBytes } from 'node:crypto'
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
} as const

export type IdKind = keyof typeof prefixes

/**
 * Time-ordered ids (UUIDv7 layout, hex): sorting ids sorts by creation time, which
 * keeps B-tree inserts append-only and makes ids usable as pagination cursors.
 */
// Random bytes are drawn 4 KiB at a time: one system call per 256 ids.
let pool = randomBytes(4096)
let offset = 0

export function newId<K extends IdKind>(kind: K): string & z.BRAND<K> {
  if (offset + 16 > pool.length) {
    pool = randomBytes(4096)
    offset = 0
  }
  const bytes = Buffer.from(pool.subarray(offset, offset + 16))
  offset += 16
  const ms = Date.now()
  bytes.writeUIntBE(ms, 0, 6)
  bytes[6] = (bytes[6]! & 0x0f) | 0x70
  bytes[8] = (bytes[8]! & 0x3f) | 0x80
  return `${prefixes[kind]}_${bytes.toString('hex')}` as string & z.BRAND<K>
}
