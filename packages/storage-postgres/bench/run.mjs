// Storage benchmark: PostgreSQL beside SQLite, in one run.
//
//   SWITCHBOARD_PG_URL=postgres://... npx -y pnpm@10 --filter @switchboard/storage-postgres bench [-- --rows N]
//   bash -c 'source .ci/postgres.sh && npx -y pnpm@10 --filter @switchboard/storage-postgres bench'
//
// Measures, for each backend:
// - import rate of N generated contacts through the public API
//   (sb.tenant(t).contacts.import: parse, validate, normalise, dedupe, write),
//   and on PostgreSQL a raw COPY of exactly the rows that import wrote
//   (dumped and re-loaded into empty tables with the same indexes): the goal
//   is an import at least 40% as fast as that COPY;
// - screen-pop latency (phone lookup, timeline, open cases) on three paths: the
//   same statement hand-written and sent raw through pg (prepared), the store
//   (`forTenant(t).contacts.screenPop`), and the API (`sb.tenant(t).contacts.screenPop`),
//   first on contacts without history, then with 25 interactions and 2 cases each;
// - lead claims per second with 8 concurrent claimers (leads.claim + complete).
//
// Flags: --rows N (default 1,000,000)  --leads N (default 100,000)  --lookups N (default 2,000)
//        --claim-batch N (default 50)   --repeat N (claims runs, default 3)  --no-sqlite
//        --inline (normalise on the main thread instead of core's import worker)
import { once } from 'node:events'
import { createReadStream, createWriteStream, mkdtempSync, rmSync } from 'node:fs'
import { cpus, loadavg, tmpdir } from 'node:os'
import { join } from 'node:path'
import { pipeline } from 'node:stream/promises'
import { createSwitchboard } from '@switchboard/core'
import { sqliteStorage } from '@switchboard/storage-sqlite'
import pg from 'pg'
import { from as copyFrom, to as copyTo } from 'pg-copy-streams'
import { postgresStorage } from '../dist/index.js'

const args = process.argv.slice(2)
const flag = (name, fallback) => {
  const i = args.indexOf(`--${name}`)
  return i >= 0 && args[i + 1] !== undefined ? Number(args[i + 1].replaceAll('_', '')) : fallback
}
const ROWS = flag('rows', 1_000_000)
const LEADS = flag('leads', 100_000)
const LOOKUPS = flag('lookups', 2_000)
const CLAIM_BATCH = flag('claim-batch', 50)
const REPEAT = flag('repeat', 3)
const SQLITE = !args.includes('--no-sqlite')
// Normalise rows on a worker thread, overlapping with the writes (core's `worker` import option).
const WORKER = !args.includes('--inline')
const URL = process.env.SWITCHBOARD_PG_URL
if (!URL) {
  console.error(
    'SWITCHBOARD_PG_URL is not set: run `source .ci/postgres.sh` first (it starts a throwaway server).',
  )
  process.exit(2)
}

const startLoad = loadavg()[0].toFixed(1)
const dir = mkdtempSync(join(tmpdir(), 'sb-bench-'))
const schema = `sb_bench_${process.pid}`
const baseline = `sb_bench_copy_${process.pid}`
const fmt = (n, d = 0) => n.toLocaleString('en-US', { maximumFractionDigits: d, minimumFractionDigits: d })
const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b)
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2
}
const quantile = (xs, q) => {
  const s = [...xs].sort((a, b) => a - b)
  return s[Math.min(s.length - 1, Math.ceil(q * s.length) - 1)]
}
const log = (...m) => console.error(`[bench ${new Date().toISOString().slice(11, 19)}]`, ...m)

