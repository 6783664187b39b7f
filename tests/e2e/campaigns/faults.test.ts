// The campaign runtime survives faults (integration points 3 and 6): a runner
// that crashes (`halt()`) or stops mid-campaign and is started again loses no
// lead, dials none twice, keeps booked callbacks and closes (INTERRUPTED) the
// interactions of calls that were in flight; one owner per campaign through
// the lease, in one process on a virtual clock and across real processes on
// one database (child processes, one SIGKILLed mid-shift); and what the API
// acknowledged (a disposition, a do-not-call entry, a callback) is committed
// before it resolves (the process is SIGKILLed right after).
import { spawn } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { type CampaignRuntime, createCampaignRuntime } from '@switchboard/campaigns'
import {
  type CampaignId,
  type Contact,
  type ContactId,
  createSwitchboard,
  type Interaction,
  type Switchboard,
  scopedStore,
  type TenantApi,
} from '@switchboard/core'
import type { ManualClock } from '@switchboard/telephony/simulated'
import pg from 'pg'
import { afterAll, describe, expect, it } from 'vitest'
import { BACKENDS, CI, dropSchemas, openStorage, PG_URL, START, world } from './harness.ts'

const dir = mkdtempSync(join(tmpdir(), 'sb-faults-'))
const childSchemas: string[] = []
afterAll(async () => {
  await dropSchemas()
  rmSync(dir, { recursive: true, force: true })
  if (!PG_URL || !childSchemas.length) return
  const admin = new pg.Client({ connectionString: PG_URL })
  await admin.connect()
  for (const s of childSchemas) await admin.query(`drop schema if exists "${s}" cascade`)
  await admin.end()
})

/** An agent desktop on `rt`: codes each call `wrapSec` after it ended (not once its runtime is gone). */
function desk(
  rt: CampaignRuntime,
  t: TenantApi,
  clock: ManualClock,
  gone: Set<CampaignRuntime>,
  code = 'SALE',
) {
  rt.on('call.ended', (e) => {
    if (!e.agentId || !e.wrapUntil) return
    clock.setTimeout(() => {
      if (gone.has(rt)) return
      void rt.dispose(t.tenantId, e.agentId!, { code }).catch(() => undefined)
    }, 3000)
  })
}

/** Advances the virtual clock, letting the storage work of every runtime settle at each step. */
async function advance(clock: ManualClock, runtimes: CampaignRuntime[], sec: number, step = 0.2) {
  for (let done = 0; done < sec - 1e-9; done += step) {
    await clock.advance(Math.min(step, sec - done))
    for (const r of runtimes) await r.settled()
  }
}

/** Pairs of a contact's interactions whose [startedAt, endedAt] overlap (an open one runs to `now`). */
function overlaps(interactions: Interaction[], now: number): Array<[string, string]> {
  const out: Array<[string, string]> = []
  const by = new Map<string, Interaction[]>()
  for (const i of interactions) by.set(i.contactId!, [...(by.get(i.contactId!) ?? []), i])
  for (const list of by.values()) {
    const s = [...list].sort((a, b) => a.startedAt.getTime() - b.startedAt.getTime())
    for (let k = 1; k < s.length; k++) {
      const prevEnd = s[k - 1]!.endedAt?.getTime() ?? now
      if (s[k]!.startedAt.getTime() < prevEnd) out.push([s[k - 1]!.id, s[k]!.id])
    }
  }
  return out
}

/** `stop()` drains: keeps the clock moving until it resolves, then lets the agents code their last calls. */
async function stopDraining(
  rt: CampaignRuntime,
  t: TenantApi,
  campaignId: CampaignId,
  clock: ManualClock,
  whileStopping?: () => Promise<void>,
) {
  let stopped = false
  const stopping = rt.stop(t.tenantId, campaignId).then(() => (stopped = true))
  await advance(clock, [rt], 0.4)
  await whileStopping?.()
  for (let i = 0; i < 120 && !stopped; i++) await advance(clock, [rt], 1)
  await stopping
  expect(rt.status(t.tenantId, campaignId)).toMatchObject({ state: 'stopped', callsInFlight: 0 })
  await advance(clock, [rt], 4)
}

