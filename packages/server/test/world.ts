// A small contact center behind the HTTP handler, for the server's and the
// client's tests: one database (SQLite in memory, or a PostgreSQL schema when
// SWITCHBOARD_PG_URL is set), the simulated network on a virtual clock shared
// by core and the runtime, two tenants with agents, contacts and a campaign.
import { randomBytes } from 'node:crypto'
import type { AddressInfo } from 'node:net'
import { serve } from '@hono/node-server'
import { type CampaignRuntime, createCampaignRuntime } from '@switchboard/campaigns'
import {
  type Agent,
  type AgentId,
  type Campaign,
  type CampaignInput,
  type Contact,
  createSwitchboard,
  type StorageBackend,
  type Switchboard,
  type TenantApi,
} from '@switchboard/core'
import { postgresStorage } from '@switchboard/storage-postgres'
import { sqliteStorage } from '@switchboard/storage-sqlite'
import {
  ManualClock,
  type NumberScript,
  type SimulatedNetworkOptions,
  SimulatedTelephony,
} from '@switchboard/telephony/simulated'
import { createSwitchboardHandler, type Principal, type SwitchboardHandler } from '../src/index.js'

export const PG_URL = process.env.SWITCHBOARD_PG_URL
export const BACKENDS: Array<'sqlite' | 'postgres'> = PG_URL ? ['sqlite', 'postgres'] : ['sqlite']

/** Tuesday 6 January 2026, 09:00 in New York: inside the US calling window. */
export const START = Date.UTC(2026, 0, 6, 14, 0, 0)

export const phoneOf = (tenant: number, i: number) => `+1212555${String(tenant * 100 + i).padStart(4, '0')}`

export interface TenantSeed {
  readonly t: TenantApi
  readonly agents: Agent[]
  readonly contacts: Contact[]
  readonly campaign: Campaign
}

export interface ServerWorld {
  readonly sb: Switchboard
  readonly clock: ManualClock
  readonly tel: SimulatedTelephony
  readonly runtime: CampaignRuntime
  readonly handler: SwitchboardHandler
  readonly a: TenantSeed
  readonly b: TenantSeed
  /** Bearer tokens: `agentA0`, `agentA1`, `supA`, `agentB0`, `supB`. */
  readonly tokens: Readonly<Record<string, Principal>>
  /** Errors the handler logged (500s). */
  readonly logged: unknown[]
  /** A request through `handler.fetch` as the token's principal (none: unauthenticated). */
  request(token: string | undefined, method: string, path: string, body?: unknown): Promise<Response>
  /** Advances virtual time by `sec`, in steps, letting the runtime's storage work settle at each. */
  advance(sec: number, stepSec?: number): Promise<void>
  /** Advances virtual time (half a second at a time, up to `maxSec`) until `done()` holds. */
  advanceUntil(done: () => boolean, maxSec?: number): Promise<void>
  /** Serves the handler on 127.0.0.1 (port 0); returns the base URL. */
  listen(): Promise<string>
  close(): Promise<void>
}

export interface ServerWorldOptions {
  readonly backend: 'sqlite' | 'postgres'
  readonly contacts?: number
  readonly scripts?: (i: number) => NumberScript | undefined
  readonly network?: Partial<SimulatedNetworkOptions>
  /** Overrides of acme's campaign. */
  readonly campaign?: Partial<CampaignInput>
  readonly handler?: Partial<Parameters<typeof createSwitchboardHandler>[0]>
}

function storageFor(kind: 'sqlite' | 'postgres'): StorageBackend {
  if (kind === 'sqlite') return sqliteStorage({ file: ':memory:' })
  if (!PG_URL) throw new Error('SWITCHBOARD_PG_URL is not set: source .ci/postgres.sh')
  return postgresStorage({
    connectionString: PG_URL,
    schema: `sb_srv_${randomBytes(5).toString('hex')}`,
    poolSize: 4,
  })
}

async function seed(
  t: TenantApi,
  index: number,
  contactsN: number,
  agentsN: number,
  campaign: Partial<CampaignInput> = {},
): Promise<TenantSeed> {
  const agents: Agent[] = []
  for (let i = 0; i < agentsN; i++) agents.push(await t.agents.create({ name: `Agent ${index}-${i}` }))
  const contacts: Contact[] = []
  for (let i = 0; i < contactsN; i++)
    contacts.push(
      await t.contacts.create({
        firstName: `Lead${index}x${i}`,
        lastName: 'Test',
        phones: [phoneOf(index, i)],
        timeZone: 'America/New_York',
      }),
    )
  const created = await t.campaigns.create({
    name: `Renewals ${index}`,
    kind: 'telemarketing',
    dialMode: { mode: 'progressive' },
    regime: 'US',
    consentPurpose: 'marketing',
    abandonMessage: 'abandoned.wav',
    ...campaign,
  })
  return { t, agents, contacts, campaign: created }
}

