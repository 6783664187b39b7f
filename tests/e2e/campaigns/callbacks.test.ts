// Integration point 4, callback rescheduling, end to end: an agent codes a
// call with a callback code and a wall-clock time in the contact's zone; the
// callback is stored at the right instant, the lead waits for it, and the
// runner dials it on time on the simulated network (virtual clock), reserving
// the owning agent first (or, when that agent is logged out, waiting for them
// or giving it to anyone, as the callback says). A second booking is a
// Conflict, a move is followed, a cancel is never dialled, the callback is
// done once its call is coded, and a runner stopped and replaced by another
// keeps the booked callbacks.
import { type CampaignRuntime, createCampaignRuntime } from '@switchboard/campaigns'
import type { AgentId, DispositionInput, DispositionResult } from '@switchboard/core'
import { afterAll, describe, expect, it } from 'vitest'
import { BACKENDS, dropSchemas, START, type World, world } from './harness.ts'

afterAll(dropSchemas)

const TALK_SEC = 20
const WRAP_SEC = 3

interface Connected {
  readonly agentId: AgentId
  readonly interactionId: string
  readonly at: number
}

/**
 * Agents on `rt` that code each call they end, after WRAP_SEC, with what
 * `code(n)` says for the n-th call (n counts from 0 across runtimes sharing
 * `log`); what they coded and every connect are logged.
 */
function agentsOn(
  w: World,
  rt: CampaignRuntime,
  code: (n: number) => DispositionInput,
  log: { connected: Connected[]; results: DispositionResult[]; errors: unknown[]; ended: number },
) {
  rt.on('call.connected', (e) =>
    log.connected.push({ agentId: e.agentId, interactionId: e.interactionId, at: w.clock.now() }),
  )
  rt.on('call.ended', (e) => {
    if (!e.agentId || !e.wrapUntil) return
    const input = code(log.ended++)
    w.clock.setTimeout(() => {
      rt.dispose(w.t.tenantId, e.agentId!, input).then(
        (r) => log.results.push(r),
        (err) => log.errors.push(err),
      )
    }, WRAP_SEC * 1000)
  })
  rt.on('runtime.error', (e) => log.errors.push(e))
  return log
}

/** Advances virtual time by `sec` in steps of `stepSec`, letting `rt`'s storage work settle at each. */
async function advanceWith(w: World, rt: CampaignRuntime, sec: number, stepSec = 0.2) {
  for (let done = 0; done < sec - 1e-9; done += stepSec) {
    await w.clock.advance(Math.min(stepSec, sec - done))
    await rt.settled()
  }
}

/** Advances (idle time in big steps) to `at - marginSec`, then in small steps to `at`. */
async function advanceTo(w: World, rt: CampaignRuntime, at: number, marginSec = 5) {
  const far = (at - w.clock.now()) / 1000 - marginSec
  if (far > 0) await advanceWith(w, rt, far, 600)
  const near = (at - w.clock.now()) / 1000
  if (near > 0) await advanceWith(w, rt, near)
}

const ny = (hhmm: string) => `2026-01-06T${hhmm}`
/** The instant of a New York wall-clock time on 6 January 2026 (EST, UTC-5). */
const nyInstant = (hh: number, mm: number) => Date.UTC(2026, 0, 6, hh + 5, mm)

/**
 * One contact (a person who talks TALK_SEC), two agents, codes CALLBACK and
 * NOINT, the runner started at `runFrom`: the first call is connected, coded with
 * `first`, and the world returned with the agent who took it (the owner).
 */
