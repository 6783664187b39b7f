/**
 * The compliance guard shared by every mode: may this contact be dialled now? Every refusal is core's
 * `Refusal` (a `RefusalCode` and a message that can be reported), one code per reason.
 */
import {
  type AttemptRecord,
  type Campaign,
  type ContactDecision,
  type ContactId,
  type ContactQuestion,
  insideWindows,
  localTime,
  type Refusal,
  type RefusalCode,
  type RetryRule,
} from '@switchboard/core/domain'

/** What the guard reads of a campaign (core's `Campaign`). */
export type GuardCampaign = Pick<Campaign, 'id' | 'regime' | 'attempts' | 'consentPurpose'>

/**
 * Core's `tenant.consent.canContact`, as a port. Given the campaign's id, core applies the campaign's
 * regime (opt-in requirement, windows, holidays) and its consent purpose itself.
 */
export type CanContact = (
  contactId: ContactId,
  q: ContactQuestion,
) => Promise<ContactDecision> | ContactDecision

export interface GuardVerdict {
  readonly allowed: boolean
  /** Every reason the answer is no (empty when allowed). */
  readonly reasons: readonly Refusal[]
}

export interface DialCandidate {
  readonly contactId: ContactId
  /** The E.164 number about to be dialled. */
  readonly phone: string
  /** IANA time zone of the contact. */
  readonly timeZone: string
  /** Earlier attempts at the contact in this campaign (core's `AttemptRecord`). */
  readonly attempts?: readonly AttemptRecord[]
}

export interface GuardOptions {
  /** The campaign: its regime (windows, holidays, re-call block) and its attempt and retry rules. */
  readonly campaign: GuardCampaign
  /** Core's `canContact` (`tenant.consent.canContact`): consent, opt-in and do-not-call. */
  readonly canContact?: CanContact
  /** Extra do-not-call check (internal list, national registry) by phone number. */
  readonly isDoNotCall?: (phone: string) => boolean | Promise<boolean>
  /** Live suppression: contacts removed from the campaign since the list was loaded. */
  readonly isSuppressed?: (contactId: ContactId) => boolean
}

/** The codes of the guard's own local-time check; core's decision reports them too when it checks windows. */
const LOCAL_TIME_CODES: ReadonlySet<RefusalCode> = new Set<RefusalCode>([
  'outside_calling_hours',
  'non_calling_day',
  'holiday',
  'unknown_time_zone',
])

const endsAs = (a: AttemptRecord, match: string): boolean => a.disposition === match || a.category === match

/** The retry rule of an attempt: one matching its disposition code first, else one matching its category. */
function retryRuleFor(rules: readonly RetryRule[], a: AttemptRecord): RetryRule | undefined {
  return rules.find((r) => r.match === a.disposition) ?? rules.find((r) => r.match === a.category)
}

/**
 * Checks every rule before a dial: calling windows and holidays in the contact's local time, the
 * campaign's attempt and retry rules, the regime's re-call block after an abandoned call, live
 * suppression, do-not-call, and core's consent decision.
 *
 * @example
 * ```ts
 * import { ContactId } from '@switchboard/core/domain'
 * import { ComplianceGuard } from '@switchboard/dialer'
 *
 * const campaign = await acme.campaigns.get(campaignId) // core's Campaign: regime, attempts, purpose
 * const guard = new ComplianceGuard({
 *   campaign,
 *   canContact: acme.consent.canContact, // core applies the campaign's regime and purpose
 *   isSuppressed: (id) => suppressed.has(id),
 * })
 * const v = await guard.check(
 *   { contactId: ContactId.parse('ct-1'), phone: '+12125550100', timeZone: 'America/New_York' },
 *   new Date(),
 * )
 * if (!v.allowed) console.log(v.reasons) // [{ code: 'outside_calling_hours', message: '22:30 local time ...' }]
 * ```
 */
export class ComplianceGuard {
  private readonly o: GuardOptions
  /** Contacts whose call was abandoned: epoch ms until which they may not be called (UK 72 h). */
  private readonly noRecall = new Map<string, number>()

  constructor(options: GuardOptions) {
    this.o = options
  }

  /** Records an abandoned call (the regime's `noRecallAfterAbandonSec` block, where it has one). */
  recordAbandoned(contactId: ContactId, at: Date): void {
    const sec = this.o.campaign.regime.noRecallAfterAbandonSec
    if (sec > 0) this.noRecall.set(contactId, at.getTime() + sec * 1000)
  }

