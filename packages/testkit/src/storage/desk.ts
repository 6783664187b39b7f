import { type StorageBackend, scopedStore, type TenantApi } from '@switchboard/core'
import { describe, expect, it } from 'vitest'
import { deskInstances } from './desk-instances.js'

const nineToSix = [{ from: '09:00', to: '18:00' }]
const madrid = {
  key: 'madrid',
  name: 'Madrid office',
  zone: 'Europe/Madrid',
  week: { mon: nineToSix, tue: nineToSix, wed: nineToSix, thu: nineToSix, fri: nineToSix, sat: [], sun: [] },
  holidays: { country: 'ES', region: 'MD' },
}
const hours = (n: number) => n * 3_600

/**
 * The service desk on a backend, on a fixed clock: settings per tenant, SLA
 * clocks over a weekend, escalation on breach made once (also by sweeps that
 * overlap), pauses while pending, VIPs, and the ordered queue.
 */
export function deskConformance(
  create: () => Promise<StorageBackend>,
  peer?: (backend: StorageBackend) => Promise<StorageBackend>,
): void {
  describe('service desk', () => {
    // Friday 6 March 2026, 17:00 in Madrid.
    const clock = { t: Date.parse('2026-03-06T16:00:00Z'), now: () => clock.t }
    const set = (iso: string) => {
      clock.t = Date.parse(iso)
    }
    const run = deskInstances(create, peer, clock)

    const setUp = async (t: TenantApi, leadSec = 0) => {
      await t.desk.defineCalendar(madrid)
      await t.desk.definePolicy({
        key: 'default',
        name: 'Standard',
        calendar: 'madrid',
        firstResponseSec: hours(2),
        resolutionSec: hours(8),
        escalateLeadSec: leadSec,
      })
      const l1 = await t.desk.defineTier({ code: 'L1', name: 'First line', level: 1 })
      const l2 = await t.desk.defineTier({ code: 'L2', name: 'Second line', level: 2 })
      const l3 = await t.desk.defineTier({ code: 'L3', name: 'Engineering', level: 3 })
      return { l1, l2, l3 }
    }

    it('keeps tiers, calendars and policies per tenant', async () => {
      set('2026-03-06T16:00:00Z')
      const t = run.sb.tenant('desk-settings')
      const { l1 } = await setUp(t)
      const again = await t.desk.defineTier({ code: 'L1', name: 'Front line', level: 1 })
      expect(again.id).toBe(l1.id)
      expect((await t.desk.tiers()).map((x) => [x.code, x.name])).toEqual([
        ['L1', 'Front line'],
        ['L2', 'Second line'],
        ['L3', 'Engineering'],
      ])
      expect((await t.desk.calendars())[0]).toMatchObject({
        key: 'madrid',
        holidays: { country: 'ES', region: 'MD' },
      })
      expect((await t.desk.policies()).map((p) => [p.key, p.firstResponseSec, p.pauseOn])).toEqual([
        ['default', hours(2), ['pending']],
      ])
      const stranger = run.sb.tenant('desk-stranger')
      expect(await stranger.desk.tiers()).toEqual([])
      expect(await stranger.desk.calendars()).toEqual([])
      // Another tenant's calendar is not there for this tenant's policy.
      const refused = await stranger.desk
        .definePolicy({ key: 'p', name: 'P', calendar: 'madrid', firstResponseSec: 60, resolutionSec: 60 })
        .catch((e) => e)
      expect(refused).toMatchObject({
        _tag: 'ValidationFailed',
        issues: [{ field: 'calendar', value: 'madrid' }],
      })
      const bad = await t.desk.defineCalendar({ ...madrid, zone: 'Mars/Base' }).catch((e) => e)
      expect(bad).toMatchObject({ _tag: 'ValidationFailed', issues: [{ field: 'zone', value: 'Mars/Base' }] })
    })

    it('measures SLA clocks in business hours over a weekend and escalates on breach, once', async () => {
      set('2026-03-06T16:00:00Z')
      const t = run.sb.tenant('desk-breach')
      const { l1, l2, l3 } = await setUp(t)
      const who = await t.contacts.create({ firstName: 'Ana', lastName: 'Breach' })
      const c = await t.cases.open({ contactId: who.id, subject: 'No dial tone', tierId: l1.id })
      expect((await t.desk.sweep()).escalated).toEqual([])
      // Monday 10:30 Madrid: 1h on Friday + 1.5h on Monday, past the 2h first response.
      set('2026-03-09T09:30:00Z')
      const measured = await t.desk.clocks(c.id)
      expect(measured?.clocks.firstResponse).toMatchObject({ breached: true, elapsedSec: hours(2.5) })
      expect(measured?.clocks.firstResponse.breachedAt?.toISOString()).toBe('2026-03-09T09:00:00.000Z')
      const first = await t.desk.sweep()
      expect(first.escalated).toEqual([
        {
          caseId: c.id,
          fromTier: l1.id,
          toTier: l2.id,
          reason: 'sla_breach',
          note: 'first response target 7200s passed at 2026-03-09T09:00:00.000Z',
        },
      ])
      const after = await t.cases.get(c.id)
      expect(after.tierId).toBe(l2.id)
      expect(after.sla.breachedAt?.toISOString()).toBe('2026-03-09T09:00:00.000Z')
      expect(after.history.at(-1)).toMatchObject({
        type: 'escalated',
        from: l1.id,
        to: l2.id,
        by: 'switchboard.desk',
        reason: expect.stringMatching(/^sla_breach: first response/),
      })
      expect((await t.desk.sweep()).escalated).toEqual([])
      const events = await t.events.list({ types: ['case.escalated'] })
      expect(events).toHaveLength(1)
      // Later the resolution target passes too (8h: Monday 16:00): one more tier up.
      set('2026-03-09T15:30:00Z')
      expect((await t.desk.sweep()).escalated).toMatchObject([{ reason: 'sla_breach', toTier: l3.id }])
      expect((await t.desk.sweep()).escalated).toEqual([])
    })

    it("runs the stored calendar's regional holidays and DST change", async () => {
      set('2026-09-10T15:00:00Z') // Thursday 17:00 in Barcelona; Friday 11 September is the Diada
      const t = run.sb.tenant('desk-holiday')
      await t.desk.defineCalendar({
        ...madrid,
        key: 'barcelona',
        name: 'Barcelona',
        holidays: { country: 'ES', region: 'CT' },
      })
      await t.desk.definePolicy({
        key: 'default',
        name: 'Standard',
        calendar: 'barcelona',
        firstResponseSec: hours(2),
        resolutionSec: hours(8),
      })
      const who = await t.contacts.create({ lastName: 'Holiday' })
      const before = await t.cases.open({ contactId: who.id, subject: 'Before the Diada' })
      // 1h on Thursday, Friday closed, Monday 09:00-16:00 CEST.
      expect((await t.desk.clocks(before.id))?.clocks.resolution.dueAt?.toISOString()).toBe(
        '2026-09-14T14:00:00.000Z',
      )
      set('2026-10-23T15:00:00Z') // Friday 17:00 CEST; Sunday the clocks go back to CET
      const autumn = await t.cases.open({ contactId: who.id, subject: 'Before the clocks go back' })
      expect((await t.desk.clocks(autumn.id))?.clocks.resolution.dueAt?.toISOString()).toBe(
        '2026-10-26T15:00:00.000Z',
      )
    })

    it('escalates once when sweeps overlap', async () => {
      set('2026-03-09T08:00:00Z')
      const t = run.sb.tenant('desk-race')
      const { l1 } = await setUp(t)
      const who = await t.contacts.create({ lastName: 'Race' })
      const cases = []
      for (let i = 0; i < 4; i++) {
        cases.push(await t.cases.open({ contactId: who.id, subject: `Race ${i}`, tierId: l1.id }))
      }
      set('2026-03-09T11:00:00Z')
      const peerTenant = run.other?.tenant('desk-race') ?? t
      const results = await Promise.all([t.desk.sweep(), peerTenant.desk.sweep(), t.desk.sweep()])
      expect(results.flatMap((r) => r.escalated.map((e) => e.caseId)).sort()).toEqual(
        cases.map((c) => c.id).sort(),
      )
      for (const c of cases) {
        const escalations = (await t.cases.get(c.id)).history.filter((h) => h.type === 'escalated')
        expect(escalations).toHaveLength(1)
      }
      expect(await t.events.list({ types: ['case.escalated'] })).toHaveLength(4)
    })

    it('pauses while pending on the customer, and warns a lead time before the breach', async () => {
      set('2026-03-09T08:00:00Z') // Monday 09:00
      const t = run.sb.tenant('desk-pause')
      const { l1, l2 } = await setUp(t, hours(1))
      const who = await t.contacts.create({ lastName: 'Pause' })
      const c = await t.cases.open({ contactId: who.id, subject: 'Waiting for photos', tierId: l1.id })
      await t.desk.respond(c.id, 'ag_1')
      set('2026-03-09T09:00:00Z')
      await t.cases.setStatus(c.id, 'pending')
      set('2026-03-10T16:00:00Z') // a day later, paused all along
      const paused = await t.desk.clocks(c.id)
      expect(paused?.clocks.resolution).toMatchObject({ state: 'paused', elapsedSec: hours(1) })
      expect(paused?.clocks.firstResponse).toMatchObject({ state: 'met', breached: false })
      expect((await t.desk.sweep()).escalated).toEqual([])
      await t.cases.setStatus(c.id, 'open')
      set('2026-03-11T14:30:00Z') // Wednesday 15:30
      const running = await t.desk.clocks(c.id)
      // Resumed Tuesday 17:00 local: 1h Monday, 1h Tuesday, 6.5h Wednesday = 8.5h, past 8h.
      expect(running?.clocks.resolution).toMatchObject({
        state: 'running',
        breached: true,
        elapsedSec: hours(8.5),
      })
      set('2026-03-11T13:00:00Z') // back to Wednesday 14:00 for the lead-time check
      const near = await t.desk.clocks(c.id)
      expect(near?.clocks.resolution.leftSec).toBe(hours(1))
      expect((await t.desk.sweep()).escalated).toMatchObject([{ reason: 'sla_at_risk', toTier: l2.id }])
    })

    it('escalates a VIP and an unknown fault', async () => {
      set('2026-03-09T08:00:00Z')
      const t = run.sb.tenant('desk-vip')
      const { l1, l3 } = await setUp(t)
      const vip = await t.contacts.create({ lastName: 'Important', tags: ['vip'] })
      const plain = await t.contacts.create({ lastName: 'Plain' })
      const v = await t.cases.open({ contactId: vip.id, subject: 'Outage', tierId: l1.id })
      const p = await t.cases.open({ contactId: plain.id, subject: 'Router E42', tierId: l1.id })
      expect((await t.desk.sweep({ vipLevel: 3 })).escalated).toEqual([
        { caseId: v.id, fromTier: l1.id, toTier: l3.id, reason: 'vip', note: 'contact is a VIP' },
      ])
      expect(await t.desk.unknownFault(p.id, { query: 'E42', found: 1 })).toBeUndefined()
      expect(await t.desk.unknownFault(p.id, { query: 'E42', found: 0 })).toMatchObject({
        reason: 'unknown_fault',
      })
      expect(await t.desk.unknownFault(p.id, { query: 'E42', found: 0 })).toBeUndefined()
      expect((await t.cases.get(p.id)).history.filter((h) => h.type === 'escalated')).toHaveLength(1)
    })

    it('lists open cases by id in pages and replaces a case only if unchanged, within its tenant', async () => {
      set('2026-03-09T08:00:00Z')
      const t = run.sb.tenant('desk-store')
      const who = await t.contacts.create({ lastName: 'Store' })
      const opened = []
      for (let i = 0; i < 5; i++) opened.push(await t.cases.open({ contactId: who.id, subject: `Case ${i}` }))
      await t.cases.setStatus(opened[4]!.id, 'solved')
      const store = scopedStore(run.sb.storage, t.tenantId)
      const first = await store.cases.listOpen({ limit: 2 })
      const rest = await store.cases.listOpen({ after: first.at(-1)!.id, limit: 10 })
      const ids = opened
        .slice(0, 4)
        .map((c) => c.id)
        .sort()
      expect([...first, ...rest].map((c) => c.id)).toEqual(ids)
      const c = await t.cases.get(opened[0]!.id)
      const next = { ...c, subject: 'Renamed', updatedAt: new Date(c.updatedAt.getTime() + 1000) }
      const intruder = scopedStore(run.sb.storage, run.sb.tenant('desk-intruder').tenantId)
      expect(await intruder.cases.replace(next, c.updatedAt)).toBe(false)
      expect(await intruder.cases.listOpen()).toEqual([])
      expect(await store.cases.replace(next, new Date(c.updatedAt.getTime() - 1))).toBe(false)
      expect((await t.cases.get(c.id)).subject).toBe(c.subject)
      expect(await store.cases.replace(next, c.updatedAt)).toBe(true)
      expect((await t.cases.get(c.id)).subject).toBe('Renamed')
      expect(await store.cases.replace({ ...next, subject: 'Again' }, c.updatedAt)).toBe(false)
    })

    it('computes the KPIs in the database: backlog, escalation rate, SLA attainment, time per tier', async () => {
      set('2026-03-09T08:00:00Z') // Monday 09:00 in Madrid
      const t = run.sb.tenant('desk-kpis')
      const { l1, l2 } = await setUp(t)
      const who = await t.contacts.create({ lastName: 'Kpi' })
      const open = (subject: string) => t.cases.open({ contactId: who.id, subject, tierId: l1.id })
      const a = await open('A')
      const b = await open('B')
      const c = await open('C')
      const d = await open('D')
      set('2026-03-09T08:30:00Z')
      await t.desk.respond(b.id)
      await t.desk.respond(d.id)
      set('2026-03-09T09:00:00Z')
      await t.cases.setStatus(b.id, 'solved')
      set('2026-03-09T11:00:00Z') // A and C are 3h without a first response: up to L2
      expect((await t.desk.sweep()).escalated.map((e) => e.caseId).sort()).toEqual([a.id, c.id].sort())
      set('2026-03-09T12:00:00Z')
      await t.cases.setStatus(c.id, 'pending')
      set('2026-03-09T13:00:00Z')
      await t.cases.setStatus(a.id, 'solved')
      set('2026-03-09T14:00:00Z')
      const k = await t.desk.kpis({
        from: new Date('2026-03-09T00:00:00Z'),
        to: new Date('2026-03-10T00:00:00Z'),
      })
      const byTier = <T extends { tierId?: string }>(xs: ReadonlyArray<T>) =>
        [...xs].sort((x, y) => (x.tierId === l1.id ? -1 : y.tierId === l1.id ? 1 : 0))
      expect(byTier(k.backlog)).toEqual([
        { tierId: l1.id, open: 1, pending: 0 },
        { tierId: l2.id, open: 0, pending: 1 },
      ])
      expect(k).toMatchObject({
        opened: 4,
        escalatedCases: 2,
        escalationRate: 0.5,
        escalations: 2,
        resolved: 2,
        resolvedInSla: 1,
        slaAttainment: 0.5,
      })
      // L1: A 3h, B 1h, C 3h; L2: A 2h (C is still there).
      expect(byTier(k.timePerTier)).toEqual([
        { tierId: l1.id, stays: 3, avgSec: 8_400 },
        { tierId: l2.id, stays: 1, avgSec: hours(2) },
      ])
      const nextDay = await t.desk.kpis({
        from: new Date('2026-03-10T00:00:00Z'),
        to: new Date('2026-03-11T00:00:00Z'),
      })
      expect(nextDay).toMatchObject({
        opened: 0,
        escalationRate: null,
        resolved: 0,
        slaAttainment: null,
        timePerTier: [],
      })
      expect(nextDay.backlog).toHaveLength(2)
      const stranger = await run.sb
        .tenant('desk-kpis-other')
        .desk.kpis({ from: new Date('2026-03-09T00:00:00Z'), to: new Date('2026-03-10T00:00:00Z') })
      expect(stranger).toEqual({
        backlog: [],
        opened: 0,
        escalatedCases: 0,
        escalationRate: null,
        escalations: 0,
        resolved: 0,
        resolvedInSla: 0,
        slaAttainment: null,
        timePerTier: [],
        firstContactResolved: 0,
        firstContactResolution: null,
        repeatWindowDays: 7,
        contacts: 0,
        repeatContacts: 0,
        repeatRate: null,
        byQueue: [],
        byAgent: [],
        byCustomer: [],
      })
      await expect(
        t.desk.kpis({ from: new Date('2026-03-10T00:00:00Z'), to: new Date('2026-03-09T00:00:00Z') }),
      ).rejects.toMatchObject({ _tag: 'ValidationFailed', issues: [{ field: 'to' }] })
    })

    it('assigns a case to the least loaded agent on duty with its skills', async () => {
      set('2026-03-09T08:00:00Z')
      const t = run.sb.tenant('desk-assign')
      const billing = 'sk_billing' as never
      const spanish = 'sk_spanish' as never
      const ana = await t.agents.create({ name: 'Ana', skills: [{ skillId: billing, level: 3 }] })
      const bob = await t.agents.create({
        name: 'Bob',
        skills: [
          { skillId: billing, level: 5 },
          { skillId: spanish, level: 4 },
        ],
      })
      const cid = await t.agents.create({ name: 'Cid', skills: [{ skillId: billing, level: 9 }] })
      await t.agents.create({ name: 'Dan', skills: [{ skillId: billing, level: 9 }] })
      for (const a of [ana, bob, cid]) await t.sessions.login(a.id)
      await t.sessions.pause(cid.id, 'training')
      // Cid (paused) and Dan (not logged in) are the most skilled, and are not picked.
      const who = await t.contacts.create({ lastName: 'Assign' })
      const first = await t.cases.open({ contactId: who.id, subject: 'Bill', skills: [billing] })
      const given = await t.desk.assign(first.id, { capacity: 1 })
      expect(given).toMatchObject({ agentId: bob.id, why: 'has sk_billing 5; holds 0 of 1' })
      expect(given.case.history.at(-1)).toMatchObject({
        type: 'assigned',
        to: bob.id,
        by: 'switchboard.desk',
      })
      expect((await t.cases.get(first.id)).assigneeId).toBe(bob.id)
      const second = await t.cases.open({ contactId: who.id, subject: 'Bill again', skills: [billing] })
      expect((await t.desk.assign(second.id, { capacity: 1 })).agentId).toBe(ana.id)
      const third = await t.cases.open({ contactId: who.id, subject: 'Factura', skills: [billing, spanish] })
      const none = await t.desk.assign(third.id, { capacity: 1 })
      expect(none.agentId).toBeUndefined()
      expect(none.why).toMatch(/away or at capacity/)
      expect((await t.desk.assign(third.id, { capacity: 2 })).agentId).toBe(bob.id)
    })

    it('orders the queue by what the CRM knows, with the score explained', async () => {
      set('2026-03-09T08:00:00Z')
      const t = run.sb.tenant('desk-queue')
      await setUp(t)
      const rich = await t.contacts.create({
        lastName: 'Rich',
        lifetimeValue: { amountMinor: 999_900, currency: 'EUR' },
      })
      const caller = await t.contacts.create({ lastName: 'Caller' })
      const calm = await t.contacts.create({ lastName: 'Calm' })
      const old = await t.cases.open({ contactId: calm.id, subject: 'Old one' })
      set('2026-03-09T09:30:00Z')
      const r = await t.cases.open({ contactId: rich.id, subject: 'Invoice' })
      const c = await t.cases.open({ contactId: caller.id, subject: 'Again' })
      for (let i = 0; i < 3; i++) {
        await t.interactions.log({
          contactId: caller.id,
          channel: 'voice',
          direction: 'inbound',
          body: `call ${i}`,
        })
      }
      set('2026-03-09T09:45:00Z')
      const q = await t.desk.queue()
      // rich: log10(1 + 9,999) = 4; caller: 3 repeat contacts; calm: 15 minutes of first response left, 3 × 0.75.
      expect(q.map((s) => s.item.id)).toEqual([r.id, c.id, old.id])
      expect(q[0]!.parts.value).toBeCloseTo(4, 3)
      expect(q[1]!.parts.repeats).toBe(3)
      expect(q[2]!.parts.sla).toBeCloseTo(2.25, 6)
      expect(q[2]!.explanation).toBe('score 2.25: sla 2.25 (900s left)')
      const bySla = await t.desk.queue({ weights: { sla: 20, value: 0, repeats: 0 } })
      expect(bySla[0]!.item.id).toBe(old.id)
      expect(await run.sb.tenant('desk-queue-other').desk.queue()).toEqual([])
    })
  })
}
