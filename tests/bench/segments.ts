// Segment benchmark (printed tables, never asserted): the count and the first
// page of a 3-clause segment on N contacts, through the public API
// (sb.tenant(t).segments.count / .preview), beside the equivalent hand-written
// SQL run through the backend's own kysely instance (same connection or pool),
// in the same run. SQLite always; PostgreSQL when SWITCHBOARD_PG_URL is set
// (`source .ci/postgres.sh` starts a throwaway server), in a fresh schema that
// is dropped afterwards. The goal: the API within 1.5x of the hand-written SQL.
//
// Usage: pnpm bench:segments [-- --rows 1000000 --runs 15 --limit 50 --explain]
//   --rows N      contacts of the measured tenant (default 1,000,000); a second
//                 tenant gets 5% of N more, interleaved with them
//   --runs R      timed runs of each operation, after one warm-up (default 15)
//   --limit L     the page size (default 50)
//   --no-sqlite   PostgreSQL only; --no-postgres: SQLite only
//   --explain     also print the query plans of the API's statements and of the hand-written ones
import { mkdtempSync, rmSync } from 'node:fs'
import { cpus, loadavg, tmpdir } from 'node:os'
import { join } from 'node:path'
import { parseArgs } from 'node:util'
import {
  Contact,
  type ContactId,
  createSwitchboard,
  type LifecycleStage,
  newId,
  type SegmentFilter,
  type StorageBackend,
  type TenantId,
} from '@switchboard/core'
import type { CoreTables } from '@switchboard/storage-kysely'
import { postgresStorage } from '@switchboard/storage-postgres'
import { sqliteStorage } from '@switchboard/storage-sqlite'
import { mulberry32 } from '@switchboard/testkit/random'
import { CompiledQuery, type Kysely, sql } from 'kysely'
import { bar, summarize, table } from './stats.ts'

const { values: args } = parseArgs({
  // pnpm passes a `--` through when the script is run as `pnpm bench:segments -- --rows N`.
  args: process.argv.slice(2).filter((a) => a !== '--'),
  options: {
    rows: { type: 'string', default: '1000000' },
    runs: { type: 'string', default: '15' },
    limit: { type: 'string', default: '50' },
    'no-sqlite': { type: 'boolean', default: false },
    'no-postgres': { type: 'boolean', default: false },
    explain: { type: 'boolean', default: false },
  },
})
const N = Number(args.rows.replaceAll('_', ''))
const OTHER = Math.round(N * 0.05)
const RUNS = Number(args.runs)
const LIMIT = Number(args.limit)
const PG_URL = process.env.SWITCHBOARD_PG_URL
const TENANT = 'bench' as TenantId
const NEIGHBOUR = 'bench-other' as TenantId
const fmt = (n: number, d = 0) =>
  n.toLocaleString('en-US', { maximumFractionDigits: d, minimumFractionDigits: d })

// --- the segment -------------------------------------------------------------
// lifecycle customer (30%) x balance above 500.00 EUR (30%: 40% have one, 3/4 of those above)
// x country ES/FR/PT (30%): about 2.7% of the live contacts.
const THRESHOLD = 50_000
const COUNTRIES_IN = ['ES', 'FR', 'PT']
const filter: SegmentFilter = {
  and: [
    { field: 'lifecycle', op: 'eq', value: 'customer' },
    { field: 'openBalance', op: 'gt', value: THRESHOLD },
    { field: 'country', op: 'in', values: COUNTRIES_IN },
  ],
}

// --- the data ----------------------------------------------------------------
const COUNTRIES = ['ES', 'FR', 'PT', 'DE', 'IT', 'GB', 'US', 'NL', 'BE', 'MX']
const ZONES: Record<string, string> = {
  ES: 'Europe/Madrid',
  FR: 'Europe/Paris',
  PT: 'Europe/Lisbon',
  DE: 'Europe/Berlin',
  IT: 'Europe/Rome',
  GB: 'Europe/London',
  US: 'America/New_York',
  NL: 'Europe/Amsterdam',
  BE: 'Europe/Brussels',
  MX: 'America/Mexico_City',
}
const FIRSTS = ['Ana', 'John', 'Maria', 'Li', 'Omar', 'Eva', 'Raj', 'Zoe', 'Ivan', 'Sara']
const LASTS = ['García', 'Smith', 'Martin', 'Rossi', 'Silva', 'Müller', 'Jansen', 'Peeters', 'López', 'Brown']
const TAGS = ['vip', 'newsletter', 'churn-risk', 'b2b', 'trial', 'event-2026']
const PLANS = ['free', 'basic', 'pro', 'enterprise']

