// Campaign runtime benchmark (printed tables, never asserted): the runner's
// overhead per placed call at 200 agents on the simulated network, beside
// the bare pacing engine, in the same process and run.
//
// Each run is one virtual-time shift: A agents logged in to a predictive
// campaign (US regime) over a list of N contacts, the carrier's outcomes drawn
// from a seeded profile with short talk times, and scripted agents that code
// every call after a wrap time (as `scriptedAgents` in tests/e2e/campaigns/harness.ts).
// Three configurations are measured per run, one after the other:
//   1. the runtime (createCampaignRuntime) on SQLite in memory, and on
//      PostgreSQL when SWITCHBOARD_PG_URL is set (a fresh schema, dropped
//      afterwards; the server's own CPU is not in the process's figures);
//   2. the same simulated network and ManualClock driven by the bare
//      PredictivePacer with in-memory agents (no storage, no runtime): what
//      the network, the clock and the pacer cost by themselves;
//   3. the dialer's own discrete-event simulator (@switchboard/dialer/sim)
//      with the same pacer type on a scenario of the same shape: the engine.
// Figures: process CPU (user+system) per placed call, wall ms per call,
// virtual seconds per wall second, runner ticks (1 s decisions, counted) per
// wall second, and the runtime's overhead = runtime CPU/call - engine CPU/call.
//
// Usage: pnpm bench:runner [-- --runs 3 --minutes 1 --agents 200 --contacts 2000]
// (the defaults keep a run with PostgreSQL within a few minutes: the runtime
// simulates only a few virtual seconds per wall second at 200 agents; a
// fuller picture: --runs 5 --minutes 30 --contacts 20000, about an hour)
//   --runs R        shifts per configuration (default 3); medians, min and max over them
//   --minutes M     virtual minutes per shift (default 1; the predictive pacer's
//                   first minutes over-dial, in the engine too: see its abandonment)
//   --agents A      agents logged in (default 200)
//   --contacts N    contacts on the list (default 2,000; each is dialled at most once a
//                   shift, about 8 a virtual second at 200 agents: raise it with --minutes)
//   --talk S        median talk time in seconds (lognormal, sigma 0.5; default 60)
//   --wrap S        seconds an agent takes to code a call (default 5)
//   --step S        virtual seconds per step of the driver (default 0.2, as the harness)
//   --seed N        carrier seed of the first run (run r uses seed + r)
//   --no-sqlite     PostgreSQL only; --no-postgres: SQLite only
//   --campaign-contact-index   first create the index (tenant_id, campaign_id, contact_id,
//                   started_at) on interactions: the proposed fix of the runner's per-dial history read
//   --queries       also print SQLite's statements by total time inside the measured shifts
//                   (better-sqlite3's Statement methods timed; adds a little CPU of its own)
import { execSync } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { cpus, loadavg } from 'node:os'
import { parseArgs } from 'node:util'
import { createCampaignRuntime } from '@switchboard/campaigns'
import {
  type Agent,
  type CallEvent,
  type Contact,
  type ContactId,
  createSwitchboard,
  dialOutcomeOf,
  newId,
  regimes,
  type StorageBackend,
  type TenantId,
} from '@switchboard/core'
import { PredictivePacer } from '@switchboard/dialer'
import { LeadFates, type Scenario, simulate } from '@switchboard/dialer/sim'
import { postgresStorage } from '@switchboard/storage-postgres'
import { sqliteStorage } from '@switchboard/storage-sqlite'
import { type CarrierProfile, ManualClock, SimulatedTelephony } from '@switchboard/telephony/simulated'
import Database from 'better-sqlite3'
import { type Kysely, sql } from 'kysely'
import pg from 'pg'
import { bar, summarize, table } from './stats.ts'

