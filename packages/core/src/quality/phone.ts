import { parsePhoneNumberFromString } from 'libphonenumber-js/max'
import type { E164 } from '../domain/common.js'
import type { PhoneType } from '../domain/contact.js'

export type PhoneCheck =
  | { readonly ok: true; readonly e164: E164; readonly type: PhoneType; readonly country?: string }
  | {
      readonly ok: false
      readonly reason: 'empty' | 'unparseable' | 'invalid' | 'implausible'
      readonly message: string
    }

const typeMap: Record<string, PhoneType> = {
  MOBILE: 'mobile',
  FIXED_LINE: 'fixed_line',
  FIXED_LINE_OR_MOBILE: 'fixed_line_or_mobile',
  VOIP: 'voip',
  TOLL_FREE: 'toll_free',
  PREMIUM_RATE: 'premium_rate',
}

/**
 * Normalises a phone number as typed by a person ("(415) 555-0132", "0034 612...")
 * to E.164, with its type and country, or says why it cannot be called.
 */
export function normalizePhone(raw: string, defaultCountry?: string): PhoneCheck {
  const text = raw.trim()
  if (!text) return { ok: false, reason: 'empty', message: 'phone number is empty' }
  const digits = text.replace(/\D/g, '')
  if (digits.length < 5)
    return { ok: false, reason: 'unparseable', message: 'too few digits for a phone number' }
  // "00" international prefix is common in Europe; libphonenumber needs "+".
  const prepared = text.startsWith('00') ? `+${text.slice(2)}` : text
  // biome-ignore lint/suspicious/noExplicitAny: libphonenumber's CountryCode is a string union
  const parsed = parsePhoneNumberFromString(prepared, (defaultCountry as any) ?? undefined)
  if (!parsed) {
    const national = !defaultCountry && !prepared.startsWith('+')
    return {
      ok: false,
      reason: 'unparseable',
      message: national
        ? 'a national number needs its country: write it with the country code (+1 415 555 0132) or give defaultCountry'
        : 'not a phone number',
    }
  }
  if (!parsed.isValid()) {
    return {
      ok: false,
      reason: parsed.isPossible() ? 'invalid' : 'implausible',
      message: parsed.isPossible()
        ? `is not in an assigned number range${parsed.country ? ` of ${parsed.country}` : ''}`
        : 'has the wrong length for its country',
    }
  }
  const type = typeMap[parsed.getType() ?? ''] ?? 'unknown'
  return parsed.country
    ? { ok: true, e164: parsed.number as E164, type, country: parsed.country }
    : { ok: true, e164: parsed.number as E164, type }
}
