import { z } from 'zod'
import { TenantId } from './ids.js'
import { Text } from './text.js'

/**
 * An instant. Hosts pass a `Date`; JSON clients (HTTP, a browser, a stored
 * row) pass an ISO-8601 string with an offset. Either way the domain holds a
 * valid `Date`: `new Date('x')` and `'not a date'` are refused.
 */
// The string branch first: stored rows (the hot path) hold strings.
export const Timestamp = z.union([z.iso.datetime({ offset: true }).transform((s) => new Date(s)), z.date()], {
  error: 'must be a date: a valid Date, or an ISO-8601 string such as 2026-03-11T15:00:00Z',
})
export type Timestamp = z.output<typeof Timestamp>

/** Every stored entity: owned by one tenant, stamped on creation and change. */
export const EntityBase = z.object({
  tenantId: TenantId,
  createdAt: Timestamp,
  updatedAt: Timestamp,
})

export const E164 = z
  .string()
  .regex(/^\+[1-9]\d{6,14}$/, 'must be an E.164 number such as +14155550123')
  .brand<'E164'>()
export type E164 = z.infer<typeof E164>

// ISO 3166-1 alpha-2, as assigned (user-assigned codes such as XX and ZZ are refused).
const ASSIGNED_COUNTRIES = new Set(
  'AD AE AF AG AI AL AM AO AQ AR AS AT AU AW AX AZ BA BB BD BE BF BG BH BI BJ BL BM BN BO BQ BR BS BT BV BW BY BZ CA CC CD CF CG CH CI CK CL CM CN CO CR CU CV CW CX CY CZ DE DJ DK DM DO DZ EC EE EG EH ER ES ET FI FJ FK FM FO FR GA GB GD GE GF GG GH GI GL GM GN GP GQ GR GS GT GU GW GY HK HM HN HR HT HU ID IE IL IM IN IO IQ IR IS IT JE JM JO JP KE KG KH KI KM KN KP KR KW KY KZ LA LB LC LI LK LR LS LT LU LV LY MA MC MD ME MF MG MH MK ML MM MN MO MP MQ MR MS MT MU MV MW MX MY MZ NA NC NE NF NG NI NL NO NP NR NU NZ OM PA PE PF PG PH PK PL PM PN PR PS PT PW PY QA RE RO RS RU RW SA SB SC SD SE SG SH SI SJ SK SL SM SN SO SR SS ST SV SX SY SZ TC TD TF TG TH TJ TK TL TM TN TO TR TT TV TW TZ UA UG UM US UY UZ VA VC VE VG VI VN VU WF WS XK YE YT ZA ZM ZW'.split(
    ' ',
  ),
)

/** Whether `code` is an assigned ISO 3166-1 alpha-2 country code (upper case). */
export const isCountryCode = (code: string): boolean => ASSIGNED_COUNTRIES.has(code)

export const CountryCode = z
  .string()
  .refine(isCountryCode, 'must be an ISO 3166-1 alpha-2 country code such as US, GB or ES (upper case)')

export const TimeZone = z
  .string()
  .max(64)
  .refine(isIanaZone, 'must be an IANA time zone such as America/New_York')

const zoneChecks = new Map<string, boolean>()

/** Whether Intl knows this IANA zone (remembered: building a formatter is slow, and rows are decoded often). */
export function isIanaZone(zone: string): boolean {
  if (typeof zone !== 'string' || zone.length > 64) return false
  let ok = zoneChecks.get(zone)
  if (ok === undefined) {
    try {
      new Intl.DateTimeFormat('en-US', { timeZone: zone })
      ok = zone.includes('/') || zone === 'UTC'
    } catch {
      ok = false
    }
    if (zoneChecks.size < 10_000) zoneChecks.set(zone, ok)
  }
  return ok
}

/** ISO 4217 currency codes Intl knows, with their minor-unit digits (USD 2, JPY 0, KWD 3). */
let knownCurrencies: ReadonlySet<string> | undefined
const digits = new Map<string, number | undefined>()

/** Remembered: building a formatter is slow, and every stored Money field is checked on decode. */
export function currencyDigits(currency: string): number | undefined {
  if (digits.has(currency)) return digits.get(currency)
  knownCurrencies ??= new Set(Intl.supportedValuesOf('currency'))
  let d: number | undefined
  if (knownCurrencies.has(currency)) {
    try {
      d = new Intl.NumberFormat('en', { style: 'currency', currency }).resolvedOptions().maximumFractionDigits
    } catch {
      d = undefined
    }
  }
  if (digits.size < 1000) digits.set(currency, d)
  return d
}

export const CurrencyCode = z
  .string()
  .refine((c) => currencyDigits(c) !== undefined, 'must be an ISO 4217 code such as USD')

/** Money in minor units of its currency (cents; yen; fils) so sums are exact. */
export const Money = z.strictObject({
  amountMinor: z.number().int().refine(Number.isSafeInteger, 'must be a safe integer'),
  currency: CurrencyCode,
})
export type Money = z.infer<typeof Money>

/**
 * The closed vocabulary of channels. Anything else (`'Voice'`, `'phone'`) is
 * refused rather than guessed: a consent question on an unknown channel has
 * no answer.
 */
export const Channel = z.enum(['voice', 'email', 'sms', 'chat', 'social', 'video', 'web', 'note'])
export type Channel = z.infer<typeof Channel>

export const Address = z.strictObject({
  line1: Text.short.optional(),
  line2: Text.short.optional(),
  city: Text.short.optional(),
  region: Text.short.optional(),
  postalCode: Text.short.optional(),
  country: CountryCode.optional(),
})
export type Address = z.infer<typeof Address>

/** A local calendar date, YYYY-MM-DD, that exists (2026-02-31 does not). */
export const LocalDate = z.string().refine((s) => {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(s)
  if (!m) return false
  const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])))
  return d.getUTCFullYear() === Number(m[1]) && d.getUTCMonth() === Number(m[2]) - 1
}, 'must be a calendar date YYYY-MM-DD that exists')