function lifecycleOf(r: number): LifecycleStage {
  if (r < 0.4) return 'lead'
  if (r < 0.6) return 'prospect'
  if (r < 0.9) return 'customer'
  return 'former'
}

/** One generated contact; about 1% are merged into the contact before them (not live). */
function contact(tenantId: TenantId, i: number, rnd: () => number, previous: ContactId | undefined): Contact {
  const country = COUNTRIES[Math.floor(rnd() * COUNTRIES.length)]!
  const first = FIRSTS[Math.floor(rnd() * FIRSTS.length)]!
  const last = LASTS[Math.floor(rnd() * LASTS.length)]!
  const lifecycle = lifecycleOf(rnd())
  const hasBalance = rnd() < 0.4
  const amount = Math.floor(rnd() * 200_000)
  const tags = TAGS.filter(() => rnd() < 0.15)
  const at = new Date(Date.UTC(2024, 0, 1) + Math.floor(rnd() * 800 * 86_400_000))
  const merged = previous && rnd() < 0.01
  const prefix = tenantId === TENANT ? '+1212' : '+1646'
  return {
    id: newId('ContactId'),
    tenantId,
    kind: 'person',
    firstName: first,
    lastName: last,
    displayName: `${first} ${last}`,
    phones: [
      {
        e164: `${prefix}${String(i).padStart(7, '0')}` as never,
        type: 'mobile',
        country: 'US',
        primary: true,
        verified: false,
      },
    ],
    emails: [{ address: `c${i}@example.com` as never, primary: true, verified: false }],
    address: { city: 'City', country },
    timeZone: ZONES[country]!,
    timeZoneSource: 'address',
    lifecycle,
    tags,
    attributes: { plan: PLANS[Math.floor(rnd() * PLANS.length)]!, score: Math.floor(rnd() * 100) },
    ...(hasBalance ? { openBalance: { amountMinor: amount, currency: 'EUR' } } : {}),
    ...(rnd() < 0.3
      ? { lifetimeValue: { amountMinor: Math.floor(rnd() * 1_000_000), currency: 'EUR' } }
      : {}),
    externalRef: `${tenantId}-${i}`,
    ...(merged ? { mergedInto: previous } : {}),
    createdAt: at,
    updatedAt: at,
  } as Contact
}

/** Loads N contacts of the tenant and 5% of N of its neighbour, interleaved, in the backend's batch size. */
async function load(label: string, backend: StorageBackend) {
  const size = backend.capabilities.preferredBatchSize
  const rnd = mulberry32(42) // seeded: two runs load the same data
  const mine = backend.forTenant(TENANT).contacts
  const theirs = backend.forTenant(NEIGHBOUR).contacts
  let other = 0
  let previous: ContactId | undefined
  const started = performance.now()
  for (let i = 0; i < N; ) {
    const batch: Contact[] = []
    for (const end = Math.min(N, i + size); i < end; i++) {
      const c = contact(TENANT, i, rnd, previous)
      previous = c.id
      batch.push(c)
    }
    await mine.insertMany(batch)
    // The neighbour's share, so that its rows sit among ours as they would in a shared database.
    const due = Math.round((i / N) * OTHER)
    if (due > other) {
      const theirBatch: Contact[] = []
      for (; other < due; other++) theirBatch.push(contact(NEIGHBOUR, other, rnd, undefined))
      await theirs.insertMany(theirBatch)
    }
    bar(label, i, N)
  }
  return (performance.now() - started) / 1000
}

