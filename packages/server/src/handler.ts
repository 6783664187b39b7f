import type { CampaignRuntime } from '@switchboard/campaigns'
import type { Switchboard } from '@switchboard/core'
import { buildApp, routeList, type SwitchboardApp } from './app.js'
import type { Authenticate } from './auth.js'
import { CallTracker } from './call-tracker.js'
import type { Deps } from './deps.js'
import { Journals } from './journal.js'
import { startPacing } from './pacing.js'
import { wireSources } from './sources.js'

export interface SwitchboardHandlerOptions {
  /** The Switchboard instance (core). */
  readonly sb: Switchboard
  /** The campaign runtime calls, sessions and campaigns run on. */
  readonly runtime: CampaignRuntime
  /** The host's authentication: the principal of a request, or null (401). */
  readonly authenticate: Authenticate
  /** Request body limit in bytes (default 64 KiB): a bigger body is 413. */
  readonly limits?: { readonly bodyBytes?: number }
  /** Heartbeat comment interval (default 15 000 ms); events kept per tenant for replay (default 2000, in memory). */
  readonly sse?: { readonly heartbeatMs?: number; readonly replay?: number }
  /** How often `campaign.pacing` events are sent per running campaign (ms, default 1000). */
  readonly pacingIntervalMs?: number
  /**
   * The clock the instance runs on, when it is not the system's (a simulation
   * passes its virtual clock, as to `createSwitchboard`): stamps what the
   * runtime's events leave unstamped (a call's end).
   */
  readonly clock?: { now(): number }
  /** Where internal errors go (the response says only "internal error"); default console.error. */
  readonly log?: (message: string, error: unknown) => void
}

export interface SwitchboardHandler {
  /** Framework-agnostic: a fetch `Request` in, a `Response` out. Routes are under `/api`. */
  fetch(request: Request): Promise<Response>
  /** The Hono app, to mount in a Hono host with `host.route('/', handler.app)`. */
  readonly app: SwitchboardApp
  /** Every route as "METHOD /path". */
  readonly routes: ReadonlyArray<string>
  /** Ends the event streams, the pacing timer and the event listeners. */
  close(): Promise<void>
}

/**
 * Switchboard over HTTP: the tenant API, agent sessions, the seven points
 * and the reports as JSON routes under `/api`, with server-sent events for
 * live state (`/api/events`). Every request is scoped to the tenant of the
 * principal `authenticate` returns; an agent acts only on their own calls.
 *
 * @example
 * ```ts
 * import { serve } from '@hono/node-server'
 * import { createCampaignRuntime } from '@switchboard/campaigns'
 * import { type AgentId, createSwitchboard } from '@switchboard/core'
 * import { createSwitchboardHandler } from '@switchboard/server'
 * import { sqliteStorage } from '@switchboard/storage-sqlite'
 *
 * const sb = await createSwitchboard({ storage: sqliteStorage({ file: ':memory:' }) })
 * const runtime = createCampaignRuntime(sb)
 * const handler = createSwitchboardHandler({
 *   sb,
 *   runtime,
 *   // A real host checks a session cookie or a token here.
 *   authenticate: (req) => {
 *     const agent = req.headers.get('x-agent')
 *     return agent ? { tenantId: 'acme', agentId: agent as AgentId, roles: ['agent'] } : null
 *   },
 * })
 * const server = serve({ fetch: handler.fetch, port: 8080, hostname: '127.0.0.1' })
 * // ... on shutdown:
 * await handler.close()
 * server.close()
 * ```
 */
export function createSwitchboardHandler(options: SwitchboardHandlerOptions): SwitchboardHandler {
  const log = options.log ?? ((message, error) => console.error(message, error))
  const journals = new Journals(positive(options.sse?.replay, 2000, 'sse.replay'))
  const calls = new CallTracker()
  const clock = options.clock ?? { now: () => Date.now() }
  const deps: Deps = {
    sb: options.sb,
    runtime: options.runtime,
    calls,
    journals,
    heartbeatMs: positive(options.sse?.heartbeatMs, 15_000, 'sse.heartbeatMs'),
    streams: new Set(),
    log,
    now: () => clock.now(),
  }
  const app = buildApp(
    deps,
    options.authenticate,
    positive(options.limits?.bodyBytes, 64 * 1024, 'limits.bodyBytes'),
  )
  const unwire = wireSources(options.sb, options.runtime, journals, calls, () => clock.now())
  const stopPacing = startPacing(
    options.sb,
    options.runtime,
    journals,
    positive(options.pacingIntervalMs, 1000, 'pacingIntervalMs'),
    log,
    () => clock.now(),
  )
  return {
    fetch: async (request) => app.fetch(request),
    app,
    routes: routeList(app),
    async close() {
      stopPacing()
      unwire()
      for (const close of [...deps.streams]) close()
    },
  }
}

function positive(value: number | undefined, fallback: number, name: string): number {
  if (value === undefined) return fallback
  if (!Number.isFinite(value) || value <= 0)
    throw new RangeError(`${name} must be a positive number, got ${value}`)
  return value
}
