import {
  type Case,
  createSwitchboard,
  type Interaction,
  type StorageBackend,
  type Switchboard,
  scopedStore,
} from '@switchboard/core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'

const DAY = 86_400_000

/**
 * The service KPIs on a backend, on a fixed clock: first-contact resolution,
 * repeat contacts, and the breakdowns per queue, agent and customer, each
 * reconciled with the raw rows (the cases and interactions read back one by
 * one and counted here).
 */
export function deskServiceKpisConformance(create: () => Promise<StorageBackend>): void {
  describe('desk: service KPIs', () => {
    const clock = { t: Date.parse('2026-03-02T09:00:00Z'), now: () => clock.t }
    const at = (iso: string) => {
      clock.t = Date.parse(iso)
    }
    let sb: Switchboard
    beforeAll(async () => {
      sb = await createSwitchboard({ storage: await create(), clock, outbox: false })
    })
    afterAll(async () => {
      await sb?.close()
    })

    it('reports first-contact resolution, repeat contacts and breakdowns that reconcile with the rows', async () => {
      const t = sb.tenant('kpi-service')
      const l1 = await t.desk.defineTier({ code: 'L1', name: 'First line', level: 1 })
      const l2 = await t.desk.defineTier({ code: 'L2', name: 'Second line', level: 2 })
      const ana = await t.agents.create({ name: 'Ana' })
      const bob = await t.agents.create({ name: 'Bob' })
      const [ada, ben, cy] = await Promise.all(
        ['Ada', 'Ben', 'Cy'].map((firstName) => t.contacts.create({ firstName })),
      )
      const billing = 'qu_billing' as never
      const tech = 'qu_tech' as never
      const call = (contactId: string, iso: string, extra: Partial<Interaction> = {}) => {
        at(iso)
        return t.interactions.log({
          contactId: contactId as never,
          channel: 'voice',
          direction: 'inbound',
          ...(extra as object),
        })
      }
      // The week before the range: Ada called on Friday.
      await call(ada!.id, '2026-02-27T10:00:00Z')
      // Monday 2 March (in range from here).
      at('2026-03-02T09:00:00Z')
      const a1 = await t.cases.open({
        contactId: ada!.id,
        subject: 'Bill',
        queueId: billing,
        tierId: l1.id,
        assigneeId: ana.id,
      })
      const b1 = await t.cases.open({
        contactId: ben!.id,
        subject: 'Router',
        queueId: tech,
        tierId: l1.id,
        assigneeId: bob.id,
      })
      const b2 = await t.cases.open({
        contactId: ben!.id,
        subject: 'Router again',
        queueId: tech,
        tierId: l1.id,
        assigneeId: bob.id,
      })
      const c1 = await t.cases.open({ contactId: cy!.id, subject: 'Question', tierId: l1.id })
      await call(ada!.id, '2026-03-02T09:05:00Z', { caseId: a1.id, agentId: ana.id }) // Ada again within 7 days
      await call(ben!.id, '2026-03-02T09:10:00Z', { caseId: b1.id, agentId: bob.id })
      await call(ben!.id, '2026-03-02T11:00:00Z', { caseId: b1.id, agentId: bob.id }) // repeat, second on the case
      await call(ben!.id, '2026-03-03T09:00:00Z', { caseId: b2.id, agentId: bob.id }) // repeat
      await call(cy!.id, '2026-03-03T10:00:00Z')
      at('2026-03-03T10:05:00Z')
      await t.interactions.log({
        contactId: cy!.id,
        channel: 'note',
        direction: 'internal',
        body: 'not a contact',
      })
      await t.interactions.log({
        contactId: cy!.id,
        channel: 'voice',
        direction: 'outbound',
        agentId: ana.id,
      })
      // Resolutions: A1 at first contact; B1 after two calls; B2 escalated first; C1 stays open.
      at('2026-03-03T12:00:00Z')
      await t.cases.setStatus(a1.id, 'solved')
      await t.cases.setStatus(b1.id, 'solved')
      await t.cases.escalate(b2.id, { toTier: l2.id, reason: 'manual', note: 'needs an engineer' })
      at('2026-03-03T13:00:00Z')
      await t.cases.setStatus(b2.id, 'solved')
      at('2026-03-04T09:00:00Z')
      const range = { from: new Date('2026-03-02T00:00:00Z'), to: new Date('2026-03-04T00:00:00Z') }
      const k = await t.desk.kpis(range)

      expect(k).toMatchObject({
        resolved: 3,
        firstContactResolved: 1,
        firstContactResolution: 1 / 3,
        repeatWindowDays: 7,
        contacts: 5,
        repeatContacts: 3,
        repeatRate: 3 / 5,
      })
      expect(k.byQueue).toEqual([
        { backlog: 1, opened: 1, resolved: 0, firstContactResolved: 0 },
        { queueId: billing, backlog: 0, opened: 1, resolved: 1, firstContactResolved: 1 },
        { queueId: tech, backlog: 0, opened: 2, resolved: 2, firstContactResolved: 0 },
      ])
      expect(k.byAgent).toEqual(
        [
          { backlog: 1, resolved: 0, firstContactResolved: 0, interactions: 0 },
          { agentId: ana.id, backlog: 0, resolved: 1, firstContactResolved: 1, interactions: 2 },
          { agentId: bob.id, backlog: 0, resolved: 2, firstContactResolved: 0, interactions: 3 },
        ].sort((x, y) => ((x.agentId ?? '') < (y.agentId ?? '') ? -1 : 1)),
      )
      expect(k.byCustomer).toEqual([
        { contactId: ben!.id, contacts: 3, repeatContacts: 2, opened: 2 },
        { contactId: ada!.id, contacts: 1, repeatContacts: 1, opened: 1 },
        { contactId: cy!.id, contacts: 1, repeatContacts: 0, opened: 1 },
      ])

      // Reconcile with the raw rows, counted here from what the store reads back.
      const store = scopedStore(sb.storage, t.tenantId)
      const all = await store.interactions.find({ limit: 1000 })
      const inRange = (d: Date) => d >= range.from && d < range.to
      const customerContacts = all.filter((i) => i.direction === 'inbound' && i.channel !== 'note')
      const contactsInRange = customerContacts.filter((i) => inRange(i.startedAt))
      const repeats = contactsInRange.filter((i) =>
        customerContacts.some(
          (p) =>
            p.contactId === i.contactId &&
            p.id !== i.id &&
            p.startedAt <= i.startedAt &&
            i.startedAt.getTime() - p.startedAt.getTime() <= 7 * DAY &&
            (p.startedAt < i.startedAt || p.id < i.id),
        ),
      )
      expect([k.contacts, k.repeatContacts]).toEqual([contactsInRange.length, repeats.length])
      const cases = await Promise.all([a1, b1, b2, c1].map((c) => t.cases.get(c.id)))
      const resolvedInRange = cases.filter(
        (c: Case) => (c.status === 'solved' || c.status === 'closed') && inRange(c.updatedAt),
      )
      const fcr = resolvedInRange.filter(
        (c) =>
          !c.history.some((h) => h.type === 'escalated') && all.filter((i) => i.caseId === c.id).length <= 1,
      )
      expect([k.resolved, k.firstContactResolved]).toEqual([resolvedInRange.length, fcr.length])
      expect(k.byAgent.reduce((s, l) => s + l.interactions, 0)).toBe(
        all.filter((i) => i.agentId && inRange(i.startedAt)).length,
      )
      expect(k.byQueue.reduce((s, l) => s + l.opened, 0)).toBe(k.opened)
      expect(k.byQueue.reduce((s, l) => s + l.backlog, 0)).toBe(
        k.backlog.reduce((s, b) => s + b.open + b.pending, 0),
      )

      // A one-day window: Ada called three days before Monday, so that is no longer a repeat.
      const narrow = await t.desk.kpis({ ...range, repeatWindowDays: 1, customers: 1 })
      expect(narrow).toMatchObject({ repeatWindowDays: 1, contacts: 5, repeatContacts: 2 })
      expect(narrow.byCustomer).toEqual([{ contactId: ben!.id, contacts: 3, repeatContacts: 2, opened: 2 }])
      // Another tenant sees none of it.
      const other = await sb.tenant('kpi-service-other').desk.kpis(range)
      expect(other).toMatchObject({ contacts: 0, repeatRate: null, firstContactResolution: null })
      expect([other.byQueue, other.byAgent, other.byCustomer]).toEqual([[], [], []])
    })
  })
}
