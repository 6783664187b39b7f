/**
 * Abandonment accounting by the US and the UK formula, over the regime's window, and the handling of
 * an abandoned call (record it, play the campaign's message, block re-calls where the regime says so).
 * The rules are core's (`Regime['abandonment']`, `regime.noRecallAfterAbandonSec`).
 */
import type { AbandonmentRule, Campaign } from '@switchboard/core/domain'

export interface AbandonmentFigures {
  /** Person-answered calls the dialer saw as live (connected or abandoned). */
  readonly live: number
  readonly abandoned: number
  /** Machine-detection false positives: counted when known (simulation) or estimated from the rule's rate. */
  readonly falsePositives: number
  /** abandoned / live. */
  readonly us: number
  /** (abandoned + false positives) / (live + false positives). */
  readonly uk: number
}

export function abandonmentRates(
  live: number,
  abandoned: number,
  falsePositives: number,
): AbandonmentFigures {
  return {
    live,
    abandoned,
    falsePositives,
    us: live > 0 ? abandoned / live : 0,
    uk: live + falsePositives > 0 ? (abandoned + falsePositives) / (live + falsePositives) : 0,
  }
}

/**
 * Counts live answers, abandoned calls and machine-detection false positives in one-minute buckets so
 * that any window (the campaign, 24 hours, 30 days: the rule's `windowSec`) can be queried. Times are
 * seconds on the campaign clock.
 */
export class AbandonmentLedger {
  private readonly rule: AbandonmentRule
  private readonly bucketSeconds = 60
  private readonly start: number[] = []
  private readonly live: number[] = []
  private readonly abandoned: number[] = []
  private readonly fp: number[] = []
  private head = 0
  private wLive = 0
  private wAbandoned = 0
  private wFp = 0
  private knownFp = false
  totalLive = 0
  totalAbandoned = 0
  totalFalsePositives = 0

  constructor(rule: AbandonmentRule) {
    this.rule = rule
  }

  private bucket(at: number): number {
    const b = Math.floor(at / this.bucketSeconds) * this.bucketSeconds
    const n = this.start.length
    if (n === 0 || this.start[n - 1]! < b) {
      this.start.push(b)
      this.live.push(0)
      this.abandoned.push(0)
      this.fp.push(0)
      return n
    }
    return n - 1
  }

  private evict(now: number): void {
    const from = now - this.rule.windowSec
    while (this.head < this.start.length && this.start[this.head]! + this.bucketSeconds <= from) {
      this.wLive -= this.live[this.head]!
      this.wAbandoned -= this.abandoned[this.head]!
      this.wFp -= this.fp[this.head]!
      this.head++
    }
    if (this.head > 4096 && this.head * 2 > this.start.length) {
      this.start.splice(0, this.head)
      this.live.splice(0, this.head)
      this.abandoned.splice(0, this.head)
      this.fp.splice(0, this.head)
      this.head = 0
    }
  }

  /** A person answered (and was classified live by detection); `abandoned` if no agent took the call in time. */
  recordLive(at: number, abandoned: boolean): void {
    const i = this.bucket(at)
    this.live[i]!++
    this.wLive++
    this.totalLive++
    if (abandoned) {
      this.abandoned[i]!++
      this.wAbandoned++
      this.totalAbandoned++
    }
  }

  /** A person whom machine detection took for a machine (known in simulation, or from a sample audit). */
  recordFalsePositive(at: number): void {
    this.knownFp = true
    const i = this.bucket(at)
    this.fp[i]!++
    this.wFp++
    this.totalFalsePositives++
  }

  private fpEstimate(live: number, counted: number): number {
    if (this.knownFp) return counted
    const r = this.rule.amdFalsePositiveRate
    return (r / (1 - r)) * live
  }

  /** Figures over the regime's window ending at `now`. */
  window(now: number): AbandonmentFigures {
    this.evict(now)
    return abandonmentRates(this.wLive, this.wAbandoned, this.fpEstimate(this.wLive, this.wFp))
  }