// --- data --------------------------------------------------------------------
const phoneOf = (i) => `+1212${200 + Math.floor(i / 10_000)}${String(i % 10_000).padStart(4, '0')}`
async function writeCsv(file, rows) {
  const out = createWriteStream(file)
  out.write('id,first,last,phone,email,state,balance,stage\n')
  const firsts = ['Ana', 'John', 'Maria', 'Li', 'Omar', 'Eva', 'Raj', 'Zoe', 'Ivan', 'Sara']
  let buf = ''
  for (let i = 0; i < rows; i++) {
    const p = phoneOf(i).slice(2)
    buf += `R${i},${firsts[i % 10]},Last${i},(${p.slice(0, 3)}) ${p.slice(3, 6)}-${p.slice(6)},c${i}@example.com,NY,${(i % 5000) / 10},lead\n`
    if (buf.length > 1 << 20) {
      if (!out.write(buf)) await once(out, 'drain')
      buf = ''
    }
  }
  out.end(buf)
  await once(out, 'finish')
}
const mapping = {
  externalRef: 'id',
  firstName: 'first',
  lastName: 'last',
  phones: 'phone',
  emails: 'email',
  address: { region: 'state' },
  openBalance: 'balance',
  lifecycle: 'stage',
}

// --- measures ----------------------------------------------------------------
async function importRate(sb, file, batchSize) {
  const started = performance.now()
  const r = await sb
    .tenant('bench')
    .contacts.import(file, { mapping, defaultCountry: 'US', batchSize, worker: WORKER })
  const ms = performance.now() - started
  if (r.imported !== ROWS)
    throw new Error(`imported ${r.imported} of ${ROWS} (rejected ${r.rejected.length})`)
  return { ms, rate: (ROWS / ms) * 1000, normalizer: r.normalizer }
}

const pick = (k) => phoneOf(Math.floor((((k * 2654435761) % 2 ** 32) / 2 ** 32) * ROWS))
const HISTORY = 25

/**
 * Latency of each path over the same LOOKUPS numbers, after 200 warm-up calls
 * each on other numbers. The paths take turns on every number (in a rotating
 * order), so a pause of the machine falls on all of them alike.
 */
async function latencies(paths) {
  const names = Object.keys(paths)
  for (const f of Object.values(paths)) for (let k = 0; k < 200; k++) await f(pick(k + LOOKUPS))
  const ms = Object.fromEntries(names.map((n) => [n, []]))
  for (let k = 0; k < LOOKUPS; k++) {
    for (let j = 0; j < names.length; j++) {
      const name = names[(k + j) % names.length]
      const s = performance.now()
      await paths[name](pick(k))
      ms[name].push(performance.now() - s)
    }
  }
  return Object.fromEntries(names.map((n) => [n, { median: median(ms[n]), p99: quantile(ms[n], 0.99) }]))
}

/** The screen pop through the whole API (number parsing, services) and through the store alone. */
const popPaths = (sb, backend) => {
  const t = sb.tenant('bench')
  const store = backend.forTenant(t.tenantId)
  return {
    api: async (phone) => {
      const pop = await t.contacts.screenPop(phone)
      if (pop.status !== 'identified') throw new Error(`screen pop of ${phone}: ${pop.status}`)
    },
    store: async (phone) => {
      const r = await store.contacts.screenPop(phone, { timelineLimit: 20 })
      if (r.contacts.length !== 1)
        throw new Error(`store screen pop of ${phone}: ${r.contacts.length} contacts`)
    },
  }
}

/** Gives each looked-up contact HISTORY interactions and one open case (and one solved), through the store. */
async function seedHistory(backend) {
  const store = backend.forTenant('bench')
  const phones = [...new Set(Array.from({ length: LOOKUPS + 200 }, (_, k) => pick(k)))]
  const contacts = await store.contacts.findByPhones(phones)
  const at = (m) => new Date(Date.UTC(2026, 0, 1, 0, m))
  for (let i = 0; i < contacts.length; i += 200) {
    await store.transaction(async (tx) => {
      for (const c of contacts.slice(i, i + 200)) {
        for (let m = 0; m < HISTORY; m++) {
          await tx.interactions.insert({
            id: `in_${c.id}_${m}`,
            tenantId: c.tenantId,
            contactId: c.id,
            channel: 'voice',
            direction: m % 2 ? 'inbound' : 'outbound',
            startedAt: at(m),
            durations: { ringSec: 5, talkSec: 60 + m, holdSec: 0, wrapSec: 10 },
            recordingIds: [],
            createdAt: at(m),
            updatedAt: at(m),
          })
        }
        for (const status of ['open', 'solved']) {
          await tx.cases.insert({
            id: `cs_${c.id}_${status}`,
            tenantId: c.tenantId,
            contactId: c.id,
            subject: 'Router keeps rebooting',
            priority: 'normal',
            status,
            skills: [],
            sla: {},
            history: [{ at: at(0), type: 'created' }],
            createdAt: at(status === 'open' ? 30 : 31),
            updatedAt: at(31),
          })
        }
      }
    })
  }
  return contacts.length
}