async function firstCall(
  backend: 'sqlite' | 'postgres',
  runFrom: number,
  first: DispositionInput,
  later: DispositionInput = { code: 'NOINT' },
) {
  const w = await world({
    backend,
    agents: 2,
    contacts: 1,
    scripts: () => ({ outcome: 'person', ringSec: 3, talkSec: TALK_SEC }),
    // answering-machine detection never mistakes this person for a machine
    network: { amd: { specificity: 1 } },
  })
  // The harness's runtime follows the event log every 50 ms of virtual time,
  // which makes a virtual afternoon cost a minute of real time: these tests
  // run their own runtime on the same instance, following it every 5 s (one
  // process: the in-process bus carries every change anyway).
  await w.runtime.close()
  const rt = createCampaignRuntime(w.sb, { clock: w.clock, worker: 'runner-1', followIntervalMs: 5_000 })
  const close = async () => {
    await rt.close()
    await w.close()
  }
  await w.t.dispositions.define({ code: 'CALLBACK', label: 'Call me back', category: 'callback' })
  await w.t.dispositions.define({ code: 'NOINT', label: 'Not interested', category: 'contact_no_sale' })
  const log = agentsOn(w, rt, (n) => (n === 0 ? first : later), {
    connected: [],
    results: [],
    errors: [],
    ended: 0,
  })
  // nothing runs before `runFrom` (a runner idles at a cost per virtual second: it ticks every second)
  await w.clock.advance((runFrom - w.clock.now()) / 1000)
  await rt.start(w.t.tenantId, w.campaign.id)
  await advanceWith(w, rt, 40)
  expect(log.errors).toEqual([])
  expect(log.connected).toHaveLength(1)
  expect(log.results).toHaveLength(1)
  const owner = log.connected[0]!.agentId
  const other = w.agents.find((a) => a.id !== owner)!.id
  const contact = w.contacts[0]!
  const attempts = async () => w.t.interactions.find({ campaignId: w.campaign.id, contactId: contact.id })
  return { w, rt, close, log, owner, other, contact, attempts }
}