const { values: args } = parseArgs({
  args: process.argv.slice(2).filter((a) => a !== '--'),
  options: {
    runs: { type: 'string', default: '3' },
    minutes: { type: 'string', default: '1' },
    agents: { type: 'string', default: '200' },
    contacts: { type: 'string', default: '2000' },
    talk: { type: 'string', default: '60' },
    wrap: { type: 'string', default: '5' },
    step: { type: 'string', default: '0.2' },
    seed: { type: 'string', default: '7' },
    queries: { type: 'boolean', default: false },
    'campaign-contact-index': { type: 'boolean', default: false },
    'no-sqlite': { type: 'boolean', default: false },
    'no-postgres': { type: 'boolean', default: false },
  },
})
const num = (s: string) => Number(s.replaceAll('_', ''))
const RUNS = num(args.runs)
const SHIFT_SEC = num(args.minutes) * 60
const AGENTS = num(args.agents)
const CONTACTS = num(args.contacts)
const TALK_SEC = num(args.talk)
const WRAP_SEC = num(args.wrap)
const STEP_SEC = num(args.step)
const SEED = num(args.seed)
const PG_URL = process.env.SWITCHBOARD_PG_URL
const TENANT = 'bench' as TenantId
/** Tuesday 6 January 2026, 09:00 in New York: inside the US calling window. */
const START = Date.UTC(2026, 0, 6, 14, 0, 0)
const RING_TIMEOUT_SEC = 25
const fmt = (n: number, d = 0) =>
  Number.isFinite(n) ? n.toLocaleString('en-US', { maximumFractionDigits: d, minimumFractionDigits: d }) : '-'
/** Valid NANP numbers (exchanges 201, 202, ...): the consent check refuses unassigned ranges. */
const phoneOf = (i: number) => `+1212${201 + Math.floor(i / 10_000)}${String(i % 10_000).padStart(4, '0')}`

// --- the carrier ------------------------------------------------------------------
// The network's default outcome shares, with short talk times so that many calls happen.
const CARRIER: Partial<CarrierProfile> = {
  outcomes: { person: 0.35, machine: 0.15, busy: 0.08, no_answer: 0.35, rejected: 0.04, unreachable: 0.03 },
  talkSec: { type: 'lognormal', medianSec: TALK_SEC, sigma: 0.5, minSec: 5, maxSec: 600 },
}

/** The dialer simulator's scenario of the same shape (moments of the network's distributions). */
function engineScenario(): Scenario {
  const lnMean = (median: number, sigma: number) => median * Math.exp((sigma * sigma) / 2)
  const lnSd = (median: number, sigma: number) =>
    lnMean(median, sigma) * Math.sqrt(Math.exp(sigma * sigma) - 1)
  return {
    name: `runner-${AGENTS}`,
    agents: AGENTS,
    durationSec: SHIFT_SEC,
    shares: { person: 0.35, machine: 0.15, no_answer: 0.35, failed: 0.15 },
    personRing: { mean: lnMean(9, 0.5), sd: lnSd(9, 0.5) },
    machineRing: { mean: lnMean(9, 0.5), sd: lnSd(9, 0.5) },
    detectSec: 2.25,
    amdDetectRate: 0.9,
    amdFalsePositiveRate: 0.05,
    noAnswerSec: RING_TIMEOUT_SEC,
    failedSec: 8,
    talk: { mean: lnMean(TALK_SEC, 0.5), sd: lnSd(TALK_SEC, 0.5) },
    // the agent leg rings 0.3-1.5 s, then the wrap time
    wrap: { mean: WRAP_SEC + 0.9, sd: 0.35 },
    machineHandleSec: 21,
    maxWaitSec: regimes.US.abandonment.maxWaitSec,
    markov: false,
  }
}

// --- --queries: SQLite statements timed by their text -------------------------------------------
const statements = new Map<string, { n: number; ms: number }>()
let timing = false
if (args.queries) {
  const probe = new Database(':memory:')
  const proto = Object.getPrototypeOf(probe.prepare('select 1')) as Record<string, unknown>
  probe.close()
  for (const m of ['all', 'run', 'get']) {
    const original = proto[m] as (...a: unknown[]) => unknown
    proto[m] = function (this: { source: string }, ...a: unknown[]) {
      if (!timing) return original.apply(this, a)
      const t0 = performance.now()
      try {
        return original.apply(this, a)
      } finally {
        const k = this.source.replace(/\s+/g, ' ').replace(/\(\?(, \?)+\)/g, '(?, ...)')
        const e = statements.get(k) ?? { n: 0, ms: 0 }
        e.n++
        e.ms += performance.now() - t0
        statements.set(k, e)
      }
    }
  }
}