  /** Checks the local-time rules only (synchronous). */
  checkWindow(c: DialCandidate, at: Date): Refusal[] {
    const r = this.o.campaign.regime
    const lt = localTime(at, c.timeZone)
    if (!lt)
      return [
        {
          code: 'unknown_time_zone',
          message: `unknown time zone "${c.timeZone}" for contact ${c.contactId}`,
        },
      ]
    if (r.holidays.includes(lt.date))
      return [{ code: 'holiday', message: `${lt.date} is a holiday under ${r.name} rules` }]
    const days = r.callingWindows.filter((w) => w.days.includes(lt.weekday))
    if (days.length === 0)
      return [
        { code: 'non_calling_day', message: `no calls on this weekday (${lt.date}) under ${r.name} rules` },
      ]
    if (!insideWindows(lt, days)) {
      const win = days.map((w) => `${w.start}-${w.end}`).join(', ')
      return [
        {
          code: 'outside_calling_hours',
          message: `${lt.hhmm} local time (${c.timeZone}) is outside ${win}`,
        },
      ]
    }
    return []
  }

  /** Checks the campaign's attempt and retry rules and the regime's re-call block (synchronous). */
  checkAttempts(c: DialCandidate, at: Date): Refusal[] {
    const { attempts: rules, regime } = this.o.campaign
    const out: Refusal[] = []
    const attempts = c.attempts ?? []
    if (attempts.length >= rules.max)
      out.push({ code: 'attempt_limit', message: `${attempts.length} attempts, limit ${rules.max}` })
    const last = attempts.reduce<AttemptRecord | undefined>((a, b) => (!a || b.at > a.at ? b : a), undefined)
    if (last) {
      const rule = retryRuleFor(rules.retry, last)
      if (rule?.maxAttempts !== undefined) {
        const same = attempts.filter((a) => endsAs(a, rule.match)).length
        if (same >= rule.maxAttempts)
          out.push({
            code: 'disposition_attempt_limit',
            message: `${same} attempts ended "${rule.match}", limit ${rule.maxAttempts}`,
          })
      }
      const after = rule?.retryAfterSec ?? rules.defaultRetryAfterSec
      const next = last.at.getTime() + after * 1000
      if (at.getTime() < next)
        out.push({
          code: 'retry_too_soon',
          message: `last attempt "${last.disposition}" at ${last.at.toISOString()}; retry after ${new Date(next).toISOString()}`,
        })
    }
    const sec = regime.noRecallAfterAbandonSec
    const block = Math.max(
      this.noRecall.get(c.contactId) ?? 0,
      ...attempts.filter((a) => sec > 0 && endsAs(a, 'abandoned')).map((a) => a.at.getTime() + sec * 1000),
    )
    if (at.getTime() < block)
      out.push({
        code: 'recall_after_abandon',
        message: `an abandoned call blocks re-calls until ${new Date(block).toISOString()} (${sec / 3600} h)`,
      })
    return out
  }

  /**
   * Every rule: calling window, attempts, re-call block, suppression, do-not-call and consent. Core's
   * refusals are kept as they are; a local-time refusal the guard found itself is not repeated.
   */
  async check(c: DialCandidate, at: Date): Promise<GuardVerdict> {
    const reasons: Refusal[] = [...this.checkWindow(c, at), ...this.checkAttempts(c, at)]
    if (this.o.isSuppressed?.(c.contactId))
      reasons.push({ code: 'suppressed', message: `contact ${c.contactId} is suppressed from the campaign` })
    if (this.o.isDoNotCall && (await this.o.isDoNotCall(c.phone)))
      reasons.push({ code: 'do_not_call', message: `${c.phone} is on a do-not-call list` })
    let consented = true
    if (this.o.canContact) {
      const q: ContactQuestion = { channel: 'voice', campaignId: this.o.campaign.id, at, phone: c.phone }
      const v = await this.o.canContact(c.contactId, q)
      consented = v.allowed
      const own = new Set(reasons.map((r) => r.code))
      for (const r of v.reasons) if (!(LOCAL_TIME_CODES.has(r.code) && own.has(r.code))) reasons.push(r)
    }
    // core's decision always names its reasons; a port that refuses without one still refuses
    return { allowed: consented && reasons.length === 0, reasons }
  }
}
