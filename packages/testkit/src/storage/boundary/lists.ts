import { describe, expect, it } from 'vitest'
import { type BoundaryWorld, type Case_, expectFailure, HUGE, UNKNOWN_CONTACT } from './harness.js'

/** lists.*: every public method with bad input, and claims only from an active campaign. */
export function listsBoundary(world: () => BoundaryWorld): void {
  describe('dialing lists', () => {
    const cases: Case_[] = [
      [
        'enqueue a string (not one lead per character)',
        () => world().t.lists.enqueue(world().campaign.id, world().contact.id as never),
        'ValidationFailed',
        'contactIds',
      ],
      [
        'enqueue undefined',
        () => world().t.lists.enqueue(world().campaign.id, undefined as never),
        'ValidationFailed',
        'contactIds',
      ],
      [
        'enqueue an empty list',
        () => world().t.lists.enqueue(world().campaign.id, []),
        'ValidationFailed',
        'contactIds',
      ],
      [
        'enqueue an unknown contact',
        () => world().t.lists.enqueue(world().campaign.id, [world().contact.id, UNKNOWN_CONTACT as never]),
        'ValidationFailed',
        'contactIds[1]',
      ],
      [
        "enqueue another tenant's contact",
        () => world().t.lists.enqueue(world().campaign.id, [world().foreign.contact.id]),
        'ValidationFailed',
        'contactIds[0]',
      ],
      [
        "enqueue on another tenant's campaign",
        () => world().t.lists.enqueue(world().foreign.campaign.id, [world().contact.id]),
        'NotFound',
      ],
      [
        'enqueue a priority of "high"',
        () =>
          world().t.lists.enqueue(world().campaign.id, [world().contact.id], { priority: 'high' as never }),
        'ValidationFailed',
        'options.priority',
      ],
      [
        'enqueue notBefore "soon"',
        () =>
          world().t.lists.enqueue(world().campaign.id, [world().contact.id], { notBefore: 'soon' as never }),
        'ValidationFailed',
        'options.notBefore',
      ],
      [
        'claim without a worker',
        () => world().t.lists.claim(world().campaign.id, { limit: 5 } as never),
        'ValidationFailed',
        'worker',
      ],
      [
        "claim with worker ''",
        () => world().t.lists.claim(world().campaign.id, { worker: '', limit: 5 }),
        'ValidationFailed',
        'worker',
      ],
      [
        'claim limit 0',
        () => world().t.lists.claim(world().campaign.id, { worker: 'w', limit: 0 }),
        'ValidationFailed',
        'limit',
      ],
      [
        'claim limit 2.5',
        () => world().t.lists.claim(world().campaign.id, { worker: 'w', limit: 2.5 }),
        'ValidationFailed',
        'limit',
      ],
      [
        'claim a huge worker name',
        () => world().t.lists.claim(world().campaign.id, { worker: HUGE, limit: 1 }),
        'ValidationFailed',
        'worker',
      ],
      [
        'claim(undefined)',
        () => world().t.lists.claim(world().campaign.id, undefined as never),
        'ValidationFailed',
        '',
      ],
      [
        'claim on a draft campaign',
        () => world().t.lists.claim(world().campaign.id, { worker: 'w', limit: 1 }),
        'Conflict',
      ],
      [
        'complete without a worker',
        () => world().t.lists.complete(world().campaign.id, [world().contact.id], {} as never),
        'ValidationFailed',
        'options.worker',
      ],
      [
        'release contactIds a string',
        () => world().t.lists.release(world().campaign.id, 'ct_x' as never, { worker: 'w' }),
        'ValidationFailed',
        'contactIds',
      ],
      [
        'counts(undefined)',
        () => world().t.lists.counts(undefined as never),
        'ValidationFailed',
        'campaignId',
      ],
      [
        "counts of another tenant's campaign",
        () => world().t.lists.counts(world().foreign.campaign.id),
        'NotFound',
      ],
      [
        'suppress without a reason',
        () => world().t.lists.suppress(world().contact.id, undefined as never),
        'ValidationFailed',
        'reason',
      ],
      [
        'suppress an unknown contact',
        () => world().t.lists.suppress(UNKNOWN_CONTACT as never, 'paid'),
        'NotFound',
      ],
    ]
    for (const [label, call, tag, field] of cases) it(label, () => expectFailure(call, tag, field))

    it('hands out leads only while the campaign is active', async () => {
      const { t, contact } = world()
      const c = await t.campaigns.create({
        name: 'Lifecycle',
        kind: 'collections',
        dialMode: { mode: 'progressive' },
        regime: 'US',
        consentPurpose: 'collections',
      })
      expect(await t.lists.enqueue(c.id, [contact.id])).toBe(1)
      await expectFailure(() => t.lists.claim(c.id, { worker: 'w', limit: 1 }), 'Conflict')
      await t.campaigns.setStatus(c.id, 'active')
      await t.campaigns.setStatus(c.id, 'paused')
      await expectFailure(() => t.lists.claim(c.id, { worker: 'w', limit: 1 }), 'Conflict')
      await t.campaigns.setStatus(c.id, 'active')
      expect((await t.lists.claim(c.id, { worker: 'w', limit: 1 })).map((l) => l.contactId)).toEqual([
        contact.id,
      ])
      await t.campaigns.setStatus(c.id, 'completed')
      await expectFailure(() => t.lists.claim(c.id, { worker: 'w', limit: 1 }), 'Conflict')
      await expectFailure(() => t.lists.enqueue(c.id, [contact.id]), 'Conflict')
    })
  })
}