// --- one measured shift -----------------------------------------------------------------
interface Sample {
  readonly cpuMs: number
  readonly wallMs: number
  readonly dials: number
  readonly connects: number
  readonly abandoned: number
  /** Person answers (connected + abandoned). */
  readonly live: number
  readonly ticks: number
  readonly virtualSec: number
  readonly notes: string[]
}

const cpuNow = () => {
  const u = process.cpuUsage()
  return (u.user + u.system) / 1000
}

function measure(): () => { cpuMs: number; wallMs: number } {
  const c0 = cpuNow()
  const w0 = performance.now()
  return () => ({ cpuMs: cpuNow() - c0, wallMs: performance.now() - w0 })
}

function contact(i: number, at: Date): Contact {
  return {
    id: newId('ContactId') as ContactId,
    tenantId: TENANT,
    kind: 'person',
    firstName: `Lead${i}`,
    lastName: 'Bench',
    displayName: `Lead${i} Bench`,
    phones: [{ e164: phoneOf(i) as never, type: 'mobile', country: 'US', primary: true, verified: false }],
    emails: [],
    timeZone: 'America/New_York',
    timeZoneSource: 'given',
    lifecycle: 'lead',
    tags: [],
    attributes: {},
    createdAt: at,
    updatedAt: at,
  } as Contact
}

