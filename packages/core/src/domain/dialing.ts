import { z } from 'zod'
import { hours, minutes, Seconds } from './time.js'

/** How a campaign paces its calls. */
export const DialModeName = z.enum(['preview', 'progressive', 'power', 'predictive'])
export type DialModeName = z.infer<typeof DialModeName>

/** A campaign's dial mode with its settings (power dials a fixed number of lines per agent). */
export const DialMode = z.discriminatedUnion('mode', [
  z.strictObject({ mode: z.literal('preview'), previewSec: Seconds.default(0) }),
  z.strictObject({ mode: z.literal('progressive') }),
  z.strictObject({ mode: z.literal('power'), linesPerAgent: z.number().min(1).max(10) }),
  z.strictObject({ mode: z.literal('predictive') }),
])
export type DialMode = z.infer<typeof DialMode>

/**
 * An agent's state, as agent sessions record it and the pacer reads it:
 * `reserved` is held for a call about to reach them (a preview, a callback),
 * `on_call` talks, `wrap_up` codes the call just ended.
 */
export const AgentState = z.enum(['offline', 'available', 'reserved', 'on_call', 'wrap_up', 'paused'])
export type AgentState = z.infer<typeof AgentState>

/**
 * What became of a dial: a person or a machine answered, nobody answered,
 * the line was busy, or the call failed (rejected, unreachable). One spelling
 * in every package.
 */
export const DialOutcome = z.enum(['person', 'machine', 'no_answer', 'busy', 'failed'])
export type DialOutcome = z.infer<typeof DialOutcome>

/**
 * A call in flight as the pacer sees it: `ringing` (launched, not answered),
 * `detecting` (answered, answering-machine detection running) or `waiting`
 * (a person answered and waits for an agent, at most the regime's maxWaitSec).
 */
export const CallPhase = z.enum(['ringing', 'detecting', 'waiting'])
export type CallPhase = z.infer<typeof CallPhase>

/**
 * When a contact may be called again after an attempt that ended a certain
 * way. `match` is a disposition category (`no_answer`, `busy`, `machine`,
 * `abandoned`, `callback`...) or a disposition code of the campaign's set.
 */
export const RetryRule = z.strictObject({
  match: z.string().min(1).max(64),
  /** Minimum delay before the next attempt, in seconds. */
  retryAfterSec: Seconds,
  /** Attempts that may end this way before the contact is not retried (absent: only the campaign's max). */
  maxAttempts: z.number().int().positive().optional(),
})
export type RetryRule = z.infer<typeof RetryRule>

/** Retry rules a campaign starts with unless it sets its own. */
export const DEFAULT_RETRY_RULES: ReadonlyArray<RetryRule> = [
  { match: 'no_answer', retryAfterSec: hours(2), maxAttempts: 6 },
  { match: 'busy', retryAfterSec: minutes(15), maxAttempts: 6 },
  { match: 'machine', retryAfterSec: hours(4), maxAttempts: 4 },
  { match: 'abandoned', retryAfterSec: hours(1), maxAttempts: 2 },
  { match: 'callback', retryAfterSec: 0, maxAttempts: 10 },
]

/** Attempt limits of a campaign: the total, per-disposition rules, and the delay when no rule matches. */
export const CampaignAttempts = z.strictObject({
  max: z.number().int().positive().max(100),
  retry: z.array(RetryRule).default([...DEFAULT_RETRY_RULES]),
  defaultRetryAfterSec: Seconds.default(hours(1)),
})
export type CampaignAttempts = z.infer<typeof CampaignAttempts>

/** One earlier attempt at a contact, for the attempt and retry rules. */
export interface AttemptRecord {
  readonly at: Date
  /** The disposition code of the attempt, or its category. */
  readonly disposition: string
  /** The disposition's category, when the code is one of the campaign's own. */
  readonly category?: string
}

export const AnsweringMachinePolicy = z.enum(['disabled', 'hangup', 'leave_message', 'connect_agent'])
export type AnsweringMachinePolicy = z.infer<typeof AnsweringMachinePolicy>

/**
 * The delay before the next attempt after an attempt that ended with this
 * code (its category otherwise), in seconds: the campaign's rule for the code,
 * else for the category, else its default.
 */
export function retryDelayFor(attempts: CampaignAttempts, code: string, category?: string): number {
  const rule =
    attempts.retry.find((r) => r.match === code) ?? attempts.retry.find((r) => r.match === category)
  return rule?.retryAfterSec ?? attempts.defaultRetryAfterSec
}