/**
 * The same reads as the library's PostgreSQL screen pop, hand-written and
 * sent raw through pg as one named (prepared) statement; rows are left as pg
 * parses them (no schema decoding).
 */
const RAW_POP = `
  with m as (
    select c.id, c.data from contact_phones p
    join contacts c on c.tenant_id = p.tenant_id and c.id = p.contact_id
    where p.tenant_id = $1 and p.e164 = $2 and c.merged_into is null
  ),
  one as (select min(id) as id from m having count(*) = 1)
  select
    (select coalesce(json_agg(m.data order by m.id), '[]') from m) as contacts,
    (select coalesce(json_agg(x.data order by x.started_at desc, x.id desc), '[]') from (
      select i.id, i.data, i.started_at from interactions i
      where i.tenant_id = $1 and i.contact_id = (select id from one)
      order by i.started_at desc, i.id desc limit $3) x) as timeline,
    (select coalesce(json_agg(k.data order by k.created_at desc, k.id desc), '[]') from cases k
      where k.tenant_id = $1 and k.contact_id = (select id from one) and k.status in ('open', 'pending')) as cases`
function rawPop(pool) {
  return async (phone) => {
    const { rows } = await pool.query({
      name: 'raw_screen_pop',
      text: RAW_POP,
      values: ['bench', phone, 20],
    })
    if (rows[0].contacts.length !== 1)
      throw new Error(`raw screen pop of ${phone}: ${rows[0].contacts.length} contacts`)
  }
}

/** Screen pop on each path, before and after the looked-up contacts get a history. */
async function screenPops(sb, backend, raw) {
  const paths = { ...(raw ? { raw } : {}), ...popPaths(sb, backend) }
  const out = {}
  for (const phase of ['bare', 'history']) {
    if (phase === 'history')
      log(`  seeded ${fmt(await seedHistory(backend))} contacts with ${HISTORY} interactions and 2 cases`)
    out[phase] = await latencies(paths)
    log(
      `  ${phase}: ${Object.entries(out[phase])
        .map(([k, v]) => `${k} ${fmt(v.median, 2)} / ${fmt(v.p99, 2)} ms`)
        .join(', ')}`,
    )
  }
  return out
}

async function claims(backend, run) {
  const store = backend.forTenant('bench-leads')
  const campaign = `cp_bench_${run}`
  const ids = Array.from({ length: LEADS }, (_, i) => `ct_${String(i).padStart(8, '0')}`)
  await store.leads.enqueue(campaign, ids)
  let claimed = 0
  let calls = 0
  const started = performance.now()
  await Promise.all(
    Array.from({ length: 8 }, async (_, w) => {
      const worker = `w${w}`
      for (;;) {
        const got = await store.leads.claim(campaign, { worker, limit: CLAIM_BATCH })
        calls++
        if (!got.length) return
        claimed += got.length
        await store.leads.complete(
          campaign,
          got.map((l) => l.contactId),
          { worker, outcome: 'no-answer' },
        )
      }
    }),
  )
  const ms = performance.now() - started
  const counts = await store.leads.counts(campaign)
  if (claimed !== LEADS || counts.done !== LEADS)
    throw new Error(`claimed ${claimed}, done ${counts.done} of ${LEADS}`)
  return { leadsPerSec: (claimed / ms) * 1000, callsPerSec: (calls / ms) * 1000 }
}

async function claimRuns(backend) {
  const runs = []
  for (let r = 0; r < REPEAT; r++) runs.push(await claims(backend, r))
  return {
    leadsPerSec: median(runs.map((x) => x.leadsPerSec)),
    callsPerSec: median(runs.map((x) => x.callsPerSec)),
  }
}

