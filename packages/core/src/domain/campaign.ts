import { z } from 'zod'
import { E164, EntityBase } from './common.js'
import { AnsweringMachinePolicy, CampaignAttempts, DialMode } from './dialing.js'
import { CampaignId } from './ids.js'
import { PurposeName } from './purpose.js'
import { RecordingPolicy } from './recording.js'
import { Regime, RegimeName } from './regime.js'
import { Text } from './text.js'
import { Seconds } from './time.js'

export const ListSource = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('segment'), segment: z.string().min(1).max(128) }),
  z.strictObject({ type: z.literal('list'), listId: z.string().min(1).max(128) }),
])
export type ListSource = z.infer<typeof ListSource>

export const CampaignKind = z.enum(['telemarketing', 'collections', 'survey', 'marketing', 'service'])

/**
 * A campaign's lifecycle. `completed` is final; each change is an event
 * (`campaign.status_changed`).
 */
export const CampaignStatus = z.enum(['draft', 'active', 'paused', 'completed'])
export type CampaignStatus = z.infer<typeof CampaignStatus>

/** Which status may follow which. */
export const CAMPAIGN_TRANSITIONS: Readonly<Record<CampaignStatus, ReadonlyArray<CampaignStatus>>> = {
  draft: ['active', 'completed'],
  active: ['paused', 'completed'],
  paused: ['active', 'completed'],
  completed: [],
}

export const Campaign = EntityBase.extend({
  id: CampaignId,
  name: Text.requiredName,
  kind: CampaignKind,
  dialMode: DialMode,
  listSources: z.array(ListSource),
  regime: Regime,
  attempts: CampaignAttempts,
  /** Codes of the campaign's disposition set. */
  dispositionCodes: z.array(z.string().min(1).max(32)),
  /** The consent purpose contacts must allow: one of the tenant's declared purposes. */
  consentPurpose: PurposeName,
  callerId: E164.optional(),
  answeringMachine: AnsweringMachinePolicy,
  /** The abandoned-call message (a media reference the telephony backend plays). */
  abandonMessage: Text.short.optional(),
  recording: RecordingPolicy.default('never'),
  /** The time an agent has to code a call after it ends, in seconds; then the runner codes it WRAP_TIMEOUT. */
  wrapUpSec: Seconds.default(60),
  /** The call script shown on the screen pop (a reference the host resolves, or the text itself). */
  script: Text.long.optional(),
  status: CampaignStatus,
})
export type Campaign = z.infer<typeof Campaign>

/**
 * What a host gives to create a campaign. `regime` is a preset name (`'US'`,
 * `'UK'`, `'ES'`) or a full regime; a new campaign starts as a draft.
 */
export const CampaignInput = z.strictObject({
  name: Text.requiredName,
  kind: CampaignKind,
  dialMode: DialMode,
  listSources: z.array(ListSource).default([]),
  regime: z.union([RegimeName, Regime], {
    error: 'must be a preset name (US, UK, ES) or a regime object (see regimes.US for its shape)',
  }),
  attempts: CampaignAttempts.prefault({ max: 3 }),
  dispositionCodes: z.array(z.string().min(1).max(32)).default([]),
  consentPurpose: PurposeName,
  callerId: E164.optional(),
  answeringMachine: AnsweringMachinePolicy.default('hangup'),
  abandonMessage: Text.short.optional(),
  recording: RecordingPolicy.default('never'),
  wrapUpSec: Seconds.max(3600).default(60),
  script: Text.long.optional(),
})
export type CampaignInput = z.input<typeof CampaignInput>