// --- the hand-written SQL -----------------------------------------------------
type Db = Kysely<CoreTables>
interface Path {
  readonly count: () => Promise<number>
  readonly page: () => Promise<ContactId[]>
}

function handWritten(
  db: Db,
  dialect: 'sqlite' | 'postgres',
): Path & { countQuery: CompiledQuery; pageQuery: CompiledQuery; pageDecoded: () => Promise<ContactId[]> } {
  const where =
    dialect === 'sqlite'
      ? sql`tenant_id = ${TENANT} and merged_into is null and lifecycle = 'customer'
          and json_extract(data, '$.openBalance.amountMinor') > ${THRESHOLD}
          and json_extract(data, '$.address.country') in (${sql.join(COUNTRIES_IN)})`
      : sql`tenant_id = ${TENANT} and merged_into is null and lifecycle = 'customer'
          and (data->'openBalance'->>'amountMinor')::numeric > ${THRESHOLD}
          and data->'address'->>'country' in (${sql.join(COUNTRIES_IN)})`
  const count = sql<{ n: number | string }>`select count(*) as n from contacts where ${where}`
  const page = sql<{ data: unknown }>`select data from contacts where ${where} order by id limit ${LIMIT}`
  return {
    countQuery: count.compile(db),
    pageQuery: page.compile(db),
    count: async () => Number((await count.execute(db)).rows[0]!.n),
    // The same rows through the domain's Contact schema, as the store decodes every row it reads.
    pageDecoded: async () =>
      (await page.execute(db)).rows
        .map((r) => Contact.parse(typeof r.data === 'string' ? JSON.parse(r.data) : r.data))
        .map((c) => c.id),
    page: async () =>
      // The rows as objects, as a host would use them (SQLite holds JSON text; pg parses jsonb itself).
      (await page.execute(db)).rows
        .map((r) => (typeof r.data === 'string' ? JSON.parse(r.data) : r.data) as { id: ContactId })
        .map((c) => c.id),
  }
}

// --- the measurement ----------------------------------------------------------
interface Result {
  readonly name: string
  readonly loadSecs: number
  readonly samples: Record<'apiCount' | 'apiPage' | 'rawCount' | 'rawPage' | 'rawPageDecoded', number[]>
  readonly count: { api: number; raw: number }
  readonly page: { api: number; raw: number }
  readonly live: number
  readonly notes: string[]
}

let failed = false
const fail = (message: string) => {
  console.error(`\nERROR: ${message}`)
  failed = true
}