/** COPY of exactly the rows the import wrote, into empty tables with the same schema and indexes. */
async function rawCopy(admin) {
  const tables = {
    contacts:
      'tenant_id, id, display_name, match_key, external_ref, lifecycle, merged_into, created_at, updated_at, data',
    contact_phones: 'tenant_id, e164, contact_id',
    contact_emails: 'tenant_id, email, contact_id',
  }
  for (const [t, cols] of Object.entries(tables)) {
    await pipeline(
      admin.query(copyTo(`copy ${schema}.${t} (${cols}) to stdout`)),
      createWriteStream(join(dir, `${t}.copy`)),
    )
  }
  const target = postgresStorage({ connectionString: URL, schema: baseline })
  await target.migrate()
  await target.close()
  const started = performance.now()
  await admin.query('begin')
  for (const [t, cols] of Object.entries(tables)) {
    await pipeline(
      createReadStream(join(dir, `${t}.copy`)),
      admin.query(copyFrom(`copy ${baseline}.${t} (${cols}) from stdin`)),
    )
  }
  await admin.query('commit')
  const ms = performance.now() - started
  return { ms, rate: (ROWS / ms) * 1000 }
}

// --- run -----------------------------------------------------------------------
const admin = new pg.Client({ connectionString: URL })
await admin.connect()
const version = (await admin.query('show server_version')).rows[0].server_version
const results = { postgres: {}, sqlite: {} }
try {
  const csv = join(dir, 'contacts.csv')
  log(`writing ${fmt(ROWS)} contacts to ${csv}`)
  await writeCsv(csv, ROWS)

  log('PostgreSQL: import through sb.tenant(t).contacts.import')
  const backend = postgresStorage({ connectionString: URL, schema })
  const sb = await createSwitchboard({ storage: backend })
  results.postgres.import = await importRate(sb, csv, backend.capabilities.preferredBatchSize)
  log(`  ${fmt(results.postgres.import.rate)} rows/s`)
  await admin.query(`analyze ${schema}.contacts; analyze ${schema}.contact_phones`)
  log('PostgreSQL: raw COPY of the same rows')
  results.postgres.copy = await rawCopy(admin)
  log(`  ${fmt(results.postgres.copy.rate)} rows/s`)
  log('PostgreSQL: screen pop (raw pg, store, API)')
  const rawPool = new pg.Pool({ connectionString: URL, max: 2, options: `-c search_path=${schema}` })
  results.postgres.pops = await screenPops(sb, backend, rawPop(rawPool))
  await rawPool.end()
  results.postgres.pop = results.postgres.pops.bare.api
  log(`PostgreSQL: lead claims, 8 claimers, ${fmt(LEADS)} leads x ${REPEAT}`)
  results.postgres.claims = await claimRuns(backend)
  await sb.close()

  if (SQLITE) {
    const storage = sqliteStorage({ file: join(dir, 'bench.db') })
    const sq = await createSwitchboard({ storage })
    log('SQLite: import through sb.tenant(t).contacts.import')
    results.sqlite.import = await importRate(sq, csv, storage.capabilities.preferredBatchSize)
    log(`  ${fmt(results.sqlite.import.rate)} rows/s`)
    log('SQLite: screen pop (store, API)')
    results.sqlite.pops = await screenPops(sq, storage)
    results.sqlite.pop = results.sqlite.pops.bare.api
    log(`SQLite: lead claims, 8 claimers, ${fmt(LEADS)} leads x ${REPEAT}`)
    results.sqlite.claims = await claimRuns(storage)
    await sq.close()
  }
} finally {
  await admin
    .query(`drop schema if exists ${schema} cascade; drop schema if exists ${baseline} cascade`)
    .catch(() => {})
  await admin.end()
  rmSync(dir, { recursive: true, force: true })
}

