// Integration point 5, call recording, end to end on the simulated network
// (virtual clock): each campaign recording policy (never, on demand, always,
// always with pause) with start and stop from the CRM side
// (`runtime.startRecording/stopRecording`); every recording linked to its
// interaction (`recordingIds`, `recordings.forInteraction`), playable from
// the contact's history (`recordings.listByContact`, newest first) with its
// location and duration; and the supervisor's audit query of point 3 (calls
// coded X under N seconds, with their recordings: `interactions.find`).
import type { CampaignInput, Recording } from '@switchboard/core'
import { afterAll, describe, expect, it } from 'vitest'
import { BACKENDS, dropSchemas, type World, world } from './harness.ts'

afterAll(dropSchemas)

const WRAP_SEC = 3

interface Seen {
  /** Connected calls in order: agent, customer call, interaction, contact, when. */
  readonly connected: Array<{
    agentId: string
    callId: string
    interactionId: string
    contactId: string
    at: number
  }>
  readonly ended: Array<{ interactionId: string; talkSec: number; at: number }>
  readonly errors: unknown[]
}

/**
 * A campaign with `policy`, contacts who are people talking `talkSec[i]`
 * seconds (or not answering when it is undefined), agents who code each call
 * with `code(contactIndex, nthCallOfThatContact)` after WRAP_SEC.
 */
async function recordingWorld(
  backend: 'sqlite' | 'postgres',
  o: {
    readonly policy: NonNullable<CampaignInput['recording']>
    readonly talkSec: ReadonlyArray<number | undefined>
    readonly agents?: number
    readonly code?: (contact: number, nth: number) => string
    readonly campaign?: Partial<CampaignInput>
  },
): Promise<{ w: World; seen: Seen }> {
  const w = await world({
    backend,
    agents: o.agents ?? 1,
    contacts: o.talkSec.length,
    scripts: (i) =>
      o.talkSec[i] === undefined
        ? { outcome: 'no_answer' }
        : { outcome: 'person', ringSec: 3, talkSec: o.talkSec[i]! },
    // answering-machine detection never mistakes these people for machines
    network: { amd: { specificity: 1 } },
    campaign: { recording: o.policy, ...o.campaign },
  })
  await w.t.dispositions.define({ code: 'SALE', label: 'Sale', category: 'sale' })
  await w.t.dispositions.define({ code: 'NOINT', label: 'Not interested', category: 'contact_no_sale' })
  await w.t.dispositions.define({ code: 'RECALL', label: 'Try again', category: 'other' })
  const seen: Seen = { connected: [], ended: [], errors: [] }
  const contactOfCall = new Map<string, string>()
  const calls = new Map<number, number>()
  w.runtime.on('call.offered', (pop) => contactOfCall.set(pop.callId, pop.contact!.id))
  w.runtime.on('call.connected', (e) =>
    seen.connected.push({
      agentId: e.agentId,
      callId: e.callId,
      interactionId: e.interactionId,
      contactId: contactOfCall.get(e.callId)!,
      at: w.clock.now(),
    }),
  )
  w.runtime.on('runtime.error', (e) => seen.errors.push(e))
  w.runtime.on('call.ended', (e) => {
    seen.ended.push({ interactionId: e.interactionId, talkSec: e.talkSec, at: w.clock.now() })
    if (!e.agentId || !e.wrapUntil) return
    const contact = w.contacts.findIndex((c) => c.id === contactOfCall.get(e.callId))
    const nth = calls.get(contact) ?? 0
    calls.set(contact, nth + 1)
    const code = o.code?.(contact, nth) ?? 'NOINT'
    w.clock.setTimeout(() => {
      w.runtime.dispose(w.t.tenantId, e.agentId!, { code }).catch((err) => seen.errors.push(err))
    }, WRAP_SEC * 1000)
  })
  return { w, seen }
}