async function measure(
  name: string,
  backend: StorageBackend & { readonly db: Db },
  beforeClose: (db: Db) => Promise<void> = async () => {},
): Promise<Result> {
  const sb = await createSwitchboard({ storage: backend })
  const loadSecs = await load(`load ${name.padEnd(10)}`, backend)
  const { db } = backend
  // Fresh statistics for the planner (PostgreSQL: autovacuum may not have run yet; SQLite: sqlite_stat1).
  await sql`analyze`.execute(db)
  const segments = sb.tenant(TENANT).segments
  const raw = handWritten(db, name === 'SQLite' ? 'sqlite' : 'postgres')
  const api: Path = {
    count: () => segments.count(filter),
    page: async () => (await segments.preview(filter, { limit: LIMIT })).map((c) => c.id),
  }
  const live = Number(
    (
      await sql<{
        n: number | string
      }>`select count(*) as n from contacts where tenant_id = ${TENANT} and merged_into is null`.execute(db)
    ).rows[0]!.n,
  )

  // Warm-up, and the check that both paths answer the same.
  const check = async () => {
    const [a, b, p, q] = [await api.count(), await raw.count(), await api.page(), await raw.page()]
    if (a !== b) fail(`${name}: segments.count returned ${a}, the hand-written count ${b}`)
    if (p.length !== q.length || p.some((id, k) => id !== q[k]))
      fail(
        `${name}: segments.preview returned ${p.length} contacts (${p.slice(0, 3).join(', ')}...), the hand-written page ${q.length} (${q.slice(0, 3).join(', ')}...)`,
      )
    return { count: { api: a, raw: b }, page: { api: p.length, raw: q.length } }
  }
  const answers = await check()
  const samples: Result['samples'] = {
    apiCount: [],
    apiPage: [],
    rawCount: [],
    rawPage: [],
    rawPageDecoded: [],
  }
  const time = async <T>(into: number[], fn: () => Promise<T>) => {
    const s = performance.now()
    const out = await fn()
    into.push(performance.now() - s)
    return out
  }
  // Interleaved, alternating which path goes first, so drift (caches, autovacuum) hits both alike.
  for (let r = 0; r < RUNS; r++) {
    bar(`time ${name.padEnd(10)}`, r, RUNS)
    const order = r % 2 ? ['raw', 'api'] : ['api', 'raw']
    for (const which of order) {
      const path = which === 'api' ? api : raw
      const n = await time(which === 'api' ? samples.apiCount : samples.rawCount, path.count)
      const ids = await time(which === 'api' ? samples.apiPage : samples.rawPage, path.page)
      if (n !== answers.count.raw || ids.length !== answers.page.raw)
        fail(`${name}: run ${r} of the ${which} path returned ${n} / ${ids.length} rows`)
    }
    const decoded = await time(samples.rawPageDecoded, raw.pageDecoded)
    if (decoded.length !== answers.page.raw)
      fail(`${name}: run ${r} of the decoded page returned ${decoded.length} rows`)
  }
  bar(`time ${name.padEnd(10)}`, RUNS, RUNS)

  // The API's statements, caught on their way to the driver by one more count and page (not timed).
  const apiSql: CompiledQuery[] = []
  const executor = db.getExecutor() as unknown as {
    executeQuery: (q: CompiledQuery, ...rest: unknown[]) => Promise<unknown>
  }
  const original = executor.executeQuery
  executor.executeQuery = function (this: unknown, q, ...rest) {
    if (/from "contacts" as "c"/.test(q.sql)) apiSql.push(q)
    return original.call(this, q, ...rest)
  }
  try {
    await api.count()
    await api.page()
  } finally {
    delete (executor as { executeQuery?: unknown }).executeQuery
  }
  const oneLine = (q: CompiledQuery) =>
    `${q.sql.replace(/\s+/g, ' ')}  -- parameters ${JSON.stringify(q.parameters)}`
  const notes = [
    ...apiSql.map((q, k) => `API ${k ? 'page' : 'count'} SQL:          ${oneLine(q)}`),
    `hand-written count SQL: ${oneLine(raw.countQuery)}`,
    `hand-written page SQL:  ${oneLine(raw.pageQuery)}`,
  ]
  if (args.explain) {
    const plan = async (label: string, q: CompiledQuery) => {
      const prefix =
        name === 'SQLite' ? 'explain query plan' : 'explain (analyze, buffers, costs off, timing off)'
      const { rows } = await db.executeQuery<Record<string, unknown>>(
        CompiledQuery.raw(`${prefix} ${q.sql}`, [...q.parameters]),
      )
      notes.push(
        `plan of the ${label}:\n    ${rows.map((r) => String(r['QUERY PLAN'] ?? r.detail)).join('\n    ')}`,
      )
    }
    await plan('API count', apiSql[0]!)
    await plan('hand-written count', raw.countQuery)
    await plan('API page', apiSql[1]!)
    await plan('hand-written page', raw.pageQuery)
  }
  await beforeClose(db)
  await sb.close()
  return { name, loadSecs, samples, ...answers, live, notes }
}

