/**
 * `@switchboard/server`: Switchboard over HTTP, as a fetch handler on Hono
 * (JSON routes under `/api`, server-sent events at `/api/events`).
 */
export { routeList, type SwitchboardApp } from './app.js'
export type { Authenticate, Principal } from './auth.js'
export type { ErrorBody } from './errors.js'
export {
  createSwitchboardHandler,
  type SwitchboardHandler,
  type SwitchboardHandlerOptions,
} from './handler.js'
