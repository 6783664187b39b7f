import {
  type Contact,
  createSwitchboard,
  type Segment,
  type StorageBackend,
  type Switchboard,
  type TenantApi,
} from '@switchboard/core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { expectFailure } from './boundary/harness.js'

const T0 = new Date('2026-03-02T10:00:00Z')
const later = (minutes: number) => new Date(T0.getTime() + minutes * 60_000)

/**
 * Saved segments through the public API: membership over time, the member
 * stream, filling a list, explanations, the boundary and tenant isolation.
 * (What every filter means is checked against a reference evaluator by the
 * segment conformance suite.)
 */
export function savedSegmentConformance(create: () => Promise<StorageBackend>): void {
  describe('saved segments', () => {
    let sb: Switchboard
    let t: TenantApi
    let other: TenantApi
    let people: Contact[]
    let vip: Segment

    beforeAll(async () => {
      sb = await createSwitchboard({ storage: await create(), outbox: false })
      t = sb.tenant('segments-a')
      other = sb.tenant('segments-b')
      people = []
      for (let i = 0; i < 12; i++)
        people.push(
          await t.contacts.create({
            firstName: `Person ${String(i).padStart(2, '0')}`,
            tags: i % 3 === 0 ? ['vip'] : [],
            lifecycle: i % 2 ? 'customer' : 'lead',
          }),
        )
      await other.contacts.create({ firstName: 'Not mine', tags: ['vip'] })
      vip = await t.segments.create({ name: 'VIPs', filter: { field: 'tags', op: 'eq', value: 'vip' } })
    })
    afterAll(async () => {
      await sb?.close()
    })

    it('counts, previews and streams the members of this tenant only, in id order', async () => {
      const expected = people.filter((p) => p.tags.includes('vip')).map((p) => p.id)
      expect(await t.segments.count(vip.id)).toBe(expected.length)
      expect((await t.segments.preview(vip.id, { limit: 2 })).map((c) => c.id)).toEqual(expected.slice(0, 2))
      const streamed: string[] = []
      for await (const c of t.segments.members(vip.id, { batchSize: 1 })) streamed.push(c.id)
      expect(streamed).toEqual(expected)
      expect(await t.segments.ids(vip.filter, { limit: 2, after: expected[1]! })).toEqual(
        expected.slice(2, 4),
      )
      expect(await other.segments.count(vip.filter)).toBe(1)
    })

    it('records who entered and who left between two snapshots', async () => {
      const s = await t.segments.create({
        name: 'customers',
        filter: { field: 'lifecycle', op: 'eq', value: 'customer' },
      })
      const first = await t.segments.snapshot(s.id, { at: later(1) })
      expect(first).toMatchObject({ members: 6, entered: 6, left: 0 })
      await t.contacts.update(people[0]!.id, { lifecycle: 'customer' })
      await t.contacts.update(people[1]!.id, { lifecycle: 'former' })
      const second = await t.segments.snapshot(s.id, { at: later(2) })
      expect(second).toMatchObject({ members: 6, entered: 1, left: 1 })
      const changes = await t.segments.changes(s.id, { from: later(1), to: later(2) })
      expect(changes.entered).toEqual([people[0]!.id])
      expect(changes.left).toEqual([people[1]!.id])
      // Back again: a second stay, and the window before it still answers as it did.
      await t.contacts.update(people[1]!.id, { lifecycle: 'customer' })
      await t.segments.snapshot(s.id, { at: later(3) })
      expect((await t.segments.changes(s.id, { from: later(2), to: later(3) })).entered).toEqual([
        people[1]!.id,
      ])
      expect((await t.segments.changes(s.id, { from: later(1), to: later(3) })).entered).toEqual([
        people[0]!.id,
      ])
      expect((await t.segments.snapshots(s.id)).map((x) => x.takenAt)).toEqual([later(3), later(2), later(1)])
      await t.contacts.update(people[0]!.id, { lifecycle: 'lead' })
      await t.contacts.update(people[1]!.id, { lifecycle: 'customer' })
    })

    it('fills a campaign list in the database, leaving leads already there as they are', async () => {
      const c = await t.campaigns.create({
        name: 'VIP calls',
        kind: 'telemarketing',
        dialMode: { mode: 'preview' },
        regime: 'US',
        consentPurpose: 'marketing',
      })
      const n = people.filter((p) => p.tags.includes('vip')).length
      expect(await t.segments.enqueue(c.id, vip.id, { priority: 5 })).toBe(n)
      expect(await t.segments.enqueue(c.id, vip.id)).toBe(0)
      expect((await t.lists.counts(c.id)).pending).toBe(n)
      await expectFailure(() => other.segments.enqueue(c.id, vip.filter), 'NotFound')
    })

    it('explains a member and a non-member clause by clause; a merged contact is never a member', async () => {
      const filter = {
        and: [
          { field: 'tags', op: 'eq', value: 'vip' },
          { not: { field: 'lifecycle', op: 'eq', value: 'former' } },
        ],
      } as const
      const yes = await t.segments.explain(people[0]!.id, filter)
      expect(yes.matched).toBe(true)
      expect(yes.tree).toMatchObject({
        kind: 'and',
        matched: true,
        children: [
          { matched: true, text: 'tags = "vip"' },
          { kind: 'not', matched: true },
        ],
      })
      const no = await t.segments.explain(people[1]!.id, filter)
      expect(no.matched).toBe(false)
      expect(no.tree).toMatchObject({ children: [{ kind: 'condition', matched: false }, { matched: true }] })
      const [a, b] = [people[3]!, people[6]!]
      // The merged one's externalRef moves to a survivor that has none (the key is unique per tenant).
      await t.contacts.update(b.id, { externalRef: 'erp-6' })
      const survivor = await t.contacts.merge(a.id, [b.id])
      expect(survivor.externalRef).toBe('erp-6')
      expect((await t.contacts.get(b.id)).externalRef).toBeUndefined()
      const merged = await t.segments.explain(b.id, filter)
      expect(merged.matched).toBe(false)
      expect((await t.segments.ids(filter, { limit: 100 })).includes(b.id)).toBe(false)
    })

    it('refuses a bad filter naming the field and the value, with a suggestion', async () => {
      await expectFailure(
        () => t.segments.count({ field: 'lifecylce', op: 'eq', value: 'lead' } as never),
        'ValidationFailed',
        /field/,
      )
      const e = await t.segments
        .count({ field: 'lifecylce', op: 'eq', value: 'lead' } as never)
        .catch((x) => x)
      expect(String(e.message)).toContain("did you mean 'lifecycle'")
      await expectFailure(
        () => t.segments.count({ field: 'lifecycle', op: 'eq', value: 'Customer' }),
        'ValidationFailed',
        /value/,
      )
      await expectFailure(
        () => t.segments.count({ field: 'openBalance', op: 'gt', value: '10' } as never),
        'ValidationFailed',
        /value/,
      )
      await expectFailure(
        () => t.segments.count({ field: 'tags', op: 'between', min: 'a', max: 'b' }),
        'ValidationFailed',
        /op/,
      )
      await expectFailure(
        () => t.segments.count({ field: 'consent', op: 'eq', value: 'opted_in' }),
        'ValidationFailed',
        /channel/,
      )
      await expectFailure(
        () => t.segments.count({ field: 'scores.lead', op: 'gt', value: 1 } as never),
        'ValidationFailed',
      )
      await expectFailure(() => t.segments.count({ and: [] }), 'ValidationFailed')
      await expectFailure(
        () => t.segments.count({ field: 'kind', op: 'eq', value: 'person', extra: 1 } as never),
        'ValidationFailed',
      )
      await expectFailure(
        () => t.segments.create({ name: '', filter: vip.filter }),
        'ValidationFailed',
        'name',
      )
    })

    it("one tenant's segments are unreachable from another", async () => {
      await expectFailure(() => other.segments.get(vip.id), 'NotFound')
      await expectFailure(() => other.segments.count(vip.id), 'NotFound')
      await expectFailure(() => other.segments.update(vip.id, { name: 'mine now' }), 'NotFound')
      await expectFailure(() => other.segments.snapshot(vip.id), 'NotFound')
      expect(await other.segments.remove(vip.id)).toBe(false)
      expect((await t.segments.get(vip.id)).name).toBe('VIPs')
      expect((await other.segments.list()).length).toBe(0)
    })
  })
}
