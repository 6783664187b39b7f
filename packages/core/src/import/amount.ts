import { currencyDigits } from '../domain/common.js'

/** An amount read from a cell: minor units of the currency, or why it is not one. */
export type AmountReading =
  | { readonly ok: true; readonly amountMinor: number }
  | { readonly ok: false; readonly message: string }

export interface AmountOptions {
  /** ISO 4217; its minor digits come from `currencyDigits` (JPY 0, USD 2, KWD 3). Default USD. */
  readonly currency?: string
  /** BCP 47 locale whose group and decimal separators the file uses ('en-US', 'es-ES', 'fr-FR', 'de-CH'). */
  readonly locale?: string
}

interface Separators {
  readonly group: string
  readonly decimal: string
  /** Digits in each group left of the last one (3, or 2 for Indian grouping). */
  readonly secondary: number
}

const SPACES = /[\s\u00A0\u202F\u2007]/u
const separatorCache = new Map<string, Separators>()

/** The group and decimal separators of a locale, from Intl.NumberFormat.formatToParts. */
export function localeSeparators(locale: string): Separators {
  let s = separatorCache.get(locale)
  if (!s) {
    const parts = new Intl.NumberFormat(locale, {
      useGrouping: 'always',
    } as Intl.NumberFormatOptions).formatToParts(12345678.5)
    const ints = parts.filter((p) => p.type === 'integer').map((p) => p.value.length)
    s = {
      group: parts.find((p) => p.type === 'group')?.value ?? '',
      decimal: parts.find((p) => p.type === 'decimal')?.value ?? '.',
      secondary: ints.length > 2 ? ints[1]! : 3,
    }
    separatorCache.set(locale, s)
  }
  return s
}

/** Whether `tag` is a BCP 47 locale this runtime's Intl knows. */
export function isKnownLocale(tag: string): boolean {
  try {
    return (
      Intl.getCanonicalLocales(tag).length === 1 && Intl.NumberFormat.supportedLocalesOf(tag).length === 1
    )
  } catch {
    return false
  }
}

