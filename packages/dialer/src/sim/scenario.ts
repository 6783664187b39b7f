/** Benchmark scenarios (DIALER.md), their stress variants and their Markov versions. Durations in seconds. */
import { hours, minutes, type RegimeName } from '@switchboard/core/domain'
import { type CampaignProfile, type DetectorSetting, progressiveOccupancy } from '../feasibility.js'

export interface Moments {
  readonly mean: number
  readonly sd: number
}

export interface Scenario {
  readonly name: string
  readonly agents: number
  /** Length of the shift, in seconds. */
  readonly durationSec: number
  /** Shares of dials by core's `DialOutcome`: person, machine, no answer, busy or failed (they are normalised). */
  readonly shares: {
    readonly person: number
    readonly machine: number
    readonly no_answer: number
    /** Busy or failed: both end after `failedSec`. */
    readonly failed: number
  }
  /** Lognormal time until a person answers. */
  readonly personRing: Moments
  /** Lognormal time until a machine answers. */
  readonly machineRing: Moments
  readonly detectSec: number
  /** Share of machines detection catches. */
  readonly amdDetectRate: number
  /** Share of people detection takes for machines. */
  readonly amdFalsePositiveRate: number
  /** When a dial nobody answers ends, in seconds. */
  readonly noAnswerSec: number
  /** When a busy or failed dial ends, in seconds. */
  readonly failedSec: number
  /** Lognormal talk time. */
  readonly talk: Moments
  /** Gamma wrap-up time. */
  readonly wrap: Moments
  /** Seconds an agent spends on a machine detection missed. */
  readonly machineHandleSec: number
  /** A person not connected within this many seconds is abandoned. */
  readonly maxWaitSec: number
  /**
   * Markov version: every dial resolves after an exponential time with the mean dial duration, its
   * outcome independent of that time; handle time exponential; no waiting tolerance; missed machines
   * do not reach agents.
   */
  readonly markov: boolean
  /** The person-answer share is multiplied by `factor` from `atSec` seconds into the shift on (the rest rescaled). */
  readonly shift?: { readonly atSec: number; readonly factor: number }
  /**
   * A piecewise answer-rate schedule: from each `atSec` on, the person share is the scenario's times
   * `factor` (until the next entry). Applied after `shift` when both are given.
   */
  readonly schedule?: readonly { readonly atSec: number; readonly factor: number }[]
  /** The regime whose abandonment formula and window the campaign is paced and judged by (core's preset name). Default US. */
  readonly regime?: RegimeName
  /** Share of each agent's shift spent on breaks, in breaks of `lengthSec` seconds. */
  readonly breaks?: { readonly share: number; readonly lengthSec: number }
}

function base(
  name: string,
  agents: number,
  shares: [number, number, number, number],
  talk: number,
): Scenario {
  return {
    name,
    agents,
    durationSec: hours(8),
    shares: { person: shares[0], machine: shares[1], no_answer: shares[2], failed: shares[3] },
    personRing: { mean: 8, sd: 4 },
    machineRing: { mean: 10, sd: 5 },
    detectSec: 3,
    amdDetectRate: 0.9,
    amdFalsePositiveRate: 0.03,
    noAnswerSec: 25,
    failedSec: 3,
    talk: { mean: talk, sd: talk },
    wrap: { mean: 15, sd: 7.5 },
    machineHandleSec: 5,
    maxWaitSec: 2,
    markov: false,
  }
}

export const SCENARIO_S = base('S', 10, [0.3, 0.15, 0.45, 0.1], 180)
export const SCENARIO_M = base('M', 50, [0.2, 0.2, 0.45, 0.15], 150)
export const SCENARIO_L = base('L', 200, [0.12, 0.25, 0.45, 0.18], 120)

export function markovVersion(s: Scenario): Scenario {
  return { ...s, name: `${s.name}-markov`, markov: true, maxWaitSec: 0 }
}

