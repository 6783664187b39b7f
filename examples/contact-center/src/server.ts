// The interactive demo: the contact center on a virtual clock moved by real
// time at `speed`, the Switchboard HTTP API at /api for two seats (the human
// agent and the supervisor, each with a token printed in its URL), and the
// agent desktop and supervisor pages, on 127.0.0.1 only.
import { randomBytes, timingSafeEqual } from 'node:crypto'
import type { AddressInfo } from 'node:net'
import { serve } from '@hono/node-server'
import { createSwitchboardHandler, type Principal } from '@switchboard/server'
import { type Asset, bundlePages } from './bundle.ts'
import { type Center, type CenterOptions, openCenter, TENANT } from './center.ts'
import { realtimeTicker, type Ticker } from './clock.ts'
import { pageHtml } from './pages.ts'
import { simulate } from './simulation.ts'

export interface DemoOptions {
  readonly file: string
  /** 0 picks a free port. */
  readonly port: number
  /** Virtual seconds per real second (default 1). */
  readonly speed?: number
  readonly agents?: number
  readonly contacts?: number
  readonly seed?: number
  /** See `CenterOptions.amd`. */
  readonly amd?: CenterOptions['amd']
  /** Where background failures go (default console.error). */
  readonly log?: (message: string, error: unknown) => void
}

export interface Demo {
  readonly urls: { readonly agent: string; readonly supervisor: string; readonly base: string }
  readonly tokens: { readonly agent: string; readonly supervisor: string }
  readonly speed: number
  /** The running center (tests read the database and the clock through it). */
  readonly center: Center
  close(): Promise<void>
}

/** How long the simulated agents keep working (virtual seconds): the whole calling day. */
const DAY_SEC = 13 * 3600

const COOKIE = 'sb_demo_token'

/** The seat's token: the pages' Authorization header, else `?token=`, else the cookie a page set (a CSV link). */
const bearer = (req: Request): string | undefined => {
  const h = req.headers.get('authorization')
  if (h?.startsWith('Bearer ')) return h.slice(7)
  const q = new URL(req.url).searchParams.get('token')
  if (q) return q
  return /(?:^|;\s*)sb_demo_token=([0-9a-f]+)/.exec(req.headers.get('cookie') ?? '')?.[1]
}
const same = (a: string, b: string) =>
  a.length === b.length && timingSafeEqual(Buffer.from(a), Buffer.from(b))

export async function startDemo(o: DemoOptions): Promise<Demo> {
  const speed = o.speed ?? 1
  const log = o.log ?? ((m: string, e: unknown) => console.error(`demo: ${m}`, e))
  const center = await openCenter({
    file: o.file,
    seed: o.seed ?? 1,
    agents: o.agents ?? 8,
    contacts: o.contacts ?? 600,
    seat: true,
    ...(o.amd ? { amd: o.amd } : {}),
  })
  const { t, runtime, clock, campaign } = center
  const seat = center.seat!
  runtime.on('runtime.error', (e) => log(e.message, e.error))
  for (const a of center.agents) await t.sessions.login(a.id, { campaignIds: [campaign.id] })
  const sim = simulate(center, {
    seed: o.seed ?? 1,
    agents: center.agents.map((a) => a.id),
    shiftSec: DAY_SEC,
  })
  await runtime.start(t.tenantId, campaign.id)

  const tokens = { agent: randomBytes(16).toString('hex'), supervisor: randomBytes(16).toString('hex') }
  const principals: ReadonlyArray<[string, Principal]> = [
    [tokens.agent, { tenantId: TENANT, agentId: seat.id, roles: ['agent'] }],
    [tokens.supervisor, { tenantId: TENANT, roles: ['supervisor'] }],
  ]
  const handler = createSwitchboardHandler({
    sb: center.sb,
    runtime,
    // events and pacing figures are stamped in the shift's virtual time
    clock,
    authenticate: async (req) => {
      const token = bearer(req)
      return (token && principals.find(([k]) => same(k, token))?.[1]) || null
    },
    log,
  })
  const assets: ReadonlyMap<string, Asset> = await bundlePages()
  const tiers = (await t.desk.tiers()).map((x) => ({ id: x.id, name: x.name, level: x.level }))
  const config = { campaignId: campaign.id, tiers, shiftStart: new Date(clock.now()).toISOString() }
  const html = (page: 'agent' | 'supervisor', req: Request) => {
    const token = new URL(req.url).searchParams.get('token') ?? ''
    const known = principals.some(([k]) => same(k, token))
    return new Response(pageHtml(page, { css: assets.has(`${page}.css`), config }), {
      headers: {
        'content-type': 'text/html; charset=utf-8',
        'cache-control': 'no-store',
        // the supervisor's CSV download is a plain link: it authenticates with this cookie
        ...(known && page === 'supervisor'
          ? { 'set-cookie': `${COOKIE}=${token}; HttpOnly; SameSite=Strict; Path=/api` }
          : {}),
      },
    })
  }
  const fetch = async (req: Request): Promise<Response> => {
    const { pathname } = new URL(req.url)
    if (pathname === '/api' || pathname.startsWith('/api/')) return handler.fetch(req)
    if (req.method !== 'GET') return new Response('method not allowed', { status: 405 })
    if (pathname === '/agent' || pathname === '/supervisor') return html(pathname.slice(1) as 'agent', req)
    // the virtual clock, so a page can show the time and book a callback "in 5 minutes"
    if (pathname === '/demo/clock')
      return Response.json({ now: new Date(clock.now()).toISOString(), speed, campaignId: campaign.id })
    const asset = pathname.startsWith('/assets/') ? assets.get(pathname.slice(8)) : undefined
    if (asset) return new Response(asset.body, { headers: { 'content-type': asset.type } })
    if (pathname === '/') return new Response(null, { status: 302, headers: { location: '/supervisor' } })
    return new Response('not found', { status: 404 })
  }

  const server = await new Promise<ReturnType<typeof serve>>((resolve, reject) => {
    const s = serve({ fetch, port: o.port, hostname: '127.0.0.1' }, () => resolve(s))
    s.once('error', reject)
  })
  const ticker: Ticker = realtimeTicker(clock, runtime, { speed })
  const port = (server.address() as AddressInfo).port
  const base = `http://127.0.0.1:${port}`
  return {
    urls: {
      base,
      agent: `${base}/agent?token=${tokens.agent}`,
      supervisor: `${base}/supervisor?token=${tokens.supervisor}`,
    },
    tokens,
    speed,
    center,
    async close() {
      await handler.close()
      await new Promise<void>((r) => {
        server.close(() => r())
        ;(server as { closeAllConnections?: () => void }).closeAllConnections?.()
      })
      await ticker.stop()
      sim.stop()
      await center.close()
    },
  }
}
