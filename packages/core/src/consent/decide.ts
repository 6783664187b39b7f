import type { CallingWindow } from '../domain/campaign.js'
import type { Channel } from '../domain/common.js'
import { ALL_PURPOSES, type ConsentRecord, type DoNotCallEntry } from '../domain/consent.js'
import type { Contact } from '../domain/contact.js'
import { zonesOfCountry } from '../quality/timezone.js'
import { insideWindows, localTime } from './calling-window.js'

export type RefusalCode =
  | 'contact_not_found'
  | 'no_address_for_channel'
  | 'opted_out'
  | 'no_opt_in'
  | 'consent_expired'
  | 'do_not_call'
  | 'outside_calling_hours'
  | 'holiday'

export interface Refusal {
  readonly code: RefusalCode
  readonly message: string
}

export interface ContactQuestion {
  readonly channel: Channel
  readonly purpose: string
  readonly at?: Date
  /** The number about to be dialled; defaults to the primary phone. */
  readonly phone?: string
  /** Whether the purpose needs a recorded opt-in rather than the absence of an opt-out. */
  readonly requireOptIn?: boolean
  /** Local calling windows for voice and sms (default: every day 08:00-21:00). */
  readonly windows?: ReadonlyArray<CallingWindow>
  readonly holidays?: ReadonlyArray<string>
}

export interface ContactDecision {
  readonly allowed: boolean
  /** Every reason the answer is no (empty when allowed). */
  readonly reasons: Refusal[]
  /** The consent entry the answer rests on, if any. */
  readonly basis?: ConsentRecord
  /** Local times the calling window was checked in (several when the zone is unknown). */
  readonly localTimes: string[]
}

const DEFAULT_WINDOWS: CallingWindow[] = [{ days: [0, 1, 2, 3, 4, 5, 6], start: '08:00', end: '21:00' }]
const TIMED_CHANNELS = new Set<Channel>(['voice', 'sms', 'video'])

/** The latest entry in force for this channel and purpose (or for all purposes). */
export function currentConsent(
  history: ReadonlyArray<ConsentRecord>,
  channel: Channel,
  purpose: string,
  at: Date,
): ConsentRecord | undefined {
  let latest: ConsentRecord | undefined
  for (const r of history) {
    if (r.channel !== channel || (r.purpose !== purpose && r.purpose !== ALL_PURPOSES)) continue
    if (r.capturedAt > at) continue
    if (!latest || r.capturedAt >= latest.capturedAt) latest = r
  }
  return latest
}

/**
 * May we contact this person, on this channel, for this purpose, now?
 * Pure: the caller loads the contact, its consent history and the matching
 * do-not-call entries. The answer lists every reason it is no.
 */
export function decide(
  contact: Contact | undefined,
  history: ReadonlyArray<ConsentRecord>,
  dnc: ReadonlyArray<DoNotCallEntry>,
  q: ContactQuestion,
): ContactDecision {
  const at = q.at ?? new Date()
  if (!contact) {
    return {
      allowed: false,
      reasons: [{ code: 'contact_not_found', message: 'no such contact' }],
      localTimes: [],
    }
  }
  const reasons: Refusal[] = []
  const usesPhone = q.channel === 'voice' || q.channel === 'sms' || q.channel === 'video'
  const phone = q.phone ?? (contact.phones.find((p) => p.primary) ?? contact.phones[0])?.e164
  if (usesPhone && !phone) {
    reasons.push({ code: 'no_address_for_channel', message: `contact has no phone number for ${q.channel}` })
  }
  if (q.channel === 'email' && contact.emails.length === 0) {
    reasons.push({ code: 'no_address_for_channel', message: 'contact has no e-mail address' })
  }

  const basis = currentConsent(history, q.channel, q.purpose, at)
  const expired = basis?.expiresAt !== undefined && basis.expiresAt <= at
  if (basis?.status === 'opted_out' && !expired) {
    reasons.push({
      code: 'opted_out',
      message: `opted out of ${q.channel} for ${basis.purpose === ALL_PURPOSES ? 'all purposes' : basis.purpose} on ${basis.capturedAt.toISOString()} (source: ${basis.source})`,
    })
  } else if (basis?.status === 'opted_in' && expired) {
    reasons.push({
      code: 'consent_expired',
      message: `opt-in for ${q.purpose} expired on ${basis.expiresAt!.toISOString()}`,
    })
  } else if (q.requireOptIn && basis?.status !== 'opted_in') {
    reasons.push({
      code: 'no_opt_in',
      message: `${q.purpose} needs an opt-in for ${q.channel} and none is recorded`,
    })
  }

  if (usesPhone && phone) {
    for (const e of dnc) {
      if (e.phone !== phone || (e.expiresAt && e.expiresAt <= at)) continue
      reasons.push({ code: 'do_not_call', message: `${phone} is on the do-not-call list "${e.list}"` })
    }
  }

  const localTimes: string[] = []
  if (TIMED_CHANNELS.has(q.channel)) {
    const country = contact.phones.find((p) => p.e164 === phone)?.country ?? contact.address?.country
    // Unknown zone: the call must be inside the window in every zone the contact might be in.
    const zones = contact.timeZone ? [contact.timeZone] : zonesOfCountry(country)
    const windows = q.windows ?? DEFAULT_WINDOWS
    for (const zone of zones.length ? zones : ['UTC']) {
      const t = localTime(at, zone)
      localTimes.push(`${t.date} ${t.hhmm} ${zone}`)
      if ((q.holidays ?? []).includes(t.date)) {
        reasons.push({ code: 'holiday', message: `${t.date} is a holiday in ${zone}` })
        break
      }
      if (!insideWindows(t, windows)) {
        reasons.push({
          code: 'outside_calling_hours',
          message: `it is ${t.hhmm} on ${['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'][t.weekday]} in ${zone}${
            contact.timeZone ? '' : ' (zone unknown: every zone of the country must be inside the window)'
          }`,
        })
        break
      }
    }
  }
  return { allowed: reasons.length === 0, reasons, localTimes, ...(basis ? { basis } : {}) }
}