/** Stress variants of a scenario: answer rate up 50% at hour 4, down 50% at hour 4, 10% on breaks, 5 agents. */
export function stressVariants(s: Scenario): Scenario[] {
  return [
    { ...s, name: `${s.name}-shift-up`, shift: { atSec: hours(4), factor: 1.5 } },
    { ...s, name: `${s.name}-shift-down`, shift: { atSec: hours(4), factor: 0.5 } },
    { ...s, name: `${s.name}-breaks`, breaks: { share: 0.1, lengthSec: minutes(15) } },
    { ...s, name: `${s.name}-5-agents`, agents: 5 },
  ]
}

export function normalisedShares(s: Scenario, factor = 1): [number, number, number, number] {
  const t = s.shares.person + s.shares.machine + s.shares.no_answer + s.shares.failed
  const p = Math.min(0.95, (s.shares.person / t) * factor)
  const rest = (t - s.shares.person) / t
  const k = rest > 0 ? (1 - p) / rest : 0
  return [p, (s.shares.machine / t) * k, (s.shares.no_answer / t) * k, (s.shares.failed / t) * k]
}

/** Mean time from launch to resolution of a dial (the Markov version's mean dial time). */
export function meanDialSeconds(s: Scenario): number {
  const [p, m, n, f] = normalisedShares(s)
  return p * s.personRing.mean + m * (s.machineRing.mean + s.detectSec) + n * s.noAnswerSec + f * s.failedSec
}

/** Probability that a dial reaches a person whom detection lets through (the dialer's "live" answer). */
export function liveShare(s: Scenario, factor = 1): number {
  return normalisedShares(s, factor)[0] * (1 - s.amdFalsePositiveRate)
}

export function meanHandleSeconds(s: Scenario): number {
  return s.talk.mean + s.wrap.mean
}

/**
 * Progressive occupancy in closed form (DIALER.md): h / (h + (1 - p)/p x mean failed-dial time + mean
 * person ring time), p the live-answer probability and "failed" every other dial, with the time an agent
 * waits on it (including detection and a missed machine's handling).
 */
export function progressiveClosedForm(s: Scenario): number {
  const h = meanHandleSeconds(s)
  if (s.markov) {
    const live = liveShare(s)
    const d = meanDialSeconds(s)
    return h / (h + ((1 - live) / live) * d + d)
  }
  return progressiveOccupancy(scenarioProfile(s), scenarioDetector(s))
}

/** The scenario as the engine's pre-campaign check sees it (`checkAbandonmentTarget`). */
export function scenarioProfile(s: Scenario): CampaignProfile {
  return {
    agents: Math.max(1, Math.round(s.agents * (1 - (s.breaks?.share ?? 0)))),
    shares: s.shares,
    personRingSec: s.personRing.mean,
    machineRingSec: s.machineRing.mean,
    noAnswerSec: s.noAnswerSec,
    failedSec: s.failedSec,
    handleSec: meanHandleSeconds(s),
    machineHandleSec: s.machineHandleSec,
  }
}

/** The scenario's answering-machine detector. */
export function scenarioDetector(s: Scenario): DetectorSetting {
  return {
    name: `detector (${(s.amdDetectRate * 100).toFixed(0)}% of machines, ${(s.amdFalsePositiveRate * 100).toFixed(1)}% of people)`,
    detectRate: s.amdDetectRate,
    falsePositiveRate: s.amdFalsePositiveRate,
    detectSec: s.detectSec,
  }
}

/** The answer-rate schedule of a scenario as (from second, person-share factor) steps, `shift` and `schedule` merged. */
export function answerSchedule(s: Scenario): { atSec: number; factor: number }[] {
  const steps = [{ atSec: 0, factor: 1 }]
  if (s.shift) steps.push({ atSec: s.shift.atSec, factor: s.shift.factor })
  for (const x of s.schedule ?? []) steps.push({ atSec: x.atSec, factor: x.factor })
  return steps.sort((a, b) => a.atSec - b.atSec)
}
