// One process of the multi-process tests. argv[2] is a JSON job; the worker
// prints one JSON line per thing it did, which the test reads.
import { existsSync, writeFileSync } from 'node:fs'
import { type Database, instance, journaling } from './world.ts'

type Job =
  | { role: 'pay'; db: Database; tenant: string; contactId: string; amountMinor: number }
  | {
      role: 'claim'
      db: Database
      tenant: string
      campaignId: string
      watch: string
      ms: number
      ready: string
    }
  | { role: 'record-then-die'; db: Database; tenant: string; contactId: string; amountMinor: number }
  | { role: 'handle-then-die'; db: Database; journal: string; leaseMs: number }

const job = JSON.parse(process.argv[2]!) as Job
const say = (line: object) => process.stdout.write(`${JSON.stringify(line)}\n`)

if (job.role === 'pay') {
  // Process A: an API server recording a payment.
  const sb = await instance(job.db, { outbox: false, migrate: false, origin: 'A' })
  await sb
    .tenant(job.tenant)
    .events.record('payment.recorded', { contactId: job.contactId, amountMinor: job.amountMinor })
  say({ paid: Date.now() })
  await sb.close()
} else if (job.role === 'claim') {
  // Process B: a dialer worker claiming and handing back leads as fast as it can, and following the event log.
  const sb = await instance(job.db, { outbox: false, migrate: false, origin: 'B' })
  const t = sb.tenant(job.tenant)
  let suppressed = false
  const stop = t.events.follow(
    (e) => {
      say({ event: e.type, origin: e.origin, contactId: e.contactId, seen: Date.now() })
      if (e.type === 'leads.suppressed') suppressed = true
    },
    { intervalMs: 20 },
  )
  // Claims for `ms`, and on until it has seen the suppression (at most 30 s).
  const end = Date.now() + job.ms
  const cap = Date.now() + 30_000
  let claims = 0
  while ((Date.now() < end || !suppressed) && Date.now() < cap) {
    const started = Date.now()
    const leads = await t.lists.claim(job.campaignId as never, { worker: 'B', limit: 50 })
    claims++
    if (leads.some((l) => l.contactId === job.watch)) {
      say({ claimedWatched: started })
      if (!existsSync(job.ready)) writeFileSync(job.ready, String(started)) // the test starts A after this
    }
    if (leads.length)
      await t.lists.release(
        job.campaignId as never,
        leads.map((l) => l.contactId),
        { worker: 'B' },
      )
    // better-sqlite3 answers synchronously: without a macrotask turn the follower's timer would never fire.
    await new Promise((r) => setImmediate(r))
  }
  stop()
  say({ claims })
  await sb.close()
} else if (job.role === 'record-then-die') {
  // Records a payment whose rule queues a host handler, then dies before any outbox runs it.
  const sb = await instance(job.db, { outbox: false, migrate: false, origin: 'C' })
  const e = await sb
    .tenant(job.tenant)
    .events.record('payment.recorded', { contactId: job.contactId, amountMinor: job.amountMinor })
  say({ recorded: e.id })
  process.kill(process.pid, 'SIGKILL')
} else if (job.role === 'handle-then-die') {
  // Runs the outbox; its handler does its outside effect and the process dies before the item is marked done.
  const sb = await instance(job.db, {
    migrate: false,
    origin: 'D',
    outbox: { intervalMs: 10, leaseMs: job.leaseMs },
    ruleHandlers: { notify: journaling(job.journal, () => process.kill(process.pid, 'SIGKILL')) },
  })
  await sb.outbox.drain()
}
