// The runner's list order end to end: with `listOrder` naming the lead
// score's column, one agent's calls go to the best-scored leads first (FIFO
// is the default everywhere else); and a call the runner codes rescores its
// contact in the coding's transaction (`interaction.disposed`).
import { leadScoring } from '@switchboard/analytics'
import { afterAll, describe, expect, it } from 'vitest'
import { BACKENDS, dropSchemas, scriptedAgents, world } from './harness.ts'

afterAll(dropSchemas)

// 10 points a tier (attributes.tier 0..5), and 100 once the last call was a sale.
const scoring = leadScoring({
  criteria: [
    ...[1, 2, 3, 4, 5].map((k) => ({
      id: `tier-${k}`,
      when: { field: 'attributes.tier' as const, op: 'gte' as const, value: k },
      points: 10,
    })),
    { id: 'bought', when: { field: 'interactions.lastDisposition', op: 'eq', value: 'SALE' }, points: 100 },
  ],
})
const TIERS = [2, 5, 0, 4, 1, 3]

describe.each(BACKENDS)('list order on %s', (backend) => {
  it('dials the highest score first, and the coded call rescores the contact in its transaction', async () => {
    const w = await world({
      backend,
      agents: 1,
      contacts: TIERS.length,
      scripts: () => ({ outcome: 'person', ringSec: 2, talkSec: 5 }),
      plugins: [scoring],
      listOrder: { table: scoring.tables.scores, column: 'points' },
    })
    try {
      await w.t.dispositions.define({ code: 'SALE', label: 'Sale', category: 'sale' })
      await scoring.install(w.t)
      for (const [i, c] of w.contacts.entries())
        await w.t.contacts.update(c.id, { attributes: { tier: TIERS[i]! } })
      const store = w.sb.storage.forTenant(w.t.tenantId)
      for (const [i, c] of w.contacts.entries())
        expect((await scoring.explain(store, c.id))?.points).toBe(TIERS[i]! * 10)

      const byScore = w.contacts.map((c, i) => [c.id, TIERS[i]!] as const).sort((a, b) => b[1] - a[1])
      const offered: string[] = []
      w.runtime.on('call.offered', (pop) => offered.push(pop.contact!.id))
      scriptedAgents(w, { code: () => 'SALE', wrapSec: 2 })
      await w.runtime.start(w.t.tenantId, w.campaign.id)
      await w.advance(4 * 60)

      // The dial order: each contact's first attempt, oldest first (a person may be taken for a machine: still dialled).
      const attempts = await w.t.interactions.find({ campaignId: w.campaign.id })
      const dialled = [...new Set(attempts.map((a) => a.contactId))]
      expect(dialled).toEqual(byScore.map(([id]) => id))
      expect(offered).toEqual(dialled.filter((id) => offered.includes(id)))
      expect(offered.length).toBeGreaterThanOrEqual(4)
      for (const [i, c] of w.contacts.entries()) {
        const sold = attempts.some((a) => a.contactId === c.id && a.disposition === 'SALE')
        const s = await scoring.explain(store, c.id)
        expect(s?.points, `contact ${i}`).toBe(TIERS[i]! * 10 + (sold ? 100 : 0))
        expect(s?.weighted.criteria.find((x) => x.id === 'bought')?.matched).toBe(sold)
      }
    } finally {
      await w.close()
    }
  })
})
