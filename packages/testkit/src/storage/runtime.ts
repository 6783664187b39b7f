import {
  type AgentId,
  AgentSession,
  type AgentSessionId,
  AgentStateChange,
  Callback,
  type CampaignId,
  type ContactId,
  DispositionCode,
  Interaction,
  newId,
  Recording,
  type StorageBackend,
  type TenantId,
  type TenantStore,
} from '@switchboard/core'
import { afterAll, describe, expect, it } from 'vitest'

const T0 = Date.UTC(2026, 2, 11, 15)
const at = (minutes: number) => new Date(T0 + minutes * 60_000)
const cp = (s: string) => s as CampaignId
const ct = (s: string) => s as ContactId
const ag = (s: string) => s as AgentId

const failure = (p: Promise<unknown>) =>
  p.then(
    () => undefined,
    (e: unknown) => e as { _tag?: string; message?: string },
  )

export interface RuntimeConformanceContext {
  readonly backend: () => StorageBackend
  readonly tenant: (id: string) => TenantId
  /**
   * A second backend on the same database (another process's connections),
   * for the races across processes; absent for an in-memory database.
   */
  readonly peer?: () => Promise<StorageBackend>
}

/**
 * The campaign runtime's storage: interactions by call and by filter, the
 * disposition catalogue, callbacks (one active per contact and campaign,
 * taken exactly once), recordings, agent sessions and their state history,
 * campaign leases with fencing, and the dial permit on leads. Every part is
 * tenant-scoped like the rest.
 */
