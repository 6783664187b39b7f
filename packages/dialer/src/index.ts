/**
 * `@switchboard/dialer`: the pacing engine. Pacers (preview, progressive, power, predictive), the
 * compliance guard, abandonment accounting and the abandoned-call handler, and the estimators the
 * predictive pacer exposes. The vocabulary (regimes, dial modes and outcomes, agent states, call
 * phases, refusal codes, durations in seconds) is core's: import it from `@switchboard/core/domain`.
 *
 * The simulator, the benchmark's scenarios and baselines, and the CMDP limit are
 * `@switchboard/dialer/sim`.
 */
export {
  type AbandonedCall,
  type AbandonedCallPlayer,
  type AbandonedCallRecord,
  type AbandonmentFigures,
  AbandonmentLedger,
  abandonmentRates,
  handleAbandonedCall,
} from './abandonment.js'
export {
  DurationHistogram,
  type DurationPrior,
  OutcomeEstimator,
  type OutcomeEstimatorOptions,
} from './estimators.js'
export {
  assessDetector,
  type CampaignProfile,
  checkAbandonmentTarget,
  DETECTION_OFF,
  type DetectorAssessment,
  type DetectorSetting,
  type FeasibilityReport,
  progressiveOccupancy,
  STANDARD_DETECTOR,
  STRICT_DETECTOR,
} from './feasibility.js'
export {
  type CanContact,
  ComplianceGuard,
  type DialCandidate,
  type GuardCampaign,
  type GuardOptions,
  type GuardVerdict,
} from './guard.js'
export { PowerPacer, PreviewPacer, ProgressivePacer, pacerFor } from './modes.js'
export {
  DEFAULT_PRIORS,
  type PredictiveOptions,
  PredictivePacer,
  type PredictivePriors,
} from './predictive.js'
export type {
  AgentView,
  CallView,
  CampaignSnapshot,
  CampaignStats,
  DecisionFigures,
  Pacer,
  PacingDecision,
  PacingEvent,
} from './types.js'
