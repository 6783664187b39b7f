/** Regulatory regimes: configuration of a campaign, never constants. */

export type AbandonmentFormula = 'US' | 'UK'

export interface AbandonmentRule {
  /** US: abandoned / person-answered. UK: (abandoned + estimated machine-detection false positives) / (live + those). */
  readonly formula: AbandonmentFormula
  /** The limit, as a share (0.03 = 3%). */
  readonly limit: number
  /** The window the limit applies over, in hours (US: 720 = 30 days or the campaign; UK: 24). */
  readonly windowHours: number
  /** A person not connected to an agent within this many seconds is abandoned. */
  readonly maxWaitSeconds: number
  /** Estimated share of people that answering-machine detection takes for machines. */
  readonly amdFalsePositiveRate: number
}

/** A calling window in the contact's local time. `days`: 0 = Sunday ... 6 = Saturday. */
export interface CallingWindow {
  readonly days: readonly number[]
  /** "HH:MM", inclusive. */
  readonly start: string
  /** "HH:MM", exclusive. */
  readonly end: string
}

export interface RetryRule {
  /** Maximum attempts that may end with this disposition before the contact is not retried. */
  readonly maxAttempts: number
  /** Minimum delay before the next attempt after this disposition, in minutes. */
  readonly retryAfterMinutes: number
}

export interface Regime {
  readonly name: string
  readonly abandonment: AbandonmentRule
  readonly callingWindows: readonly CallingWindow[]
  /** Local dates ("YYYY-MM-DD") on which no call is placed. */
  readonly holidays: readonly string[]
  /** Hours during which a contact whose call was abandoned may not be called again (UK: 72). */
  readonly noRecallAfterAbandonHours: number
  /** Minimum ring time before giving up (US: 15 s). */
  readonly minRingSeconds: number
  /** Maximum attempts per contact over the campaign. */
  readonly maxAttempts: number
  /** Retry rules per disposition code. Dispositions without a rule use `defaultRetry`. */
  readonly retry: Readonly<Record<string, RetryRule>>
  readonly defaultRetry: RetryRule
}

const WEEK = [0, 1, 2, 3, 4, 5, 6]
const WEEKDAYS = [1, 2, 3, 4, 5]

const commonRetry: Readonly<Record<string, RetryRule>> = {
  noAnswer: { maxAttempts: 6, retryAfterMinutes: 120 },
  busy: { maxAttempts: 6, retryAfterMinutes: 15 },
  machine: { maxAttempts: 4, retryAfterMinutes: 240 },
  abandoned: { maxAttempts: 2, retryAfterMinutes: 60 },
  callback: { maxAttempts: 10, retryAfterMinutes: 0 },
}

export const US_REGIME: Regime = {
  name: 'US',
  abandonment: {
    formula: 'US',
    limit: 0.03,
    windowHours: 720,
    maxWaitSeconds: 2,
    amdFalsePositiveRate: 0.03,
  },
  callingWindows: [{ days: WEEK, start: '08:00', end: '21:00' }],
  holidays: [],
  noRecallAfterAbandonHours: 0,
  minRingSeconds: 15,
  maxAttempts: 10,
  retry: commonRetry,
  defaultRetry: { maxAttempts: 6, retryAfterMinutes: 60 },
}

/** UK (Ofcom): 3% over any 24 hours, no re-call within 72 h of an abandoned call. */
export const UK_REGIME: Regime = {
  ...US_REGIME,
  name: 'UK',
  abandonment: { ...US_REGIME.abandonment, formula: 'UK', windowHours: 24 },
  noRecallAfterAbandonHours: 72,
}

/** Spain: the US-style count, but 09:00-21:00 on weekdays only (add the year's holidays). */
export const ES_REGIME: Regime = {
  ...US_REGIME,
  name: 'ES',
  callingWindows: [{ days: WEEKDAYS, start: '09:00', end: '21:00' }],
}

/** A copy of a regime with some fields replaced (for example a stricter state's window or a lower target). */
export function withRegime(
  base: Regime,
  patch: Partial<Regime> & { abandonment?: Partial<AbandonmentRule> },
): Regime {
  return { ...base, ...patch, abandonment: { ...base.abandonment, ...patch.abandonment } }
}
