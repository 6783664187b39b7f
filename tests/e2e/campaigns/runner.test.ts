// The campaign runner end to end on the simulated network and a virtual
// clock: claims, guards, permits, dials, connects to the longest-idle agent,
// codes what no agent coded, and lets the agents' codes drive retries,
// do-not-call and list completion (integration points 3 and 6).
import { afterAll, describe, expect, it } from 'vitest'
import { BACKENDS, dropSchemas, scriptedAgents, world } from './harness.ts'

afterAll(dropSchemas)

describe.each(BACKENDS)('campaign runner on %s', (backend) => {
  it('dials the list, connects people to agents, and codes every attempt', async () => {
    const w = await world({
      backend,
      agents: 3,
      contacts: 12,
      scripts: (i) =>
        i % 4 === 0
          ? { outcome: 'person', ringSec: 4, talkSec: 30 }
          : i % 4 === 1
            ? { outcome: 'no_answer' }
            : i % 4 === 2
              ? { outcome: 'busy', ringSec: 2 }
              : { outcome: 'person', ringSec: 3, talkSec: 20 },
    })
    await w.t.dispositions.define({ code: 'SALE', label: 'Sale', category: 'sale' })
    await w.t.dispositions.define({ code: 'DNC', label: 'Do not call', category: 'do_not_call' })
    // people at i % 4 === 3 ask not to be called again
    const codes = new Map<string, string>()
    for (const [i, c] of w.contacts.entries()) codes.set(c.id, i % 4 === 3 ? 'DNC' : 'SALE')
    const offered: string[] = []
    w.runtime.on('call.offered', (pop) => {
      offered.push(pop.contact!.id)
      expect(pop.timeline.length).toBeGreaterThan(0) // the attempt itself is on the timeline
    })
    const byCall = new Map<string, string>()
    w.runtime.on('call.offered', (pop) => byCall.set(pop.callId, pop.contact!.id))
    scriptedAgents(w, { code: (_n, callId) => codes.get(byCall.get(callId)!), wrapSec: 4 })

    await w.runtime.start(w.t.tenantId, w.campaign.id)
    await w.advance(15 * 60)

    const people = w.contacts.filter((_, i) => i % 4 === 0 || i % 4 === 3)
    expect(new Set(offered)).toEqual(new Set(people.map((c) => c.id)))
    for (const [i, c] of w.contacts.entries()) {
      const [attempt] = await w.t.interactions.find({ campaignId: w.campaign.id, contactId: c.id })
      expect(attempt, `contact ${i}`).toBeDefined()
      expect(attempt!.endedAt, `contact ${i} closed`).toBeDefined()
      const lead = await w.t.lists.get(w.campaign.id, c.id)
      if (i % 4 === 0) {
        expect(attempt!.disposition).toBe('SALE')
        expect(attempt!.agentId).toBeDefined()
        expect(attempt!.durations.talkSec).toBeGreaterThan(15)
        expect(lead?.status).toBe('done')
      } else if (i % 4 === 1) {
        expect(attempt!.disposition).toBe('NO_ANSWER')
        expect(lead?.status).toBe('pending')
        // the campaign's retry rule for no_answer: 2 hours
        expect(lead!.notBefore!.getTime() - attempt!.endedAt!.getTime()).toBeGreaterThanOrEqual(
          2 * 3600_000 - 60_000,
        )
      } else if (i % 4 === 2) {
        expect(attempt!.disposition).toBe('BUSY')
        expect(lead?.status).toBe('pending')
      } else {
        expect(attempt!.disposition).toBe('DNC')
        expect(lead?.status).toBe('suppressed')
        const d = await w.t.consent.canContact(c.id, { channel: 'voice', campaignId: w.campaign.id })
        expect(d.reasons.map((r) => r.code)).toContain('do_not_call')
      }
    }
    expect(await w.t.interactions.find({ campaignId: w.campaign.id, open: true })).toEqual([])
    // every agent went through reserved, on_call, wrap_up and back, as recorded history
    const states = await w.t.sessions.states({})
    const paths = new Set(states.map((s) => `${s.from}>${s.to}`))
    for (const p of ['available>reserved', 'reserved>on_call', 'on_call>wrap_up', 'wrap_up>available'])
      expect(paths).toContain(p)
    const status = w.runtime.status(w.t.tenantId, w.campaign.id)!
    expect(status.dials).toBe(12)
    expect(status.connects).toBe(6)
    expect(status.abandoned).toBe(0)
    await w.close()
  })
})
