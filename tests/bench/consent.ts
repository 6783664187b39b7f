// Consent benchmark (printed tables, never asserted): `canContact` through the
// public API against a national do-not-call registry of N numbers, beside a
// bare indexed lookup of the same numbers (one primary-key probe through the
// backend's own kysely instance) and the registry statement canContact runs,
// in the same run. SQLite always; PostgreSQL when SWITCHBOARD_PG_URL is set
// (`source .ci/postgres.sh` starts a throwaway server), in a fresh schema that
// is dropped afterwards.
//
// The registry is loaded through the store's versioned path (beginVersion,
// addNumbers in transactions of 20,000, activate: the swap), numbers already in
// E.164: the file parser and phone normaliser are not what is measured here.
//
// Usage: pnpm bench:consent [-- --numbers 10000000 --runs 2000 --contacts 1000]
//   --numbers N   registry size (default 10,000,000; or SWITCHBOARD_BENCH_DNC_NUMBERS)
//   --runs R      timed calls of each operation, after 200 warm-up calls (default 2,000)
//   --contacts C  contacts asked about, half of them on the registry (default 1,000)
//   --file-lines L  then import a file of L national numbers through consent.importRegistry
//                 (the streamed parser and the phone normaliser), for its lines/s (default 200,000; 0: skip)
//   --no-sqlite   PostgreSQL only; --no-postgres: SQLite only
import { createReadStream, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { cpus, loadavg, tmpdir } from 'node:os'
import { join } from 'node:path'
import { parseArgs } from 'node:util'
import {
  type ContactId,
  createSwitchboard,
  dncPresets,
  type StorageBackend,
  type TenantId,
} from '@switchboard/core'
import type { CoreTables } from '@switchboard/storage-kysely'
import { postgresStorage } from '@switchboard/storage-postgres'
import { sqliteStorage } from '@switchboard/storage-sqlite'
import { mulberry32 } from '@switchboard/testkit/random'
import { SingleBar } from 'cli-progress'
import { CompiledQuery, type Kysely, sql } from 'kysely'
import { summarize, table } from './stats.ts'

const { values: args } = parseArgs({
  args: process.argv.slice(2).filter((a) => a !== '--'),
  options: {
    numbers: { type: 'string', default: process.env.SWITCHBOARD_BENCH_DNC_NUMBERS ?? '10000000' },
    runs: { type: 'string', default: '2000' },
    contacts: { type: 'string', default: '1000' },
    'file-lines': { type: 'string', default: '200000' },
    'no-sqlite': { type: 'boolean', default: false },
    'no-postgres': { type: 'boolean', default: false },
  },
})
const N = Number(args.numbers.replaceAll('_', ''))
const RUNS = Number(args.runs)
const CONTACTS = Number(args.contacts)
const FILE_LINES = Number(args['file-lines'].replaceAll('_', ''))
const WARMUP = 200
const BATCH = 20_000
const PG_URL = process.env.SWITCHBOARD_PG_URL
const TENANT = 'bench' as TenantId
// Wednesday 11:00 in Madrid: inside Spain's window, so the registry is what decides.
const AT = new Date('2026-03-11T10:00:00Z')
const fmt = (n: number, d = 0) =>
  n.toLocaleString('en-US', { maximumFractionDigits: d, minimumFractionDigits: d })
if (!Number.isInteger(N) || N < 1 || N > 90_000_000)
  throw new Error(`--numbers must be 1..90,000,000 (got ${args.numbers})`)

/** The i-th registry number: distinct Spanish mobiles +34 6xx xxx xxx, spread by a stride. */
const listed = (i: number) => `+34${600_000_000 + ((i * 7) % 100_000_000)}`
/** A Spanish mobile that is not on the registry (the stride never lands on 7k + 3). */
const unlisted = (i: number) => `+34${600_000_000 + ((i * 7 + 3) % 100_000_000)}`

type Db = Kysely<CoreTables>

async function timed(fn: (i: number) => Promise<unknown>): Promise<number[]> {
  for (let i = 0; i < WARMUP; i++) await fn(i)
  const out: number[] = []
  for (let i = 0; i < RUNS; i++) {
    const t0 = performance.now()
    await fn(i)
    out.push(performance.now() - t0)
  }
  return out
}

async function measure(label: string, backend: StorageBackend & { db: Db }) {
  const sb = await createSwitchboard({ storage: backend, outbox: false })
  const t = sb.tenant(TENANT)
  const store = backend.forTenant(TENANT)
  await t.consent.defineRegistry(dncPresets.ES_ROBINSON)

  const bar = new SingleBar({
    format: `${label}: loading {bar} {percentage}% | {value}/{total} numbers | {rate}/s | ETA {eta_formatted}`,
    hideCursor: true,
    // Without a terminal (CI, a log file) a line every 10 s instead of a redrawn bar.
    noTTYOutput: true,
    notTTYSchedule: 10_000,
  })
  const loadStart = performance.now()
  bar.start(N, 0, { rate: '0' })
  const version = await store.dncRegistries.beginVersion('lista-robinson', {
    source: 'bench',
    startedAt: new Date(),
  })
  for (let from = 0; from < N; from += BATCH) {
    const rows = Array.from({ length: Math.min(BATCH, N - from) }, (_, k) => ({ phone: listed(from + k) }))
    await store.transaction((tx) => tx.dncRegistries.addNumbers('lista-robinson', version, rows))
    const done = from + rows.length
    bar.update(done, { rate: fmt(done / ((performance.now() - loadStart) / 1000)) })
    // The bar redraws on a timer: an in-process driver (SQLite) never yields to one otherwise.
    await new Promise((r) => setImmediate(r))
  }
  bar.stop()
  await store.dncRegistries.activate('lista-robinson', version, { at: new Date(), numbers: N, rejected: 0 })
  const loadSec = (performance.now() - loadStart) / 1000

  // Contacts asked about: half on the registry, half not, in a shuffled order.
  const rnd = mulberry32(11)
  const ids: ContactId[] = []
  const phones: string[] = []
  for (let i = 0; i < CONTACTS; i++) {
    const phone = i % 2 === 0 ? listed(Math.floor(rnd() * N)) : unlisted(Math.floor(rnd() * N))
    const c = await t.contacts.create({ firstName: `Bench ${i}`, phones: [phone] })
    ids.push(c.id)
    phones.push(phone)
  }

  // The bare lookup: one primary-key probe, prepared once, through the backend's own connection.
  const probe = sql<{
    one: number
  }>`select 1 as one from dnc_registry_numbers where tenant_id = ${TENANT} and phone = ${'?'} limit 1`.compile(
    backend.db,
  )
  const bare = (phone: string) => backend.db.executeQuery(CompiledQuery.raw(probe.sql, [TENANT, phone]))
  let agree = 0
  for (let i = 0; i < CONTACTS; i++) {
    const d = await t.consent.canContact(ids[i]!, { channel: 'voice', purpose: 'service', at: AT })
    const hit = (await bare(phones[i]!)).rows.length > 0
    if (d.reasons.some((r) => r.code === 'do_not_call') === hit && d.allowed === !hit) agree++
  }

  const api = await timed((i) =>
    t.consent.canContact(ids[i % CONTACTS]!, { channel: 'voice', purpose: 'service', at: AT }),
  )
  const raw = await timed((i) => bare(phones[i % CONTACTS]!))
  const find = await timed((i) => store.dncRegistries.find([phones[i % CONTACTS]!]))

  // The file path, after the timings: a national-format file through the public import.
  let fileSec = 0
  if (FILE_LINES > 0) {
    const dir = mkdtempSync(join(tmpdir(), 'sb-bench-consent-file-'))
    try {
      const file = join(dir, 'registry.txt')
      writeFileSync(file, Array.from({ length: FILE_LINES }, (_, i) => listed(i).slice(3)).join('\n'))
      await t.consent.defineRegistry({ name: 'bench-file', kind: 'internal', country: 'ES' })
      const t0 = performance.now()
      const r = await t.consent.importRegistry('bench-file', createReadStream(file), { source: 'bench file' })
      fileSec = (performance.now() - t0) / 1000
      if (r.imported !== FILE_LINES) throw new Error(`the file import stored ${r.imported} of ${FILE_LINES}`)
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  }
  await sb.close()
  return { label, loadSec, fileSec, agree, api: summarize(api), raw: summarize(raw), find: summarize(find) }
}

const results: Awaited<ReturnType<typeof measure>>[] = []
console.log(
  `Consent benchmark: registry of ${fmt(N)} numbers, ${fmt(RUNS)} timed calls each (after ${WARMUP} warm-up), ${fmt(CONTACTS)} contacts; Node ${process.version}, ${cpus().length} CPUs, load average ${loadavg()[0]!.toFixed(1)}`,
)

if (!args['no-sqlite']) {
  const dir = mkdtempSync(join(tmpdir(), 'sb-bench-consent-'))
  try {
    results.push(await measure('SQLite', sqliteStorage({ file: join(dir, 'consent.db') })))
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}
if (args['no-postgres']) {
  console.log('\nPostgreSQL: skipped (--no-postgres)')
} else if (!PG_URL) {
  console.error(
    "\n*** PostgreSQL SKIPPED: SWITCHBOARD_PG_URL is not set. Run `bash -c 'source .ci/postgres.sh && npx -y pnpm@10 bench:consent'` (pnpm bench:consent does). ***",
  )
} else {
  const schema = `sb_bench_consent_${process.pid}`
  const backend = postgresStorage({ connectionString: PG_URL, schema })
  const cleanup = postgresStorage({ connectionString: PG_URL, schema: 'public' })
  try {
    results.push(await measure('PostgreSQL', backend))
  } finally {
    await sql`drop schema if exists ${sql.id(schema)} cascade`.execute(cleanup.db).catch((e: unknown) => {
      console.error('could not drop', schema, e)
    })
    await cleanup.close()
  }
}

const ms = (v: number) => fmt(v, 3)
table(
  `canContact against a ${fmt(N)}-number registry (milliseconds per call)`,
  ['backend', 'operation', 'median', 'p95', 'p99', 'max'],
  results.flatMap((r) => [
    [r.label, 'canContact (API)', ms(r.api.median), ms(r.api.p95), ms(r.api.p99), ms(r.api.max)],
    [r.label, 'registry find (store)', ms(r.find.median), ms(r.find.p95), ms(r.find.p99), ms(r.find.max)],
    [r.label, 'bare indexed lookup', ms(r.raw.median), ms(r.raw.p95), ms(r.raw.p99), ms(r.raw.max)],
  ]),
)
table(
  'Loading and agreement',
  ['backend', 'load (s)', 'numbers/s', 'file import lines/s', 'canContact agrees with the lookup'],
  results.map((r) => [
    r.label,
    fmt(r.loadSec, 1),
    fmt(N / r.loadSec),
    FILE_LINES > 0 ? `${fmt(FILE_LINES / r.fileSec)} (${fmt(FILE_LINES)} lines)` : 'skipped',
    `${r.agree}/${CONTACTS}`,
  ]),
)
console.log(`\nload average at the end: ${loadavg()[0]!.toFixed(1)}`)
if (results.some((r) => r.agree !== CONTACTS)) {
  console.error('\nERROR: canContact and the bare lookup disagreed (see above)')
  process.exit(1)
}
