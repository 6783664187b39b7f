import type { Regime } from '../domain/campaign.js'

const EVERY_DAY = [0, 1, 2, 3, 4, 5, 6]
const WEEKDAYS = [1, 2, 3, 4, 5]

/**
 * Presets from the regulations (DIALER.md). They are starting points: a host
 * copies and adjusts them (stricter state hours, regional holidays).
 */
export const regimes = {
  /** FTC TSR / FCC TCPA: 08:00-21:00 local, 3% abandonment over the campaign or 30 days. */
  US: {
    name: 'US',
    windows: [{ days: EVERY_DAY, start: '08:00', end: '21:00' }],
    holidays: [],
    abandonment: { target: 0.03, window: '30d', formula: 'us' },
    noRecallAfterAbandonHours: 0,
    requiresOptIn: false,
  },
  /** Ofcom: 3% of live calls over any 24 hours (aim lower), no re-call within 72 h of an abandoned call. */
  UK: {
    name: 'UK',
    windows: [{ days: EVERY_DAY, start: '08:00', end: '21:00' }],
    holidays: [],
    abandonment: { target: 0.03, window: '24h', formula: 'uk' },
    noRecallAfterAbandonHours: 72,
    requiresOptIn: false,
  },
  /** Spain: prior consent, 09:00-21:00 on weekdays, no holidays (add the year's dates). */
  ES: {
    name: 'ES',
    windows: [{ days: WEEKDAYS, start: '09:00', end: '21:00' }],
    holidays: [],
    abandonment: { target: 0.03, window: '30d', formula: 'us' },
    noRecallAfterAbandonHours: 0,
    requiresOptIn: true,
  },
} as const satisfies Record<string, Regime>
