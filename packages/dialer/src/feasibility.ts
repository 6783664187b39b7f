/**
 * Before a campaign starts: can its abandonment target be met with its answering-machine detector?
 * Under the UK formula the people detection takes for machines count as abandoned, so a detector's
 * false positives alone can use up (or exceed) the limit, whatever the pacing. This module says so in
 * figures and offers the alternatives (detection off, a stricter detector) with their expected occupancy.
 */
import type { AbandonmentRule } from '@switchboard/core/domain'
import { erlangB } from './dists.js'

/** An answering-machine detector setting. */
export interface DetectorSetting {
  readonly name: string
  /** Share of machines it recognises (0 when detection is off: every machine reaches an agent). */
  readonly detectRate: number
  /** Share of people it takes for machines (hung up on: abandoned under the UK formula). */
  readonly falsePositiveRate: number
  /** Seconds it listens after the answer. */
  readonly detectSec: number
}

/** What the campaign is expected to look like (estimates from past campaigns, or the defaults). */
export interface CampaignProfile {
  /** Agents logged in. */
  readonly agents: number
  /** Shares of dials: a person, a machine, no answer, busy or failed (normalised). */
  readonly shares: {
    readonly person: number
    readonly machine: number
    readonly no_answer: number
    readonly failed: number
  }
  /** Mean seconds until a person answers, until a machine answers. */
  readonly personRingSec: number
  readonly machineRingSec: number
  /** Seconds before a dial nobody answers is given up; seconds a busy or failed dial takes. */
  readonly noAnswerSec: number
  readonly failedSec: number
  /** Mean talk plus wrap-up seconds per connected person. */
  readonly handleSec: number
  /** Seconds an agent spends on a machine that reaches them. */
  readonly machineHandleSec: number
}

export interface DetectorAssessment {
  readonly detector: DetectorSetting
  /** The rate by the regime's formula with no abandoned call at all (the detector's false positives alone). */
  readonly floorRate: number
  /** The share of live answers that pacing may abandon while the regime's rate stays at the limit (< 0: none). */
  readonly abandonBudget: number
  /** Whether the limit can be met at all (the floor is under the limit; at the limit it would be met only by luck). */
  readonly feasible: boolean
  /** Progressive occupancy (talk and wrap-up over logged-in time), in closed form: what a campaign with no budget gets. */
  readonly progressiveOccupancy: number
  /**
   * Expected occupancy of the predictive pacer with this detector: an estimate (the larger of the
   * progressive occupancy and an Erlang B fluid bound at the budget), 0 when the limit cannot be met.
   */
  readonly expectedOccupancy: number
}

export interface FeasibilityReport {
  readonly formula: AbandonmentRule['formula']
  readonly limit: number
  readonly configured: DetectorAssessment
  /** The other settings, best expected occupancy first, feasible ones only. */
  readonly alternatives: readonly DetectorAssessment[]
  /** Plain words for the campaign manager. */
  readonly message: string
}

/** The spec's detector: catches 90% of machines, takes 3% of people for machines, listens 3 s. */
export const STANDARD_DETECTOR: DetectorSetting = {
  name: 'standard detector',
  detectRate: 0.9,
  falsePositiveRate: 0.03,
  detectSec: 3,
}
/** Detection off: machines reach agents, no person is ever hung up on by mistake. */
export const DETECTION_OFF: DetectorSetting = {
  name: 'detection off',
  detectRate: 0,
  falsePositiveRate: 0,
  detectSec: 0,
}
/** An illustrative stricter setting: takes 0.5% of people for machines, recognises 70% of machines. */
export const STRICT_DETECTOR: DetectorSetting = {
  name: 'strict detector',
  detectRate: 0.7,
  falsePositiveRate: 0.005,
  detectSec: 3,
}

/** The figures of one detector under one abandonment rule. */
export function assessDetector(
  rule: AbandonmentRule,
  profile: CampaignProfile,
  detector: DetectorSetting,
): DetectorAssessment {
  const fp = detector.falsePositiveRate
  const phi = rule.formula === 'uk' ? fp / (1 - fp) : 0 // false positives per live answer
  const floorRate = phi / (1 + phi)
  // UK: (A + FP) / (L + FP) <= limit  <=>  A / L <= limit (1 + phi) - phi
  const abandonBudget = rule.limit * (1 + phi) - phi
  const feasible = floorRate < rule.limit - 1e-9
  const progressive = progressiveOccupancy(profile, detector)
  const t = profile.shares.person + profile.shares.machine + profile.shares.no_answer + profile.shares.failed
  const live = (profile.shares.person / t) * (1 - fp)
  const missed = 1 - detector.detectRate
  // Erlang B fluid bound: machines that reach agents take a share of the agents' time
  const machineLoad =
    ((profile.shares.machine / t) * missed * profile.machineHandleSec) / (live * profile.handleSec)
  const erlang = erlangUtilisation(profile.agents, Math.max(0, abandonBudget)) / (1 + machineLoad)
  return {
    detector,
    floorRate,
    abandonBudget,
    feasible,
    progressiveOccupancy: progressive,
    expectedOccupancy: feasible ? Math.max(progressive, abandonBudget > 0 ? erlang : 0) : 0,
  }
}

