import {
  type Campaign,
  createSwitchboard,
  type Switchboard,
  type TenantApi,
  type TenantStore,
} from '@switchboard/core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { modelWeights } from '../src/model/logistic.js'
import { leadScoring } from '../src/scoring/plugin.js'
import { BACKENDS, dropSchemas } from './backends.js'

const scoring = leadScoring({
  criteria: [
    {
      id: 'referral',
      label: 'Came by referral',
      when: { field: 'tags', op: 'eq', value: 'referral' },
      points: 30,
    },
    { id: 'rich', when: { field: 'attributes.income', op: 'gte', value: 50_000 }, points: 20 },
    {
      id: 'talked',
      when: { field: 'interactions.lastDispositionCategory', op: 'eq', value: 'callback' },
      points: 25,
      group: 'activity',
    },
    {
      id: 'called-in',
      when: { field: 'interactions.count', op: 'gte', value: 1, direction: 'inbound' },
      points: 25,
      group: 'activity',
    },
  ],
  caps: { activity: 40 },
  features: { attributes: ['income'], tags: ['referral'] },
  value: { attribute: 'dealValue', otherwise: 100 },
})

const FLAGS = { final: true, countsAsContact: true, countsAsSale: false, addsToDnc: false }

afterAll(dropSchemas)

