// A contact center in a box for the runtime's end-to-end tests: one database
// (SQLite in memory or a PostgreSQL schema), the simulated network on a
// virtual clock shared with core and the runtime, agents, contacts, a
// campaign, and a driver that advances virtual time only once the runtime's
// storage work has settled.
import { randomBytes } from 'node:crypto'
import {
  type CampaignRuntime,
  type CampaignRuntimeOptions,
  createCampaignRuntime,
} from '@switchboard/campaigns'
import {
  type Agent,
  type Campaign,
  type CampaignInput,
  type Contact,
  createSwitchboard,
  type FeaturePlugin,
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
import pg from 'pg'

export const PG_URL = process.env.SWITCHBOARD_PG_URL
export const CI = process.env.CI === 'true' || process.env.CI === '1'

/** The backends every runtime test runs on (PostgreSQL when SWITCHBOARD_PG_URL is set; required in CI). */
export const BACKENDS: Array<'sqlite' | 'postgres'> = PG_URL || CI ? ['sqlite', 'postgres'] : ['sqlite']

const schemas: string[] = []

export function openStorage(kind: 'sqlite' | 'postgres', schema?: string): StorageBackend {
  if (kind === 'sqlite') return sqliteStorage({ file: ':memory:' })
  if (!PG_URL)
    throw new Error('SWITCHBOARD_PG_URL is not set: source .ci/postgres.sh (CI runs the PostgreSQL half too)')
  const s = schema ?? `sb_rt_${randomBytes(5).toString('hex')}`
  schemas.push(s)
  return postgresStorage({ connectionString: PG_URL, schema: s, poolSize: 6 })
}

/** Drops the PostgreSQL schemas the tests made. */
export async function dropSchemas(): Promise<void> {
  if (!PG_URL || !schemas.length) return
  const admin = new pg.Client({ connectionString: PG_URL })
  await admin.connect()
  for (const s of schemas.splice(0)) await admin.query(`drop schema if exists "${s}" cascade`)
  await admin.end()
}

/** Tuesday 6 January 2026, 09:00 in New York: inside the US calling window. */
export const START = Date.UTC(2026, 0, 6, 14, 0, 0)

export interface World {
  readonly sb: Switchboard
  readonly t: TenantApi
  readonly clock: ManualClock
  readonly tel: SimulatedTelephony
  readonly runtime: CampaignRuntime
  readonly campaign: Campaign
  readonly agents: Agent[]
  readonly contacts: Contact[]
  /** Advances virtual time by `sec`, in steps, letting the runtime's storage work settle at each. */
  advance(sec: number, stepSec?: number): Promise<void>
  close(): Promise<void>
}

export interface WorldOptions {
  readonly backend: 'sqlite' | 'postgres'
  readonly agents?: number
  readonly contacts?: number
  /** Number scripts by contact index. */
  readonly scripts?: (i: number) => NumberScript | undefined
  readonly campaign?: Partial<CampaignInput>
  readonly network?: Partial<SimulatedNetworkOptions>
  readonly seed?: number
  readonly tenant?: string
  readonly storage?: StorageBackend
  readonly inbound?: boolean
  readonly worker?: string
  /** Log in the agents to the campaign (default true). */
  readonly login?: boolean
  /** The virtual clock's start (epoch ms; default START). */
  readonly start?: number
  /** How often the runtime reads other processes' events (real ms, default 50). */
  readonly followIntervalMs?: number
  /** Feature plugins of the instance (a lead score). */
  readonly plugins?: ReadonlyArray<FeaturePlugin>
  /** The runtime's list order (default first in, first out). */
  readonly listOrder?: CampaignRuntimeOptions['listOrder']
}

/** Advances a virtual clock in steps, letting the runtime's storage work settle after each. */
export const advancer =
  (clock: ManualClock, runtime: CampaignRuntime) =>
  async (sec: number, stepSec = 0.2): Promise<void> => {
    for (let done = 0; done < sec - 1e-9; done += stepSec) {
      await clock.advance(Math.min(stepSec, sec - done))
      await runtime.settled()
    }
  }

export const phoneOf = (i: number) => `+1212555${String(1000 + i).padStart(4, '0')}`

export async function world(o: WorldOptions): Promise<World> {
  const clock = new ManualClock(o.start ?? START)
  const tenant = o.tenant ?? 'acme'
  const contactsN = o.contacts ?? 20
  const numbers: Record<string, NumberScript> = {}
  for (let i = 0; i < contactsN; i++) {
    const s = o.scripts?.(i)
    if (s) numbers[phoneOf(i)] = s
  }
  const tel = new SimulatedTelephony({
    seed: o.seed ?? 7,
    clock,
    anyAgent: true,
    agents: {},
    numbers,
    ...o.network,
  })
  await tel.start()
  const sb = await createSwitchboard({
    storage: o.storage ?? openStorage(o.backend),
    telephony: tel,
    clock,
    outbox: false,
    ...(o.plugins ? { plugins: o.plugins } : {}),
  })
  const t = sb.tenant(tenant)
  const agents: Agent[] = []
  for (let i = 0; i < (o.agents ?? 3); i++) agents.push(await t.agents.create({ name: `Agent ${i}` }))
  const contacts: Contact[] = []
  for (let i = 0; i < contactsN; i++)
    contacts.push(
      await t.contacts.create({
        firstName: `Lead${i}`,
        lastName: 'Test',
        phones: [phoneOf(i)],
        timeZone: 'America/New_York',
      }),
    )
  const campaign = await t.campaigns.create({
    name: 'Renewals',
    kind: 'telemarketing',
    dialMode: { mode: 'progressive' },
    regime: 'US',
    consentPurpose: 'marketing',
    abandonMessage: 'abandoned.wav',
    ...o.campaign,
  })
  await t.lists.enqueue(
    campaign.id,
    contacts.map((c) => c.id),
  )
  if (o.login !== false) for (const a of agents) await t.sessions.login(a.id, { campaignIds: [campaign.id] })
  const runtime = createCampaignRuntime(sb, {
    clock,
    ...(o.worker ? { worker: o.worker } : {}),
    ...(o.inbound ? { inbound: { tenant } } : {}),
    followIntervalMs: o.followIntervalMs ?? 50,
    ...(o.listOrder ? { listOrder: o.listOrder } : {}),
  })
  const advance = advancer(clock, runtime)
  return {
    sb,
    t,
    clock,
    tel,
    runtime,
    campaign,
    agents,
    contacts,
    advance,
    async close() {
      await runtime.close()
      await tel.stop()
      await sb.close()
    },
  }
}

/**
 * Agents that code every call after a wrap-up time: `code(i)` picks the code
 * of the i-th call they end (deterministic), `wrapSec` how long they take.
 */
export function scriptedAgents(
  w: World,
  behaviour: { code: (n: number, callId: string) => string | undefined; wrapSec?: number },
): { coded: number } {
  const state = { coded: 0 }
  let n = 0
  w.runtime.on('call.ended', (e) => {
    if (!e.agentId || !e.wrapUntil) return
    const code = behaviour.code(n++, e.callId)
    if (!code) return
    w.clock.setTimeout(
      () => {
        void w.runtime.dispose(w.t.tenantId, e.agentId!, { code }).then(() => state.coded++)
      },
      (behaviour.wrapSec ?? 5) * 1000,
    )
  })
  return state
}
