import type { StorageBackend } from '@switchboard/core'
import { describe, expect, it } from 'vitest'
import { deskInstances } from './desk-instances.js'

/**
 * Soft locks on a backend, on a fixed clock: one holder at a time, who and
 * since when, renewal, expiry, release, events, tenant scope; and two
 * processes racing for the same free lock (where writers run concurrently).
 */
export function deskLocksConformance(
  create: () => Promise<StorageBackend>,
  peer?: (backend: StorageBackend) => Promise<StorageBackend>,
): void {
  describe('desk: soft locks', () => {
    const clock = { t: Date.parse('2026-03-09T09:00:00Z'), now: () => clock.t }
    const later = (sec: number) => {
      clock.t += sec * 1000
    }
    const run = deskInstances(create, peer, clock)

    it('has one holder at a time, renews, expires by the clock and releases, with events', async () => {
      const t = run.sb.tenant('locks-basic')
      const ana = await t.agents.create({ name: 'Ana' })
      const bob = await t.agents.create({ name: 'Bob' })
      const who = await t.contacts.create({ lastName: 'Locked' })
      const kase = await t.cases.open({ contactId: who.id, subject: 'Broken router' })
      const start = new Date(clock.t)
      const mine = await t.locks.acquire({ kind: 'case', id: kase.id, agentId: ana.id, ttlSec: 60 })
      expect(mine).toEqual({
        acquired: true,
        tenantId: t.tenantId,
        kind: 'case',
        id: kase.id,
        agentId: ana.id,
        since: start,
        expiresAt: new Date(start.getTime() + 60_000),
      })
      later(30)
      const theirs = await t.locks.acquire({ kind: 'case', id: kase.id, agentId: bob.id })
      expect(theirs).toEqual({
        acquired: false,
        heldBy: ana.id,
        since: start,
        expiresAt: new Date(start.getTime() + 60_000),
      })
      // The same id as a contact is another lock.
      expect((await t.locks.acquire({ kind: 'contact', id: who.id, agentId: bob.id })).acquired).toBe(true)
      // Ana renews: her `since` stays, the expiry moves.
      const renewed = await t.locks.renew({ kind: 'case', id: kase.id, agentId: ana.id, ttlSec: 60 })
      expect(renewed.since).toEqual(start)
      expect(renewed.expiresAt).toEqual(new Date(clock.t + 60_000))
      await expect(t.locks.renew({ kind: 'case', id: kase.id, agentId: bob.id })).rejects.toMatchObject({
        _tag: 'Conflict',
        detail: expect.stringContaining(`held by ${ana.id}`),
      })
      // Acquiring again is a renewal too.
      const again = await t.locks.acquire({ kind: 'case', id: kase.id, agentId: ana.id, ttlSec: 10 })
      expect(again).toMatchObject({ acquired: true, since: start })
      expect((await t.locks.holders('case', kase.id)).map((l) => l.agentId)).toEqual([ana.id])
      // Ten seconds on, Ana's lock has run out: nobody holds it, and Bob takes it.
      later(10)
      expect(await t.locks.holders('case', kase.id)).toEqual([])
      await expect(t.locks.renew({ kind: 'case', id: kase.id, agentId: ana.id })).rejects.toMatchObject({
        _tag: 'Conflict',
        detail: expect.stringContaining('expired or was released'),
      })
      const taken = await t.locks.acquire({ kind: 'case', id: kase.id, agentId: bob.id })
      expect(taken).toMatchObject({ acquired: true, agentId: bob.id, since: new Date(clock.t) })
      expect(await t.locks.release({ kind: 'case', id: kase.id, agentId: ana.id })).toBe(false)
      expect(await t.locks.release({ kind: 'case', id: kase.id, agentId: bob.id })).toBe(true)
      expect(await t.locks.release({ kind: 'case', id: kase.id, agentId: bob.id })).toBe(false)
      expect(await t.locks.holders('case', kase.id)).toEqual([])
      const events = await t.events.list({ types: ['lock.acquired', 'lock.released'] })
      expect(events.map((e) => [e.type, (e.payload as { lock: { agentId: string } }).lock.agentId])).toEqual([
        ['lock.acquired', ana.id],
        ['lock.acquired', bob.id],
        ['lock.acquired', bob.id],
        ['lock.released', bob.id],
      ])
    })

    it('is scoped to its tenant and refuses what is not there', async () => {
      const t = run.sb.tenant('locks-home')
      const stranger = run.sb.tenant('locks-stranger')
      const ana = await t.agents.create({ name: 'Ana' })
      const eve = await stranger.agents.create({ name: 'Eve' })
      const who = await t.contacts.create({ lastName: 'Home' })
      await t.locks.acquire({ kind: 'contact', id: who.id, agentId: ana.id })
      expect(await stranger.locks.holders('contact', who.id)).toEqual([])
      await expect(
        stranger.locks.acquire({ kind: 'contact', id: who.id, agentId: eve.id }),
      ).rejects.toMatchObject({ _tag: 'NotFound', entity: 'contact', id: who.id })
      await expect(t.locks.acquire({ kind: 'contact', id: who.id, agentId: eve.id })).rejects.toMatchObject({
        _tag: 'NotFound',
        entity: 'agent',
      })
      expect(await stranger.locks.release({ kind: 'contact', id: who.id, agentId: ana.id })).toBe(false)
      expect((await t.locks.holders('contact', who.id)).map((l) => l.agentId)).toEqual([ana.id])
      await expect(
        t.locks.acquire({ kind: 'room' as never, id: who.id, agentId: ana.id, ttlSec: 0 }),
      ).rejects.toMatchObject({
        _tag: 'ValidationFailed',
        issues: [
          { field: 'kind', value: 'room' },
          { field: 'ttlSec', value: 0 },
        ],
      })
    })

    it('gives a free lock to exactly one of two racing agents', async () => {
      const t = run.sb.tenant('locks-race')
      const peerTenant = run.other?.tenant('locks-race') ?? t
      const ana = await t.agents.create({ name: 'Ana' })
      const bob = await t.agents.create({ name: 'Bob' })
      const who = await t.contacts.create({ lastName: 'Race' })
      const wins = { [ana.id]: 0, [bob.id]: 0 }
      for (let i = 0; i < 20; i++) {
        const kase = await t.cases.open({ contactId: who.id, subject: `Race ${i}` })
        const [a, b] = await Promise.all([
          t.locks.acquire({ kind: 'case', id: kase.id, agentId: ana.id }),
          peerTenant.locks.acquire({ kind: 'case', id: kase.id, agentId: bob.id }),
        ])
        expect([a.acquired, b.acquired].filter(Boolean)).toHaveLength(1)
        const winner = a.acquired ? ana.id : bob.id
        wins[winner]! += 1
        const loser = a.acquired ? b : a
        expect(loser).toMatchObject({ acquired: false, heldBy: winner })
        expect((await t.locks.holders('case', kase.id)).map((l) => l.agentId)).toEqual([winner])
      }
      expect(wins[ana.id]! + wins[bob.id]!).toBe(20)
      expect(await t.events.list({ types: ['lock.acquired'], limit: 100 })).toHaveLength(20)
    })
  })
}
