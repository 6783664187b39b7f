import { createSwitchboard } from '@switchboard/core'
import { sqliteStorage } from '@switchboard/storage-sqlite'
import { expect, it } from 'vitest'

// Integration point 6: lists filled from the CRM; opt-outs and do-not-call
// requests taken in the CRM take contacts off every list before the next claim.
it('suppresses contacts on opt-out of all purposes and on do-not-call, not on a purpose opt-out', async () => {
  const sb = await createSwitchboard({ storage: sqliteStorage({ file: ':memory:' }) })
  const t = sb.tenant('lists')
  const campaign = await t.campaigns.create({
    name: 'Renewals',
    kind: 'telemarketing',
    dialMode: { mode: 'predictive' },
    regime: 'US',
    consentPurpose: 'marketing',
  })
  const [a, b, c, d] = await Promise.all(
    ['+14155550101', '+14155550102', '+14155550103', '+14155550104'].map((phone, i) =>
      t.contacts.create({ firstName: `Lead${i}`, lastName: 'List', phones: [phone] }),
    ),
  )
  expect(await t.lists.enqueue(campaign.id, [a!.id, b!.id, c!.id, d!.id])).toBe(4)
  expect(await t.lists.enqueue(campaign.id, [a!.id])).toBe(0)

  await t.consent.record({
    contactId: b!.id,
    channel: 'voice',
    purpose: '*',
    status: 'opted_out',
    source: 'call',
  })
  await t.consent.addToDoNotCall({ phone: '(415) 555-0103', defaultCountry: 'US', source: 'agent' })
  await t.consent.record({
    contactId: d!.id,
    channel: 'voice',
    purpose: 'survey',
    status: 'opted_out',
    source: 'web',
  })
  expect(await t.lists.suppress(a!.id, 'paid in full')).toBe(1)

  await t.campaigns.setStatus(campaign.id, 'active')
  const claimed = await t.lists.claim(campaign.id, { worker: 'w1', limit: 10 })
  expect(claimed.map((l) => l.contactId)).toEqual([d!.id])
  expect(await t.lists.counts(campaign.id)).toMatchObject({ pending: 0, claimed: 1, suppressed: 3, total: 4 })
  const other = await t.lists.enqueue('cp_missing' as never, [a!.id]).catch((e) => e)
  expect(other._tag).toBe('NotFound')
  await sb.close()
})