// --- report --------------------------------------------------------------------
const P = results.postgres
const S = results.sqlite
const dash = '—'
const rows = [
  [
    `import via contacts.import (contacts/s; ${P.import.normalizer} normaliser)`,
    fmt(P.import.rate),
    S.import ? fmt(S.import.rate) : dash,
  ],
  ['  wall time', `${fmt(P.import.ms / 1000, 1)} s`, S.import ? `${fmt(S.import.ms / 1000, 1)} s` : dash],
  ['raw COPY of the same rows (contacts/s)', fmt(P.copy.rate), dash],
  ['  import / raw COPY (goal >= 40%)', `${fmt((P.import.rate / P.copy.rate) * 100, 1)}%`, dash],
  [
    `screen pop median (ms, ${fmt(LOOKUPS)} lookups, API, no history)`,
    fmt(P.pop.median, 2),
    S.pop ? fmt(S.pop.median, 2) : dash,
  ],
  ['screen pop p99 (ms)', fmt(P.pop.p99, 2), S.pop ? fmt(S.pop.p99, 2) : dash],
  [
    `lead claims/s, 8 claimers, batch ${CLAIM_BATCH} (leads, median of ${REPEAT})`,
    fmt(P.claims.leadsPerSec),
    S.claims ? fmt(S.claims.leadsPerSec) : dash,
  ],
  ['  claim calls/s (median)', fmt(P.claims.callsPerSec), S.claims ? fmt(S.claims.callsPerSec) : dash],
]
const w0 = Math.max(...rows.map((r) => r[0].length))
const w1 = Math.max(10, ...rows.map((r) => r[1].length))
const w2 = Math.max(10, ...rows.map((r) => r[2].length))
console.log(
  `\nSwitchboard storage benchmark: ${fmt(ROWS)} contacts, ${fmt(LEADS)} leads; ` +
    `PostgreSQL ${version} on 127.0.0.1, SQLite file (WAL); Node ${process.version}, ${cpus().length} CPUs, ` +
    `load average at start ${startLoad} / end ${loadavg()[0].toFixed(1)}\n`,
)
console.log(`| ${'measure'.padEnd(w0)} | ${'PostgreSQL'.padStart(w1)} | ${'SQLite'.padStart(w2)} |`)
console.log(`| ${'-'.repeat(w0)} | ${'-'.repeat(w1 - 1)}: | ${'-'.repeat(w2 - 1)}: |`)
for (const [a, b, c] of rows) console.log(`| ${a.padEnd(w0)} | ${b.padStart(w1)} | ${c.padStart(w2)} |`)

const pathName = {
  raw: 'raw pg: the same SQL hand-written, one prepared statement',
  store: 'store: backend.forTenant(t).contacts.screenPop',
  api: 'API: sb.tenant(t).contacts.screenPop(number)',
}
const popRows = []
for (const [db, R] of [
  ['PostgreSQL', P],
  ['SQLite', S],
]) {
  if (!R.pops) continue
  for (const path of ['raw', 'store', 'api']) {
    const bare = R.pops.bare[path]
    const hist = R.pops.history[path]
    if (!bare) continue
    popRows.push([
      `${db} ${pathName[path]}`,
      fmt(bare.median, 2),
      fmt(bare.p99, 2),
      fmt(hist.median, 2),
      fmt(hist.p99, 2),
    ])
  }
}
const heads = [
  'screen pop (ms)',
  'median',
  'p99',
  `median, ${HISTORY} interactions`,
  `p99, ${HISTORY} interactions`,
]
const widths = heads.map((h, i) => Math.max(h.length, ...popRows.map((r) => r[i].length)))
console.log(
  `\nScreen pop, ${fmt(LOOKUPS)} lookups per path: contacts without history, then with ${HISTORY} interactions, an open and a solved case (timeline limit 20)\n`,
)
console.log(`| ${heads.map((h, i) => (i ? h.padStart(widths[i]) : h.padEnd(widths[i]))).join(' | ')} |`)
console.log(`| ${widths.map((w, i) => (i ? `${'-'.repeat(w - 1)}:` : '-'.repeat(w))).join(' | ')} |`)
for (const r of popRows)
  console.log(`| ${r.map((c, i) => (i ? c.padStart(widths[i]) : c.padEnd(widths[i]))).join(' | ')} |`)
