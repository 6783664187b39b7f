/**
 * `@switchboard/dialer/sim`: the campaign simulator, the benchmark's scenarios and scenario files,
 * its baselines, and the CMDP limit. For measuring pacers, not for running a campaign: the engine
 * is the main entry, `@switchboard/dialer`.
 */
export {
  AdaptiveRatioPacer,
  erlangBDialRate,
  LinesPerAgentPacer,
  StaticPoissonPacer,
} from './baselines.js'
export { type CmdpOptions, type CmdpResult, solveCmdp } from './cmdp.js'
export { deriveSeed, Rng } from './rng.js'
export {
  answerSchedule,
  liveShare,
  type Moments,
  markovVersion,
  meanDialSeconds,
  meanHandleSeconds,
  normalisedShares,
  progressiveClosedForm,
  SCENARIO_L,
  SCENARIO_M,
  SCENARIO_S,
  type Scenario,
  scenarioDetector,
  scenarioProfile,
  stressVariants,
} from './scenario.js'
export { parseScenarioFile, ScenarioFileEntry, ScenarioFileError } from './scenario-file.js'
export {
  CALIBRATION_EDGES,
  type CalibrationRow,
  type DecisionTiming,
  LeadFates,
  type RunMetrics,
  type SeriesRow,
  type SimOptions,
  simulate,
} from './simulator.js'
export type { CallTiming } from './timing.js'
