/**
 * `@switchboard/campaigns`: the campaign runtime, the one place where core's
 * services, the dialer engine and a telephony backend meet.
 */
export { AgentPool, type PooledAgent } from './agent-pool.js'
export type { CampaignRunStatus } from './campaign-run.js'
export { type RuntimeClock, systemClock } from './clock.js'
export { ClickToCallRefused } from './errors.js'
export type { CallOffered, RuntimeEvents } from './events.js'
export * from './reports/index.js'
export {
  type CampaignRuntime,
  type CampaignRuntimeOptions,
  type ClickToCallInput,
  createCampaignRuntime,
} from './runtime.js'