export async function serverWorld(o: ServerWorldOptions): Promise<ServerWorld> {
  const clock = new ManualClock(START)
  const contactsN = o.contacts ?? 6
  const numbers: Record<string, NumberScript> = {}
  for (let i = 0; i < contactsN; i++) {
    const s = o.scripts?.(i)
    if (s) {
      numbers[phoneOf(1, i)] = s
      numbers[phoneOf(2, i)] = s
    }
  }
  const tel = new SimulatedTelephony({
    seed: 7,
    clock,
    anyAgent: true,
    agents: {},
    numbers,
    // answering-machine detection never takes these people for machines
    amd: { specificity: 1 },
    ...o.network,
  } as SimulatedNetworkOptions)
  await tel.start()
  const sb = await createSwitchboard({ storage: storageFor(o.backend), telephony: tel, clock, outbox: false })
  const a = await seed(sb.tenant('acme'), 1, contactsN, 2, o.campaign)
  const b = await seed(sb.tenant('beta'), 2, 3, 1)
  const runtime = createCampaignRuntime(sb, { clock, followIntervalMs: 50 })
  const tokens: Record<string, Principal> = {
    agentA0: { tenantId: 'acme', agentId: a.agents[0]!.id as AgentId, roles: ['agent'] },
    agentA1: { tenantId: 'acme', agentId: a.agents[1]!.id as AgentId, roles: ['agent'] },
    supA: { tenantId: 'acme', roles: ['supervisor'] },
    agentB0: { tenantId: 'beta', agentId: b.agents[0]!.id as AgentId, roles: ['agent'] },
    supB: { tenantId: 'beta', roles: ['supervisor'] },
  }
  const logged: unknown[] = []
  const handler = createSwitchboardHandler({
    sb,
    runtime,
    authenticate: (req) => {
      const token = req.headers.get('authorization')?.replace(/^Bearer /, '')
      return token ? (tokens[token] ?? null) : null
    },
    log: (m, e) => {
      logged.push(e)
      console.error(m, e)
    },
    clock,
    sse: { heartbeatMs: 200 },
    pacingIntervalMs: 100,
    ...o.handler,
  })
  const servers: Array<{ close(cb?: () => void): void }> = []
  const advance = async (sec: number, stepSec = 0.2) => {
    for (let done = 0; done < sec - 1e-9; done += stepSec) {
      await clock.advance(Math.min(stepSec, sec - done))
      await runtime.settled()
    }
  }
  return {
    sb,
    clock,
    tel,
    runtime,
    handler,
    a,
    b,
    tokens,
    logged,
    request(token, method, path, body) {
      const headers: Record<string, string> = {}
      if (token) headers.authorization = `Bearer ${token}`
      if (body !== undefined) headers['content-type'] = 'application/json'
      return handler.fetch(
        new Request(`http://localhost${path}`, {
          method,
          headers,
          ...(body !== undefined ? { body: typeof body === 'string' ? body : JSON.stringify(body) } : {}),
        }),
      )
    },
    advance,
    async advanceUntil(done, maxSec = 60) {
      for (let t = 0; t < maxSec && !done(); t += 0.5) {
        await advance(0.5)
        // let the event streams deliver what the step published
        await new Promise((resolve) => setTimeout(resolve, 5))
      }
      if (!done()) throw new Error(`not done after ${maxSec} virtual seconds`)
    },
    async listen() {
      const server = await new Promise<ReturnType<typeof serve>>((resolve) => {
        const s = serve({ fetch: handler.fetch, port: 0, hostname: '127.0.0.1' }, () => resolve(s))
      })
      servers.push(server)
      const { port } = server.address() as AddressInfo
      return `http://127.0.0.1:${port}`
    },
    async close() {
      await handler.close()
      for (const s of servers) {
        ;(s as unknown as { closeAllConnections?: () => void }).closeAllConnections?.()
        await new Promise<void>((resolve) => s.close(() => resolve()))
      }
      await runtime.close()
      await tel.stop()
      await sb.close()
    },
  }
}

/** Reads a JSON response, failing with its body when the status is not the expected one. */
export async function json<T = unknown>(res: Response | Promise<Response>, status = 200): Promise<T> {
  const r = await res
  const text = await r.text()
  if (r.status !== status) throw new Error(`expected ${status}, got ${r.status}: ${text}`)
  return JSON.parse(text) as T
}