export function runtimeConformance(ctx: RuntimeConformanceContext): void {
  const store = (tenant: string): TenantStore => ctx.backend().forTenant(ctx.tenant(tenant))
  let peerBackend: StorageBackend | undefined
  /** The same tenant through a second store: another process's backend when there is one. */
  const otherStore = async (tenant: string): Promise<TenantStore> => {
    if (ctx.peer && !peerBackend) peerBackend = await ctx.peer()
    return (peerBackend ?? ctx.backend()).forTenant(ctx.tenant(tenant))
  }
  afterAll(async () => {
    await peerBackend?.close()
  })

  const interaction = (t: string, fields: Record<string, unknown>): Interaction =>
    Interaction.parse({
      id: newId('InteractionId'),
      tenantId: t,
      contactId: ct('ct_rt_1'),
      channel: 'voice',
      direction: 'outbound',
      startedAt: at(0),
      durations: {},
      recordingIds: [],
      createdAt: at(0),
      updatedAt: at(0),
      ...fields,
    })

  const callback = (t: string, fields: Record<string, unknown> = {}): Callback =>
    Callback.parse({
      id: newId('CallbackId'),
      tenantId: t,
      contactId: ct('ct_cb_1'),
      campaignId: cp('cp_cb'),
      dueAt: at(60),
      timeZone: 'America/New_York',
      localTime: '2026-03-11T12:00',
      ifAgentAway: 'anyone',
      status: 'scheduled',
      createdAt: at(0),
      updatedAt: at(0),
      ...fields,
    })

  describe('campaign runtime storage', () => {
    describe('interactions by call and by filter', () => {
      it('finds the newest interaction of a call, in this tenant only', async () => {
        const s = store('rt-calls')
        const old = interaction('rt-calls', { callId: 'call-1', startedAt: at(0) })
        const reused = interaction('rt-calls', { callId: 'call-1', startedAt: at(5) })
        await s.interactions.insert(old)
        await s.interactions.insert(reused)
        await s.interactions.insert(interaction('rt-calls', { callId: 'call-2' }))
        expect((await s.interactions.findByCall('call-1'))?.id).toBe(reused.id)
        expect(await s.interactions.findByCall('call-404')).toBeUndefined()
        // A call id set by an update is found too.
        const later = interaction('rt-calls', { startedAt: at(9) })
        await s.interactions.insert(later)
        await s.interactions.update({ ...later, callId: 'call-3' })
        expect(await s.interactions.findByCall('call-3')).toEqual({ ...later, callId: 'call-3' })
        expect(await store('rt-calls-other').interactions.findByCall('call-1')).toBeUndefined()
      })

      it('filters by campaign, agent, contact, disposition, talk time, channel, time and openness', async () => {
        const t = 'rt-find'
        const s = store(t)
        const c = cp('cp_find')
        const rows = [
          interaction(t, {
            campaignId: c,
            agentId: ag('ag_1'),
            startedAt: at(1),
            endedAt: at(2),
            durations: { talkSec: 20 },
            disposition: 'SALE',
          }),
          interaction(t, {
            campaignId: c,
            agentId: ag('ag_2'),
            startedAt: at(2),
            endedAt: at(3),
            durations: { talkSec: 4 },
            disposition: 'NO_INTEREST',
          }),
          interaction(t, { campaignId: c, agentId: ag('ag_1'), startedAt: at(3), durations: { talkSec: 0 } }),
          interaction(t, {
            campaignId: cp('cp_elsewhere'),
            contactId: ct('ct_rt_2'),
            startedAt: at(4),
            endedAt: at(5),
            durations: { talkSec: 2 },
            disposition: 'SALE',
          }),
          interaction(t, { channel: 'email', direction: 'inbound', startedAt: at(5), endedAt: at(5) }),
        ]
        for (const r of rows) await s.interactions.insert(r)
        const ids = async (f: Parameters<TenantStore['interactions']['find']>[0]) =>
          (await s.interactions.find(f)).map((i) => i.id)
        const [a, b, open, other, email] = rows.map((r) => r.id)
        expect(await ids({ campaignId: c })).toEqual([a, b, open])
        expect(await ids({ campaignId: c, agentId: ag('ag_1') })).toEqual([a, open])
        expect(await ids({ disposition: 'SALE' })).toEqual([a, other])
        expect(await ids({ campaignId: c, maxTalkSec: 4 })).toEqual([b, open])
        expect(await ids({ maxTalkSec: 2, campaignId: cp('cp_elsewhere') })).toEqual([other])
        expect(await ids({ open: true })).toEqual([open])
        expect(await ids({ open: false, campaignId: c })).toEqual([a, b])
        expect(await ids({ contactId: ct('ct_rt_2') })).toEqual([other])
        expect(await ids({ channel: 'email' })).toEqual([email])
        expect(await ids({ from: at(2), to: at(4) })).toEqual([b, open])
        expect(await ids({ campaignId: c, limit: 2 })).toEqual([a, b])
        // Closing the open one moves it out of `open`.
        const closed = await s.interactions.get(open!)
        await s.interactions.update({
          ...closed!,
          endedAt: at(4),
          durations: { ...closed!.durations, talkSec: 30 },
        })
        expect(await ids({ open: true })).toEqual([])
        expect(await ids({ campaignId: c, maxTalkSec: 4 })).toEqual([b])
        expect(await store('rt-find-other').interactions.find({ campaignId: c })).toEqual([])
        expect(await store('rt-find-other').interactions.find({})).toEqual([])
      })

      it('pages oldest first by start time then id, every row exactly once', async () => {
        const t = 'rt-pages'
        const s = store(t)
        const c = cp('cp_pages')
        // Ids grow while start times fall, and several start at the same time.
        const starts = [9, 8, 8, 7, 5, 5, 5, 3, 1, 0]
        const made: Interaction[] = []
        for (const m of starts) {
          const i = interaction(t, { campaignId: c, startedAt: at(m) })
          made.push(i)
          await s.interactions.insert(i)
        }
        const expected = [...made]
          .sort((x, y) => x.startedAt.getTime() - y.startedAt.getTime() || (x.id < y.id ? -1 : 1))
          .map((i) => i.id)
        const seen: string[] = []
        let after: string | undefined
        for (let guard = 0; guard < 20; guard++) {
          const page = await s.interactions.find({ campaignId: c, limit: 3, ...(after ? { after } : {}) })
          if (!page.length) break
          seen.push(...page.map((i) => i.id))
          after = page.at(-1)!.id
        }
        expect(seen).toEqual(expected)
        // Another tenant's cursor reveals nothing.
        expect(await store('rt-pages-other').interactions.find({ after: expected[0]! })).toEqual([])
      })
    })

    describe('dispositions', () => {
      const code = (t: string, c: string, fields: Record<string, unknown> = {}) =>
        DispositionCode.parse({
          id: newId('DispositionCodeId'),
          tenantId: t,
          code: c,
          label: c.toLowerCase(),
          category: 'other',
          flags: { final: false, countsAsContact: false, countsAsSale: false, addsToDnc: false },
          createdAt: at(0),
          updatedAt: at(0),
          ...fields,
        })

      it('upserts by code, lists by code, and keeps tenants apart', async () => {
        const s = store('rt-disp')
        const sale = code('rt-disp', 'SALE', { category: 'sale' })
        await s.dispositions.upsert(code('rt-disp', 'NO_INTEREST'))
        await s.dispositions.upsert(sale)
        expect(await s.dispositions.get('SALE')).toEqual(sale)
        const relabelled = { ...sale, label: 'Sold', updatedAt: at(1) }
        await s.dispositions.upsert(relabelled)
        expect(await s.dispositions.get('SALE')).toEqual(relabelled)
        expect((await s.dispositions.list()).map((d) => d.code)).toEqual(['NO_INTEREST', 'SALE'])
        expect(await s.dispositions.get('NOPE')).toBeUndefined()

        const b = store('rt-disp-other')
        expect(await b.dispositions.get('SALE')).toBeUndefined()
        expect(await b.dispositions.list()).toEqual([])
        await b.dispositions.upsert(code('rt-disp-other', 'SALE', { label: 'theirs' }))
        expect((await s.dispositions.get('SALE'))?.label).toBe('Sold')
        expect((await b.dispositions.get('SALE'))?.label).toBe('theirs')
      })
    })

    describe('callbacks', () => {
      it('keeps one scheduled or dialing callback per contact and campaign (a second is a Conflict)', async () => {
        const t = 'rt-cb'
        const s = store(t)
        const first = callback(t)
        await s.callbacks.insert(first)
        expect(await s.callbacks.get(first.id)).toEqual(first)
        expect(await s.callbacks.active(first.campaignId, first.contactId)).toEqual(first)
        const again = await failure(s.callbacks.insert(callback(t)))
        expect(again?._tag).toBe('Conflict')
        expect(again?.message).toMatch(/callback/)
        // Another campaign, or another contact, is a different key.
        await s.callbacks.insert(callback(t, { campaignId: cp('cp_cb_2') }))
        await s.callbacks.insert(callback(t, { contactId: ct('ct_cb_2') }))
        // Dialing holds the key too; done releases it.
        expect(await s.callbacks.take(first.id, at(60))).toBe(true)
        expect((await failure(s.callbacks.insert(callback(t))))?._tag).toBe('Conflict')
        const dialing = await s.callbacks.get(first.id)
        expect(dialing).toMatchObject({ status: 'dialing', updatedAt: at(60) })
        await s.callbacks.update({ ...dialing!, status: 'done', updatedAt: at(61) })
        expect(await s.callbacks.active(first.campaignId, first.contactId)).toBeUndefined()
        const next = callback(t, { dueAt: at(120) })
        await s.callbacks.insert(next)
        expect((await s.callbacks.active(first.campaignId, first.contactId))?.id).toBe(next.id)
        // Moving a finished one back to scheduled would make two: a Conflict, nothing changed.
        const back = await failure(
          s.callbacks.update({ ...(await s.callbacks.get(first.id))!, status: 'scheduled' }),
        )
        expect(back?._tag).toBe('Conflict')
        expect((await s.callbacks.get(first.id))?.status).toBe('done')
      })

      it('lists by due time then id, with every filter', async () => {
        const t = 'rt-cb-list'
        const s = store(t)
        const c = cp('cp_list')
        const rows = [
          callback(t, { campaignId: c, contactId: ct('ct_l1'), dueAt: at(30), agentId: ag('ag_1') }),
          callback(t, { campaignId: c, contactId: ct('ct_l2'), dueAt: at(10) }),
          callback(t, { campaignId: c, contactId: ct('ct_l3'), dueAt: at(20), status: 'missed' }),
          callback(t, { campaignId: cp('cp_list_2'), contactId: ct('ct_l1'), dueAt: at(10) }),
        ]
        for (const r of rows) await s.callbacks.insert(r)
        const [l1, l2, l3, other] = rows.map((r) => r.id)
        const ids = async (f: Parameters<TenantStore['callbacks']['list']>[0]) =>
          (await s.callbacks.list(f)).map((x) => x.id)
        expect(await ids({ campaignId: c })).toEqual([l2, l3, l1])
        expect(await ids({ campaignId: c, status: ['scheduled'] })).toEqual([l2, l1])
        expect(await ids({ status: ['scheduled', 'dialing'], dueBefore: at(10) })).toEqual(
          [l2, other].sort((x, y) => (x! < y! ? -1 : 1)),
        )
        expect(await ids({ contactId: ct('ct_l1') })).toEqual([other, l1])
        expect(await ids({ agentId: ag('ag_1') })).toEqual([l1])
        expect(await ids({ campaignId: c, limit: 1 })).toEqual([l2])
        expect(await ids({ status: [] })).toEqual([])
      })

      it('take: exactly one of many concurrent takers wins, and only a scheduled callback', async () => {
        const t = 'rt-cb-take'
        const s = store(t)
        const cb = callback(t)
        await s.callbacks.insert(cb)
        const wins = await Promise.all(
          Array.from({ length: 8 }, (_, i) => s.callbacks.take(cb.id, at(60 + i))),
        )
        expect(wins.filter(Boolean)).toHaveLength(1)
        expect((await s.callbacks.get(cb.id))?.status).toBe('dialing')
        expect(await s.callbacks.take(cb.id, at(70))).toBe(false)
        expect(await s.callbacks.take(newId('CallbackId'), at(70))).toBe(false)
        const missed = callback(t, { contactId: ct('ct_missed'), status: 'missed' })
        await s.callbacks.insert(missed)
        expect(await s.callbacks.take(missed.id, at(70))).toBe(false)
      })

      it('take: two stores (two processes where the backend has concurrent writers) never both win', async () => {
        const t = 'rt-cb-take-2'
        const a = store(t)
        const b = await otherStore(t)
        const cbs = Array.from({ length: 20 }, (_, i) => callback(t, { contactId: ct(`ct_two_${i}`) }))
        for (const cb of cbs) await a.callbacks.insert(cb)
        const results = await Promise.all(
          cbs.flatMap((cb) => [a.callbacks.take(cb.id, at(60)), b.callbacks.take(cb.id, at(60))]),
        )
        for (let i = 0; i < cbs.length; i++)
          expect([results[2 * i], results[2 * i + 1]].filter(Boolean)).toHaveLength(1)
        for (const cb of cbs) expect((await b.callbacks.get(cb.id))?.status).toBe('dialing')
      })

      it("moves a merged contact's callbacks; a second active one on the same campaign is cancelled", async () => {
        const t = 'rt-cb-merge'
        const s = store(t)
        const keep = callback(t, { contactId: ct('ct_survivor'), campaignId: cp('cp_m1') })
        const clash = callback(t, { contactId: ct('ct_loser'), campaignId: cp('cp_m1') })
        const move = callback(t, { contactId: ct('ct_loser'), campaignId: cp('cp_m2') })
        const old = callback(t, { contactId: ct('ct_loser'), campaignId: cp('cp_m1'), status: 'done' })
        for (const cb of [keep, clash, move, old]) await s.callbacks.insert(cb)
        expect(await store('rt-cb-merge-other').callbacks.reassign(ct('ct_loser'), ct('ct_survivor'))).toBe(0)
        expect(await s.callbacks.reassign(ct('ct_loser'), ct('ct_survivor'))).toBe(3)
        expect(await s.callbacks.list({ contactId: ct('ct_loser') })).toEqual([])
        const moved = await s.callbacks.list({ contactId: ct('ct_survivor') })
        expect(moved).toHaveLength(4)
        expect(moved.every((cb) => cb.contactId === 'ct_survivor')).toBe(true)
        expect((await s.callbacks.get(clash.id))?.status).toBe('cancelled')
        expect((await s.callbacks.active(cp('cp_m1'), ct('ct_survivor')))?.id).toBe(keep.id)
        expect((await s.callbacks.active(cp('cp_m2'), ct('ct_survivor')))?.id).toBe(move.id)
      })

      it("another tenant can neither read, take, change nor move a tenant's callbacks", async () => {
        const a = store('rt-cb-a')
        const b = store('rt-cb-b')
        const cb = callback('rt-cb-a')
        await a.callbacks.insert(cb)
        expect(await b.callbacks.get(cb.id)).toBeUndefined()
        expect(await b.callbacks.active(cb.campaignId, cb.contactId)).toBeUndefined()
        expect(await b.callbacks.list({})).toEqual([])
        expect(await b.callbacks.take(cb.id, at(60))).toBe(false)
        await b.callbacks.update({ ...cb, status: 'cancelled' })
        expect(await b.callbacks.reassign(cb.contactId, ct('ct_elsewhere'))).toBe(0)
        expect(await a.callbacks.get(cb.id)).toEqual(cb)
        // The unique key is per tenant: b may book the same contact id and campaign id.
        await b.callbacks.insert(callback('rt-cb-b'))
        expect(await a.callbacks.take(cb.id, at(60))).toBe(true)
      })
    })

    describe('recordings', () => {
      const recording = (t: string, fields: Record<string, unknown>) =>
        Recording.parse({
          id: newId('RecordingId'),
          tenantId: t,
          interactionId: newId('InteractionId'),
          contactId: ct('ct_rec'),
          uri: 'file:///rec/a.wav',
          format: 'audio/wav',
          startedAt: at(0),
          startedBy: 'policy',
          createdAt: at(0),
          updatedAt: at(0),
          ...fields,
        })

      it('round-trips, lists by interactions oldest first and by contact newest first, per tenant', async () => {
        const t = 'rt-rec'
        const s = store(t)
        const i1 = newId('InteractionId')
        const i2 = newId('InteractionId')
        const r1 = recording(t, { interactionId: i1, startedAt: at(5) })
        const r2 = recording(t, { interactionId: i1, startedAt: at(1), startedBy: 'agent' })
        const r3 = recording(t, { interactionId: i2, startedAt: at(3), campaignId: cp('cp_rec') })
        const r4 = recording(t, { contactId: ct('ct_rec_other'), startedAt: at(2) })
        for (const r of [r1, r2, r3, r4]) await s.recordings.insert(r)
        expect(await s.recordings.get(r1.id)).toEqual(r1)
        const ended = { ...r1, endedAt: at(6), durationSec: 60, updatedAt: at(6) }
        await s.recordings.update(ended)
        expect(await s.recordings.get(r1.id)).toEqual(ended)
        expect(
          (await s.recordings.forInteractions([i1, i2, newId('InteractionId')])).map((r) => r.id),
        ).toEqual([r2.id, r3.id, r1.id])
        expect(await s.recordings.forInteractions([])).toEqual([])
        expect((await s.recordings.listByContact(ct('ct_rec'))).map((r) => r.id)).toEqual([
          r1.id,
          r3.id,
          r2.id,
        ])
        expect((await s.recordings.listByContact(ct('ct_rec'), { limit: 1 })).map((r) => r.id)).toEqual([
          r1.id,
        ])

        const b = store('rt-rec-other')
        expect(await b.recordings.get(r1.id)).toBeUndefined()
        expect(await b.recordings.forInteractions([i1, i2])).toEqual([])
        expect(await b.recordings.listByContact(ct('ct_rec'))).toEqual([])
        await b.recordings.update({ ...ended, uri: 'file:///stolen.wav' })
        expect((await s.recordings.get(r1.id))?.uri).toBe('file:///rec/a.wav')
      })
    })

    describe('agent sessions', () => {
      const session = (t: string, fields: Record<string, unknown>) =>
        AgentSession.parse({
          id: newId('AgentSessionId'),
          tenantId: t,
          agentId: ag('ag_s1'),
          campaignIds: [],
          queueIds: [],
          skills: [],
          startedAt: at(0),
          state: 'available',
          stateSince: at(0),
          seq: 0,
          createdAt: at(0),
          updatedAt: at(0),
          ...fields,
        })
      const change = (
        t: string,
        s: AgentSession,
        seq: number,
        minute: number,
        fields: Record<string, unknown> = {},
      ) =>
        AgentStateChange.parse({
          tenantId: t,
          sessionId: s.id,
          agentId: s.agentId,
          seq,
          from: 'available',
          to: 'on_call',
          at: at(minute),
          ...fields,
        })

      it('finds the current and open sessions, by campaign, ordered by agent', async () => {
        const t = 'rt-sess'
        const s = store(t)
        const ended = session(t, {
          agentId: ag('ag_s1'),
          startedAt: at(-60),
          endedAt: at(-10),
          state: 'offline',
        })
        const s1 = session(t, { agentId: ag('ag_s1'), campaignIds: [cp('cp_s1')] })
        const s2 = session(t, { agentId: ag('ag_s0'), campaignIds: [cp('cp_s1'), cp('cp_s2')] })
        const s3 = session(t, { agentId: ag('ag_s2'), campaignIds: [cp('cp_s2')], callId: 'call-9' })
        for (const x of [ended, s1, s2, s3]) await s.agentSessions.insert(x)
        expect(await s.agentSessions.get(s3.id)).toEqual(s3)
        expect(await s.agentSessions.current(ag('ag_s1'))).toEqual(s1)
        expect(await s.agentSessions.current(ag('ag_nobody'))).toBeUndefined()
        expect((await s.agentSessions.open()).map((x) => x.id)).toEqual([s2.id, s1.id, s3.id])
        expect((await s.agentSessions.open({ campaignId: cp('cp_s1') })).map((x) => x.id)).toEqual([
          s2.id,
          s1.id,
        ])
        expect((await s.agentSessions.open({ campaignId: cp('cp_s2') })).map((x) => x.id)).toEqual([
          s2.id,
          s3.id,
        ])
        expect(await s.agentSessions.open({ campaignId: cp('cp_none') })).toEqual([])
        const out = {
          ...s1,
          endedAt: at(30),
          state: 'offline' as const,
          stateSince: at(30),
          updatedAt: at(30),
        }
        await s.agentSessions.update(out)
        expect(await s.agentSessions.current(ag('ag_s1'))).toBeUndefined()
        expect(await s.agentSessions.get(s1.id)).toEqual(out)
        expect((await s.agentSessions.open({ campaignId: cp('cp_s1') })).map((x) => x.id)).toEqual([s2.id])

        const b = store('rt-sess-other')
        expect(await b.agentSessions.get(s2.id)).toBeUndefined()
        expect(await b.agentSessions.current(ag('ag_s0'))).toBeUndefined()
        expect(await b.agentSessions.open()).toEqual([])
        await b.agentSessions.update({ ...s2, endedAt: at(1) })
        expect((await s.agentSessions.current(ag('ag_s0')))?.id).toBe(s2.id)
      })

      it('appends state changes once per (session, seq) and reads them by time, agent and keyset', async () => {
        const t = 'rt-states'
        const s = store(t)
        const x = session(t, { agentId: ag('ag_x') })
        const y = session(t, { agentId: ag('ag_y') })
        const changes = [
          change(t, x, 1, 1),
          change(t, y, 1, 1, { reason: 'first call', callId: 'call-y' }),
          change(t, x, 2, 2, { from: 'on_call', to: 'wrap_up' }),
          change(t, y, 2, 3, { from: 'on_call', to: 'wrap_up' }),
          change(t, x, 3, 4, { from: 'wrap_up', to: 'available' }),
        ]
        for (const c of changes) await s.agentSessions.appendState(c)
        expect((await failure(s.agentSessions.appendState(change(t, x, 2, 9))))?._tag).toBe('Conflict')
        const key = (c: AgentStateChange) => `${c.sessionId}#${c.seq}`
        const byTime = [...changes].sort(
          (a, b) =>
            a.at.getTime() - b.at.getTime() ||
            (a.sessionId < b.sessionId ? -1 : a.sessionId > b.sessionId ? 1 : a.seq - b.seq),
        )
        expect((await s.agentSessions.states({})).map(key)).toEqual(byTime.map(key))
        expect(await s.agentSessions.states({ agentId: ag('ag_y') })).toEqual([changes[1], changes[3]])
        expect((await s.agentSessions.states({ from: at(2), to: at(4) })).map(key)).toEqual(
          [changes[2]!, changes[3]!].map(key),
        )
        const seen: string[] = []
        let after: { sessionId: AgentSessionId; seq: number } | undefined
        for (let guard = 0; guard < 10; guard++) {
          const page = await s.agentSessions.states({ limit: 2, ...(after ? { after } : {}) })
          if (!page.length) break
          seen.push(...page.map(key))
          const last = page.at(-1)!
          after = { sessionId: last.sessionId, seq: last.seq }
        }
        expect(seen).toEqual(byTime.map(key))

        const b = store('rt-states-other')
        expect(await b.agentSessions.states({})).toEqual([])
        expect(await b.agentSessions.states({ after: { sessionId: x.id, seq: 1 } })).toEqual([])
        // The key is per tenant: another tenant's (session, seq) is its own row.
        await b.agentSessions.appendState(change('rt-states-other', x, 1, 1))
        expect(await s.agentSessions.states({ agentId: ag('ag_x') })).toHaveLength(3)
      })
    })

    describe('campaign leases', () => {
      it('one owner at a time: renewed by it, refused to others until it runs out, then taken with fence + 1', async () => {
        const s = store('rt-lease')
        const c = cp('cp_lease')
        expect(await s.campaignLeases.get(c)).toBeUndefined()
        const first = await s.campaignLeases.acquire(c, { owner: 'run-a', now: at(0), until: at(1) })
        expect(first).toEqual({ campaignId: c, owner: 'run-a', until: at(1), fence: 1, acquiredAt: at(0) })
        const renewed = await s.campaignLeases.acquire(c, { owner: 'run-a', now: at(0.5), until: at(2) })
        expect(renewed).toEqual({ campaignId: c, owner: 'run-a', until: at(2), fence: 1, acquiredAt: at(0) })
        const refused = await s.campaignLeases.acquire(c, { owner: 'run-b', now: at(1.5), until: at(3) })
        expect(refused).toEqual(renewed)
        expect(await s.campaignLeases.get(c)).toEqual(renewed)
        const taken = await s.campaignLeases.acquire(c, { owner: 'run-b', now: at(2), until: at(3) })
        expect(taken).toEqual({ campaignId: c, owner: 'run-b', until: at(3), fence: 2, acquiredAt: at(2) })
        // The old owner comes back too late: it sees it lost, and cannot release it.
        expect(
          (await s.campaignLeases.acquire(c, { owner: 'run-a', now: at(2.5), until: at(4) })).owner,
        ).toBe('run-b')
        expect(await s.campaignLeases.release(c, 'run-a')).toBe(false)
        expect(await s.campaignLeases.release(c, 'run-b')).toBe(true)
        expect(await s.campaignLeases.release(c, 'run-b')).toBe(false)
        expect(await s.campaignLeases.get(c)).toBeUndefined()
        // Released: free at once, and the fence keeps growing.
        const back = await s.campaignLeases.acquire(c, { owner: 'run-a', now: at(2.6), until: at(4) })
        expect(back).toEqual({ campaignId: c, owner: 'run-a', until: at(4), fence: 3, acquiredAt: at(2.6) })
      })

      it('of many racing for a free lease, exactly one gets it (across processes where the backend allows)', async () => {
        const t = 'rt-lease-race'
        const a = store(t)
        const b = await otherStore(t)
        for (let round = 0; round < 5; round++) {
          const c = cp(`cp_race_${round}`)
          const owners = Array.from({ length: 8 }, (_, i) => `runner-${i}`)
          const got = await Promise.all(
            owners.map((owner, i) =>
              (i % 2 ? b : a).campaignLeases.acquire(c, { owner, now: at(0), until: at(1) }),
            ),
          )
          const winners = got.filter((l, i) => l.owner === owners[i])
          expect(winners).toHaveLength(1)
          expect(new Set(got.map((l) => l.owner)).size).toBe(1)
          expect(got.every((l) => l.fence === 1)).toBe(true)
          // Once it ran out, again exactly one of the others takes it, with fence 2.
          const next = await Promise.all(
            owners.map((owner, i) =>
              (i % 2 ? a : b).campaignLeases.acquire(c, { owner: `${owner}-late`, now: at(1), until: at(2) }),
            ),
          )
          expect(next.filter((l, i) => l.owner === `${owners[i]}-late`)).toHaveLength(1)
          expect(next.every((l) => l.fence === 2)).toBe(true)
        }
      })

      it("keeps each tenant's leases to itself", async () => {
        const a = store('rt-lease-a')
        const b = store('rt-lease-b')
        const c = cp('cp_lease_shared')
        await a.campaignLeases.acquire(c, { owner: 'run-a', now: at(0), until: at(10) })
        expect(await b.campaignLeases.get(c)).toBeUndefined()
        expect(await b.campaignLeases.release(c, 'run-a')).toBe(false)
        expect(await b.campaignLeases.acquire(c, { owner: 'run-b', now: at(1), until: at(2) })).toMatchObject(
          {
            owner: 'run-b',
            fence: 1,
          },
        )
        expect(await a.campaignLeases.get(c)).toMatchObject({ owner: 'run-a', until: at(10), fence: 1 })
      })
    })

    describe('the dial permit on leads', () => {
      it('permits only the worker holding the claim, and counts dialing leads', async () => {
        const s = store('rt-permit')
        const c = cp('cp_permit')
        await s.leads.enqueue(c, [ct('ct_p1'), ct('ct_p2')])
        await s.leads.claim(c, { worker: 'w1', limit: 1 })
        expect(await s.leads.permit(c, ct('ct_p1'), { worker: 'w2', callId: 'call-x' })).toBe(false)
        expect(await s.leads.permit(c, ct('ct_p2'), { worker: 'w1', callId: 'call-x' })).toBe(false) // pending
        expect(await s.leads.permit(c, ct('ct_p1'), { worker: 'w1', callId: 'call-1' })).toBe(true)
        expect(await s.leads.get(c, ct('ct_p1'))).toMatchObject({
          status: 'dialing',
          callId: 'call-1',
          claimedBy: 'w1',
        })
        expect(await s.leads.permit(c, ct('ct_p1'), { worker: 'w1', callId: 'call-2' })).toBe(false) // not claimed now
        expect(await s.leads.counts(c)).toEqual({
          pending: 1,
          claimed: 0,
          dialing: 1,
          done: 0,
          suppressed: 0,
          total: 2,
        })
        expect((await s.leads.list(c, { status: 'dialing' })).map((l) => l.contactId)).toEqual(['ct_p1'])
        expect((await s.leads.list(c, { status: 'pending' })).map((l) => l.contactId)).toEqual(['ct_p2'])
        // The worker's own dialing lead: complete and release accept it, others' do not.
        expect(await s.leads.complete(c, [ct('ct_p1')], { worker: 'w2', outcome: 'x' })).toBe(0)
        expect(await s.leads.release(c, [ct('ct_p1')], { worker: 'w2' })).toBe(0)
        expect(await s.leads.complete(c, [ct('ct_p1')], { worker: 'w1', outcome: 'SALE' })).toBe(1)
        expect(await s.leads.get(c, ct('ct_p1'))).toMatchObject({
          status: 'done',
          outcome: 'SALE',
          callId: 'call-1',
        })
        await s.leads.claim(c, { worker: 'w1', limit: 1 })
        expect(await s.leads.permit(c, ct('ct_p2'), { worker: 'w1', callId: 'call-3' })).toBe(true)
        expect(await s.leads.release(c, [ct('ct_p2')], { worker: 'w1', notBefore: at(10) })).toBe(1)
        expect(await s.leads.get(c, ct('ct_p2'))).toMatchObject({ status: 'pending', notBefore: at(10) })
        expect((await s.leads.list(c, { status: 'pending', limit: 1 })).map((l) => l.contactId)).toEqual([
          'ct_p2',
        ])
      })

      it('is refused once the contact is suppressed, and suppression takes dialing leads too', async () => {
        const s = store('rt-permit-suppress')
        const c = cp('cp_ps')
        await s.leads.enqueue(c, [ct('ct_s1'), ct('ct_s2')])
        await s.leads.claim(c, { worker: 'w', limit: 2 })
        expect(await s.leads.suppressContact(ct('ct_s1'), 'paid')).toBe(1)
        expect(await s.leads.permit(c, ct('ct_s1'), { worker: 'w', callId: 'call-1' })).toBe(false)
        expect(await s.leads.permit(c, ct('ct_s2'), { worker: 'w', callId: 'call-2' })).toBe(true)
        expect(await s.leads.suppressContact(ct('ct_s2'), 'opted out')).toBe(1)
        expect(await s.leads.get(c, ct('ct_s2'))).toMatchObject({
          status: 'suppressed',
          suppressedReason: 'opted out',
        })
        // Settling a suppressed lead (its call was coded afterwards) leaves it suppressed.
        expect(
          await s.leads.settle(c, ct('ct_s2'), { status: 'pending', outcome: 'CALLBACK', notBefore: at(5) }),
        ).toBe(false)
        expect(await s.leads.settle(c, ct('ct_s2'), { status: 'done', outcome: 'SALE' })).toBe(false)
        expect((await s.leads.get(c, ct('ct_s2')))?.status).toBe('suppressed')
        expect(await s.leads.counts(c)).toEqual({
          pending: 0,
          claimed: 0,
          dialing: 0,
          done: 0,
          suppressed: 2,
          total: 2,
        })
      })

      it('races suppression safely: a permitted dial is suppressed with it, a refused one never dials', async () => {
        const s = store('rt-permit-race')
        const c = cp('cp_pr')
        const contacts = Array.from({ length: 40 }, (_, i) => ct(`ct_pr_${String(i).padStart(2, '0')}`))
        await s.leads.enqueue(c, contacts)
        await s.leads.claim(c, { worker: 'w', limit: 40 })
        const outcomes = await Promise.all(
          contacts.map(async (id) => {
            const [permitted, suppressed] = await Promise.all([
              s.leads.permit(c, id, { worker: 'w', callId: `call-${id}` }),
              s.leads.suppressContact(id, 'paid'),
            ])
            return { permitted, suppressed }
          }),
        )
        // Whichever came first, the lead ends suppressed and was suppressed exactly once.
        for (const o of outcomes) expect(o.suppressed).toBe(1)
        expect((await s.leads.counts(c)).suppressed).toBe(40)
      })

      it('settles a claimed or dialing lead whoever holds it: done, or pending again not before a time', async () => {
        const s = store('rt-settle')
        const c = cp('cp_settle')
        await s.leads.enqueue(c, [ct('ct_x1'), ct('ct_x2'), ct('ct_x3')])
        await s.leads.claim(c, { worker: 'w1', limit: 3 })
        await s.leads.permit(c, ct('ct_x1'), { worker: 'w1', callId: 'call-x1' })
        expect(await s.leads.settle(c, ct('ct_x1'), { status: 'done', outcome: 'SALE' })).toBe(true)
        expect(await s.leads.get(c, ct('ct_x1'))).toMatchObject({
          status: 'done',
          outcome: 'SALE',
          callId: 'call-x1',
        })
        expect(await s.leads.settle(c, ct('ct_x1'), { status: 'pending', outcome: 'again' })).toBe(false) // done
        const later = new Date(Date.now() + 3_600_000)
        expect(
          await s.leads.settle(c, ct('ct_x2'), { status: 'pending', outcome: 'NO_ANSWER', notBefore: later }),
        ).toBe(true)
        expect(await s.leads.get(c, ct('ct_x2'))).toMatchObject({
          status: 'pending',
          outcome: 'NO_ANSWER',
          notBefore: later,
        })
        expect((await s.leads.claim(c, { worker: 'w2', limit: 5 })).map((l) => l.contactId)).toEqual([])
        expect(
          (await s.leads.claim(c, { worker: 'w2', limit: 5, now: new Date(later.getTime() + 1) })).map(
            (l) => l.contactId,
          ),
        ).toEqual(['ct_x2'])
        expect(await s.leads.settle(c, ct('ct_nope'), { status: 'done', outcome: 'x' })).toBe(false)
        expect(
          await store('rt-settle-other').leads.settle(c, ct('ct_x3'), { status: 'done', outcome: 'x' }),
        ).toBe(false)
        expect((await s.leads.get(c, ct('ct_x3')))?.status).toBe('claimed')
      })

      it("takeOver: others' claims go back to pending, others' dialing leads are returned still dialing", async () => {
        const s = store('rt-takeover')
        const c = cp('cp_take')
        const all = ['ct_k1', 'ct_k2', 'ct_k3', 'ct_k4', 'ct_k5', 'ct_k6'].map(ct)
        await s.leads.enqueue(c, all)
        await s.leads.claim(c, { worker: 'old-1', limit: 2 }) // k1, k2
        await s.leads.claim(c, { worker: 'old-2', limit: 2 }) // k3, k4
        await s.leads.claim(c, { worker: 'new', limit: 1 }) // k5
        await s.leads.permit(c, ct('ct_k2'), { worker: 'old-1', callId: 'call-k2' })
        await s.leads.permit(c, ct('ct_k3'), { worker: 'old-2', callId: 'call-k3' })
        await s.leads.permit(c, ct('ct_k5'), { worker: 'new', callId: 'call-k5' })
        await s.leads.enqueue(cp('cp_take_other'), [ct('ct_k1')])
        await s.leads.claim(cp('cp_take_other'), { worker: 'old-1', limit: 1 })

        expect(await store('rt-takeover-other').leads.takeOver(c, 'intruder')).toEqual([])
        const inFlight = await s.leads.takeOver(c, 'new')
        expect(inFlight.map((l) => [l.contactId, l.status, l.claimedBy, l.callId])).toEqual([
          ['ct_k2', 'dialing', 'old-1', 'call-k2'],
          ['ct_k3', 'dialing', 'old-2', 'call-k3'],
        ])
        expect((await s.leads.get(c, ct('ct_k1')))?.status).toBe('pending')
        expect((await s.leads.get(c, ct('ct_k4')))?.status).toBe('pending')
        expect((await s.leads.get(c, ct('ct_k5')))?.status).toBe('dialing') // the new owner's own
        expect((await s.leads.get(cp('cp_take_other'), ct('ct_k1')))?.status).toBe('claimed') // another campaign
        expect(await s.leads.counts(c)).toEqual({
          pending: 3,
          claimed: 0,
          dialing: 3,
          done: 0,
          suppressed: 0,
          total: 6,
        })
        // The old runner can no longer permit, the new owner settles the calls in flight.
        expect(await s.leads.permit(c, ct('ct_k1'), { worker: 'old-1', callId: 'late' })).toBe(false)
        for (const l of inFlight)
          expect(await s.leads.settle(c, l.contactId, { status: 'done', outcome: 'INTERRUPTED' })).toBe(true)
        expect(await s.leads.takeOver(c, 'new')).toEqual([])
        expect((await s.leads.list(c, { status: 'dialing' })).map((l) => l.contactId)).toEqual(['ct_k5'])
      })

      it("another tenant can neither permit, list nor take over a tenant's leads", async () => {
        const a = store('rt-leads-a')
        const b = store('rt-leads-b')
        const c = cp('cp_iso')
        await a.leads.enqueue(c, [ct('ct_i1')])
        await a.leads.claim(c, { worker: 'w', limit: 1 })
        expect(await b.leads.permit(c, ct('ct_i1'), { worker: 'w', callId: 'call' })).toBe(false)
        expect(await b.leads.list(c, { status: 'claimed' })).toEqual([])
        expect(await b.leads.takeOver(c, 'other')).toEqual([])
        expect((await a.leads.get(c, ct('ct_i1')))?.status).toBe('claimed')
        expect(await a.leads.permit(c, ct('ct_i1'), { worker: 'w', callId: 'call' })).toBe(true)
        expect(await b.leads.settle(c, ct('ct_i1'), { status: 'done', outcome: 'x' })).toBe(false)
        expect((await a.leads.get(c, ct('ct_i1')))?.status).toBe('dialing')
      })
    })
  })
}