const APOSTROPHES = /^['\u2019]$/u

/** Whether `c` stands for the group separator `group` (any space for a space, ' and ’ for each other). */
const isGroup = (c: string, group: string) =>
  c === group || (SPACES.test(group) && SPACES.test(c)) || (APOSTROPHES.test(group) && APOSTROPHES.test(c))

/**
 * The digits of `t` read with these separators, or undefined when `t` is not
 * written that way: the first group has 1 to `secondary` digits (1-3 when
 * ungrouped-first), the last one 3, those between `secondary`.
 */
function read(
  t: string,
  s: Pick<Separators, 'group' | 'decimal' | 'secondary'>,
): { int: string; frac: string } | undefined {
  let intPart = t
  let frac = ''
  const d = t.indexOf(s.decimal)
  if (d !== -1) {
    intPart = t.slice(0, d)
    frac = t.slice(d + s.decimal.length)
    if (!/^\d+$/.test(frac)) return undefined
  }
  if (!intPart) return frac ? { int: '0', frac } : undefined
  const groups: string[] = []
  let cur = ''
  for (const c of intPart) {
    if (c >= '0' && c <= '9') cur += c
    else if (s.group && isGroup(c, s.group)) {
      groups.push(cur)
      cur = ''
    } else return undefined
  }
  groups.push(cur)
  if (groups.length > 1) {
    const [head, ...rest] = groups
    const last = rest.pop()!
    if (!head || head.length > Math.max(3, s.secondary) || last.length !== 3) return undefined
    if (rest.some((g) => g.length !== s.secondary)) return undefined
    if (groups.length === 2 && head.length > 3) return undefined
  }
  return { int: groups.join(''), frac }
}

/** The conventions a file without a `locale` may be in; a value must read the same in all that accept it. */
const CONVENTIONS: ReadonlyArray<Separators> = [
  { group: ',', decimal: '.', secondary: 3 },
  { group: '.', decimal: ',', secondary: 3 },
  { group: ' ', decimal: ',', secondary: 3 },
  { group: '\u2019', decimal: '.', secondary: 3 },
]

const toMinor = (int: string, frac: string, digits: number) => Number(`${int}${frac.padEnd(digits, '0')}`)

/**
 * Reads a money cell by locale and currency, never by guessing. Returns
 * undefined for an empty cell.
 *
 * - With `locale`, its separators (Intl.NumberFormat formatToParts) are the
 *   only ones accepted: `"1 234,5"` in fr-FR is 1234.50; `"1.234,50"` in
 *   es-ES or de-DE and `"1,234.50"` in en-US are 1234.50.
 * - Without it, a value is taken only when every common convention that can
 *   read it reads the same number (`"1234.50"`, `"1,234.50"`, `"1234,5"`);
 *   `"1,234"` (1234 in en-US, 1.234 in de-DE) is refused, saying to declare `locale`.
 * - More decimals than the currency has (`"12.345"` USD; JPY has none) is
 *   refused; fewer are padded. The result is minor units: 1234.50 USD is 123450.
 * - A leading or trailing currency symbol or code, a leading `-` or `−`, and
 *   accounting parentheses `(12.50)` are understood.
 */
export function parseAmount(text: string, options: AmountOptions = {}): AmountReading | undefined {
  const currency = options.currency ?? 'USD'
  const digits = currencyDigits(currency)
  if (digits === undefined)
    return { ok: false, message: `currency ${JSON.stringify(currency)} is not an ISO 4217 code` }
  let t = text.trim()
  if (!t) return undefined
  let negative = false
  if (/^\(.*\)$/.test(t)) {
    negative = true
    t = t.slice(1, -1).trim()
  }
  t = t
    .replace(new RegExp(`^${currency}\\s*|\\s*${currency}$`, 'i'), '')
    .replace(/^\p{Sc}\s*|\s*\p{Sc}$/u, '')
    .trim()
  if (/^[-\u2212]/.test(t)) {
    negative = !negative
    t = t.slice(1).trim()
  }
  t = t.replace(/^\p{Sc}\s*/u, '')
  const shape = options.locale
    ? `is not an amount as written in ${options.locale}, such as ${new Intl.NumberFormat(options.locale, { minimumFractionDigits: digits }).format(1234.5)}`
    : 'is not an amount such as 1234.50'
  if (!/^[\d.,'\u2019\s\u00A0\u202F\u2007]+$/u.test(t) || !/\d/.test(t)) return { ok: false, message: shape }

  let reading: { int: string; frac: string } | undefined
  if (options.locale) {
    const s = localeSeparators(options.locale)
    reading = read(t, s)
    if (!reading) return { ok: false, message: shape }
  } else {
    const readings = CONVENTIONS.map((c) => read(t, c)).filter((r) => r !== undefined)
    const values = new Set(
      readings.map((r) => `${r.int.replace(/^0+(?=\d)/, '')}.${r.frac.replace(/0+$/, '')}`),
    )
    if (!readings.length) return { ok: false, message: shape }
    if (values.size > 1) {
      return {
        ok: false,
        message:
          "is ambiguous without a locale (1,234 is 1234 in en-US but 1.234 in de-DE): declare `locale` (e.g. 'en-US', 'es-ES') to say which",
      }
    }
    reading = readings[0]
  }
  const { int, frac } = reading!
  if (frac.length > digits) {
    return {
      ok: false,
      message: `has more decimals than ${currency} has (${digits})${options.locale ? '' : '; if that separator groups thousands, declare `locale`'}`,
    }
  }
  const amountMinor = toMinor(int, frac, digits)
  if (!Number.isSafeInteger(amountMinor)) return { ok: false, message: 'is too large' }
  return { ok: true, amountMinor: negative && amountMinor !== 0 ? -amountMinor : amountMinor }
}
