import { Hono } from 'hono'
import { bodyLimit } from 'hono/body-limit'
import { agentRoutes } from './agent.js'
import { type Authenticate, authentication, type Env } from './auth.js'
import { callRoutes } from './calls.js'
import { campaignRoutes } from './campaigns.js'
import { caseRoutes } from './cases.js'
import { contactRoutes } from './contacts.js'
import type { Deps } from './deps.js'
import { errorResponse, HttpRefusal } from './errors.js'
import { eventRoutes } from './events.js'
import { reportRoutes } from './reports.js'

/** Builds the Hono app: every route under `/api`, authenticated, size-limited, errors in one shape. */
export function buildApp(d: Deps, authenticate: Authenticate, bodyBytes: number) {
  const app = new Hono<Env>()
    .basePath('/api')
    .use(
      bodyLimit({
        maxSize: bodyBytes,
        onError: () => {
          throw new HttpRefusal(413, 'payload_too_large', `the body is over ${bodyBytes} bytes`)
        },
      }),
    )
    .use(authentication(authenticate, (id) => d.sb.tenant(id)))
    .route('/', agentRoutes(d))
    .route('/', callRoutes(d))
    .route('/', contactRoutes())
    .route('/', caseRoutes())
    .route('/', campaignRoutes(d))
    .route('/', reportRoutes(d.now))
    .route('/', eventRoutes(d))
  app.onError((e, c) => errorResponse(c, e, d.log))
  app.notFound((c) =>
    c.json({ error: { reason: 'not_found', message: `no route ${c.req.method} ${c.req.path}` } }, 404),
  )
  return app
}

/** The app's type: what `hc<SwitchboardApp>` infers the client from. */
export type SwitchboardApp = ReturnType<typeof buildApp>

/** Every route as "METHOD /path" (middleware left out): tests walk it so no route goes untested. */
export function routeList(app: { routes: ReadonlyArray<{ method: string; path: string }> }): string[] {
  const out = new Set<string>()
  for (const r of app.routes) if (r.method !== 'ALL') out.add(`${r.method} ${r.path}`)
  return [...out].sort()
}