function report(r: Result) {
  const s = Object.fromEntries(Object.entries(r.samples).map(([k, v]) => [k, summarize(v)])) as Record<
    keyof Result['samples'],
    ReturnType<typeof summarize>
  >
  const ms = (v: number) => fmt(v, 2)
  const ratio = (a: number, b: number) => `${fmt(a / b, 2)}x`
  table(
    `${r.name}: segment of 3 clauses on ${fmt(N)} contacts (${fmt(r.live)} live) + ${fmt(OTHER)} of another tenant; ` +
      `loaded in ${fmt(r.loadSecs, 1)} s; ${RUNS} runs after a warm-up`,
    ['operation', 'rows', 'median ms', 'p99 ms', 'API / hand-written (median)', 'p99 ratio'],
    [
      [
        'count: sb.tenant(t).segments.count(filter)',
        r.count.api,
        ms(s.apiCount.median),
        ms(s.apiCount.p99),
        ratio(s.apiCount.median, s.rawCount.median),
        ratio(s.apiCount.p99, s.rawCount.p99),
      ],
      ['count: hand-written SQL', r.count.raw, ms(s.rawCount.median), ms(s.rawCount.p99), '1.00x', '1.00x'],
      [
        `first page: segments.preview(filter, { limit: ${LIMIT} })`,
        r.page.api,
        ms(s.apiPage.median),
        ms(s.apiPage.p99),
        ratio(s.apiPage.median, s.rawPage.median),
        ratio(s.apiPage.p99, s.rawPage.p99),
      ],
      [
        `first page: hand-written SQL (order by id limit ${LIMIT})`,
        r.page.raw,
        ms(s.rawPage.median),
        ms(s.rawPage.p99),
        '1.00x',
        '1.00x',
      ],
      [
        '  (for reference) the same + Contact.parse of each row',
        r.page.raw,
        ms(s.rawPageDecoded.median),
        ms(s.rawPageDecoded.p99),
        ratio(s.rawPageDecoded.median, s.rawPage.median),
        ratio(s.rawPageDecoded.p99, s.rawPage.p99),
      ],
    ],
  )
  const worst = Math.max(s.apiCount.median / s.rawCount.median, s.apiPage.median / s.rawPage.median)
  console.log(
    `${worst <= 1.5 ? 'within' : 'NOT within'} the 1.5x goal (worst median ratio ${fmt(worst, 2)}x); ` +
      `the segment selects ${fmt((r.count.raw / r.live) * 100, 2)}% of the live contacts`,
  )
  for (const n of r.notes) console.log(`  ${n}`)
}

// --- run ------------------------------------------------------------------------
console.log(
  `Segment benchmark: ${fmt(N)} contacts, ${RUNS} runs, page of ${LIMIT}; Node ${process.version}, ${cpus().length} CPUs, load average ${loadavg()[0]!.toFixed(1)}`,
)
console.log(`segment: ${JSON.stringify(filter)}`)

if (!args['no-sqlite']) {
  const dir = mkdtempSync(join(tmpdir(), 'sb-bench-segments-'))
  try {
    const r = await measure('SQLite', sqliteStorage({ file: join(dir, 'segments.db') }))
    report(r)
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}

if (args['no-postgres']) {
  console.log('\nPostgreSQL: skipped (--no-postgres)')
} else if (!PG_URL) {
  console.error(
    "\n*** PostgreSQL SKIPPED: SWITCHBOARD_PG_URL is not set. Run `bash -c 'source .ci/postgres.sh && npx -y pnpm@10 bench:segments'` (pnpm bench:segments does) to include it. ***",
  )
} else {
  const schema = `sb_bench_segments_${process.pid}`
  const backend = postgresStorage({ connectionString: PG_URL, schema })
  let version = ''
  let dropped = false
  const drop = async (db: Db) => {
    dropped = true
    await sql`drop schema if exists ${sql.id(schema)} cascade`.execute(db)
  }
  try {
    const r = await measure('PostgreSQL', backend, async (db) => {
      version = (await sql<{ v: string }>`select version() as v`.execute(db)).rows[0]!.v
      await drop(db)
    })
    r.notes.unshift(`server: ${version.split(',')[0]}`)
    report(r)
  } finally {
    // A run that failed half way still leaves no schema behind.
    if (!dropped) {
      await drop(backend.db).catch((e: unknown) => console.error('could not drop', schema, e))
      await backend.close()
    }
  }
}

console.log(`\nload average at the end: ${loadavg()[0]!.toFixed(1)}`)
if (failed) {
  console.error('\nERROR: the API and the hand-written SQL disagreed (see above)')
  process.exit(1)
}
