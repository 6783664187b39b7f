// Storage benchmarks on SQLite (printed tables, never asserted):
//  1. import of N generated contacts through the whole pipeline (parse,
//     validate, normalise, dedupe, insert) beside a raw batched better-sqlite3
//     insert of the same rows into the same schema, in the same run;
//  2. screen-pop lookup (contact by phone with its last 20 interactions and open
//     cases) on that database, beside the same queries as raw prepared statements.
// Usage: pnpm bench [-- --rows 1000000 --lookups 20000]
import { once } from 'node:events'
import { createWriteStream, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { parseArgs } from 'node:util'
import {
  type Contact,
  type ContactId,
  createSwitchboard,
  type Interaction,
  type TenantId,
} from '@switchboard/core'
import { matchKey } from '@switchboard/core/quality'
import { sqliteStorage } from '@switchboard/storage-sqlite'
import Database from 'better-sqlite3'
import { csvLine, header, mapping, row } from './generate.ts'
import { bar, summarize, table } from './stats.ts'

const { values: args } = parseArgs({
  options: { rows: { type: 'string', default: '1000000' }, lookups: { type: 'string', default: '20000' } },
})
const N = Number(args.rows)
const LOOKUPS = Number(args.lookups)
const dir = mkdtempSync(join(tmpdir(), 'sb-bench-'))
const TENANT = 'bench' as TenantId
process.on('exit', () => rmSync(dir, { recursive: true, force: true }))

// 1a. The CSV file, streamed to disk.
const csvPath = join(dir, 'contacts.csv')
{
  const out = createWriteStream(csvPath)
  out.write(`${header}\n`)
  for (let i = 0; i < N; i++) {
    if (!out.write(`${csvLine(row(i))}\n`)) await once(out, 'drain')
    if (i % 50000 === 0) bar('write csv ', i, N)
  }
  out.end()
  await once(out, 'finish')
  bar('write csv ', N, N)
}

// 1b. Raw baseline: the same rows (minus the planted duplicates), prepared statements, 2,000 per transaction.
const rawPath = join(dir, 'raw.db')
{
  const s = sqliteStorage({ file: rawPath })
  await s.migrate()
  await s.close()
}
const raw = new Database(rawPath)
raw.pragma('journal_mode = WAL')
raw.pragma('synchronous = NORMAL')
raw.pragma('cache_size = -65536')
const insContact = raw.prepare(
  'insert into contacts (tenant_id, id, display_name, match_key, external_ref, lifecycle, merged_into, created_at, updated_at, data) values (?, ?, ?, ?, ?, ?, null, ?, ?, ?)',
)
const insPhone = raw.prepare('insert into contact_phones (tenant_id, e164, contact_id) values (?, ?, ?)')
const insEmail = raw.prepare('insert into contact_emails (tenant_id, email, contact_id) values (?, ?, ?)')
const now = new Date()
const rawContact = (i: number): Contact => {
  const r = row(i)
  return {
    id: `ct_${i}` as ContactId,
    tenantId: TENANT,
    kind: 'person',
    firstName: r.first,
    lastName: r.last,
    displayName: `${r.first} ${r.last}`,
    phones: [
      { e164: r.e164 as never, type: 'fixed_line_or_mobile', country: 'US', primary: true, verified: false },
    ],
    emails: [{ address: r.email, primary: true, verified: false }],
    address: { country: 'US', region: r.state },
    timeZone: 'America/New_York',
    timeZoneSource: 'address',
    lifecycle: 'lead',
    tags: [],
    attributes: {},
    externalRef: r.id,
    createdAt: now,
    updatedAt: now,
  }
}
const rawBatch = raw.transaction((from: number, to: number) => {
  const stamp = now.toISOString()
  for (let i = from; i < to; i++) {
    if (i % 50 === 49) continue
    const c = rawContact(i)
    insContact.run(
      TENANT,
      c.id,
      c.displayName,
      matchKey(c),
      c.externalRef,
      c.lifecycle,
      stamp,
      stamp,
      JSON.stringify(c),
    )
    insPhone.run(TENANT, c.phones[0]!.e164, c.id)
    insEmail.run(TENANT, c.emails[0]!.address, c.id)
  }
})
let t0 = performance.now()
for (let i = 0; i < N; i += 2000) {
  rawBatch(i, Math.min(N, i + 2000))
  if (i % 50000 === 0) bar('raw insert', i, N)
}
const rawSecs = (performance.now() - t0) / 1000
bar('raw insert', N, N)

// 1c. The pipeline, through the public API.
const sb = await createSwitchboard({ storage: sqliteStorage({ file: join(dir, 'pipeline.db') }) })
const acme = sb.tenant(TENANT)
t0 = performance.now()
const result = await acme.contacts.import(csvPath, {
  mapping,
  defaultCountry: 'US',
  batchSize: 2000,
  onProgress: (p) => {
    if (p.rows % 50000 < 2000) bar('pipeline  ', p.rows, N)
  },
})
const pipeSecs = (performance.now() - t0) / 1000
bar('pipeline  ', N, N)
if (result.rejected.length) console.error('unexpected rejections', result.rejected.slice(0, 3))

const rawRate = (N - Math.floor(N / 50)) / rawSecs
const pipeRate = result.rows / pipeSecs
table(
  `Import of ${N.toLocaleString('en-US')} contacts into SQLite (rows per second, one run each)`,
  ['path', 'rows', 'seconds', 'rows/s', 'vs raw'],
  [
    [
      'raw batched better-sqlite3 insert (no validation)',
      N - Math.floor(N / 50),
      rawSecs.toFixed(1),
      Math.round(rawRate),
      '100%',
    ],
    [
      `switchboard import pipeline (${result.imported} new, ${result.duplicates.length} duplicates found)`,
      result.rows,
      pipeSecs.toFixed(1),
      Math.round(pipeRate),
      `${((pipeRate / rawRate) * 100).toFixed(0)}%`,
    ],
  ],
)

// 2. Screen pop on the 1M database: 25 interactions and an open case for the contacts looked up.
const store = sb.storage.forTenant(acme.tenantId)
const picks: number[] = []
for (let k = 0; picks.length < Math.min(2000, N / 2); k++) {
  const i = (k * 7919) % N
  if (i % 50 !== 49) picks.push(i)
}
const phoneOf = (i: number) => row(i).phone
const seeded = await store.contacts.findByPhones(picks.map((i) => row(i).e164))
await store.transaction(async (tx) => {
  for (const c of seeded) {
    for (let m = 0; m < 25; m++) {
      const at = new Date(Date.UTC(2026, 0, 1, 0, m))
      const it = {
        id: `in_${c.id}_${m}`,
        tenantId: acme.tenantId,
        contactId: c.id,
        channel: 'voice',
        direction: m % 2 ? 'inbound' : 'outbound',
        startedAt: at,
        durations: { ringSec: 5, talkSec: 60 + m, holdSec: 0, wrapSec: 10 },
        recordingIds: [],
        createdAt: at,
        updatedAt: at,
      } as unknown as Interaction
      await tx.interactions.insert(it)
    }
  }
})
for (const c of seeded.slice(0, 500)) await acme.cases.open({ contactId: c.id, subject: 'Open ticket' })

const lookupPhones = Array.from({ length: LOOKUPS }, (_, k) => phoneOf(picks[k % picks.length]!))
const timed = async (fn: (phone: string) => Promise<unknown> | unknown) => {
  for (let k = 0; k < 500; k++) await fn(lookupPhones[k]!)
  const samples: number[] = []
  for (const phone of lookupPhones) {
    const s = performance.now()
    await fn(phone)
    samples.push((performance.now() - s) * 1000)
  }
  return summarize(samples)
}
const pop = await timed(async (phone) => {
  const r = await acme.contacts.screenPop(phone, 'US')
  if (r.status !== 'identified') throw new Error(`screen pop did not identify ${phone}: ${r.status}`)
})
const ro = new Database(join(dir, 'pipeline.db'), { readonly: true })
const q1 = ro.prepare('select contact_id from contact_phones where tenant_id = ? and e164 = ?')
const q2 = ro.prepare('select data from contacts where tenant_id = ? and id = ? and merged_into is null')
const q3 = ro.prepare(
  'select data from interactions where tenant_id = ? and contact_id = ? order by started_at desc limit 20',
)
const q4 = ro.prepare(
  "select data from cases where tenant_id = ? and contact_id = ? and status in ('open', 'pending') order by created_at desc",
)
const toE164 = (phone: string) => `+1${phone.replace(/\D/g, '')}`
const rawPop = await timed((phone) => {
  const ids = q1.all(TENANT, toE164(phone)) as { contact_id: string }[]
  const c = q2.get(TENANT, ids[0]!.contact_id) as { data: string }
  JSON.parse(c.data)
  for (const r of q3.all(TENANT, ids[0]!.contact_id) as { data: string }[]) JSON.parse(r.data)
  for (const r of q4.all(TENANT, ids[0]!.contact_id) as { data: string }[]) JSON.parse(r.data)
})
const us = (v: number) => `${(v / 1000).toFixed(3)} ms`
table(
  `Screen pop on ${result.imported.toLocaleString('en-US')} contacts: phone -> contact + last 20 interactions + open cases (${LOOKUPS} lookups)`,
  ['path', 'median', 'p95', 'p99', 'max'],
  [
    [
      'raw prepared statements (same queries, no API)',
      us(rawPop.median),
      us(rawPop.p95),
      us(rawPop.p99),
      us(rawPop.max),
    ],
    ['acme.contacts.screenPop(number)', us(pop.median), us(pop.p95), us(pop.p99), us(pop.max)],
  ],
)
ro.close()
raw.close()
await sb.close()