/** 1. The runtime on `storage`: a world like the harness's, contacts loaded in batches. */
async function runtimeShift(storage: StorageBackend, seed: number, label: string): Promise<Sample> {
  const clock = new ManualClock(START)
  const tel = new SimulatedTelephony({ seed, clock, anyAgent: true, agents: {}, carrier: CARRIER })
  await tel.start()
  const sb = await createSwitchboard({ storage, telephony: tel, clock, outbox: false })
  const t = sb.tenant(TENANT)
  if (args['campaign-contact-index'])
    await sql`create index if not exists interactions_campaign_contact on interactions (tenant_id, campaign_id, contact_id, started_at)`.execute(
      (storage as unknown as { db: Kysely<unknown> }).db,
    )
  const at = new Date(START)
  const ids: ContactId[] = []
  const size = storage.capabilities.preferredBatchSize
  for (let i = 0; i < CONTACTS; ) {
    const batch: Contact[] = []
    for (const end = Math.min(CONTACTS, i + size); i < end; i++) batch.push(contact(i, at))
    await storage.forTenant(TENANT).contacts.insertMany(batch)
    ids.push(...batch.map((c) => c.id))
  }
  await t.dispositions.define({ code: 'SALE', label: 'Sale', category: 'sale' })
  const agents: Agent[] = []
  for (let i = 0; i < AGENTS; i++) agents.push(await t.agents.create({ name: `Agent ${i}` }))
  const campaign = await t.campaigns.create({
    name: 'Bench',
    kind: 'telemarketing',
    dialMode: { mode: 'predictive' },
    regime: 'US',
    consentPurpose: 'marketing',
    abandonMessage: 'abandoned.wav',
  })
  for (let i = 0; i < ids.length; i += 10_000) await t.lists.enqueue(campaign.id, ids.slice(i, i + 10_000))
  for (const a of agents) await t.sessions.login(a.id, { campaignIds: [campaign.id] })
  const runtime = createCampaignRuntime(sb, { clock, followIntervalMs: 50 })
  const errors: unknown[] = []
  runtime.on('runtime.error', (e) => errors.push(e))
  // scripted agents: code every call WRAP_SEC after it ends
  let coded = 0
  let disposeFailed = 0
  runtime.on('call.ended', (e) => {
    if (!e.agentId || !e.wrapUntil) return
    clock.setTimeout(() => {
      void runtime.dispose(TENANT, e.agentId!, { code: 'SALE' }).then(
        () => coded++,
        () => disposeFailed++,
      )
    }, WRAP_SEC * 1000)
  })

  // idle agents while people wait or leads are ready: sampled once a virtual second
  let idleSamples = 0
  let idleWhileBehind = 0
  let ticks = 0
  let last: unknown
  // agent states from core's in-process events (no storage read inside the measured window)
  const state = new Map<string, string>()
  for (const x of await t.sessions.open()) state.set(x.agentId, x.state)
  const offState = sb.on('agent.state_changed', (e) => {
    state.set(e.session.agentId, e.session.state)
  })
  await runtime.start(TENANT, campaign.id)
  timing = true
  const stop = measure()
  let nextSecond = 0
  for (let done = 0; done < SHIFT_SEC - 1e-9; done += STEP_SEC) {
    await clock.advance(Math.min(STEP_SEC, SHIFT_SEC - done))
    await runtime.settled()
    const s = runtime.status(TENANT, campaign.id)!
    if (s.lastDecision !== last) {
      ticks++
      last = s.lastDecision
    }
    if (done >= nextSecond) {
      nextSecond += 1
      bar(label, Math.round(done), SHIFT_SEC)
      let idle = 0
      for (const v of state.values()) if (v === 'available') idle++
      idleSamples += idle
      // an idle agent and fewer calls in flight than idle agents: the runner is not keeping them busy
      if (idle > 0 && s.callsInFlight < idle) idleWhileBehind++
    }
  }
  const { cpuMs, wallMs } = stop()
  timing = false
  bar(label, SHIFT_SEC, SHIFT_SEC)
  const s = runtime.status(TENANT, campaign.id)!
  offState()
  await runtime.close()
  await tel.stop()
  await sb.close()
  return {
    cpuMs,
    wallMs,
    dials: s.dials,
    connects: s.connects,
    abandoned: s.abandoned,
    live: s.connects + s.abandoned,
    ticks,
    virtualSec: SHIFT_SEC,
    notes: [
      `coded by agents ${coded}, dispose failures ${disposeFailed}, refused ${s.refused}, runtime errors ${errors.length}` +
        (errors.length
          ? ` (first: ${String((errors[0] as { message: string }).message)}: ${String((errors[0] as { error: unknown }).error)})`
          : ''),
      `mean idle agents ${fmt(idleSamples / SHIFT_SEC, 1)}; seconds with an idle agent and fewer calls in flight than idle agents: ${idleWhileBehind}`,
    ],
  }
}

