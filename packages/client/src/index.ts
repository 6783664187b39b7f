/**
 * `@switchboard/client`: a typed client of `@switchboard/server` (types
 * inferred from its routes) and a framework-agnostic live store fed by its
 * server-sent events. Browser-safe: no Node built-ins.
 */
export { createSwitchboardClient, type SwitchboardClient, type SwitchboardClientOptions } from './client.js'
export { type HttpFieldIssue, type HttpRefusalReason, SwitchboardHttpError } from './errors.js'
export {
  createLiveStore,
  type LiveAgentState,
  type LiveCall,
  type LiveOffer,
  type LivePacing,
  type LivePacingPoint,
  type LiveState,
  type LiveStore,
  type LiveStoreOptions,
} from './live-store.js'
export type { EventsOptions, LiveEvent } from './sse.js'
