import type { CampaignId, ContactId, Lead, StorageBackend, TenantId, TenantStore } from '@switchboard/core'
import { describe, expect, it } from 'vitest'
import { mulberry32 } from './random.js'

const cp = (s: string) => s as CampaignId
const ct = (s: string) => s as ContactId
const ids = (n: number, prefix: string) =>
  Array.from({ length: n }, (_, i) => ct(`${prefix}${String(i).padStart(6, '0')}`))

const yieldToOthers = () => new Promise<void>((resolve) => setImmediate(resolve))

/**
 * Campaign lists and the concurrency the dialer relies on. Backends differ in
 * how they make a claim atomic (row locks with SKIP LOCKED, or one writer);
 * these tests hold every one of them to the same outcome.
 */
export function leadConformance(ctx: {
  backend: () => StorageBackend
  tenant: (id: string) => TenantId
}): void {
  const store = (tenant: string): TenantStore => ctx.backend().forTenant(ctx.tenant(tenant))

  describe('campaign leads', () => {
    it("claims by priority and time, completes, releases and requeues only the worker's own claims", async () => {
      const s = store('leads-basic')
      const c = cp('cp_basic')
      expect(await s.leads.enqueue(c, [ct('ct_a1'), ct('ct_a2'), ct('ct_a3')])).toBe(3)
      expect(await s.leads.enqueue(c, [ct('ct_a4')], { priority: 5 })).toBe(1)
      expect(await s.leads.enqueue(c, [ct('ct_a1'), ct('ct_a4')])).toBe(0)
      const later = new Date(Date.now() + 3_600_000)
      expect(await s.leads.enqueue(c, [ct('ct_a5')], { notBefore: later })).toBe(1)

      const first = await s.leads.claim(c, { worker: 'w1', limit: 2 })
      expect(first.map((l) => l.contactId)).toEqual(['ct_a4', 'ct_a1'])
      expect(first[0]).toMatchObject({
        status: 'claimed',
        claimedBy: 'w1',
        attempts: 1,
        priority: 5,
        campaignId: c,
      })
      expect(first[0]!.claimedAt).toBeInstanceOf(Date)
      const second = await s.leads.claim(c, { worker: 'w2', limit: 10 })
      expect(second.map((l) => l.contactId)).toEqual(['ct_a2', 'ct_a3'])
      expect(await s.leads.claim(c, { worker: 'w2', limit: 10 })).toEqual([])
      const due = await s.leads.claim(c, { worker: 'w2', limit: 10, now: new Date(later.getTime() + 1) })
      expect(due.map((l) => l.contactId)).toEqual(['ct_a5'])

      expect(await s.leads.complete(c, [ct('ct_a4')], { worker: 'w2', outcome: 'sale' })).toBe(0)
      expect(await s.leads.complete(c, [ct('ct_a4')], { worker: 'w1', outcome: 'sale' })).toBe(1)
      expect(await s.leads.get(c, ct('ct_a4'))).toMatchObject({ status: 'done', outcome: 'sale' })
      expect(await s.leads.release(c, [ct('ct_a1')], { worker: 'w1' })).toBe(1)
      expect((await s.leads.get(c, ct('ct_a1')))?.status).toBe('pending')
      const again = await s.leads.claim(c, { worker: 'w3', limit: 1 })
      expect(again.map((l) => [l.contactId, l.attempts, l.claimedBy])).toEqual([['ct_a1', 2, 'w3']])
      expect(await s.leads.counts(c)).toEqual({
        pending: 0,
        claimed: 4,
        dialing: 0,
        done: 1,
        suppressed: 0,
        total: 5,
      })

      // A contact that paid leaves every list at once, even while claimed.
      await s.leads.enqueue(cp('cp_other'), [ct('ct_a2'), ct('ct_a9')])
      expect(await s.leads.suppressContact(ct('ct_a2'), 'paid')).toBe(2)
      expect(await s.leads.get(cp('cp_other'), ct('ct_a2'))).toMatchObject({
        status: 'suppressed',
        suppressedReason: 'paid',
      })
      expect(
        (await s.leads.claim(cp('cp_other'), { worker: 'w1', limit: 10 })).map((l) => l.contactId),
      ).toEqual(['ct_a9'])
      expect(await s.leads.complete(c, [ct('ct_a2')], { worker: 'w2' })).toBe(0)
      expect(await s.leads.release(c, [ct('ct_a2')], { worker: 'w2' })).toBe(0)
      expect(await s.leads.suppressContact(ct('ct_a4'), 'paid')).toBe(0) // done stays done

      // A worker that died: its claims go back to the list.
      expect(await s.leads.requeueStale(c, new Date(later.getTime() + 60_000))).toBe(3)
      expect(await s.leads.counts(c)).toEqual({
        pending: 3,
        claimed: 0,
        dialing: 0,
        done: 1,
        suppressed: 1,
        total: 5,
      })
      await expect(s.leads.claim(c, { worker: 'w1', limit: 0 })).rejects.toThrow(/limit/)
    })

    it("keeps each tenant's lists to itself", async () => {
      const a = store('leads-tenant-a')
      const b = store('leads-tenant-b')
      const c = cp('cp_shared_id')
      await a.leads.enqueue(c, [ct('ct_t1'), ct('ct_t2')])
      expect(await b.leads.claim(c, { worker: 'intruder', limit: 10 })).toEqual([])
      expect(await b.leads.suppressContact(ct('ct_t1'), 'x')).toBe(0)
      expect(await b.leads.get(c, ct('ct_t1'))).toBeUndefined()
      expect((await b.leads.counts(c)).total).toBe(0)
      expect(await b.leads.requeueStale(c, new Date(Date.now() + 60_000))).toBe(0)
      expect(await b.leads.enqueue(c, [ct('ct_t1')])).toBe(1)
      expect((await a.leads.claim(c, { worker: 'w', limit: 10 })).map((l) => l.contactId)).toEqual([
        'ct_t1',
        'ct_t2',
      ])
      expect((await b.leads.claim(c, { worker: 'w', limit: 10 })).map((l) => l.contactId)).toEqual(['ct_t1'])
    })

    it('8 concurrent claimers on 20,000 leads: every lead claimed exactly once, none lost', async () => {
      const s = store('leads-load')
      const c = cp('cp_load')
      const all = ids(20_000, 'ct_')
      expect(await s.leads.enqueue(c, all)).toBe(20_000)
      const byWorker = new Map<string, Lead[]>()
      let calls = 0
      const claimer = async (worker: string) => {
        const mine: Lead[] = []
        byWorker.set(worker, mine)
        for (;;) {
          const got = await s.leads.claim(c, { worker, limit: 100 })
          calls++
          if (!got.length) return
          for (const l of got) expect(l.claimedBy).toBe(worker)
          mine.push(...got)
        }
      }
      await Promise.all(Array.from({ length: 8 }, (_, i) => claimer(`w${i}`)))

      const claimed = [...byWorker.values()].flat().map((l) => l.contactId)
      expect(claimed).toHaveLength(20_000)
      expect(new Set(claimed).size).toBe(20_000)
      expect(await s.leads.counts(c)).toEqual({
        pending: 0,
        claimed: 20_000,
        dialing: 0,
        done: 0,
        suppressed: 0,
        total: 20_000,
      })
      const busy = [...byWorker.values()].filter((l) => l.length > 0).length
      expect(busy).toBeGreaterThanOrEqual(2)

      // None lost: each worker completes what it got, and the list is done.
      let completed = 0
      for (const [worker, leads] of byWorker) {
        completed += await s.leads.complete(
          c,
          leads.map((l) => l.contactId),
          { worker, outcome: 'no-answer' },
        )
      }
      expect(completed).toBe(20_000)
      expect(await s.leads.counts(c)).toEqual({
        pending: 0,
        claimed: 0,
        dialing: 0,
        done: 20_000,
        suppressed: 0,
        total: 20_000,
      })
      console.info(
        `[${ctx.backend().name}] 8 claimers, 20,000 leads: ${calls} claim calls; per worker ${[
          ...byWorker.values(),
        ]
          .map((l) => l.length)
          .join('/')}`,
      )
    }, 120_000)

    it('suppression races claims safely: once it has committed, no claim returns the contact', async () => {
      const s = store('leads-race')
      const campaigns = [cp('cp_race_1'), cp('cp_race_2')]
      const contacts = ids(2_000, 'ct_r')
      for (const c of campaigns) await s.leads.enqueue(c, contacts)
      const random = mulberry32(42)
      const suppressed = contacts.filter(() => random() < 0.15)
      // In random order, so that some are suppressed while still pending and some after a claim.
      const order = suppressed
        .map((id) => ({ id, k: random() }))
        .sort((a, b) => a.k - b.k)
        .map((x) => x.id)

      // A logical clock orders "claim started" against "suppression committed".
      let clock = 0
      const committedAt = new Map<string, number>()
      const claims: Array<{ startedAt: number; leads: Lead[] }> = []

      const claimer = async (worker: string, c: CampaignId) => {
        for (;;) {
          const startedAt = ++clock
          const leads = await s.leads.claim(c, { worker, limit: 10 })
          claims.push({ startedAt, leads })
          if (!leads.length) return
          await yieldToOthers() // a dialer does other work between claims
        }
      }
      let next = 0
      const suppressor = async () => {
        while (next < order.length) {
          const contactId = order[next++]!
          const n = await s.leads.suppressContact(contactId, 'paid')
          committedAt.set(contactId, ++clock)
          expect(n).toBe(2)
        }
      }
      const claimers = Promise.all(Array.from({ length: 6 }, (_, i) => claimer(`w${i}`, campaigns[i % 2]!)))
      await Promise.all([claimers, suppressor(), suppressor(), suppressor()])

      const violations: string[] = []
      let claimedBeforeSuppression = 0
      const seen = new Map<string, number>()
      for (const { startedAt, leads } of claims) {
        for (const l of leads) {
          const key = `${l.campaignId}/${l.contactId}`
          seen.set(key, (seen.get(key) ?? 0) + 1)
          const at = committedAt.get(l.contactId)
          if (at === undefined) continue
          if (startedAt > at) violations.push(`${key} claimed at ${startedAt}, suppressed at ${at}`)
          else claimedBeforeSuppression++
        }
      }
      expect(violations).toEqual([])
      expect([...seen.values()].every((n) => n === 1)).toBe(true)
      // Every suppressed contact is out of both lists, claimed or not; the rest were claimed once.
      const suppressedSet = new Set<string>(suppressed)
      for (const c of campaigns) {
        expect(await s.leads.counts(c)).toEqual({
          pending: 0,
          claimed: contacts.length - suppressed.length,
          dialing: 0,
          done: 0,
          suppressed: suppressed.length,
          total: contacts.length,
        })
      }
      for (const [key] of seen) {
        const contactId = key.split('/')[1]!
        if (!suppressedSet.has(contactId)) continue
        expect((await s.leads.get(cp(key.split('/')[0]!), ct(contactId)))?.status).toBe('suppressed')
      }
      expect(await s.leads.claim(campaigns[0]!, { worker: 'late', limit: 100 })).toEqual([])
      console.info(
        `[${ctx.backend().name}] suppression race: ${suppressed.length} contacts suppressed during ${claims.length} claims; ` +
          `${claimedBeforeSuppression} leads claimed before suppression (allowed), ` +
          `${suppressed.length * 2 - claimedBeforeSuppression} suppressed while pending, 0 claimed after`,
      )
    }, 120_000)
  })
}