/** 2. The same network and clock driven by the bare pacer, with in-memory agents. */
async function bareNetworkShift(seed: number, label: string): Promise<Sample> {
  const clock = new ManualClock(START)
  const tel = new SimulatedTelephony({ seed, clock, anyAgent: true, agents: {}, carrier: CARRIER })
  await tel.start()
  const abandonment = regimes.US.abandonment
  const pacer = new PredictivePacer({ abandonment })
  type State = 'available' | 'reserved' | 'on_call' | 'wrap_up'
  const agents = Array.from({ length: AGENTS }, (_, i) => ({
    id: `agent-${i}`,
    state: 'available' as State,
    since: START,
  }))
  const calls = new Map<string, { phase: 'ringing' | 'detecting' | 'waiting'; since: number }>()
  const st = { dials: 0, connects: 0, abandoned: 0, ticks: 0, next: 0 }
  const sec = (ms: number) => ms / 1000
  const sleep = (ms: number) => new Promise<void>((r) => clock.setTimeout(r, ms))
  const setState = (a: (typeof agents)[number], s: State) => {
    a.state = s
    a.since = clock.now()
  }

  const place = async (i: number) => {
    const callId = `bare:${i}`
    const startedAt = clock.now()
    const call = { phase: 'ringing' as 'ringing' | 'detecting' | 'waiting', since: startedAt }
    calls.set(callId, call)
    const off = tel.onCallEvent(callId, (ev: CallEvent) => {
      if (ev.type === 'answered') call.phase = 'detecting'
      if (ev.type === 'ended') off()
    })
    let answered: Awaited<ReturnType<typeof tel.originate>>
    try {
      answered = await tel.originate({
        target: { type: 'number', number: phoneOf(i) },
        callId,
        role: 'customer',
        ringTimeoutSec: RING_TIMEOUT_SEC,
        detectMachine: true,
      })
    } catch (e) {
      calls.delete(callId)
      pacer.observe({
        type: 'outcome',
        at: sec(clock.now()),
        outcome: dialOutcomeOf(e),
        ringSec: sec(clock.now() - startedAt),
      })
      return
    }
    const now = clock.now()
    const person = answered.answeredBy !== 'machine'
    pacer.observe({
      type: 'outcome',
      at: sec(now),
      outcome: person ? 'person' : 'machine',
      ringSec: answered.ringSec,
    })
    if (!person) {
      calls.delete(callId)
      await tel.hangup(callId, 'machine')
      return
    }
    call.phase = 'waiting'
    call.since = now
    const deadline = now + abandonment.maxWaitSec * 1000
    let agent: (typeof agents)[number] | undefined
    while (!agent && clock.now() < deadline && tel.call(callId)) {
      // the longest idle
      for (const a of agents) if (a.state === 'available' && (!agent || a.since < agent.since)) agent = a
      if (!agent) await sleep(100)
    }
    calls.delete(callId)
    const waitSec = sec(clock.now() - now)
    if (!agent || !tel.call(callId)) {
      st.abandoned++
      pacer.observe({ type: 'connect', at: sec(clock.now()), waitSec, abandoned: true })
      if (tel.call(callId)) await tel.playMessage(callId, { media: 'abandoned.wav' }).catch(() => undefined)
      await tel.hangup(callId, 'abandoned')
      return
    }
    setState(agent, 'reserved')
    const ended = new Promise<number>((resolve) => {
      const offEnd = tel.onCallEvent(callId, (ev: CallEvent) => {
        if (ev.type === 'ended') {
          offEnd()
          resolve(ev.durations.talkSec)
        }
      })
    })
    const leg = await tel.originate({
      target: { type: 'agent', agentId: agent.id },
      role: 'agent',
      ringTimeoutSec: 10,
    })
    if (!tel.call(callId)) {
      await tel.hangup(leg.callId, 'normal')
      setState(agent, 'available')
      return
    }
    await tel.bridge(callId, leg.callId)
    setState(agent, 'on_call')
    st.connects++
    pacer.observe({
      type: 'connect',
      at: sec(clock.now()),
      waitSec: sec(clock.now() - now),
      abandoned: false,
    })
    const talkSec = await ended
    await tel.hangup(leg.callId, 'normal')
    setState(agent, 'wrap_up')
    pacer.observe({ type: 'talk', at: sec(clock.now()), durationSec: talkSec })
    await sleep(WRAP_SEC * 1000)
    pacer.observe({ type: 'wrap_up', at: sec(clock.now()), durationSec: WRAP_SEC })
    setState(agent, 'available')
  }

  const tick = () => {
    st.ticks++
    const d = pacer.decide({
      now: sec(clock.now()),
      agents: agents.map((a) => ({ state: a.state, since: sec(a.since) })),
      calls: [...calls.values()].map((c) => ({ phase: c.phase, since: sec(c.since) })),
    })
    for (let k = 0; k < d.launch && st.next < CONTACTS; k++) {
      st.dials++
      pacer.observe({ type: 'dial', at: sec(clock.now()), count: 1 })
      place(st.next++).catch(() => undefined) // cancelled at the end of the shift
    }
    clock.setTimeout(tick, 1000)
  }
  const stop = measure()
  clock.setTimeout(tick, 1000)
  let nextSecond = 0
  for (let done = 0; done < SHIFT_SEC - 1e-9; done += STEP_SEC) {
    await clock.advance(Math.min(STEP_SEC, SHIFT_SEC - done))
    if (done >= nextSecond) {
      nextSecond += 30
      bar(label, Math.round(done), SHIFT_SEC)
    }
  }
  const { cpuMs, wallMs } = stop()
  bar(label, SHIFT_SEC, SHIFT_SEC)
  await tel.stop()
  return {
    cpuMs,
    wallMs,
    dials: st.dials,
    connects: st.connects,
    abandoned: st.abandoned,
    live: st.connects + st.abandoned,
    ticks: st.ticks,
    virtualSec: SHIFT_SEC,
    notes: [],
  }
}

