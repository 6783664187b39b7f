/** Public types shared by every pacing mode. Times are in seconds. */

export type DialMode = 'preview' | 'progressive' | 'power' | 'predictive'

export type AgentState = 'available' | 'talking' | 'wrap' | 'paused' | 'offline'

/** One agent as the pacer sees it: state and the time the state began (same clock as `now`). */
export interface AgentView {
  state: AgentState
  since: number
}

/**
 * One call in flight: `ringing` (launched, not answered yet), `detecting` (answered, answering-machine
 * detection running) or `waiting` (a person answered and waits for an agent, at most the regime's 2 s).
 */
export type CallPhase = 'ringing' | 'detecting' | 'waiting'

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
  readonly mode: DialMode | string
  /** A short human sentence: why this many. */
  readonly reason: string
  readonly figures: DecisionFigures
}

export type DialOutcome = 'person' | 'machine' | 'noAnswer' | 'failed'

/** Feedback the pacer learns from. */
export type PacingEvent =
  | { readonly type: 'dial'; readonly at: number; readonly count: number }
  /** A call finished ringing: who answered, after how long (`ringTime`, seconds since launch). */
  | {
      readonly type: 'outcome'
      readonly at: number
      readonly outcome: DialOutcome
      readonly ringTime: number
    }
  /** A person was connected to an agent after `wait` seconds, or abandoned. */
  | { readonly type: 'connect'; readonly at: number; readonly wait: number; readonly abandoned: boolean }
  | { readonly type: 'talk'; readonly at: number; readonly duration: number }
  | { readonly type: 'wrap'; readonly at: number; readonly duration: number }

export interface Pacer {
  readonly name: string
  readonly mode: DialMode | string
  decide(snapshot: CampaignSnapshot): PacingDecision
  observe(event: PacingEvent): void
}
