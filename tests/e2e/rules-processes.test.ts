// Rules across processes on one database: what one process commits, another
// sees at once (its claims, its event log), and a process that dies between
// an event and the action it implies loses nothing.
import { execFile } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import type { Campaign, Contact, TenantApi } from '@switchboard/core'
import pg from 'pg'
import { afterAll, describe, expect, it } from 'vitest'
import { type Database, instance, journaling } from './processes/world.ts'

const WORKER = fileURLToPath(new URL('./processes/worker.ts', import.meta.url))
const PG_URL = process.env.SWITCHBOARD_PG_URL
const ci = process.env.CI === 'true' || process.env.CI === '1'
const dir = mkdtempSync(join(tmpdir(), 'sb-rules-'))
const schemas: string[] = []

afterAll(async () => {
  rmSync(dir, { recursive: true, force: true })
  if (!PG_URL || !schemas.length) return
  const admin = new pg.Client({ connectionString: PG_URL })
  await admin.connect()
  for (const s of schemas) await admin.query(`drop schema if exists "${s}" cascade`)
  await admin.end()
})

/** Runs the worker with a job; resolves with its JSON lines and how it ended (a SIGKILL is expected of some). */
function worker(
  job: object,
): Promise<{ lines: Array<Record<string, number | string>>; signal: string | null }> {
  return new Promise((resolve, reject) => {
    execFile(
      process.execPath,
      [WORKER, JSON.stringify(job)],
      { timeout: 60_000 },
      (error, stdout, stderr) => {
        const signal = (error as { signal?: string } | null)?.signal ?? null
        if (error && signal !== 'SIGKILL')
          return reject(new Error(`worker failed: ${error.message}\n${stderr}`))
        resolve({
          lines: stdout
            .split('\n')
            .filter(Boolean)
            .map((l) => JSON.parse(l)),
          signal,
        })
      },
    )
  })
}

const databases: Array<[string, () => Database]> = [
  ['sqlite (file)', () => ({ kind: 'sqlite', file: join(dir, `${randomBytes(4).toString('hex')}.db`) })],
]
if (PG_URL) {
  databases.push([
    'postgres',
    () => {
      const schema = `sb_rules_${randomBytes(5).toString('hex')}`
      schemas.push(schema)
      return { kind: 'postgres', url: PG_URL, schema }
    },
  ])
} else if (ci) {
  it('needs PostgreSQL (SWITCHBOARD_PG_URL)', () => {
    throw new Error('SWITCHBOARD_PG_URL is not set in CI: the two-process PostgreSQL tests cannot be skipped')
  })
} else {
  console.warn(
    '\n!!! rules-processes: SWITCHBOARD_PG_URL is not set: SKIPPING the PostgreSQL runs (source .ci/postgres.sh)\n',
  )
}

/** A tenant with a debtor on an active campaign's list, and the rule "a payment suppresses". */
async function world(t: TenantApi, handler?: string): Promise<{ debtor: Contact; campaign: Campaign }> {
  const campaign = await t.campaigns.create({
    name: 'Arrears',
    kind: 'collections',
    dialMode: { mode: 'predictive' },
    regime: 'ES',
    consentPurpose: 'collections',
  })
  await t.campaigns.setStatus(campaign.id, 'active')
  const debtor = await t.contacts.create({
    firstName: 'Dana',
    phones: ['+34612000001'],
    openBalance: { amountMinor: 900_00, currency: 'EUR' },
  })
  const others = await Promise.all(
    Array.from({ length: 30 }, (_, i) =>
      t.contacts.create({ firstName: `Other ${i}`, phones: [`+346120001${String(i).padStart(2, '0')}`] }),
    ),
  )
  await t.lists.enqueue(campaign.id, [debtor.id, ...others.map((o) => o.id)])
  await t.rules.create({
    name: 'paid: stop calling',
    on: 'payment.recorded',
    actions: [
      { type: 'suppress', reason: 'paid' },
      ...(handler ? [{ type: 'handler' as const, name: handler }] : []),
    ],
  })
  return { debtor, campaign }
}