const scripts = (i: number) =>
  i % 3 === 0
    ? { outcome: 'person' as const, ringSec: 5, talkSec: 40 }
    : i % 3 === 1
      ? { outcome: 'no_answer' as const }
      : { outcome: 'person' as const, ringSec: 3, talkSec: 20 }

describe.each(BACKENDS)('campaign runtime faults on %s', (backend) => {
  it('a runner that crashes mid-campaign: the next one waits for the lease, closes the orphans, loses and doubles nothing, keeps the callback', async () => {
    const schema = `sb_rt_${randomBytes(5).toString('hex')}`
    const w = await world({
      backend,
      agents: 3,
      contacts: 12,
      scripts,
      worker: 'runner-A',
      storage: openStorage(backend, schema),
    })
    const gone = new Set<CampaignRuntime>()
    await w.t.dispositions.define({ code: 'SALE', label: 'Sale', category: 'sale' })
    // a callback booked before the crash, for a contact not yet dialled
    const cbContact = w.contacts[11]!
    const dueAt = new Date(START + 20 * 60_000)
    const cb = await w.t.callbacks.book({ contactId: cbContact.id, campaignId: w.campaign.id, dueAt })
    desk(w.runtime, w.t, w.clock, gone)

    await w.runtime.start(w.t.tenantId, w.campaign.id)
    await w.advance(12)
    // mid-campaign: some calls connected to agents, some still ringing
    const open = await w.t.interactions.find({ campaignId: w.campaign.id, open: true })
    const connected = open.filter((i) => i.agentId)
    const ringing = open.filter((i) => !i.agentId)
    expect(connected.length, 'connected calls at the crash').toBeGreaterThanOrEqual(1)
    expect(ringing.length, 'ringing calls at the crash').toBeGreaterThanOrEqual(1)
    const dialingBefore = (await w.t.lists.counts(w.campaign.id)).dialing
    expect(dialingBefore).toBe(open.length)

    w.runtime.halt()
    gone.add(w.runtime)
    const crashedAt = w.clock.now()

    // the next runner: the same database (a new Switchboard on PostgreSQL), the same network
    const sbB: Switchboard =
      backend === 'postgres'
        ? await createSwitchboard({
            storage: openStorage('postgres', schema),
            telephony: w.tel,
            clock: w.clock,
            outbox: false,
          })
        : w.sb
    const tB = sbB.tenant(w.t.tenantId)
    const B = createCampaignRuntime(sbB, { clock: w.clock, worker: 'runner-B', followIntervalMs: 50 })
    desk(B, tB, w.clock, gone)
    await expect(B.start(tB.tenantId, w.campaign.id)).rejects.toThrow(/runner-A/)
    expect(B.status(tB.tenantId, w.campaign.id)).toBeUndefined()
    // the dead owner's lease runs out (15 s from its last renewal)
    await advance(w.clock, [B], 16)
    const st = await B.start(tB.tenantId, w.campaign.id)
    expect(st).toMatchObject({ owner: 'runner-B', state: 'running' })
    const tookOverAt = w.clock.now()
    expect(tookOverAt - crashedAt).toBeGreaterThanOrEqual(15_000)
    await advance(w.clock, [B], 1)

    // every call that was in flight at the crash: closed by the new owner, coded INTERRUPTED
    for (const o of open) {
      const [i] = await tB.interactions.find({ campaignId: w.campaign.id, contactId: o.contactId! })
      const orphan = (
        await tB.interactions.find({ campaignId: w.campaign.id, contactId: o.contactId! })
      ).find((x) => x.id === o.id)
      expect(i, `contact ${o.contactId}`).toBeDefined()
      expect(orphan?.disposition, `orphan ${o.id}`).toBe('INTERRUPTED')
      expect(orphan?.endedAt?.getTime(), `orphan ${o.id} closed at the take-over`).toBe(tookOverAt)
    }

    // the rest of the shift, past the callback's time
    await advance(w.clock, [B], 25 * 60, 0.5)

    const counts = await tB.lists.counts(w.campaign.id)
    expect(counts.total, 'no lead lost').toBe(12)
    expect(counts.claimed + counts.dialing, 'nothing left claimed or dialling').toBe(0)
    expect(counts.done + counts.pending).toBe(12)
    const all = await tB.interactions.find({ campaignId: w.campaign.id, limit: 500 })
    expect(overlaps(all, w.clock.now()), 'a contact dialled twice at once').toEqual([])
    expect(await tB.interactions.find({ campaignId: w.campaign.id, open: true })).toEqual([])
    for (const [i, c] of w.contacts.entries()) {
      const lead = await tB.lists.get(w.campaign.id, c.id)
      const mine = all.filter((x) => x.contactId === c.id)
      expect(mine.length, `contact ${i} dialled`).toBeGreaterThanOrEqual(1)
      if (lead?.status === 'pending')
        expect(lead.notBefore!.getTime(), `contact ${i} retried later`).toBeGreaterThan(w.clock.now())
      else expect(lead?.status, `contact ${i}`).toBe('done')
      // people reached an agent and were sold, whoever ran the campaign; an interrupted call is retried by the rules
      if (i % 3 !== 1) {
        if (mine.every((x) => x.disposition === 'INTERRUPTED')) {
          expect(lead?.status, `contact ${i} interrupted, to retry`).toBe('pending')
          expect(lead?.outcome).toBe('INTERRUPTED')
        } else
          expect(
            mine.map((x) => x.disposition),
            `contact ${i} sold`,
          ).toContain('SALE')
      }
    }
    // the callback booked before the crash: dialled at its time by the new owner, once
    const cbCalls = all.filter((x) => x.contactId === cbContact.id)
    expect(cbCalls.length).toBe(1)
    expect(cbCalls[0]!.startedAt.getTime()).toBeGreaterThanOrEqual(dueAt.getTime())
    expect(cbCalls[0]!.startedAt.getTime()).toBeLessThan(dueAt.getTime() + 60_000)
    expect((await tB.callbacks.get(cb.id)).status).toBe('done')
    // the agents whose calls died with the old owner work on under the new one
    const sessions = await tB.sessions.open()
    expect(sessions.map((x) => x.state)).toEqual(['available', 'available', 'available'])
    const connectedAgents = new Set(connected.map((x) => x.agentId))
    const servedAfter = new Set(
      all.filter((x) => x.startedAt.getTime() > tookOverAt && x.agentId).map((x) => x.agentId),
    )
    for (const a of connectedAgents)
      expect(servedAfter.has(a), `agent ${a} took calls after the take-over`).toBe(true)

    await B.close()
    if (sbB !== w.sb) await sbB.close()
    await w.tel.stop()
    await w.sb.close()
  })

  it('a clean stop hands back the claims, lets calls in flight end, and releases the lease at once', async () => {
    const w = await world({ backend, agents: 3, contacts: 30, scripts, worker: 'runner-A' })
    const gone = new Set<CampaignRuntime>()
    await w.t.dispositions.define({ code: 'SALE', label: 'Sale', category: 'sale' })
    desk(w.runtime, w.t, w.clock, gone)
    await w.runtime.start(w.t.tenantId, w.campaign.id)
    await w.advance(12)
    const before = await w.t.lists.counts(w.campaign.id)
    expect(before.claimed, 'claimed but unplaced at the stop').toBeGreaterThan(0)
    const open = await w.t.interactions.find({ campaignId: w.campaign.id, open: true })
    expect(open.filter((i) => i.agentId).length, 'connected at the stop').toBeGreaterThanOrEqual(1)

    await stopDraining(w.runtime, w.t, w.campaign.id, w.clock, async () => {
      expect((await w.t.lists.counts(w.campaign.id)).claimed, 'claims handed back').toBe(0)
    })
    // connected calls ended as they would, coded by their agents; ringing ones were cancelled by the
    // stop and coded INTERRUPTED (the runner stopped mid-call), never FAILED (rejected, unreachable)
    expect(await w.t.interactions.find({ campaignId: w.campaign.id, open: true })).toEqual([])
    for (const o of open.filter((x) => x.agentId)) {
      const i = (await w.t.interactions.find({ campaignId: w.campaign.id, contactId: o.contactId! })).find(
        (x) => x.id === o.id,
      )
      expect(i?.durations.talkSec, `connected call ${o.id} talked on`).toBeGreaterThan(15)
    }
    const after = await w.t.lists.counts(w.campaign.id)
    expect(after.claimed + after.dialing).toBe(0)
    expect(after.total).toBe(30)
    const all = await w.t.interactions.find({ campaignId: w.campaign.id, limit: 500 })
    const interrupted = all.filter((x) => x.disposition === 'INTERRUPTED')
    expect(interrupted.length, 'ringing calls cancelled by the stop').toBeGreaterThanOrEqual(1)
    const unconnectedAtStop = new Set(open.filter((x) => !x.agentId).map((x) => x.id))
    for (const x of interrupted) expect(unconnectedAtStop.has(x.id), `${x.id} rang at the stop`).toBe(true)
    expect(all.filter((x) => x.disposition === 'FAILED')).toEqual([])
    expect(all.filter((x) => !x.disposition)).toEqual([])

    // the lease is free: another runner starts at once, on the same database
    const B = createCampaignRuntime(w.sb, { clock: w.clock, worker: 'runner-B', followIntervalMs: 50 })
    desk(B, w.t, w.clock, gone)
    expect(await B.start(w.t.tenantId, w.campaign.id)).toMatchObject({ owner: 'runner-B', state: 'running' })
    await advance(w.clock, [B], 8 * 60, 0.5)
    await stopDraining(B, w.t, w.campaign.id, w.clock)
    const end = await w.t.lists.counts(w.campaign.id)
    expect(end.claimed + end.dialing).toBe(0)
    expect(end.done + end.pending).toBe(30)
    const every = await w.t.interactions.find({ campaignId: w.campaign.id, limit: 500 })
    expect(overlaps(every, w.clock.now())).toEqual([])
    expect(new Set(every.map((x) => x.contactId)).size, 'every contact dialled').toBe(30)
    await B.close()
    await w.close()
  })
})