/** Advances in 0.2 s steps until `done()` holds (at most `maxSec`). */
async function until(w: World, done: () => boolean, maxSec: number) {
  for (let s = 0; s < maxSec && !done(); s += 0.2) await w.advance(0.2)
  expect(done(), `within ${maxSec} s of virtual time`).toBe(true)
}

const sec = (a: Date, b: Date) => (b.getTime() - a.getTime()) / 1000

describe.each(BACKENDS)('call recording on %s', (backend) => {
  it("'always' records every connected call once, linked and playable from the contact's history", async () => {
    // contact 0 is reached twice (RECALL, then NOINT); contact 3 never answers
    const talk = [20, 30, 40, undefined]
    const { w, seen } = await recordingWorld(backend, {
      policy: 'always',
      talkSec: talk,
      agents: 2,
      code: (c, nth) => (c === 0 && nth === 0 ? 'RECALL' : 'NOINT'),
      campaign: {
        attempts: { max: 3, retry: [{ match: 'RECALL', retryAfterSec: 120 }] },
      },
    })
    // the CRM cannot start or stop what the policy records anyway
    const refusals: string[] = []
    w.runtime.on('call.connected', (e) => {
      for (const op of ['startRecording', 'stopRecording'] as const)
        w.runtime[op](w.t.tenantId, e.agentId).then(
          () => seen.errors.push(new Error(`${op} accepted under policy always`)),
          (err: { _tag?: string }) => refusals.push(`${op}:${err._tag}`),
        )
    })
    await w.runtime.start(w.t.tenantId, w.campaign.id)
    await w.advance(6 * 60)
    expect(seen.errors).toEqual([])
    // four connects: contacts 0 (twice), 1, 2
    expect(seen.connected).toHaveLength(4)
    expect(refusals.sort()).toEqual([
      ...Array(4).fill('startRecording:ValidationFailed'),
      ...Array(4).fill('stopRecording:ValidationFailed'),
    ])
    const all = await w.t.interactions.find({ campaignId: w.campaign.id, limit: 100 })
    for (const i of all) {
      const index = w.contacts.findIndex((c) => c.id === i.contactId)
      const connected = seen.connected.some((c) => c.interactionId === i.id)
      const recs = await w.t.recordings.forInteraction(i.id)
      if (!connected) {
        expect(i.disposition, `contact ${index}`).toBe('NO_ANSWER')
        expect(i.recordingIds).toEqual([])
        expect(recs).toEqual([])
        expect(i.recordings).toEqual([])
        continue
      }
      expect(i.recordingIds, `contact ${index}`).toHaveLength(1)
      expect(recs.map((r) => r.id)).toEqual(i.recordingIds)
      expect(i.recordings.map((r) => r.id)).toEqual(i.recordingIds)
      const [r] = recs
      expect(r).toMatchObject({
        interactionId: i.id,
        contactId: i.contactId,
        campaignId: w.campaign.id,
        startedBy: 'policy',
      })
      expect(r!.agentId).toBe(i.agentId)
      expect(r!.callId).toBe(i.callId)
      expect(r!.uri).toMatch(new RegExp(`^simulated://recordings/${i.callId}/\\d+$`))
      // the recording covers the conversation: from the bridge to the hang-up
      expect(r!.durationSec).toBeGreaterThan(talk[index]! - 0.5)
      expect(r!.durationSec).toBeLessThan(talk[index]! + 0.5)
      expect(i.durations.talkSec - r!.durationSec).toBeGreaterThanOrEqual(0)
      expect(i.durations.talkSec - r!.durationSec).toBeLessThan(3)
      expect(r!.endedAt).toBeDefined()
      expect(Math.abs(sec(r!.startedAt, r!.endedAt!) - r!.durationSec)).toBeLessThan(0.5)
    }
    // the contact's history plays them newest first
    const history = await w.t.recordings.listByContact(w.contacts[0]!.id)
    expect(history).toHaveLength(2)
    expect(history[0]!.startedAt.getTime()).toBeGreaterThan(history[1]!.startedAt.getTime())
    const calls0 = all.filter((i) => i.contactId === w.contacts[0]!.id)
    expect(calls0.map((i) => i.disposition)).toEqual(['RECALL', 'NOINT'])
    expect(history.map((r) => r.interactionId)).toEqual([calls0[1]!.id, calls0[0]!.id])
    expect(await w.t.recordings.listByContact(w.contacts[3]!.id)).toEqual([])
    await w.close()
  })

  it("'never' records nothing and refuses a recording asked from the CRM", async () => {
    const { w, seen } = await recordingWorld(backend, { policy: 'never', talkSec: [20] })
    await w.runtime.start(w.t.tenantId, w.campaign.id)
    await until(w, () => seen.connected.length === 1, 30)
    await w.advance(5)
    const { agentId, interactionId } = seen.connected[0]!
    await expect(w.runtime.startRecording(w.t.tenantId, agentId)).rejects.toMatchObject({
      _tag: 'ValidationFailed',
    })
    await expect(w.runtime.stopRecording(w.t.tenantId, agentId)).rejects.toMatchObject({
      _tag: 'ValidationFailed',
    })
    await w.advance(30)
    expect(seen.errors).toEqual([])
    const i = await w.t.interactions.get(interactionId as never)
    expect(i.disposition).toBe('NOINT')
    expect(i.durations.talkSec).toBeGreaterThan(19)
    expect(i.recordingIds).toEqual([])
    expect(await w.t.recordings.forInteraction(i.id)).toEqual([])
    expect(await w.t.recordings.listByContact(w.contacts[0]!.id)).toEqual([])
    await w.close()
  })

  it("'on_demand' records only between the agent's start and stop", async () => {
    const { w, seen } = await recordingWorld(backend, { policy: 'on_demand', talkSec: [30] })
    await w.runtime.start(w.t.tenantId, w.campaign.id)
    await until(w, () => seen.connected.length === 1, 30)
    const { agentId, interactionId } = seen.connected[0]!
    await w.advance(5)
    // nothing yet
    expect(await w.t.recordings.forInteraction(interactionId as never)).toEqual([])
    await expect(w.runtime.stopRecording(w.t.tenantId, agentId)).rejects.toMatchObject({
      _tag: 'ValidationFailed',
    })
    const startAt = w.clock.now()
    await w.runtime.startRecording(w.t.tenantId, agentId)
    const [live] = await w.t.recordings.forInteraction(interactionId as never)
    expect(live).toMatchObject({ startedBy: 'agent', interactionId, agentId })
    expect(live!.startedAt.getTime()).toBe(startAt)
    expect(live!.endedAt).toBeUndefined()
    await w.advance(10)
    const stopAt = w.clock.now()
    await w.runtime.stopRecording(w.t.tenantId, agentId)
    await w.advance(30)
    expect(seen.errors).toEqual([])
    const i = await w.t.interactions.get(interactionId as never)
    expect(i.disposition).toBe('NOINT')
    expect(i.recordingIds).toEqual([live!.id])
    const [r, ...more] = await w.t.recordings.forInteraction(i.id)
    expect(more).toEqual([])
    expect(r!.durationSec).toBeCloseTo((stopAt - startAt) / 1000, 1)
    expect(r!.durationSec).toBeCloseTo(10, 1)
    expect(r!.endedAt?.getTime()).toBe(stopAt)
    expect(r!.uri).toMatch(new RegExp(`^simulated://recordings/${i.callId}/\\d+$`))
    expect((await w.t.recordings.listByContact(w.contacts[0]!.id)).map((x) => x.id)).toEqual([r!.id])
    await w.close()
  })

  it("'always_with_pause' records from the bridge, pauses on the agent's stop and resumes on start: two recordings", async () => {
    const { w, seen } = await recordingWorld(backend, { policy: 'always_with_pause', talkSec: [30] })
    await w.runtime.start(w.t.tenantId, w.campaign.id)
    await until(w, () => seen.connected.length === 1, 30)
    const { agentId, interactionId, at: bridgedAt } = seen.connected[0]!
    const [first] = await w.t.recordings.forInteraction(interactionId as never)
    expect(first).toMatchObject({ startedBy: 'policy' })
    await w.advance(5)
    const pausedAt = w.clock.now()
    await w.runtime.stopRecording(w.t.tenantId, agentId)
    await w.advance(5)
    const resumedAt = w.clock.now()
    await w.runtime.startRecording(w.t.tenantId, agentId)
    await w.advance(40)
    expect(seen.errors).toEqual([])
    const i = await w.t.interactions.get(interactionId as never)
    expect(i.disposition).toBe('NOINT')
    const recs = await w.t.recordings.forInteraction(i.id)
    expect(recs).toHaveLength(2)
    expect(i.recordingIds).toHaveLength(2)
    const [a, b] = i.recordingIds.map((id) => recs.find((r) => r.id === id)!) as [Recording, Recording]
    expect(a.id).toBe(first!.id)
    expect(a.startedBy).toBe('policy')
    expect(b.startedBy).toBe('agent')
    expect(a.durationSec).toBeCloseTo((pausedAt - bridgedAt) / 1000, 0)
    expect(a.endedAt?.getTime()).toBe(pausedAt)
    expect(b.startedAt.getTime()).toBe(resumedAt)
    // the second runs to the hang-up: the 30 s conversation less the first 10 s
    expect(b.durationSec).toBeGreaterThan(30 - 10 - 0.5)
    expect(b.durationSec).toBeLessThan(30 - 10 + 0.5)
    expect(a.uri).not.toBe(b.uri)
    const history = await w.t.recordings.listByContact(w.contacts[0]!.id)
    expect(history.map((r) => r.id)).toEqual([b.id, a.id])
    await w.close()
  })

  it('finds the calls coded X that lasted under N seconds, with their recordings (the audit query)', async () => {
    const talk = [10, 40, 12, 8, 45]
    const codes = ['NOINT', 'NOINT', 'SALE', 'NOINT', 'SALE']
    const { w, seen } = await recordingWorld(backend, {
      policy: 'always',
      talkSec: talk,
      agents: 3,
      code: (c) => codes[c]!,
    })
    await w.runtime.start(w.t.tenantId, w.campaign.id)
    await w.advance(3 * 60)
    expect(seen.errors).toEqual([])
    expect(seen.connected).toHaveLength(5)
    const short = await w.t.interactions.find({
      campaignId: w.campaign.id,
      disposition: 'NOINT',
      maxTalkSec: 30,
    })
    expect(short.map((i) => w.contacts.findIndex((c) => c.id === i.contactId)).sort()).toEqual([0, 3])
    for (const i of short) {
      expect(i.disposition).toBe('NOINT')
      expect(i.durations.talkSec).toBeLessThan(30)
      expect(i.recordings).toHaveLength(1)
      expect(i.recordings[0]!.id).toBe(i.recordingIds[0])
      expect(i.recordings[0]!.durationSec).toBeLessThan(30)
      expect(i.recordings[0]!.uri).toMatch(/^simulated:\/\/recordings\//)
    }
    const shortSales = await w.t.interactions.find({
      campaignId: w.campaign.id,
      disposition: 'SALE',
      maxTalkSec: 30,
    })
    expect(shortSales.map((i) => i.contactId)).toEqual([w.contacts[2]!.id])
    expect(shortSales[0]!.recordings).toHaveLength(1)
    const allNoint = await w.t.interactions.find({ campaignId: w.campaign.id, disposition: 'NOINT' })
    expect(allNoint).toHaveLength(3)
    await w.close()
  })
})
