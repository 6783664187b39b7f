/**
 * The compliance guard shared by every mode: may this contact be dialled now? Every refusal has a
 * reason code and a message that can be reported.
 */
import type { Regime } from './regime.js'

export type RefusalCode =
  | 'OUTSIDE_CALLING_WINDOW'
  | 'NON_CALLING_DAY'
  | 'HOLIDAY'
  | 'UNKNOWN_TIME_ZONE'
  | 'ATTEMPT_LIMIT'
  | 'DISPOSITION_ATTEMPT_LIMIT'
  | 'RETRY_TOO_SOON'
  | 'RECALL_AFTER_ABANDON'
  | 'NO_CONSENT'
  | 'DO_NOT_CALL'
  | 'SUPPRESSED'

export interface Refusal {
  readonly code: RefusalCode | string
  readonly message: string
}

export interface GuardVerdict {
  readonly allowed: boolean
  readonly reasons: readonly Refusal[]
}

/** Core's `canContact`, structurally. */
export type ContactCheck = (
  contactId: string,
  q: { channel: 'voice'; purpose: string; at: Date },
) =>
  | Promise<{ allowed: boolean; reasons: Array<{ code: string; message: string }> }>
  | { allowed: boolean; reasons: Array<{ code: string; message: string }> }

export interface Attempt {
  readonly at: Date
  /** Disposition code of the attempt (noAnswer, busy, machine, abandoned, callback, ...). */
  readonly disposition: string
}

export interface DialCandidate {
  readonly contactId: string
  readonly phone: string
  /** IANA time zone of the contact. */
  readonly timeZone: string
  readonly attempts?: readonly Attempt[]
}

export interface GuardOptions {
  readonly regime: Regime
  /** The campaign's consent purpose, passed to `canContact`. */
  readonly purpose: string
  readonly canContact?: ContactCheck
  /** Extra do-not-call check (internal list, national registry) by phone number. */
  readonly isDoNotCall?: (phone: string) => boolean | Promise<boolean>
  /** Live suppression: contacts removed from the campaign since the list was loaded. */
  readonly isSuppressed?: (contactId: string) => boolean
}

const formatters = new Map<string, Intl.DateTimeFormat>()

/** Local weekday, date and minutes after midnight in `timeZone`, or null if the zone is unknown. */
export function localTime(at: Date, timeZone: string): { day: number; date: string; minutes: number } | null {
  let f = formatters.get(timeZone)
  if (!f) {
    try {
      f = new Intl.DateTimeFormat('en-US', {
        timeZone,
        hourCycle: 'h23',
        weekday: 'short',
        year: 'numeric',
        month: '2-digit',
        day: '2-digit',
        hour: '2-digit',
        minute: '2-digit',
      })
    } catch {
      return null
    }
    formatters.set(timeZone, f)
  }
  const parts: Record<string, string> = {}
  for (const p of f.formatToParts(at)) parts[p.type] = p.value
  const day = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'].indexOf(parts.weekday ?? '')
  return {
    day,
    date: `${parts.year}-${parts.month}-${parts.day}`,
    minutes: Number(parts.hour) * 60 + Number(parts.minute),
  }
}

function toMinutes(hhmm: string): number {
  const [h, m] = hhmm.split(':')
  return Number(h) * 60 + Number(m)
}

export class ComplianceGuard {
  private readonly o: GuardOptions
  /** Contacts whose call was abandoned: epoch ms until which they may not be called (UK 72 h). */
  private readonly noRecall = new Map<string, number>()

  constructor(options: GuardOptions) {
    this.o = options
  }

  /** Records an abandoned call (the 72-hour re-call block where the regime has one). */
  recordAbandoned(contactId: string, at: Date): void {
    const h = this.o.regime.noRecallAfterAbandonHours
    if (h > 0) this.noRecall.set(contactId, at.getTime() + h * 3_600_000)
  }