describe.each(databases)('rules across processes: %s', (name, database) => {
  it('process A records a payment; no claim of process B started after it returns the debtor, and B sees the events', async () => {
    const db = database()
    const setup = await instance(db, { outbox: false })
    const t = setup.tenant('acme')
    const { debtor, campaign } = await world(t)
    await setup.close()

    const ready = join(dir, `ready-${randomBytes(4).toString('hex')}`)
    const b = worker({
      role: 'claim',
      db,
      tenant: 'acme',
      campaignId: campaign.id,
      watch: debtor.id,
      ms: 2500,
      ready,
    })
    // A pays once B has claimed the debtor at least once.
    for (let i = 0; i < 300 && !existsSync(ready); i++) await new Promise((r) => setTimeout(r, 50))
    const a = await worker({ role: 'pay', db, tenant: 'acme', contactId: debtor.id, amountMinor: 900_00 })
    const paidAt = Number(a.lines.find((l) => 'paid' in l)!.paid)
    const { lines } = await b
    const claimedAt = lines.filter((l) => 'claimedWatched' in l).map((l) => Number(l.claimedWatched))
    // B did claim the debtor before the payment (the test can fail)...
    expect(
      claimedAt.some((at) => at < paidAt),
      `B never claimed the debtor before the payment (${name})`,
    ).toBe(true)
    // ...and never in a claim that started once A's write had returned.
    expect(claimedAt.filter((at) => at > paidAt)).toEqual([])
    const seen = lines.filter((l) => 'event' in l)
    expect(seen.find((l) => l.event === 'payment.recorded')).toMatchObject({
      origin: 'A',
      contactId: debtor.id,
    })
    expect(seen.find((l) => l.event === 'leads.suppressed')).toMatchObject({
      origin: 'A',
      contactId: debtor.id,
    })

    const after = await instance(db, { outbox: false })
    const [firing] = await after.tenant('acme').rules.firings({ contactId: debtor.id })
    expect(firing).toMatchObject({ ruleName: 'paid: stop calling', outcome: 'done' })
    await after.close()
  })

  it('a process killed after the event commits, before its host handler ran: the next process runs it, once', async () => {
    const db = database()
    const journal = join(dir, `journal-${randomBytes(4).toString('hex')}.jsonl`)
    const setup = await instance(db, { outbox: false })
    const { debtor } = await world(setup.tenant('acme'), 'notify')
    await setup.close()

    const c = await worker({
      role: 'record-then-die',
      db,
      tenant: 'acme',
      contactId: debtor.id,
      amountMinor: 900_00,
    })
    expect(c.signal).toBe('SIGKILL')
    expect(c.lines[0]).toHaveProperty('recorded')

    const next = await instance(db, { outbox: false, ruleHandlers: { notify: journaling(journal) } })
    const t = next.tenant('acme')
    const [pending] = await t.rules.firings({ contactId: debtor.id })
    expect(pending).toMatchObject({ outcome: 'pending' })
    expect(pending!.actions.map((x) => x.status)).toEqual(['done', 'queued'])
    expect(await next.outbox.drain()).toBe(1)
    expect(await next.outbox.drain()).toBe(0)
    const calls = readFileSync(journal, 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l))
    expect(calls).toEqual([{ key: `${pending!.id}:1`, attempt: 0, pid: process.pid }])
    expect((await t.rules.firings({ contactId: debtor.id }))[0]!.outcome).toBe('done')
    await next.close()
  })

  it('a process killed inside a host handler, before the outbox heard back: the handler runs again with the same key', async () => {
    const db = database()
    const journal = join(dir, `journal-${randomBytes(4).toString('hex')}.jsonl`)
    const setup = await instance(db, { outbox: false })
    const t0 = setup.tenant('acme')
    const { debtor } = await world(t0, 'notify')
    await t0.events.record('payment.recorded', { contactId: debtor.id, amountMinor: 900_00 })
    await setup.close()

    const leaseMs = 3000
    const leasedBy = Date.now() // the child leases the item after this
    const d = await worker({ role: 'handle-then-die', db, journal, leaseMs })
    expect(d.signal).toBe('SIGKILL')

    const next = await instance(db, { outbox: false, ruleHandlers: { notify: journaling(journal) } })
    const t = next.tenant('acme')
    // Leased by the dead process: not before its lease runs out (checked only while it surely has not).
    const early = await next.outbox.drain()
    if (Date.now() < leasedBy + leaseMs) expect(early).toBe(0)
    let ran = early
    for (let i = 0; i < 200 && ran === 0; i++) {
      await new Promise((r) => setTimeout(r, 100))
      ran = await next.outbox.drain()
    }
    expect(ran).toBe(1)
    const calls = readFileSync(journal, 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l))
    const [firing] = await t.rules.firings({ contactId: debtor.id })
    const key = `${firing!.id}:1`
    expect(calls.map((x) => x.key)).toEqual([key, key])
    expect(calls[0].pid).not.toBe(calls[1].pid)
    expect(calls.map((x) => x.attempt)).toEqual([0, 1])
    expect(firing).toMatchObject({ outcome: 'done' })
    expect(firing!.actions[1]).toMatchObject({ status: 'done', attempts: 2 })
    await next.close()
  })
})
