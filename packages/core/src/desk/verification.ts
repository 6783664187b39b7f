import type { Contact } from '../domain/contact.js'

/**
 * Identity verification over a contact's own data, for a caller whose number
 * is unknown, withheld or shared ("he calls from his grandmother's phone").
 * Pure: the questions the candidates' data allows, and which candidates the
 * caller's answers fit, compared normalised (dates in any common order of
 * day, month and year, postcodes without spaces, the last four digits).
 */
export const VERIFICATION_FIELDS = [
  'dateOfBirth',
  'postalCode',
  'phoneLast4',
  'cardLast4',
  'email',
  'account',
] as const
export type VerificationField = (typeof VERIFICATION_FIELDS)[number]

export interface VerificationQuestion {
  readonly field: VerificationField
  /** What the agent (or the IVR) asks. */
  readonly prompt: string
  /** How many of the candidates have this on file. */
  readonly known: number
  /** How many different values they have: the more, the better it tells them apart. */
  readonly distinct: number
}

/** The caller's answers, by field (as said or typed: they are normalised before comparing). */
export type VerificationAnswers = { readonly [K in VerificationField]?: string | undefined }

/** How one candidate fared: the fields that matched, did not, or it has no data for (which cannot confirm it). */
export interface CandidateCheck {
  readonly contactId: Contact['id']
  readonly matched: VerificationField[]
  readonly mismatched: VerificationField[]
  readonly unknown: VerificationField[]
}

export type VerificationResult =
  | { readonly status: 'verified'; readonly contact: Contact; readonly checks: CandidateCheck[] }
  | { readonly status: 'failed'; readonly checks: CandidateCheck[] }
  /** Several still fit: ask more (the questions that are left, best first). */
  | {
      readonly status: 'ambiguous'
      readonly remaining: Contact[]
      readonly questions: VerificationQuestion[]
      readonly checks: CandidateCheck[]
    }

const PROMPTS: Record<VerificationField, string> = {
  dateOfBirth: 'What is your date of birth?',
  postalCode: 'What is the postcode of your address?',
  phoneLast4: 'What are the last four digits of your phone number?',
  cardLast4: 'What are the last four digits of your card?',
  email: 'What e-mail address do we have for you?',
  account: 'What is your account number?',
}

const DOB_ATTRIBUTES = ['dateOfBirth', 'birthDate', 'dob'] as const
const CARD_ATTRIBUTES = ['cardLast4', 'card_last4'] as const

const pad = (s: string) => s.padStart(2, '0')

/** A date as YYYY-MM-DD: ISO (a timestamp's date too), or day first (13/04/1961, 13.4.1961, 13-04-1961). */
export function normalizeDate(raw: string): string | undefined {
  const s = raw.trim()
  const iso = /^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?:T.*)?$/.exec(s)
  const dmy = /^(\d{1,2})[-/. ](\d{1,2})[-/. ](\d{4})$/.exec(s)
  const [y, m, d] = iso ? [iso[1]!, iso[2]!, iso[3]!] : dmy ? [dmy[3]!, dmy[2]!, dmy[1]!] : []
  if (!y || !m || !d) return undefined
  const out = `${y}-${pad(m)}-${pad(d)}`
  const check = new Date(`${out}T00:00:00Z`)
  return !Number.isNaN(check.getTime()) && check.toISOString().startsWith(out) ? out : undefined
}

const lastDigits = (raw: string): string | undefined => {
  const digits = raw.replace(/\D/g, '')
  return digits.length >= 4 ? digits.slice(-4) : undefined
}
const compact = (raw: string) => raw.replace(/[\s\-./]/g, '').toUpperCase() || undefined

/** Normalises one answer (or stored value) of a field; undefined when it is not one. */
export function normalizeAnswer(field: VerificationField, raw: string): string | undefined {
  switch (field) {
    case 'dateOfBirth':
      return normalizeDate(raw)
    case 'postalCode':
    case 'account':
      return compact(raw)
    case 'phoneLast4':
    case 'cardLast4':
      return lastDigits(raw)
    case 'email':
      return raw.trim().toLowerCase() || undefined
  }
}

