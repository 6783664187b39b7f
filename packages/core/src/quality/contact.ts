import { isIanaZone } from '../domain/common.js'
import { type Contact, ContactInput, type ContactPhone } from '../domain/contact.js'
import { type FieldIssue, issuesFromZod } from '../domain/errors.js'
import type { ContactId, TenantId } from '../domain/ids.js'
import { newId } from '../domain/ids.js'
import { normalizeEmail } from './email.js'
import { foldName, soundex, tidyName } from './name.js'
import { normalizePhone } from './phone.js'
import { deriveZones } from './timezone.js'

export type Prepared = { ok: true; contact: Contact } | { ok: false; issues: FieldIssue[] }

/** The display name a contact gets when none is given: its names as typed, else its company. */
export function derivedDisplayName(
  c: Pick<Contact, 'firstName' | 'lastName' | 'company'> & { kind?: Contact['kind'] },
): string | undefined {
  if (c.kind === 'company') return c.company
  return [c.firstName, c.lastName].filter(Boolean).join(' ') || c.company || undefined
}

/**
 * Validates and normalises a host's contact input into a Contact: phones to
 * E.164 with type and country, e-mails checked and lower-cased, time zone
 * derived from the address or else the primary phone. Names are kept as
 * typed (only the white space around them is removed). Every problem is
 * returned with the field and the value that caused it.
 *
 * National numbers are read in the contact's own country when its address
 * has one, else in `defaultCountry`.
 */
export function prepareContact(
  input: unknown,
  ctx: { tenantId: TenantId; now: Date; id?: ContactId; defaultCountry?: string },
): Prepared {
  const parsed = ContactInput.safeParse(input)
  if (!parsed.success) return { ok: false, issues: issuesFromZod(input, parsed.error.issues, ContactInput) }
  const c = parsed.data
  const issues: FieldIssue[] = []
  const country = c.address?.country ?? c.defaultCountry ?? ctx.defaultCountry

  const phones: ContactPhone[] = []
  c.phones.forEach((p, i) => {
    const raw = typeof p === 'string' ? p : p.number
    const check = normalizePhone(raw, country)
    if (!check.ok) {
      issues.push({ field: `phones[${i}]`, value: raw, message: check.message })
      return
    }
    if (phones.some((x) => x.e164 === check.e164)) return
    const opts = typeof p === 'string' ? undefined : p
    phones.push({
      e164: check.e164,
      type: opts?.type ?? check.type,
      ...(check.country ? { country: check.country } : {}),
      primary: opts?.primary ?? false,
      verified: opts?.verified ?? false,
    })
  })
  if (phones.filter((p) => p.primary).length > 1) {
    issues.push({ field: 'phones', value: c.phones, message: 'only one phone can be primary' })
  }
  if (phones.length && !phones.some((p) => p.primary)) phones[0]!.primary = true

  const emails: Contact['emails'] = []
  c.emails.forEach((e, i) => {
    const raw = typeof e === 'string' ? e : e.address
    const check = normalizeEmail(raw)
    if (!check.ok) {
      issues.push({ field: `emails[${i}]`, value: raw, message: check.message })
      return
    }
    if (emails.some((x) => x.address === check.address)) return
    emails.push({
      address: check.address,
      primary: emails.length === 0,
      verified: typeof e === 'string' ? false : (e.verified ?? false),
    })
  })

  const firstName = tidyName(c.firstName)
  const lastName = tidyName(c.lastName)
  const company = tidyName(c.company)
  const displayName =
    tidyName(c.displayName) ?? derivedDisplayName({ firstName, lastName, company, kind: c.kind })
  if (!displayName) {
    issues.push({
      field: c.kind === 'company' ? 'company' : 'lastName',
      value: (c.kind === 'company' ? c.company : c.lastName) ?? null,
      message: 'a contact needs a name or a company',
    })
  }

  let timeZone: string | undefined
  let timeZoneCandidates: readonly string[] | undefined
  let timeZoneSource: Contact['timeZoneSource']
  if (c.timeZone !== undefined) {
    if (isIanaZone(c.timeZone)) {
      timeZone = c.timeZone
      timeZoneSource = 'given'
    } else
      issues.push({
        field: 'timeZone',
        value: c.timeZone,
        message: 'is not an IANA time zone such as America/New_York',
      })
  } else {
    const primary = phones.find((p) => p.primary)
    const derived = deriveZones(c.address, primary)
    timeZone = derived.zone
    timeZoneCandidates = derived.candidates
    timeZoneSource = derived.source
  }

  if (issues.length) return { ok: false, issues }

  const contact: Contact = {
    id: ctx.id ?? (newId('ContactId') as ContactId),
    tenantId: ctx.tenantId,
    kind: c.kind,
    displayName: displayName!,
    phones,
    emails,
    lifecycle: c.lifecycle,
    tags: [...new Set(c.tags)],
    attributes: c.attributes,
    createdAt: ctx.now,
    updatedAt: ctx.now,
    ...(firstName ? { firstName } : {}),
    ...(lastName ? { lastName } : {}),
    ...(company ? { company } : {}),
    ...(c.account ? { account: c.account } : {}),
    ...(c.address ? { address: c.address } : {}),
    ...(timeZone ? { timeZone } : {}),
    ...(timeZoneCandidates ? { timeZoneCandidates: [...timeZoneCandidates] } : {}),
    ...(timeZoneSource && (timeZone || timeZoneCandidates) ? { timeZoneSource } : {}),
    ...(c.ownerId ? { ownerId: c.ownerId } : {}),
    ...(c.lifetimeValue ? { lifetimeValue: c.lifetimeValue } : {}),
    ...(c.openBalance ? { openBalance: c.openBalance } : {}),
    ...(c.externalRef ? { externalRef: c.externalRef } : {}),
  }
  return { ok: true, contact }
}

/**
 * The blocking key used to find possible duplicates by name: Soundex of the
 * family name and the first initial, so "Jon Smiht" meets "John Smith".
 */
export function matchKey(
  c: Pick<Contact, 'firstName' | 'lastName' | 'displayName' | 'company' | 'kind'>,
): string {
  if (c.kind === 'company') return `C:${foldName(c.company ?? c.displayName).slice(0, 8)}`
  const words = c.displayName.split(' ')
  const last = c.lastName ?? words[words.length - 1] ?? ''
  const first = foldName(c.firstName ?? (words.length > 1 ? words[0] : ''))
  return `P:${soundex(last)}:${first.charAt(0)}`
}
