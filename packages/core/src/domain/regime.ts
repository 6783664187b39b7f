import { z } from 'zod'
import { LocalDate } from './common.js'
import { issuesFromZod, validationFailed } from './errors.js'
import { Text } from './text.js'
import { days, hours, type LocalTime, Seconds } from './time.js'

const HHMM = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'must be a time of day HH:MM (00:00-23:59)')
const toMinutes = (hhmm: string) => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5))

/**
 * A span of local time on some weekdays (0 = Sunday) during which calls may
 * be placed: `start` inclusive, `end` exclusive, `start` before `end` (a
 * window across midnight, 21:00-09:00, is two windows).
 */
export const CallingWindow = z
  .strictObject({
    days: z
      .array(z.number().int().min(0).max(6))
      .min(1)
      .refine((d) => new Set(d).size === d.length, 'lists a weekday twice'),
    start: HHMM,
    end: HHMM,
  })
  .refine((w) => toMinutes(w.start) < toMinutes(w.end), {
    message: 'start must be before end (a window across midnight is two windows)',
    path: ['end'],
  })
export type CallingWindow = z.infer<typeof CallingWindow>

/** Whether a local time falls in one of the windows (holidays are checked apart). */
export function insideWindows(t: LocalTime, windows: ReadonlyArray<CallingWindow>): boolean {
  return windows.some(
    (w) => w.days.includes(t.weekday) && t.minutes >= toMinutes(w.start) && t.minutes < toMinutes(w.end),
  )
}

/**
 * How abandoned calls are counted and limited.
 * - `us` (FTC/FCC): abandoned / person-answered calls.
 * - `uk` (Ofcom): (abandoned + estimated answering-machine-detection false
 *   positives) / (live calls + those false positives).
 */
export const AbandonmentRule = z.strictObject({
  formula: z.enum(['us', 'uk']),
  /** The limit, as a share (0.03 = 3%). */
  limit: z.number().min(0).max(0.2),
  /** The period the limit applies over (US: 30 days or the campaign; UK: any 24 hours). */
  windowSec: Seconds.positive(),
  /** A person not connected to an agent within this many seconds of their greeting is abandoned (2 s). */
  maxWaitSec: Seconds,
  /** Estimated share of people that answering-machine detection takes for machines (counted as abandoned). */
  amdFalsePositiveRate: z.number().min(0).max(1),
})
export type AbandonmentRule = z.infer<typeof AbandonmentRule>

/**
 * The rules a campaign runs under. Every figure is configuration, not a
 * constant; presets exist for the US, the UK and Spain (`regimes`). The one
 * `Regime` of every package: core's consent decision and the dialer's guard
 * and pacing read the same object.
 */
export const Regime = z.strictObject({
  name: Text.requiredName,
  /** Local windows in the contact's zone during which calls may be placed. */
  callingWindows: z.array(CallingWindow).min(1),
  /** Local dates on which no call is placed. */
  holidays: z.array(LocalDate).default([]),
  /**
   * Public holidays of a place (date-holidays: national, or a region such as
   * `{ country: 'ES', region: 'MD' }`), kept on top of `holidays` by `canContact`.
   */
  publicHolidays: z
    .strictObject({
      country: z.string().regex(/^[A-Z]{2}$/, 'must be an ISO 3166-1 alpha-2 code such as "ES"'),
      region: z.string().min(1).max(8).optional(),
    })
    .optional(),
  abandonment: AbandonmentRule,
  /** How long a contact whose call was abandoned may not be called again (UK: 72 h); 0 for none. */
  noRecallAfterAbandonSec: Seconds.default(0),
  /** Minimum ring time before giving up on a call (US: 15 s). */
  minRingSec: Seconds.default(15),
  /** Whether a call needs a recorded opt-in for the purpose, rather than the absence of an opt-out. */
  requiresOptIn: z.boolean().default(false),
})
export type Regime = z.infer<typeof Regime>
export type RegimeInput = z.input<typeof Regime>

export const RegimeName = z.enum(['US', 'UK', 'ES'])
export type RegimeName = z.infer<typeof RegimeName>

const EVERY_DAY = [0, 1, 2, 3, 4, 5, 6]
const WEEKDAYS = [1, 2, 3, 4, 5]

const US: Regime = {
  name: 'US',
  callingWindows: [{ days: EVERY_DAY, start: '08:00', end: '21:00' }],
  holidays: [],
  abandonment: { formula: 'us', limit: 0.03, windowSec: days(30), maxWaitSec: 2, amdFalsePositiveRate: 0.03 },
  noRecallAfterAbandonSec: 0,
  minRingSec: 15,
  requiresOptIn: false,
}

/**
 * Presets from the regulations (DIALER.md). They are starting points: copy
 * and adjust them with `withRegime` (stricter state hours, regional holidays,
 * a lower target).
 *
 * @example
 * ```ts
 * import { regimes, withRegime } from '@switchboard/core/domain'
 * const florida = withRegime(regimes.US, {
 *   name: 'US-FL',
 *   callingWindows: [{ days: [1, 2, 3, 4, 5, 6], start: '08:00', end: '20:00' }],
 *   abandonment: { limit: 0.02 },
 * })
 * ```
 */
export const regimes: Readonly<Record<RegimeName, Regime>> = {
  /** FTC TSR / FCC TCPA: 08:00-21:00 local, 3% of person-answered calls over 30 days. */
  US,
  /** Ofcom: 3% of live calls over any 24 hours (aim lower), no re-call within 72 h of an abandoned call. */
  UK: {
    ...US,
    name: 'UK',
    abandonment: { ...US.abandonment, formula: 'uk', windowSec: hours(24) },
    noRecallAfterAbandonSec: hours(72),
  },
  /**
   * Spain: prior consent, 09:00-21:00 on weekdays, never on a national public
   * holiday (from date-holidays; set `publicHolidays.region` for a community's own).
   */
  ES: {
    ...US,
    name: 'ES',
    callingWindows: [{ days: WEEKDAYS, start: '09:00', end: '21:00' }],
    publicHolidays: { country: 'ES' },
    requiresOptIn: true,
  },
}

export type RegimePatch = Partial<Omit<Regime, 'abandonment'>> & {
  readonly abandonment?: Partial<AbandonmentRule>
}

/** A copy of a regime with some fields replaced, checked against the schema (throws ValidationFailed naming the field). */
export function withRegime(base: Regime, patch: RegimePatch): Regime {
  const candidate = { ...base, ...patch, abandonment: { ...base.abandonment, ...patch.abandonment } }
  const parsed = Regime.safeParse(candidate)
  if (!parsed.success) throw validationFailed('regime', issuesFromZod(candidate, parsed.error.issues, Regime))
  return parsed.data
}