const text = (v: unknown) => (typeof v === 'string' ? v : typeof v === 'number' ? String(v) : undefined)

/** What the contact has on file for a field, normalised (a contact may have several phones and e-mails). */
export function contactValues(contact: Contact, field: VerificationField): string[] {
  const raw: Array<string | undefined> =
    field === 'dateOfBirth'
      ? DOB_ATTRIBUTES.map((k) => text(contact.attributes[k]))
      : field === 'cardLast4'
        ? CARD_ATTRIBUTES.map((k) => text(contact.attributes[k]))
        : field === 'postalCode'
          ? [contact.address?.postalCode]
          : field === 'account'
            ? [contact.account]
            : field === 'email'
              ? contact.emails.map((e) => e.address)
              : contact.phones.map((p) => p.e164)
  const out = new Set<string>()
  for (const r of raw) {
    const n = r === undefined ? undefined : normalizeAnswer(field, r)
    if (n) out.add(n)
  }
  return [...out]
}

/**
 * The questions to ask to tell the candidates apart, best first: the fields
 * whose answer splits them into the most groups (different values, and
 * those with nothing on file), then the ones most of them have. A field nobody has is
 * not asked. One candidate (found by name for an unknown number) gets every
 * field it has, to confirm it is them.
 *
 * @example
 * ```ts
 * import { verificationQuestions, type Contact } from '@switchboard/core'
 * declare const grandmother: Contact // attributes.dateOfBirth 1941-02-03, postcode 28001
 * declare const grandson: Contact // attributes.dateOfBirth 2004-11-30, postcode 28001
 * console.log(verificationQuestions([grandmother, grandson])[0]?.field) // dateOfBirth (the postcode they share tells nobody apart)
 * ```
 */
export function verificationQuestions(
  candidates: ReadonlyArray<Contact>,
  skip: ReadonlyArray<VerificationField> = [],
): VerificationQuestion[] {
  const out: Array<VerificationQuestion & { groups: number }> = []
  for (const field of VERIFICATION_FIELDS) {
    if (skip.includes(field)) continue
    const values = candidates.map((c) => contactValues(c, field))
    const known = values.filter((v) => v.length).length
    if (!known) continue
    const distinct = new Set(values.filter((v) => v.length).map((v) => [...v].sort().join('|'))).size
    // Candidates with nothing on file cannot match: they are one more group the answer tells apart.
    const groups = distinct + (known < candidates.length ? 1 : 0)
    out.push({ field, prompt: PROMPTS[field], known, distinct, groups })
  }
  // Stable: among equals, the order of VERIFICATION_FIELDS.
  return out.sort((a, b) => b.groups - a.groups || b.known - a.known).map(({ groups: _, ...q }) => q)
}

/**
 * Which candidates the answers fit: a candidate fits when every answered
 * field matches one of its values; a field it has nothing for cannot confirm
 * it, so it does not fit. One fits: verified; none: failed; several: ask
 * the questions left.
 */
export function verifyCandidates(
  candidates: ReadonlyArray<Contact>,
  answers: VerificationAnswers,
): VerificationResult {
  const asked = VERIFICATION_FIELDS.filter((f) => answers[f] !== undefined)
  const checks: CandidateCheck[] = candidates.map((c) => {
    const check: CandidateCheck = { contactId: c.id, matched: [], mismatched: [], unknown: [] }
    for (const f of asked) {
      const have = contactValues(c, f)
      const given = normalizeAnswer(f, answers[f]!)
      if (!have.length) check.unknown.push(f)
      else if (given !== undefined && have.includes(given)) check.matched.push(f)
      else check.mismatched.push(f)
    }
    return check
  })
  const fits = candidates.filter((_, i) => asked.length && checks[i]!.matched.length === asked.length)
  if (fits.length === 1) return { status: 'verified', contact: fits[0]!, checks }
  if (!fits.length) return { status: 'failed', checks }
  return { status: 'ambiguous', remaining: fits, questions: verificationQuestions(fits, asked), checks }
}
