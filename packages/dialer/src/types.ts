/**
 * Public types shared by every pacing mode. The vocabulary (agent states, call phases, dial outcomes,
 * dial modes) is core's, from `@switchboard/core/domain`. Times and durations are in seconds.
 */
import type { AgentState, CallPhase, DialModeName, DialOutcome } from '@switchboard/core/domain'

/**
 * One agent as the pacer sees it: core's `AgentState` and the time the state began (same clock as
 * `now`). `available` agents take calls; `on_call`, `wrap_up` and `reserved` ones are busy;
 * `paused` and `offline` ones are not counted.
 */
export interface AgentView {
  state: AgentState
  since: number
}

/**
 * One call in flight: core's `CallPhase` (`ringing`, `detecting` while answering-machine detection
 * runs, `waiting` while a person waits for an agent, at most the regime's `maxWaitSec`) and when the
 * phase began.
 */
export interface CallView {
  phase: CallPhase
  since: number
}

/** The campaign statistics the caller may pass in (for example after a restart). */
export interface CampaignStats {
  readonly dials: number
  readonly personAnswers: number
  readonly abandoned: number
}

/** What a pacer is given at each decision. */
export interface CampaignSnapshot {
  /** Current time in seconds on the campaign's clock. */
  readonly now: number
  readonly agents: readonly AgentView[]
  readonly calls: readonly CallView[]
  readonly stats?: CampaignStats
}

/** The figures behind a decision, shown on the supervisor screen. */
export interface DecisionFigures {
  readonly availableAgents: number
  readonly busyAgents: number
  readonly callsInFlight: number
  /** Agents expected to free up within the pacing horizon. */
  readonly expectedFreeAgents?: number
  /** Person answers expected from the calls already in flight within the horizon. */
  readonly expectedConnects?: number
  /** Estimated probability that the last launched call, if a person answers, finds no agent. */
  readonly marginalAbandonRisk?: number
  /** The marginal risk threshold the budget tracker currently allows. */
  readonly riskThreshold?: number
  readonly personAnswerRate?: number
  readonly abandonmentSoFar?: number
  readonly abandonmentTarget?: number
  readonly ratio?: number
}

export interface PacingDecision {
  /** How many calls to launch now. */
  readonly launch: number
  /** Core's dial mode name for the engine's pacers; the benchmark's baselines use names of their own. */
  readonly mode: DialModeName | (string & {})
  /** A short human sentence: why this many. */
  readonly reason: string
  /**
   * For a model-based pacer: the predicted probability that each launched call (in launch order) finds
   * no agent in time if a person answers it. The benchmark compares it with what happened.
   */
  readonly risks?: ArrayLike<number>
  readonly figures: DecisionFigures
}

/** Feedback the pacer learns from. Times (`at`) are seconds on the campaign clock. */
export type PacingEvent =
  | { readonly type: 'dial'; readonly at: number; readonly count: number }
  /**
   * A call finished ringing: core's `DialOutcome`, answered (or given up) `ringSec` seconds after its
   * launch. The estimators learn four classes: `busy` is counted with `failed` (both end quickly without
   * a person).
   */
  | {
      readonly type: 'outcome'
      readonly at: number
      readonly outcome: DialOutcome
      readonly ringSec: number
      /**
       * Seconds between the answer and this report: answering-machine detection reports a machine (or a
       * person it takes for one) a few seconds after the answer. The call was launched at
       * `at - ringSec - detectSec`. Default 0 (reported at the answer).
       */
      readonly detectSec?: number
    }
  /** A person was connected to an agent after `waitSec` seconds, or abandoned. */
  | { readonly type: 'connect'; readonly at: number; readonly waitSec: number; readonly abandoned: boolean }
  | { readonly type: 'talk'; readonly at: number; readonly durationSec: number }
  | { readonly type: 'wrap_up'; readonly at: number; readonly durationSec: number }

export interface Pacer {
  readonly name: string
  readonly mode: DialModeName | (string & {})
  decide(snapshot: CampaignSnapshot): PacingDecision
  observe(event: PacingEvent): void
}