  /** Checks the local-time rules only (synchronous). */
  checkWindow(c: DialCandidate, at: Date): Refusal[] {
    const r = this.o.regime
    const lt = localTime(at, c.timeZone)
    if (!lt)
      return [
        {
          code: 'UNKNOWN_TIME_ZONE',
          message: `unknown time zone "${c.timeZone}" for contact ${c.contactId}`,
        },
      ]
    if (r.holidays.includes(lt.date))
      return [{ code: 'HOLIDAY', message: `${lt.date} is a holiday under ${r.name} rules` }]
    const days = r.callingWindows.filter((w) => w.days.includes(lt.day))
    if (days.length === 0)
      return [
        { code: 'NON_CALLING_DAY', message: `no calls on this weekday (${lt.date}) under ${r.name} rules` },
      ]
    const inside = days.some((w) => lt.minutes >= toMinutes(w.start) && lt.minutes < toMinutes(w.end))
    if (!inside) {
      const hh = String(Math.floor(lt.minutes / 60)).padStart(2, '0')
      const mm = String(lt.minutes % 60).padStart(2, '0')
      const win = days.map((w) => `${w.start}-${w.end}`).join(', ')
      return [
        {
          code: 'OUTSIDE_CALLING_WINDOW',
          message: `${hh}:${mm} local time (${c.timeZone}) is outside ${win}`,
        },
      ]
    }
    return []
  }

  /** Checks the attempt, retry and re-call rules (synchronous). */
  checkAttempts(c: DialCandidate, at: Date): Refusal[] {
    const r = this.o.regime
    const out: Refusal[] = []
    const attempts = c.attempts ?? []
    if (attempts.length >= r.maxAttempts)
      out.push({ code: 'ATTEMPT_LIMIT', message: `${attempts.length} attempts, limit ${r.maxAttempts}` })
    const last = attempts.reduce<Attempt | undefined>((a, b) => (!a || b.at > a.at ? b : a), undefined)
    if (last) {
      const rule = r.retry[last.disposition] ?? r.defaultRetry
      const same = attempts.filter((a) => a.disposition === last.disposition).length
      if (same >= rule.maxAttempts)
        out.push({
          code: 'DISPOSITION_ATTEMPT_LIMIT',
          message: `${same} attempts ended "${last.disposition}", limit ${rule.maxAttempts}`,
        })
      const next = last.at.getTime() + rule.retryAfterMinutes * 60_000
      if (at.getTime() < next)
        out.push({
          code: 'RETRY_TOO_SOON',
          message: `last attempt "${last.disposition}" at ${last.at.toISOString()}; retry after ${new Date(next).toISOString()}`,
        })
    }
    const block = Math.max(
      this.noRecall.get(c.contactId) ?? 0,
      ...attempts
        .filter((a) => a.disposition === 'abandoned' && r.noRecallAfterAbandonHours > 0)
        .map((a) => a.at.getTime() + r.noRecallAfterAbandonHours * 3_600_000),
    )
    if (at.getTime() < block)
      out.push({
        code: 'RECALL_AFTER_ABANDON',
        message: `an abandoned call blocks re-calls until ${new Date(block).toISOString()} (${r.noRecallAfterAbandonHours} h)`,
      })
    return out
  }

  /** Every rule: calling window, attempts, re-call block, suppression, do-not-call and consent. */
  async check(c: DialCandidate, at: Date): Promise<GuardVerdict> {
    const reasons: Refusal[] = [...this.checkWindow(c, at), ...this.checkAttempts(c, at)]
    if (this.o.isSuppressed?.(c.contactId))
      reasons.push({ code: 'SUPPRESSED', message: `contact ${c.contactId} is suppressed from the campaign` })
    if (this.o.isDoNotCall && (await this.o.isDoNotCall(c.phone)))
      reasons.push({ code: 'DO_NOT_CALL', message: `${c.phone} is on a do-not-call list` })
    if (this.o.canContact) {
      const v = await this.o.canContact(c.contactId, { channel: 'voice', purpose: this.o.purpose, at })
      if (!v.allowed) {
        for (const r of v.reasons) {
          const dnc = /do.?not.?call|dnc|robinson|tps/i.test(r.code)
          reasons.push({ code: dnc ? 'DO_NOT_CALL' : 'NO_CONSENT', message: `${r.code}: ${r.message}` })
        }
        if (v.reasons.length === 0)
          reasons.push({ code: 'NO_CONSENT', message: `no consent for "${this.o.purpose}"` })
      }
    }
    return { allowed: reasons.length === 0, reasons }
  }
}