describe.each(BACKENDS)('leadScoring on %s', (_name, backend) => {
  let sb: Switchboard
  let t: TenantApi
  let store: TenantStore
  beforeAll(async () => {
    sb = await createSwitchboard({ storage: backend(), plugins: [scoring] })
    t = sb.tenant('score-a')
    store = sb.storage.forTenant(t.tenantId)
    await t.dispositions.define({
      code: 'SALE',
      label: 'Sale',
      category: 'sale',
      flags: { ...FLAGS, countsAsSale: true },
    })
    await t.dispositions.define({
      code: 'NO_INTEREST',
      label: 'No interest',
      category: 'contact_no_sale',
      flags: FLAGS,
    })
    await t.dispositions.define({
      code: 'CALL_BACK',
      label: 'Call back',
      category: 'callback',
      flags: { ...FLAGS, final: false },
    })
    expect((await scoring.install(t)).length).toBe(5)
    expect(await scoring.install(t)).toEqual([]) // once per tenant
  })
  afterAll(async () => {
    await sb?.close()
  })

  it('scores a contact in the transaction that creates it, and rescores on an update and on an interaction', async () => {
    const c = await t.contacts.create({
      firstName: 'Ana',
      tags: ['referral'],
      attributes: { income: 20_000 },
    })
    const first = await scoring.explain(store, c.id)
    expect(first?.points).toBe(30)
    expect(first?.probability).toBeUndefined() // no model yet
    expect(first?.weighted.criteria.filter((x) => x.matched).map((x) => x.id)).toEqual(['referral'])

    await t.contacts.update(c.id, { attributes: { income: 80_000 } })
    expect((await scoring.explain(store, c.id))?.points).toBe(50)

    await t.interactions.log({
      contactId: c.id,
      channel: 'voice',
      direction: 'inbound',
      disposition: 'CALL_BACK',
    })
    const third = await scoring.explain(store, c.id)
    // activity: 25 + 25 capped at 40; the second criterion says the cap took 10.
    expect(third?.points).toBe(90)
    expect(third?.weighted.criteria.find((x) => x.id === 'called-in')).toMatchObject({
      points: 15,
      cappedBy: 'activity',
    })
    // The firing records what the action did.
    const firings = await t.rules.firings({ contactId: c.id })
    expect(
      firings.some((f) =>
        f.actions.some((a) => a.type === 'lead-score.recompute' && a.detail?.includes('90 points')),
      ),
    ).toBe(true)
  })

  it('the stored score is a segment field: segments filter on it', async () => {
    const low = await t.contacts.create({ firstName: 'Low' })
    const high = await t.contacts.create({
      firstName: 'High',
      tags: ['referral'],
      attributes: { income: 90_000 },
    })
    const ids = await t.segments.ids({ field: 'lead-score.points', op: 'gte', value: 50 }, { limit: 1000 })
    expect(ids).toContain(high.id)
    expect(ids).not.toContain(low.id)
    expect(await t.segments.count({ field: 'lead-score.points', op: 'eq', value: 0 })).toBeGreaterThanOrEqual(
      1,
    )
  })

  it('refit learns from outcomes, stores a probability per contact, explained, and ranks the list by expected value', async () => {
    // Outcomes: referrals with a high income buy, the others do not (with a little noise).
    const campaign: Campaign = await t.campaigns.create({
      name: 'Spring offer',
      kind: 'telemarketing',
      dialMode: { mode: 'preview' },
      regime: 'ES',
      consentPurpose: 'marketing',
    })
    let n = 0
    for (let i = 0; i < 60; i++) {
      const good = i % 2 === 0
      const c = await t.contacts.create({
        firstName: `Lead ${i}`,
        tags: good ? ['referral'] : [],
        attributes: { income: good ? 60_000 + i * 100 : 10_000 + i * 100, dealValue: 1000 },
      })
      const buys = good ? i % 10 !== 0 : i % 10 === 1
      await t.interactions.log({
        contactId: c.id,
        channel: 'voice',
        direction: 'outbound',
        disposition: buys ? 'SALE' : 'NO_INTEREST',
        startedAt: new Date(Date.now() - 3_600_000),
      })
      n++
    }
    const r = await scoring.refit(store, { minOutcomes: 20 })
    expect(r.fitted).toBe(true)
    expect(r.outcomes).toBeGreaterThanOrEqual(n)
    expect(r.rescored).toBeGreaterThan(n)
    const model = await scoring.model(store)
    expect(model?.model.features).toEqual(scoring.features)
    expect(model?.holdout?.n).toBeGreaterThan(0)
    const weights = modelWeights(model!.model)
    expect(weights.find((w) => w.feature === 'attributes.income')!.weight).toBeGreaterThan(0)
    expect(Math.abs(weights[0]!.weight)).toBeGreaterThanOrEqual(Math.abs(weights[weights.length - 1]!.weight))
    // Nothing new decided since: a refit that wants new outcomes does not run.
    expect(await scoring.refit(store, { minOutcomes: 20, minNewOutcomes: 1 })).toMatchObject({
      fitted: false,
      reason: 'only 0 new outcomes',
    })

    // New leads: one that looks like the buyers, one like the others.
    const likely = await t.contacts.create({
      firstName: 'Likely',
      tags: ['referral'],
      attributes: { income: 70_000, dealValue: 1000 },
    })
    const unlikely = await t.contacts.create({
      firstName: 'Unlikely',
      attributes: { income: 12_000, dealValue: 1000 },
    })
    const a = await scoring.explain(store, likely.id)
    const b = await scoring.explain(store, unlikely.id)
    expect(a!.probability!).toBeGreaterThan(0.6)
    expect(b!.probability!).toBeLessThan(0.4)
    expect(a!.expectedValue).toBeCloseTo(a!.probability! * 1000, 6)
    const sum = a!.prediction!.contributions.reduce((s, c) => s + c.logOdds, a!.prediction!.baseLogOdds)
    expect(sum).toBeCloseTo(a!.prediction!.logOdds, 9)
    expect(
      await t.segments.ids({ field: 'lead-score.probability', op: 'gt', value: 0.5 }, { limit: 1000 }),
    ).toContain(likely.id)

    // A third lead with no stored score (enqueued before any row: deleted here) goes last.
    const none = await t.contacts.create({ firstName: 'Unscored' })
    await store.rows(scoring.tables.scores).delete({ contact_id: none.id })
    await t.lists.enqueue(campaign.id, [none.id, unlikely.id, likely.id])
    const fifo = await store.leads.claim(campaign.id, { worker: 'w', limit: 3 })
    expect(fifo.map((l) => l.contactId)).toEqual([none.id, unlikely.id, likely.id].sort())
    await store.leads.release(campaign.id, [none.id, unlikely.id, likely.id], { worker: 'w' })
    const byValue = await store.leads.claim(campaign.id, {
      worker: 'w',
      limit: 1,
      order: scoring.expectedValueOrder,
    })
    expect(byValue.map((l) => l.contactId)).toEqual([likely.id])
    const rest = await store.leads.claim(campaign.id, {
      worker: 'w',
      limit: 5,
      order: scoring.expectedValueOrder,
    })
    expect(rest.map((l) => l.contactId)).toEqual([unlikely.id, none.id])
  })

  it('refits on a schedule once enough new outcomes arrived', async () => {
    const before = (await scoring.model(store))!.fittedAt
    const c = await t.contacts.create({
      firstName: 'Late buyer',
      tags: ['referral'],
      attributes: { income: 65_000 },
    })
    await t.interactions.log({
      contactId: c.id,
      channel: 'voice',
      direction: 'outbound',
      disposition: 'SALE',
    })
    const errors: unknown[] = []
    const timer = scoring.schedule(store, {
      everyMs: 20,
      minOutcomes: 20,
      minNewOutcomes: 1,
      onError: (e) => errors.push(e),
    })
    try {
      for (let i = 0; i < 250 && (await scoring.model(store))!.fittedAt.getTime() === before.getTime(); i++)
        await new Promise((r) => setTimeout(r, 20))
    } finally {
      timer.stop()
    }
    expect(errors).toEqual([])
    expect((await scoring.model(store))!.fittedAt.getTime()).toBeGreaterThan(before.getTime())
    expect((await scoring.explain(store, c.id))!.probability).toBeDefined()
  })

  it('an order naming a core table or a bad column is refused', async () => {
    const [campaign] = await t.campaigns.list()
    await expect(
      store.leads.claim(campaign!.id, { worker: 'w', limit: 1, order: { table: 'contacts', column: 'id' } }),
    ).rejects.toMatchObject({ _tag: 'ValidationFailed' })
    await expect(
      store.leads.claim(campaign!.id, {
        worker: 'w',
        limit: 1,
        order: { table: scoring.tables.scores, column: 'x; drop' },
      }),
    ).rejects.toMatchObject({ _tag: 'ValidationFailed' })
  })

  it('scores are tenant-scoped', async () => {
    const other = sb.tenant('score-b')
    const c = await other.contacts.create({ firstName: 'Elsewhere', tags: ['referral'] })
    // No rules installed for this tenant: nothing was scored, and tenant a's rows are not visible.
    expect(await scoring.explain(sb.storage.forTenant(other.tenantId), c.id)).toBeUndefined()
    expect(await scoring.explain(store, c.id)).toBeUndefined()
    expect((await scoring.score(sb.storage.forTenant(other.tenantId), c.id))?.points).toBe(30)
  })
})