/** 3. The dialer's own simulator, the same pacer type, a scenario of the same shape. */
function engineShift(seed: number, rep: number): Sample {
  const sc = engineScenario()
  const fates = new LeadFates(sc, seed, rep)
  fates.ensure(CONTACTS)
  const pacer = new PredictivePacer({ abandonment: regimes.US.abandonment })
  const stop = measure()
  const m = simulate(sc, pacer, { seed, rep, fates })
  const { cpuMs, wallMs } = stop()
  return {
    cpuMs,
    wallMs,
    dials: m.dials,
    connects: m.connects,
    abandoned: m.abandoned,
    live: m.live,
    ticks: m.decisions,
    virtualSec: SHIFT_SEC,
    notes: [`handle occupancy ${fmt(m.handleOccupancy * 100, 1)}%`],
  }
}

// --- PostgreSQL -----------------------------------------------------------------------------
const schemas: string[] = []
function postgres(): StorageBackend {
  const schema = `sb_bench_runner_${randomBytes(4).toString('hex')}`
  schemas.push(schema)
  return postgresStorage({ connectionString: PG_URL!, schema, poolSize: 6 })
}
async function dropSchemas() {
  if (!PG_URL || !schemas.length) return
  const admin = new pg.Client({ connectionString: PG_URL })
  await admin.connect()
  for (const s of schemas.splice(0)) await admin.query(`drop schema if exists "${s}" cascade`)
  await admin.end()
}