describe.each(BACKENDS)('callbacks on %s', (backend) => {
  it('books 16:30 New York as 21:30Z and dials it on time to the owning agent, then marks it done', async () => {
    const { w, rt, close, log, owner, other, contact, attempts } = await firstCall(
      backend,
      nyInstant(16, 0),
      {
        code: 'CALLBACK',
        callback: { localTime: ny('16:30') },
      },
    )
    expect(START).toBe(nyInstant(9, 0)) // the virtual clock starts at 09:00 in New York
    const dueAt = nyInstant(16, 30)
    expect(new Date(dueAt).toISOString()).toBe('2026-01-06T21:30:00.000Z')
    // what the disposition did
    const [coded] = log.results
    expect(coded!.lead).toBe('callback')
    expect(coded!.callback?.dueAt.toISOString()).toBe('2026-01-06T21:30:00.000Z')
    // what is stored
    const [cb, ...more] = await w.t.callbacks.list({ campaignId: w.campaign.id, contactId: contact.id })
    expect(more).toEqual([])
    expect(cb).toMatchObject({
      status: 'scheduled',
      localTime: '2026-01-06T16:30',
      timeZone: 'America/New_York',
      agentId: owner,
      ifAgentAway: 'anyone',
    })
    expect(cb!.dueAt.toISOString()).toBe('2026-01-06T21:30:00.000Z')
    const lead = await w.t.lists.get(w.campaign.id, contact.id)
    expect(lead?.status).toBe('pending')
    expect(lead?.notBefore?.toISOString()).toBe('2026-01-06T21:30:00.000Z')
    expect(await attempts()).toHaveLength(1)

    // just before: nothing
    await advanceTo(w, rt, dueAt - 2000)
    expect(await attempts()).toHaveLength(1)
    expect((await w.t.callbacks.get(cb!.id)).status).toBe('scheduled')
    // the other agent has been idle longer than the owner
    const [o, x] = await Promise.all([w.t.sessions.current(owner), w.t.sessions.current(other)])
    expect(o?.state).toBe('available')
    expect(x?.state).toBe('available')
    expect(x!.stateSince.getTime()).toBeLessThan(o!.stateSince.getTime())

    // at the time: dialled within a tick or two
    await advanceWith(w, rt, 4)
    const all = await attempts()
    expect(all).toHaveLength(2)
    const callback = all.find((i) => i.startedAt.getTime() >= dueAt - 1000)!
    expect(callback.startedAt.getTime()).toBeLessThanOrEqual(dueAt + 2000)
    expect((await w.t.callbacks.get(cb!.id)).status).toBe('dialing')
    // and it reaches the owner, not the longer-idle agent
    await advanceWith(w, rt, 5)
    expect(log.connected).toHaveLength(2)
    expect(log.connected[1]!.agentId).toBe(owner)
    expect((await w.t.interactions.get(callback.id)).agentId).toBe(owner)

    // the callback call ends and is coded: the callback is done, and so is the lead
    await advanceWith(w, rt, TALK_SEC + WRAP_SEC + 5)
    expect(log.errors).toEqual([])
    expect(log.results).toHaveLength(2)
    expect(log.results[1]!.interaction.id).toBe(callback.id)
    expect((await w.t.callbacks.get(cb!.id)).status).toBe('done')
    expect((await w.t.lists.get(w.campaign.id, contact.id))?.status).toBe('done')
    expect(await attempts()).toHaveLength(2)
    await close()
  })

  it("waits for the owner who is logged out when the callback says 'wait'", async () => {
    const { w, rt, close, log, owner, other, attempts } = await firstCall(backend, nyInstant(9, 40), {
      code: 'CALLBACK',
      callback: { localTime: ny('10:00'), ifAgentAway: 'wait' },
    })
    const dueAt = nyInstant(10, 0)
    const [cb] = await w.t.callbacks.list({ campaignId: w.campaign.id })
    expect(cb).toMatchObject({ agentId: owner, ifAgentAway: 'wait', status: 'scheduled' })
    await w.t.sessions.logout(owner)
    await advanceTo(w, rt, dueAt + 3 * 60_000)
    // three minutes late, the other agent idle all along: still not dialled
    expect((await w.t.sessions.current(other))?.state).toBe('available')
    expect(await attempts()).toHaveLength(1)
    expect((await w.t.callbacks.get(cb!.id)).status).toBe('scheduled')
    // the owner logs in: dialled within the runner's minute of re-checking, to the owner
    const loginAt = w.clock.now()
    await w.t.sessions.login(owner, { campaignIds: [w.campaign.id] })
    await advanceWith(w, rt, 70)
    const all = await attempts()
    expect(all).toHaveLength(2)
    expect(all[1]!.startedAt.getTime()).toBeGreaterThanOrEqual(loginAt)
    expect(log.connected).toHaveLength(2)
    expect(log.connected[1]!.agentId).toBe(owner)
    await advanceWith(w, rt, TALK_SEC + WRAP_SEC + 5)
    expect(log.errors).toEqual([])
    expect((await w.t.callbacks.get(cb!.id)).status).toBe('done')
    await close()
  })

  it("gives the callback to another agent when the owner is logged out and it says 'anyone'", async () => {
    const { w, rt, close, log, owner, other, attempts } = await firstCall(backend, nyInstant(9, 40), {
      code: 'CALLBACK',
      callback: { localTime: ny('10:00'), ifAgentAway: 'anyone' },
    })
    const dueAt = nyInstant(10, 0)
    const [cb] = await w.t.callbacks.list({ campaignId: w.campaign.id })
    expect(cb).toMatchObject({ agentId: owner, ifAgentAway: 'anyone', status: 'scheduled' })
    await w.t.sessions.logout(owner)
    await advanceTo(w, rt, dueAt - 2000)
    expect(await attempts()).toHaveLength(1)
    await advanceWith(w, rt, 10)
    const all = await attempts()
    expect(all).toHaveLength(2)
    expect(all[1]!.startedAt.getTime()).toBeLessThanOrEqual(dueAt + 2000)
    expect(log.connected).toHaveLength(2)
    expect(log.connected[1]!.agentId).toBe(other)
    await advanceWith(w, rt, TALK_SEC + WRAP_SEC + 5)
    expect(log.errors).toEqual([])
    expect(log.results).toHaveLength(2)
    expect((await w.t.callbacks.get(cb!.id)).status).toBe('done')
    await close()
  })

  it('refuses a second booking, and follows a move to a later time', async () => {
    const { w, rt, close, log, owner, contact, attempts } = await firstCall(backend, nyInstant(9, 40), {
      code: 'CALLBACK',
      callback: { localTime: ny('10:00') },
    })
    const [cb] = await w.t.callbacks.list({ campaignId: w.campaign.id })
    // nobody enters it twice: not the CRM, not another agent
    await expect(
      w.t.callbacks.book({ contactId: contact.id, campaignId: w.campaign.id, localTime: ny('11:00') }),
    ).rejects.toMatchObject({ _tag: 'Conflict' })
    await expect(
      w.t.callbacks.book({
        contactId: contact.id,
        campaignId: w.campaign.id,
        localTime: ny('10:00'),
        agentId: owner,
      }),
    ).rejects.toMatchObject({ _tag: 'Conflict' })
    expect(await w.t.callbacks.list({ campaignId: w.campaign.id })).toHaveLength(1)

    // moved to 10:20 New York
    const moved = await w.t.callbacks.move(cb!.id, { localTime: ny('10:20') })
    expect(moved.dueAt.toISOString()).toBe('2026-01-06T15:20:00.000Z')
    expect(moved.localTime).toBe('2026-01-06T10:20')
    expect(moved.agentId).toBe(owner)
    expect((await w.t.lists.get(w.campaign.id, contact.id))?.notBefore?.toISOString()).toBe(
      '2026-01-06T15:20:00.000Z',
    )
    // not at the old time
    await advanceTo(w, rt, nyInstant(10, 2))
    expect(await attempts()).toHaveLength(1)
    // at the new one
    await advanceTo(w, rt, nyInstant(10, 20) - 2000)
    expect(await attempts()).toHaveLength(1)
    await advanceWith(w, rt, 10)
    const all = await attempts()
    expect(all).toHaveLength(2)
    expect(all[1]!.startedAt.getTime()).toBeGreaterThanOrEqual(nyInstant(10, 20) - 1000)
    expect(log.connected.map((c) => c.agentId)).toEqual([owner, owner])
    await advanceWith(w, rt, TALK_SEC + WRAP_SEC + 5)
    expect(log.errors).toEqual([])
    expect((await w.t.callbacks.get(cb!.id)).status).toBe('done')
    await close()
  })

  it('never dials a cancelled callback', async () => {
    const { w, rt, close, log, contact, attempts } = await firstCall(backend, nyInstant(9, 40), {
      code: 'CALLBACK',
      callback: { localTime: ny('10:00') },
    })
    const [cb] = await w.t.callbacks.list({ campaignId: w.campaign.id })
    const cancelled = await w.t.callbacks.cancel(cb!.id)
    expect(cancelled.status).toBe('cancelled')
    await expect(w.t.callbacks.cancel(cb!.id)).rejects.toMatchObject({ _tag: 'Conflict' })
    await expect(w.t.callbacks.move(cb!.id, { localTime: ny('11:00') })).rejects.toMatchObject({
      _tag: 'Conflict',
    })
    // the customer asked for 10:00: cancelling does not make the dialler call them earlier
    await advanceTo(w, rt, nyInstant(9, 59))
    expect(await attempts()).toHaveLength(1)
    // and at 10:00 nothing takes the cancelled callback or reserves its owner for it
    await advanceTo(w, rt, nyInstant(10, 5))
    expect(log.errors).toEqual([])
    expect((await w.t.callbacks.get(cb!.id)).status).toBe('cancelled')
    for (const i of (await attempts()).slice(1))
      expect(i.startedAt.getTime()).toBeGreaterThanOrEqual(nyInstant(10, 0) - 1000)
    expect(
      await w.t.callbacks.list({ campaignId: w.campaign.id, status: ['scheduled', 'dialing', 'done'] }),
    ).toEqual([])
    // once cancelled, a new one may be booked
    const again = await w.t.callbacks.book({
      contactId: contact.id,
      campaignId: w.campaign.id,
      localTime: ny('11:00'),
    })
    expect(again.status).toBe('scheduled')
    await close()
  })

  it('keeps a booked callback across a stopped runner: the next runner dials it on time', async () => {
    const { w, rt, close, log, owner, contact, attempts } = await firstCall(backend, nyInstant(9, 40), {
      code: 'CALLBACK',
      callback: { localTime: ny('10:00') },
    })
    const dueAt = nyInstant(10, 0)
    const [cb] = await w.t.callbacks.list({ campaignId: w.campaign.id })
    await advanceTo(w, rt, nyInstant(9, 50))
    await rt.stop(w.t.tenantId, w.campaign.id)
    await rt.close()
    expect((await w.t.callbacks.get(cb!.id)).status).toBe('scheduled')
    const lead = await w.t.lists.get(w.campaign.id, contact.id)
    expect(lead?.status).toBe('pending')
    expect(lead?.notBefore?.getTime()).toBe(dueAt)

    const next = createCampaignRuntime(w.sb, { clock: w.clock, worker: 'runner-2', followIntervalMs: 5_000 })
    agentsOn(w, next, () => ({ code: 'NOINT' }), log)
    try {
      await next.start(w.t.tenantId, w.campaign.id)
      await advanceTo(w, next, dueAt - 2000)
      expect(await attempts()).toHaveLength(1)
      await advanceWith(w, next, 10)
      const all = await attempts()
      expect(all).toHaveLength(2)
      expect(all[1]!.startedAt.getTime()).toBeGreaterThanOrEqual(dueAt - 1000)
      expect(all[1]!.startedAt.getTime()).toBeLessThanOrEqual(dueAt + 2000)
      expect(log.connected.map((c) => c.agentId)).toEqual([owner, owner])
      await advanceWith(w, next, TALK_SEC + WRAP_SEC + 5)
      expect(log.errors).toEqual([])
      expect((await w.t.callbacks.get(cb!.id)).status).toBe('done')
      expect(next.status(w.t.tenantId, w.campaign.id)?.dials).toBe(1)
    } finally {
      await next.close()
      await close()
    }
  })
})
