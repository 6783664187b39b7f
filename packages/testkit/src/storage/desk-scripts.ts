import { isSwitchboardError, type ScriptSaveInput, type StorageBackend } from '@switchboard/core'
import { describe, expect, it } from 'vitest'
import { deskInstances } from './desk-instances.js'

/** Asks for a minute; a yes asks the plan and the name to book it under. */
const renewal = (prompt = 'Hello {{contact.firstName}}, a minute?'): ScriptSaveInput => ({
  id: 'renewal',
  name: 'Renewal call',
  start: 'hello',
  nodes: [
    {
      id: 'hello',
      kind: 'question',
      prompt,
      answer: { type: 'yes_no' },
      branches: [{ when: { answer: 'hello', op: 'eq', value: false }, next: 'later' }],
      next: 'plan',
    },
    {
      id: 'plan',
      kind: 'question',
      prompt: 'Which plan?',
      answer: {
        type: 'choice',
        options: [
          { value: 'silver', label: 'Silver' },
          { value: 'gold', label: 'Gold' },
        ],
      },
      next: 'name',
    },
    {
      id: 'name',
      kind: 'question',
      prompt: 'In whose name?',
      answer: { type: 'text', maxLength: 60 },
      next: 'sold',
    },
    {
      id: 'sold',
      kind: 'end',
      prompt: 'Booked, {{answers.name}}.',
      outcome: { setFields: { 'attributes.plan': 'plan', firstName: 'name' }, disposition: 'SALE' },
    },
    { id: 'later', kind: 'end', outcome: { disposition: 'CALLBACK' } },
  ],
})

/**
 * Call scripts on a backend: saved as versions (validated, never edited),
 * read by version, listed newest; runs recorded on interactions after the
 * answers were checked with core's runner, setting contact fields.
 */
