import type { Channel } from './common.js'
import { ALL_PURPOSES, type ConsentRecord, type DoNotCallEntry } from './consent.js'
import type { Contact } from './contact.js'
import type { DncRegistryHit } from './dnc-registry.js'
import type { CampaignId } from './ids.js'
import type { ConsentPurpose } from './purpose.js'
import type { Refusal } from './refusal.js'
import { type CallingWindow, insideWindows, type Regime } from './regime.js'
import { localTime, WEEKDAY_NAMES } from './time.js'

/**
 * The question `consent.canContact` answers: may we contact this person, on
 * this channel, for this purpose, at this time? Give the campaign and its
 * regime (calling windows, holidays, opt-in requirement) and its purpose are
 * applied; without one, the purpose must be given and the default window
 * (08:00-21:00 every day, local time) applies.
 */
export interface ContactQuestion {
  readonly channel: Channel
  /** A declared purpose (case-insensitive). Default: the campaign's purpose. */
  readonly purpose?: string
  /** Default: now (the instance's clock). */
  readonly at?: Date | string
  /** The number about to be dialled (default: the primary phone). */
  readonly phone?: string
  /** The campaign the contact is called for: its regime and purpose apply. */
  readonly campaignId?: CampaignId | string
  /** Log this answer in the audit trail even when the tenant does not log every one. */
  readonly audit?: boolean
  /** Who asks, as logged ("dialer-guard"); default "api". */
  readonly caller?: string
}

export interface ContactDecision {
  readonly allowed: boolean
  /** Every reason the answer is no (empty when allowed). */
  readonly reasons: Refusal[]
  /** The consent entry the answer rests on, if any. */
  readonly basis?: ConsentRecord
  /** Local times the calling window was checked in (several when the zone is not known for sure). */
  readonly localTimes: string[]
}

/** Everything a decision needs, loaded by the caller: the decision itself is pure. */
export interface DecisionInput {
  readonly contact: Contact | undefined
  /** The contact's consent history (any order). */
  readonly history: ReadonlyArray<ConsentRecord>
  /** Do-not-call entries for the contact's numbers. */
  readonly dnc: ReadonlyArray<DoNotCallEntry>
  /** The number's entries on the active versions of the registries that apply. */
  readonly registryHits?: ReadonlyArray<DncRegistryHit>
  readonly channel: Channel
  /** The declared purpose asked about. */
  readonly purpose: Pick<ConsentPurpose, 'key' | 'requiresOptIn'>
  readonly at: Date
  /** The E.164 number to be used (default: the contact's primary phone). */
  readonly phone?: string
  /** The campaign's regime, when the question is asked for a campaign. */
  readonly regime?: Pick<Regime, 'callingWindows' | 'holidays' | 'requiresOptIn' | 'name'>
}

/** The default calling window when no regime is given: every day, 08:00-21:00 local time. */
export const DEFAULT_CALLING_WINDOWS: ReadonlyArray<CallingWindow> = [
  { days: [0, 1, 2, 3, 4, 5, 6], start: '08:00', end: '21:00' },
]

const PHONE_CHANNELS = new Set<Channel>(['voice', 'sms', 'video'])
/** Channels that reach a person at a moment: the calling window applies. */
const TIMED_CHANNELS = PHONE_CHANNELS

/**
 * The consent entry in force for a channel and purpose at `at`: the latest
 * captured at or before `at`, for that purpose or for every purpose ("*"),
 * among the entries no other entry corrects. On a tie the opt-out wins.
 */
export function currentConsent(
  history: ReadonlyArray<ConsentRecord>,
  channel: Channel,
  purposeKey: string,
  at: Date,
): ConsentRecord | undefined {
  const corrected = new Set<string>()
  for (const r of history) if (r.corrects) corrected.add(r.corrects)
  let latest: ConsentRecord | undefined
  for (const r of history) {
    if (corrected.has(r.id)) continue
    if (r.channel !== channel || (r.purpose !== purposeKey && r.purpose !== ALL_PURPOSES)) continue
    if (r.capturedAt > at) continue
    const t = r.capturedAt.getTime()
    const l = latest?.capturedAt.getTime()
    if (l === undefined || t > l || (t === l && r.status === 'opted_out')) latest = r
  }
  return latest
}

/**
 * May we contact this person, on this channel, for this purpose, now?
 * Pure: the caller loads the contact, its consent history and the matching
 * do-not-call entries. The answer lists every reason it is no; it is never
 * "allowed" for a question it could not evaluate (an unknown zone is a no).
 *
 * @example
 * ```ts
 * import { decide } from '@switchboard/core/domain'
 * const d = decide({ contact, history, dnc: [], channel: 'voice',
 *   purpose: { key: 'marketing', requiresOptIn: false }, at: new Date() })
 * if (!d.allowed) console.log(d.reasons.map((r) => r.message))
 * ```
 */