  /** Figures since the ledger started. */
  total(): AbandonmentFigures {
    return abandonmentRates(
      this.totalLive,
      this.totalAbandoned,
      this.fpEstimate(this.totalLive, this.totalFalsePositives),
    )
  }

  /** The rate by the regime's formula (`us` or `uk`) over its window. */
  rate(now: number): number {
    const w = this.window(now)
    return this.rule.formula === 'us' ? w.us : w.uk
  }
}

/**
 * The one thing the dialer needs from telephony when a call is abandoned. Declared here, structurally
 * (the dialer does not import telephony): core's `TelephonyBackend` satisfies it, as does
 * `Pick<TelephonyBackend, 'playMessage'>`.
 */
export interface AbandonedCallPlayer {
  playMessage(
    callId: string,
    request: { readonly media: string; readonly waitForEnd?: boolean },
  ): Promise<void>
}

export interface AbandonedCall {
  readonly callId: string
  readonly contactId: string
  /** Seconds on the campaign clock (the ledger's clock). */
  readonly at: number
  /** The same instant on the wall clock (the re-call block is kept in wall-clock time). */
  readonly wallClock: Date
  /**
   * The campaign the call belongs to: its `regime.noRecallAfterAbandonSec` (UK: 72 h) and its
   * `abandonMessage`, the media reference telephony plays.
   */
  readonly campaign: Pick<Campaign, 'regime' | 'abandonMessage'>
  /** Plays this media instead of the campaign's `abandonMessage`. */
  readonly media?: string
}

export interface AbandonedCallRecord {
  readonly callId: string
  readonly contactId: string
  /** Seconds on the campaign clock. */
  readonly at: number
  /** When the contact may be called again (the regime's `noRecallAfterAbandonSec` after `wallClock`), if ever blocked. */
  readonly noRecallUntil: Date | null
  readonly messagePlayed: boolean
  /** Why no message was played: the player failed, or the campaign has no message. */
  readonly error?: string
}

/**
 * Handles an abandoned call: records it in the ledger, asks telephony to play the campaign's message
 * (seller's name and a number to call back or opt out), and returns when the contact may be re-called.
 * A failing player never throws: the record says the message was not played, and why.
 *
 * @example
 * ```ts
 * import { regimes } from '@switchboard/core/domain'
 * import { AbandonmentLedger, handleAbandonedCall } from '@switchboard/dialer'
 *
 * const campaign = { regime: regimes.UK, abandonMessage: 'abandoned-uk.wav' }
 * const ledger = new AbandonmentLedger(campaign.regime.abandonment)
 * const rec = await handleAbandonedCall(
 *   { callId: 'call-1', contactId: 'ct-1', at: 3605.2, wallClock: new Date(), campaign },
 *   ledger,
 *   telephony, // core's TelephonyBackend, or any { playMessage(callId, { media }) }
 * )
 * rec.noRecallUntil // 72 hours later under UK rules (tell the guard too: guard.recordAbandoned)
 * ```
 */
export async function handleAbandonedCall(
  call: AbandonedCall,
  ledger: AbandonmentLedger,
  player: AbandonedCallPlayer,
): Promise<AbandonedCallRecord> {
  ledger.recordLive(call.at, true)
  const block = call.campaign.regime.noRecallAfterAbandonSec
  const noRecallUntil = block > 0 ? new Date(call.wallClock.getTime() + block * 1000) : null
  const base = { callId: call.callId, contactId: call.contactId, at: call.at, noRecallUntil }
  const media = call.media ?? call.campaign.abandonMessage
  if (!media) return { ...base, messagePlayed: false, error: 'the campaign has no abandonMessage' }
  try {
    await player.playMessage(call.callId, { media })
    return { ...base, messagePlayed: true }
  } catch (e) {
    return { ...base, messagePlayed: false, error: e instanceof Error ? e.message : String(e) }
  }
}
