export { type Clock, ManualClock, realClock, type TimerHandle } from '../shared/clock.js'
export {
  type AgentProfile,
  type AmdProfile,
  type CarrierProfile,
  type NumberScript,
  type SimulatedNetworkOptions,
  type SimulatedOutcome,
  SimulatedTelephony,
} from './network.js'
export { type Distribution, fixed, Rng, sample, uniform } from './random.js'

import { type SimulatedNetworkOptions, SimulatedTelephony } from './network.js'

/** Creates the simulated backend (a virtual carrier and virtual softphones). */
export const simulated = (options: SimulatedNetworkOptions = {}): SimulatedTelephony =>
  new SimulatedTelephony(options)