/**
 * Progressive occupancy in closed form (DIALER.md): h / (h + (1 - p)/p x F + r), with h the mean talk plus
 * wrap-up, p the live-answer probability, F the mean time an agent waits on a dial that gives no live
 * person (detection and a missed machine's handling included) and r the mean person ring time.
 */
export function progressiveOccupancy(profile: CampaignProfile, detector: DetectorSetting): number {
  const t = profile.shares.person + profile.shares.machine + profile.shares.no_answer + profile.shares.failed
  const p = profile.shares.person / t
  const m = profile.shares.machine / t
  const n = profile.shares.no_answer / t
  const f = profile.shares.failed / t
  const fp = detector.falsePositiveRate
  const live = p * (1 - fp)
  const missed = 1 - detector.detectRate
  // agent time lost on the dials that give no live person, per live person
  const lost =
    p * fp * (profile.personRingSec + detector.detectSec) +
    m * (profile.machineRingSec + detector.detectSec + missed * profile.machineHandleSec) +
    n * profile.noAnswerSec +
    f * profile.failedSec
  const h = profile.handleSec
  return h / (h + lost / live + profile.personRingSec)
}

/** Utilisation of `servers` at the Poisson load whose Erlang B blocking is `blocking`. */
function erlangUtilisation(servers: number, blocking: number): number {
  if (blocking <= 0) return 0
  let lo = 0
  let hi = servers * 4 + 10
  for (let i = 0; i < 80; i++) {
    const mid = (lo + hi) / 2
    if (erlangB(servers, mid) < blocking) lo = mid
    else hi = mid
  }
  return (lo * (1 - blocking)) / servers
}

const pct = (x: number): string => `${(x * 100).toFixed(x < 0.1 ? 2 : 1)}%`

/**
 * Whether a campaign's abandonment target can be met with its detector, checked before it starts, and
 * the alternatives with their expected occupancy.
 *
 * @example
 * ```ts
 * import { regimes } from '@switchboard/core/domain'
 * import { checkAbandonmentTarget, STANDARD_DETECTOR } from '@switchboard/dialer'
 *
 * const report = checkAbandonmentTarget(regimes.UK.abandonment, STANDARD_DETECTOR, {
 *   agents: 50, shares: { person: 0.2, machine: 0.2, no_answer: 0.45, failed: 0.15 },
 *   personRingSec: 8, machineRingSec: 10, noAnswerSec: 25, failedSec: 3, handleSec: 165, machineHandleSec: 5,
 * })
 * report.configured.feasible // false: 3% false positives alone are 3% by the UK formula
 * report.message // "... Alternatives: detection off (expected occupancy ...), strict detector (...)"
 * ```
 */
export function checkAbandonmentTarget(
  rule: AbandonmentRule,
  detector: DetectorSetting,
  profile: CampaignProfile,
  alternatives: readonly DetectorSetting[] = [DETECTION_OFF, STRICT_DETECTOR],
): FeasibilityReport {
  const configured = assessDetector(rule, profile, detector)
  const alts = alternatives
    .filter((d) => d.name !== detector.name)
    .map((d) => assessDetector(rule, profile, d))
    .filter((a) => a.feasible)
    .sort((a, b) => b.expectedOccupancy - a.expectedOccupancy)
  const offer =
    alts.length > 0
      ? ` Alternatives: ${alts.map((a) => `${a.detector.name} (expected occupancy ${pct(a.expectedOccupancy)}, floor ${pct(a.floorRate)})`).join('; ')}.`
      : ' No alternative given meets it either.'
  let message: string
  if (!configured.feasible)
    message = `The ${pct(rule.limit)} limit (${rule.formula.toUpperCase()} formula) cannot be met with the ${detector.name}: the people it takes for machines alone make ${pct(configured.floorRate)}, even with no abandoned call (progressive included).${offer}`
  else if (configured.abandonBudget < rule.limit / 4)
    message = `The ${pct(rule.limit)} limit can be met with the ${detector.name}, but its false positives use ${pct(configured.floorRate)} of it: pacing keeps ${pct(Math.max(0, configured.abandonBudget))} of live answers for abandoned calls (expected occupancy ${pct(configured.expectedOccupancy)}).${offer}`
  else
    message = `The ${pct(rule.limit)} limit can be met with the ${detector.name} (expected occupancy ${pct(configured.expectedOccupancy)}).`
  return { formula: rule.formula, limit: rule.limit, configured, alternatives: alts, message }
}