// ---- across processes: one database, real processes, one killed mid-shift ----

const WORKER = fileURLToPath(new URL('./processes/runner-worker.ts', import.meta.url))
type Line = Record<string, unknown> & { pid: number }

/** A child runner: its JSON lines as they come, how it ended. */
function child(job: object) {
  const lines: Line[] = []
  const p = spawn(process.execPath, [WORKER, JSON.stringify(job)], { stdio: ['ignore', 'pipe', 'pipe'] })
  let buf = ''
  let stderr = ''
  p.stdout.on('data', (d: Buffer) => {
    buf += d.toString()
    for (let k = buf.indexOf('\n'); k >= 0; k = buf.indexOf('\n')) {
      const l = buf.slice(0, k)
      buf = buf.slice(k + 1)
      if (l.trim()) lines.push(JSON.parse(l))
    }
  })
  p.stderr.on('data', (d: Buffer) => (stderr += d.toString()))
  const exited = new Promise<{ code: number | null; signal: string | null }>((r) =>
    p.on('exit', (code, signal) => r({ code, signal })),
  )
  return { p, lines, exited, stderr: () => stderr }
}

async function until(what: string, cond: () => boolean | Promise<boolean>, ms: number, debug?: () => string) {
  const end = Date.now() + ms
  while (!(await cond())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}${debug ? `\n${debug()}` : ''}`)
    await new Promise((r) => setTimeout(r, 100))
  }
}

type Db = { kind: 'postgres'; url: string; schema: string } | { kind: 'sqlite'; file: string }
const databases: Array<[string, () => Db]> = [
  ['sqlite (file)', () => ({ kind: 'sqlite', file: join(dir, `${randomBytes(4).toString('hex')}.db`) })],
]
if (PG_URL)
  databases.push([
    'postgres',
    () => {
      const schema = `sb_rtp_${randomBytes(5).toString('hex')}`
      childSchemas.push(schema)
      return { kind: 'postgres', url: PG_URL, schema }
    },
  ])
else if (CI)
  it('needs PostgreSQL (SWITCHBOARD_PG_URL) for the multi-process runner tests', () => {
    throw new Error(
      'SWITCHBOARD_PG_URL is not set in CI: the multi-process PostgreSQL tests cannot be skipped',
    )
  })

describe.each(databases)('campaign runners across processes on %s', (_name, database) => {
  it('one owner at a time; the owner is SIGKILLed mid-shift, another takes over, no lead lost or dialled by two at once', async () => {
    const { setUp, instance } = await import('./processes/runner-world.ts')
    const db = database()
    const offsetMs = START - Date.now()
    const N = 12
    const { campaign, contacts, agents } = await setUp(db, offsetMs, { agents: 3, contacts: N })
    const numbers = Object.fromEntries(
      contacts.map((c) => [c.phones[0]!.e164, { outcome: 'person', ringSec: 0.3, talkSec: 1 }]),
    )
    const contactOf = new Map(contacts.map((c) => [c.phones[0]!.e164, c.id as ContactId]))
    const job = (worker: string) => ({
      role: 'run',
      db,
      offsetMs,
      campaignId: campaign.id,
      worker,
      numbers,
      agentIds: agents.map((a) => a.id),
      leaseSec: 3,
      tickMs: 200,
      wrapMs: 200,
    })
    const kids = ['W1', 'W2', 'W3'].map((w) => ({ worker: w, ...child(job(w)) }))
    const all = () => kids.flatMap((k) => k.lines)
    const debug = () =>
      kids.map((k) => `${k.worker}: ${JSON.stringify(k.lines.slice(-8))}\n${k.stderr()}`).join('\n')
    const sb = await instance(db, offsetMs)
    const t = sb.tenant('acme')
    try {
      // exactly one holds the lease; the others are told who does
      await until(
        'an owner and two refusals',
        () => all().filter((l) => 'owner' in l || 'refused' in l).length >= 3,
        20_000,
        debug,
      )
      const owners = kids.filter((k) => k.lines.some((l) => 'owner' in l))
      expect(owners.map((k) => k.worker)).toHaveLength(1)
      const first = owners[0]!
      for (const k of kids.filter((x) => x !== first))
        expect(String(k.lines.find((l) => 'refused' in l)?.message)).toContain(first.worker)

      // mid-shift: kill the owner while it has calls in flight
      const inFlight = () => {
        const ended = new Set(first.lines.filter((l) => 'end' in l).map((l) => l.end))
        return first.lines.filter((l) => 'dial' in l && !ended.has(l.dial)).length
      }
      const talking = () => {
        const ended = new Set(first.lines.filter((l) => 'end' in l).map((l) => l.end))
        return first.lines.filter((l) => 'connected' in l && !ended.has(l.connected)).length
      }
      await until(
        'the owner mid-shift (calls in flight, one of them connected to an agent)',
        () => first.lines.filter((l) => 'dial' in l).length >= 4 && inFlight() >= 2 && talking() >= 1,
        20_000,
        debug,
      )
      first.p.kill('SIGKILL')
      expect((await first.exited).signal).toBe('SIGKILL')
      const killedAt = Date.now() + offsetMs
      const endedByDead = new Set(first.lines.filter((l) => 'end' in l).map((l) => l.end as string))
      const orphanCalls = first.lines
        .filter((l) => 'dial' in l && !endedByDead.has(l.dial as string))
        .map((l) => l.dial as string)
      expect(orphanCalls.length).toBeGreaterThanOrEqual(1)
      const lease = await scopedStore(sb.storage, t.tenantId).campaignLeases.get(campaign.id)
      expect(lease?.owner).toBe(first.worker)

      // another takes over, once the dead owner's lease has run out
      const survivors = kids.filter((k) => k !== first)
      await until(
        'a new owner',
        () => survivors.some((k) => k.lines.some((l) => 'owner' in l)),
        20_000,
        debug,
      )
      const next = survivors.filter((k) => k.lines.some((l) => 'owner' in l))
      expect(next).toHaveLength(1)
      const tookOverAt = Number(next[0]!.lines.find((l) => 'owner' in l)!.at)
      expect(tookOverAt).toBeGreaterThanOrEqual(lease!.until.getTime())

      // the shift ends: every lead settled, nothing left open
      const settled = async () => {
        const c = await t.lists.counts(campaign.id)
        if (c.claimed + c.dialing > 0 || c.done + c.pending !== N) return false
        const open = await t.interactions.find({ campaignId: campaign.id, open: true })
        if (open.length) return false
        for (const x of contacts) {
          const lead = await t.lists.get(campaign.id, x.id)
          if (
            lead?.status === 'pending' &&
            !(lead.notBefore && lead.notBefore.getTime() > Date.now() + offsetMs)
          )
            return false
        }
        return true
      }
      await until('every lead settled', settled, 25_000, debug)
      // the agents the dead owner had on calls work on: none left reserved or on a call that is gone
      const states = async () => (await t.sessions.open()).map((x) => x.state)
      await until(
        'the agents free',
        async () => (await states()).every((x) => x === 'available'),
        3000,
      ).catch(() => undefined)
      expect(await states()).toEqual(['available', 'available', 'available'])
      for (const k of survivors) k.p.kill('SIGTERM')
      for (const k of survivors) await k.exited

      const counts = await t.lists.counts(campaign.id)
      expect(counts).toMatchObject({ total: N, claimed: 0, dialing: 0, suppressed: 0 })
      const interactions = await t.interactions.find({ campaignId: campaign.id, limit: 500 })
      const byCall = new Map(interactions.map((i) => [i.callId, i]))
      // the dead owner's calls in flight: closed by the new owner, coded INTERRUPTED
      for (const callId of orphanCalls) {
        const i = byCall.get(callId)
        expect(i?.disposition, `orphan ${callId}`).toBe('INTERRUPTED')
        // closed by the taker, after the dead lease ran out and before its start resolved
        expect(i!.endedAt!.getTime()).toBeGreaterThanOrEqual(lease!.until.getTime())
        expect(i!.endedAt!.getTime()).toBeLessThanOrEqual(tookOverAt)
      }
      // every contact sold or (interrupted) to retry; each dial of a process is an interaction
      const dials = all().filter((l) => 'dial' in l)
      expect(new Set(dials.map((l) => l.dial)).size).toBe(dials.length)
      for (const d of dials)
        expect(byCall.get(d.dial as string)?.contactId).toBe(contactOf.get(d.number as string))
      // an interaction with no dial was never placed: written by the permit, then the process died
      // (SIGKILL) or its runner began to stop before originating; it is closed INTERRUPTED, rang for 0 s
      const dialled = new Set(dials.map((d) => d.dial as string))
      for (const i of interactions.filter((x) => !dialled.has(x.callId!))) {
        expect(i.disposition, `never placed ${i.callId}`).toBe('INTERRUPTED')
        expect(i.durations.ringSec ?? 0, `never placed ${i.callId}`).toBe(0)
      }
      expect(interactions.length - dials.length, 'interactions never placed').toBeLessThanOrEqual(2)
      for (const c of contacts) {
        const mine = interactions.filter((i) => i.contactId === c.id).map((i) => i.disposition)
        const lead = await t.lists.get(campaign.id, c.id)
        if (lead?.status === 'done') expect(mine, c.id).toContain('SALE')
        else expect(mine, c.id).toEqual(['INTERRUPTED'])
      }
      // no number dialled by two processes (or twice) at the same time, by what each process saw
      const ends = new Map(
        all()
          .filter((l) => 'end' in l)
          .map((l) => [l.end as string, Number(l.at)]),
      )
      const spans = dials.map((d) => ({
        number: d.number as string,
        pid: d.pid,
        from: Number(d.at),
        to: ends.get(d.dial as string) ?? killedAt,
      }))
      const clashes = spans.filter((a, k) =>
        spans.some((b, m) => m !== k && a.number === b.number && a.from < b.to && b.from < a.to),
      )
      expect(clashes).toEqual([])
      expect(overlaps(interactions, Date.now() + offsetMs)).toEqual([])
      expect(new Set(dials.map((d) => d.pid)).size, 'two processes dialled').toBe(2)
    } finally {
      for (const k of kids) if (k.p.exitCode === null && k.p.signalCode === null) k.p.kill('SIGKILL')
      await sb.close()
    }
  })

  it('acknowledged means committed: a disposition, a do-not-call code and a callback survive a SIGKILL right after', async () => {
    const { setUp, instance } = await import('./processes/runner-world.ts')
    const db = database()
    const offsetMs = START - Date.now()
    const { campaign, contacts, agents } = await setUp(db, offsetMs, { agents: 2, contacts: 2 })
    const [dnc, later] = contacts as [Contact, Contact]
    const numbers = Object.fromEntries(
      contacts.map((c) => [c.phones[0]!.e164, { outcome: 'person', ringSec: 0.3, talkSec: 1 }]),
    )
    const dueAt = new Date(START + 3 * 3600_000)
    const k = child({
      role: 'dispose-then-die',
      db,
      offsetMs,
      campaignId: campaign.id,
      worker: 'W-ack',
      numbers,
      agentIds: agents.map((a) => a.id),
      tickMs: 200,
      codes: {
        [dnc.phones[0]!.e164]: { code: 'DNC', note: 'asked not to be called' },
        [later.phones[0]!.e164]: { code: 'CALL_BACK', note: 'after the meeting', callback: { dueAt } },
      },
    })
    const exit = await Promise.race([
      k.exited,
      new Promise<never>((_, rej) =>
        setTimeout(() => rej(new Error(`no exit\n${JSON.stringify(k.lines)}\n${k.stderr()}`)), 20_000),
      ),
    ])
    expect(exit.signal, k.stderr()).toBe('SIGKILL')
    const acks = k.lines.filter((l) => 'disposed' in l)
    expect(acks.map((l) => l.phone).sort()).toEqual([dnc.phones[0]!.e164, later.phones[0]!.e164].sort())
    const ackDnc = acks.find((l) => l.phone === dnc.phones[0]!.e164)!
    const ackLater = acks.find((l) => l.phone === later.phones[0]!.e164)!
    expect(ackDnc).toMatchObject({ doNotCall: [dnc.phones[0]!.e164] })
    expect(ackLater).toMatchObject({ lead: 'callback' })

    // a fresh process reads what was acknowledged
    const sb = await instance(db, offsetMs)
    const t = sb.tenant('acme')
    try {
      const [i1] = await t.interactions.find({ campaignId: campaign.id, contactId: dnc.id })
      expect(i1).toMatchObject({
        id: ackDnc.interactionId,
        disposition: 'DNC',
        body: 'asked not to be called',
      })
      expect((await t.consent.isOnDoNotCall(dnc.phones[0]!.e164)).length).toBe(1)
      expect((await t.lists.get(campaign.id, dnc.id))?.status).toBe('suppressed')
      const [i2] = await t.interactions.find({ campaignId: campaign.id, contactId: later.id })
      expect(i2).toMatchObject({
        id: ackLater.interactionId,
        disposition: 'CALL_BACK',
        body: 'after the meeting',
      })
      const cb = await t.callbacks.get(ackLater.callbackId as never)
      expect(cb).toMatchObject({ contactId: later.id, campaignId: campaign.id, status: 'scheduled' })
      expect(cb.dueAt.getTime()).toBe(dueAt.getTime())
      const lead = await t.lists.get(campaign.id, later.id)
      expect(lead).toMatchObject({ status: 'pending' })
      expect(lead!.notBefore!.getTime()).toBe(dueAt.getTime())
    } finally {
      await sb.close()
    }
  })
})