export function deskScriptsConformance(
  create: () => Promise<StorageBackend>,
  peer?: (backend: StorageBackend) => Promise<StorageBackend>,
): void {
  describe('desk: call scripts', () => {
    const clock = { now: () => Date.now() }
    const run = deskInstances(create, peer, clock)

    it('saves versions, never edits one, and reads them back by version', async () => {
      const t = run.sb.tenant('scripts-versions')
      const v1 = await t.scripts.save(renewal())
      expect(v1).toMatchObject({ id: 'renewal', version: 1, tenantId: t.tenantId })
      const v2 = await t.scripts.save({ ...renewal('Hi {{contact.firstName}}, got a minute?'), version: 2 })
      expect(v2.version).toBe(2)
      await t.scripts.save({ ...renewal(), id: 'another', name: 'Another' })
      expect((await t.scripts.get('renewal')).nodes[0]!.prompt).toBe(
        'Hi {{contact.firstName}}, got a minute?',
      )
      expect((await t.scripts.get('renewal', 1)).nodes[0]!.prompt).toBe(
        'Hello {{contact.firstName}}, a minute?',
      )
      expect(await t.scripts.get('renewal', 1)).toEqual(v1)
      expect((await t.scripts.list()).map((s) => [s.id, s.version])).toEqual([
        ['another', 1],
        ['renewal', 2],
      ])
      // A copy edited from version 1 is stale once version 2 exists.
      await expect(t.scripts.save({ ...renewal(), version: 2 })).rejects.toMatchObject({
        _tag: 'Conflict',
        detail: expect.stringContaining('the next is 3'),
      })
      await expect(t.scripts.get('renewal', 9)).rejects.toMatchObject({ _tag: 'NotFound' })
      const stranger = run.sb.tenant('scripts-stranger')
      expect(await stranger.scripts.list()).toEqual([])
      await expect(stranger.scripts.get('renewal')).rejects.toMatchObject({ _tag: 'NotFound' })
      expect((await stranger.scripts.save(renewal())).version).toBe(1)
    })

    it('stores each version once when two writers save at the same time', async () => {
      const t = run.sb.tenant('scripts-race')
      const peerTenant = run.other?.tenant('scripts-race') ?? t
      await t.scripts.save(renewal())
      const results = await Promise.allSettled(
        Array.from({ length: 6 }, (_, i) => (i % 2 ? peerTenant : t).scripts.save(renewal(`Try ${i}?`))),
      )
      for (const r of results)
        if (r.status === 'rejected')
          expect(r.reason).toMatchObject({ _tag: 'Conflict', entity: 'call script' })
      const saved = results.flatMap((r) => (r.status === 'fulfilled' ? [r.value.version] : []))
      expect(saved.length).toBeGreaterThan(0)
      expect(new Set(saved).size).toBe(saved.length)
      const newest = await t.scripts.get('renewal')
      expect(newest.version).toBe(1 + saved.length)
      for (let v = 1; v <= newest.version; v++) expect((await t.scripts.get('renewal', v)).version).toBe(v)
    })

    it('refuses a script with a dead end or an unreachable node, naming the node', async () => {
      const t = run.sb.tenant('scripts-invalid')
      const base = renewal()
      const deadEnd = {
        ...base,
        nodes: base.nodes.map((n) => (n.id === 'name' ? { ...n, next: undefined } : n)),
      } as ScriptSaveInput
      const e = await t.scripts.save(deadEnd).catch((x) => x)
      expect(isSwitchboardError(e, 'ValidationFailed')).toBe(true)
      expect(e.issues).toContainEqual(expect.objectContaining({ field: 'nodes.name.next' }))
      const lost = { ...base, nodes: [...base.nodes, { id: 'lost', kind: 'end' }] } as ScriptSaveInput
      await expect(t.scripts.save(lost)).rejects.toMatchObject({
        _tag: 'ValidationFailed',
        issues: [{ field: 'nodes.lost.id', value: 'lost' }],
      })
      expect(await t.scripts.list()).toEqual([])
    })

    it('records a run on the interaction after checking its answers, setting contact fields', async () => {
      const t = run.sb.tenant('scripts-runs')
      await t.scripts.save(renewal())
      const who = await t.contacts.create({
        firstName: 'Nobody',
        lastName: 'Ruiz',
        attributes: { plan: 'silver' },
      })
      const call = await t.interactions.log({ contactId: who.id, channel: 'voice', direction: 'outbound' })
      const done = await t.scripts.record(call.id, {
        scriptId: 'renewal',
        version: 1,
        path: ['hello', 'plan', 'name', 'sold'],
        answers: { hello: true, plan: 'gold', name: 'Ana' },
      })
      expect(done.suggestedDisposition).toBe('SALE')
      expect(done.run).toMatchObject({
        interactionId: call.id,
        contactId: who.id,
        scriptId: 'renewal',
        scriptVersion: 1,
        finished: true,
        outcome: { endNode: 'sold', setFields: { 'attributes.plan': 'gold', firstName: 'Ana' } },
      })
      const after = await t.contacts.get(who.id)
      expect(after).toMatchObject({ firstName: 'Ana', displayName: 'Ana Ruiz', attributes: { plan: 'gold' } })
      expect(done.contact).toEqual(after)
      // Abandoned part way: recorded, nothing set.
      const part = await t.scripts.record(call.id, {
        scriptId: 'renewal',
        version: 1,
        path: ['hello', 'plan'],
        answers: { hello: true },
      })
      expect(part.run).toMatchObject({ finished: false })
      expect(part.suggestedDisposition).toBeUndefined()
      expect((await t.scripts.runs(call.id)).map((r) => [r.id, r.finished])).toEqual([
        [done.run.id, true],
        [part.run.id, false],
      ])
      // Answers a question does not take, or that do not lead along the path, record nothing.
      const refused = await t.scripts
        .record(call.id, {
          scriptId: 'renewal',
          version: 1,
          path: ['hello', 'plan'],
          answers: { hello: 'yes' },
        })
        .catch((x) => x)
      expect(isSwitchboardError(refused, 'ScriptAnswerRefused')).toBe(true)
      expect(refused).toMatchObject({ nodeId: 'hello', value: 'yes', reason: 'wrong_type' })
      await expect(
        t.scripts.record(call.id, {
          scriptId: 'renewal',
          version: 1,
          path: ['hello', 'plan'],
          answers: { hello: false },
        }),
      ).rejects.toMatchObject({ _tag: 'ValidationFailed', issues: [{ field: 'path[1]', value: 'plan' }] })
      await expect(
        t.scripts.record(call.id, { scriptId: 'renewal', version: 2, path: ['hello'], answers: {} }),
      ).rejects.toMatchObject({ _tag: 'NotFound' })
      await expect(
        t.scripts.record(call.id, {
          scriptId: 'renewal',
          version: 1,
          path: ['hello'],
          agentId: 'ag_nobody' as never,
        }),
      ).rejects.toMatchObject({
        _tag: 'ValidationFailed',
        issues: [{ field: 'agentId', value: 'ag_nobody' }],
      })
      expect(await t.scripts.runs(call.id)).toHaveLength(2)
      const stranger = run.sb.tenant('scripts-runs-other')
      await stranger.scripts.save(renewal())
      await expect(
        stranger.scripts.record(call.id, { scriptId: 'renewal', version: 1, path: ['hello'], answers: {} }),
      ).rejects.toMatchObject({ _tag: 'NotFound', entity: 'interaction' })
      expect(await stranger.scripts.runs(call.id)).toEqual([])
    })
  })
}