// --- run ----------------------------------------------------------------------------------------
const sh = (cmd: string) => {
  try {
    return execSync(cmd, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim()
  } catch {
    return '?'
  }
}
console.log(
  `Campaign runtime benchmark: ${AGENTS} agents, ${fmt(CONTACTS)} contacts, ${RUNS} runs of ${fmt(SHIFT_SEC / 60)} virtual minutes ` +
    `(talk median ${TALK_SEC} s, wrap ${WRAP_SEC} s, driver step ${STEP_SEC} s)`,
)
console.log(
  `Node ${process.version}, commit ${sh('git rev-parse --short HEAD')}${sh('git status --porcelain') ? ' (with local changes)' : ''}, ` +
    `${cpus()[0]?.model ?? '?'} x ${cpus().length}, load average ${loadavg()
      .map((l) => l.toFixed(2))
      .join(' ')}`,
)

const configs: Array<{
  name: string
  run: (seed: number, rep: number, label: string) => Promise<Sample> | Sample
}> = []
if (!args['no-sqlite'])
  configs.push({
    name: 'runtime, SQLite (memory)',
    run: (seed, _r, l) => runtimeShift(sqliteStorage({ file: ':memory:' }), seed, l),
  })
if (!args['no-postgres'] && PG_URL)
  configs.push({ name: 'runtime, PostgreSQL', run: (seed, _r, l) => runtimeShift(postgres(), seed, l) })
configs.push({ name: 'network + bare pacer', run: (seed, _r, l) => bareNetworkShift(seed, l) })
configs.push({ name: 'engine (dialer sim)', run: (seed, rep) => engineShift(seed, rep) })
if (!args['no-postgres'] && !PG_URL)
  console.error(
    '\n*** PostgreSQL SKIPPED: SWITCHBOARD_PG_URL is not set. Run `pnpm bench:runner` (it sources .ci/postgres.sh) to include it. ***',
  )

const results = new Map<string, Sample[]>(configs.map((c) => [c.name, []]))
try {
  // Interleaved: run r of every configuration, then run r + 1, so drift hits all alike.
  for (let r = 0; r < RUNS; r++) {
    for (const c of configs) {
      const s = await c.run(SEED + r, r, `run ${r + 1}/${RUNS} ${c.name.padEnd(26)}`)
      results.get(c.name)!.push(s)
      await dropSchemas()
    }
  }
} finally {
  await dropSchemas().catch((e: unknown) => console.error('could not drop', schemas, e))
}

const engineCpu = summarize(results.get('engine (dialer sim)')!.map((s) => (s.cpuMs / s.dials) * 1000)).median
const networkCpu = summarize(
  results.get('network + bare pacer')!.map((s) => (s.cpuMs / s.dials) * 1000),
).median
const mm = (xs: number[], d: number) => {
  const s = summarize(xs)
  return `${fmt(s.median, d)} (${fmt(Math.min(...xs), d)}-${fmt(s.max, d)})`
}
const rows = configs.map((c) => {
  const xs = results.get(c.name)!
  const cpuPerCall = xs.map((s) => (s.cpuMs / s.dials) * 1000) // µs
  const med = summarize(cpuPerCall).median
  return [
    c.name,
    fmt(summarize(xs.map((s) => s.dials)).median),
    mm(
      xs.map((s) => (s.live ? (s.abandoned / s.live) * 100 : 0)),
      2,
    ),
    mm(cpuPerCall, 0),
    mm(
      xs.map((s) => (s.wallMs / s.dials) * 1000),
      0,
    ),
    mm(
      xs.map((s) => s.virtualSec / (s.wallMs / 1000)),
      0,
    ),
    mm(
      xs.map((s) => s.ticks / (s.wallMs / 1000)),
      0,
    ),
    c.name.startsWith('engine') ? '-' : fmt(med - engineCpu),
    c.name.startsWith('engine') ? '1.0x' : `${fmt(med / engineCpu, 1)}x`,
    c.name.startsWith('runtime') ? `${fmt((networkCpu / med) * 100, 1)}%` : '-',
  ]
})
table(
  `Medians (min-max) over ${RUNS} runs of ${fmt(SHIFT_SEC / 60)} virtual minutes, ${AGENTS} agents; CPU = process user+system; ` +
    "ticks: the runner's 1 s decisions (engine: its decisions, on events and a 1 s tick)",
  [
    'configuration',
    'dials',
    'abandoned % of live',
    'CPU µs/call',
    'wall µs/call',
    'virtual s / wall s',
    'ticks / wall s',
    'overhead µs/call vs engine',
    'CPU ratio vs engine',
    'network share of CPU',
  ],
  rows,
)
for (const c of configs) {
  const xs = results.get(c.name)!
  console.log(
    `  ${c.name}: connects ${xs.map((s) => s.connects).join(', ')}; ticks ${xs.map((s) => s.ticks).join(', ')}; ` +
      `wall s ${xs.map((s) => fmt(s.wallMs / 1000, 1)).join(', ')}`,
  )
  for (const [r, s] of xs.entries()) for (const n of s.notes) console.log(`    run ${r + 1}: ${n}`)
}
console.log(
  "  network share = (network + bare pacer) CPU/call / runtime CPU/call: the part of the runtime's CPU the simulated network, the clock and the pacer would take without the runtime.",
)
if (args.queries) {
  const all = [...statements.entries()].sort((a, b) => b[1].ms - a[1].ms)
  const total = all.reduce((t, [, e]) => t + e.ms, 0)
  table(
    `SQLite statements inside the measured shifts (all runs): ${fmt(total / 1000, 1)} s in ${fmt(all.reduce((t, [, e]) => t + e.n, 0))} executions`,
    ['statement', 'executions', 'total ms', 'µs each', 'share'],
    all
      .slice(0, 15)
      .map(([k, e]) => [
        k.slice(0, 160),
        fmt(e.n),
        fmt(e.ms),
        fmt((e.ms / e.n) * 1000),
        `${fmt((e.ms / total) * 100, 1)}%`,
      ]),
  )
}
console.log(
  `\nload average at the end: ${loadavg()
    .map((l) => l.toFixed(2))
    .join(' ')}`,
)