export function decide(input: DecisionInput): ContactDecision {
  const { contact, channel, at } = input
  if (!contact) {
    return {
      allowed: false,
      reasons: [{ code: 'contact_not_found', message: 'no such contact in this tenant' }],
      localTimes: [],
    }
  }
  const reasons: Refusal[] = []
  const usesPhone = PHONE_CHANNELS.has(channel)
  const phone = input.phone ?? (contact.phones.find((p) => p.primary) ?? contact.phones[0])?.e164
  if (usesPhone && !phone) {
    reasons.push({
      code: 'no_address_for_channel',
      message: `the contact has no phone number for ${channel}`,
    })
  }
  if (channel === 'email' && contact.emails.length === 0) {
    reasons.push({ code: 'no_address_for_channel', message: 'the contact has no e-mail address' })
  }

  const purpose = input.purpose.key
  const requiresOptIn = input.purpose.requiresOptIn || (input.regime?.requiresOptIn ?? false)
  const basis = currentConsent(input.history, channel, purpose, at)
  const expired = basis?.expiresAt !== undefined && basis.expiresAt <= at
  const scope = (r: ConsentRecord) => (r.purpose === ALL_PURPOSES ? 'every purpose' : r.purpose)
  if (basis?.status === 'opted_out' && !expired) {
    reasons.push({
      code: 'opted_out',
      message: `opted out of ${channel} for ${scope(basis)} on ${basis.capturedAt.toISOString()} (source: ${basis.source})`,
    })
  } else if (requiresOptIn && basis?.status === 'opted_in' && expired) {
    reasons.push({
      code: 'consent_expired',
      message: `the opt-in for ${purpose} on ${channel} expired on ${basis.expiresAt!.toISOString()}`,
    })
  } else if (requiresOptIn && (basis?.status !== 'opted_in' || expired)) {
    const why = input.purpose.requiresOptIn ? `the purpose ${purpose}` : `the ${input.regime?.name} regime`
    reasons.push({
      code: 'no_opt_in',
      message: `${why} needs an opt-in for ${channel} and none is in force`,
    })
  }

  if (usesPhone && phone) {
    for (const e of input.dnc) {
      if (e.phone !== phone || (e.expiresAt && e.expiresAt <= at)) continue
      reasons.push({ code: 'do_not_call', message: `${phone} is on the do-not-call list "${e.list}"` })
    }
    for (const h of input.registryHits ?? []) {
      if (h.phone !== phone) continue
      reasons.push({
        code: 'do_not_call',
        message: `${phone} is on the ${h.kind} do-not-call registry "${h.registry}" (version ${h.version} from ${h.source}, in force since ${h.activatedAt.toISOString()})`,
      })
    }
  }

  const localTimes: string[] = []
  if (TIMED_CHANNELS.has(channel)) {
    const zones = contact.timeZone ? [contact.timeZone] : (contact.timeZoneCandidates ?? [])
    const windows = input.regime?.callingWindows ?? DEFAULT_CALLING_WINDOWS
    const holidays = input.regime?.holidays ?? []
    if (zones.length === 0) {
      reasons.push({
        code: 'unknown_time_zone',
        message:
          "the contact's time zone cannot be known (no zone given, none derivable from the address or number): set contacts.update(id, { timeZone })",
      })
    }
    const unsure =
      zones.length > 1 ? ' (the zone is not known for sure: every possible zone must allow it)' : ''
    for (const zone of zones) {
      const t = localTime(at, zone)
      if (!t) {
        reasons.push({ code: 'unknown_time_zone', message: `${zone} is not a time zone this runtime knows` })
        break
      }
      localTimes.push(`${t.date} ${t.hhmm} ${zone}`)
      if (holidays.includes(t.date)) {
        reasons.push({ code: 'holiday', message: `${t.date} is a holiday in ${zone}${unsure}` })
        break
      }
      if (!windows.some((w) => w.days.includes(t.weekday))) {
        reasons.push({
          code: 'non_calling_day',
          message: `no calls on ${WEEKDAY_NAMES[t.weekday]} (${t.date} in ${zone})${unsure}`,
        })
        break
      }
      if (!insideWindows(t, windows)) {
        const spans = windows
          .filter((w) => w.days.includes(t.weekday))
          .map((w) => `${w.start}-${w.end}`)
          .join(', ')
        reasons.push({
          code: 'outside_calling_hours',
          message: `it is ${t.hhmm} on ${WEEKDAY_NAMES[t.weekday]} in ${zone}, outside ${spans}${unsure}`,
        })
        break
      }
    }
  }
  return { allowed: reasons.length === 0, reasons, localTimes, ...(basis ? { basis } : {}) }
}
