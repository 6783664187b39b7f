import { z } from 'zod'
import { E164, EntityBase } from './common.js'
import { CampaignId } from './ids.js'

export const DialMode = z.discriminatedUnion('mode', [
  z.object({ mode: z.literal('preview') }),
  z.object({ mode: z.literal('progressive') }),
  z.object({ mode: z.literal('power'), linesPerAgent: z.number().min(1).max(10) }),
  z.object({ mode: z.literal('predictive') }),
])
export type DialMode = z.infer<typeof DialMode>

const HHMM = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'must be a time of day HH:MM')

/** A span of local time on some weekdays (0 = Sunday) during which calls may be placed. */
export const CallingWindow = z.object({
  days: z.array(z.number().int().min(0).max(6)).min(1),
  start: HHMM,
  end: HHMM,
})
export type CallingWindow = z.infer<typeof CallingWindow>

/**
 * The rules a campaign runs under. Presets exist for US, UK and ES
 * (see `regimes`); every figure is configuration, not a constant.
 */
export const Regime = z.object({
  name: z.string(),
  windows: z.array(CallingWindow),
  /** Local dates (YYYY-MM-DD) on which no call is placed. */
  holidays: z.array(z.string().regex(/^\d{4}-\d{2}-\d{2}$/)).default([]),
  abandonment: z.object({
    target: z.number().min(0).max(0.2),
    window: z.enum(['campaign', '30d', '24h']),
    formula: z.enum(['us', 'uk']),
  }),
  /** Hours during which a contact whose call was abandoned may not be called again. */
  noRecallAfterAbandonHours: z.number().nonnegative().default(0),
  /** Whether a call needs a recorded opt-in for the purpose, rather than the absence of an opt-out. */
  requiresOptIn: z.boolean(),
})
export type Regime = z.infer<typeof Regime>

export const RetryRule = z.object({
  /** A disposition category or code this rule applies to. */
  match: z.string(),
  delayMinutes: z.number().nonnegative(),
  maxAttempts: z.number().int().positive().optional(),
})
export type RetryRule = z.infer<typeof RetryRule>

export const ListSource = z.discriminatedUnion('type', [
  z.object({ type: z.literal('segment'), segment: z.string() }),
  z.object({ type: z.literal('list'), listId: z.string() }),
])

export const Campaign = EntityBase.extend({
  id: CampaignId,
  name: z.string().min(1),
  kind: z.enum(['telemarketing', 'collections', 'survey', 'marketing', 'service']),
  dialMode: DialMode,
  listSources: z.array(ListSource),
  regime: Regime,
  attempts: z.object({ max: z.number().int().positive(), retry: z.array(RetryRule) }),
  dispositionCodes: z.array(z.string()),
  /** The consent purpose contacts must allow (e.g. "marketing", "collections"). */
  consentPurpose: z.string(),
  callerId: E164.optional(),
  answeringMachine: z.enum(['disabled', 'hangup', 'leave_message', 'connect_agent']),
  abandonMessage: z.string().optional(),
  status: z.enum(['draft', 'active', 'paused', 'completed']),
})
export type Campaign = z.infer<typeof Campaign>

export const CampaignInput = Campaign.omit({ id: true, tenantId: true, createdAt: true, updatedAt: true })
  .partial({
    status: true,
    listSources: true,
    dispositionCodes: true,
    answeringMachine: true,
    attempts: true,
  })
  .extend({ regime: z.union([z.enum(['US', 'UK', 'ES']), Regime]) })
export type CampaignInput = z.input<typeof CampaignInput>
