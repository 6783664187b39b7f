import { describe, expect, it } from 'vitest'
import { type BoundaryWorld, type Case_, expectFailure, HUGE, NUL, UNKNOWN_CONTACT } from './harness.js'

/** cases.*: every public method with bad input. */
export function casesBoundary(world: () => BoundaryWorld): void {
  describe('cases', () => {
    const cases: Case_[] = [
      ['open(undefined)', () => world().t.cases.open(undefined as never), 'ValidationFailed', ''],
      [
        'open unknown key',
        () => world().t.cases.open({ contactId: world().contact.id, subject: 'S', title: 'x' } as never),
        'ValidationFailed',
        'title',
      ],
      [
        'open without a subject',
        () => world().t.cases.open({ contactId: world().contact.id } as never),
        'ValidationFailed',
        'subject',
      ],
      [
        'open a blank subject',
        () => world().t.cases.open({ contactId: world().contact.id, subject: '   ' }),
        'ValidationFailed',
        'subject',
      ],
      [
        'open priority "asap"',
        () =>
          world().t.cases.open({ contactId: world().contact.id, subject: 'S', priority: 'asap' as never }),
        'ValidationFailed',
        'priority',
      ],
      [
        'open a 1 MB description',
        () => world().t.cases.open({ contactId: world().contact.id, subject: 'S', description: HUGE }),
        'ValidationFailed',
        'description',
      ],
      [
        'open a NUL subject',
        () => world().t.cases.open({ contactId: world().contact.id, subject: NUL }),
        'ValidationFailed',
        'subject',
      ],
      [
        'open an unknown contact',
        () => world().t.cases.open({ contactId: UNKNOWN_CONTACT as never, subject: 'S' }),
        'NotFound',
      ],
      [
        "open another tenant's contact",
        () => world().t.cases.open({ contactId: world().foreign.contact.id, subject: 'S' }),
        'NotFound',
      ],
      [
        "open assigned to another tenant's agent",
        () =>
          world().t.cases.open({
            contactId: world().contact.id,
            subject: 'S',
            assigneeId: world().foreign.agent.id,
          }),
        'ValidationFailed',
        'assigneeId',
      ],
      ['get(undefined)', () => world().t.cases.get(undefined as never), 'ValidationFailed', 'id'],
      ["get another tenant's case", () => world().t.cases.get(world().foreign.kase.id), 'NotFound'],
      [
        'forContact(undefined)',
        () => world().t.cases.forContact(undefined as never),
        'ValidationFailed',
        'contactId',
      ],
      [
        'forContact openOnly "yes"',
        () => world().t.cases.forContact(world().contact.id, 'yes' as never),
        'ValidationFailed',
        'openOnly',
      ],
      [
        'escalate(undefined)',
        () => world().t.cases.escalate(world().kase.id, undefined as never),
        'ValidationFailed',
        '',
      ],
      [
        "escalate toTier ''",
        () => world().t.cases.escalate(world().kase.id, { toTier: '' as never, reason: 'vip' }),
        'ValidationFailed',
        'toTier',
      ],
      [
        'escalate reason "because"',
        () =>
          world().t.cases.escalate(world().kase.id, { toTier: 'tr_l2' as never, reason: 'because' as never }),
        'ValidationFailed',
        'reason',
      ],
      [
        'escalate manual without a note',
        () => world().t.cases.escalate(world().kase.id, { toTier: 'tr_l2' as never, reason: 'manual' }),
        'ValidationFailed',
        'note',
      ],
      [
        'escalate unknown key',
        () =>
          world().t.cases.escalate(world().kase.id, {
            toTier: 'tr_l2' as never,
            reason: 'vip',
            tier: 'x',
          } as never),
        'ValidationFailed',
        'tier',
      ],
      [
        "escalate another tenant's case",
        () => world().t.cases.escalate(world().foreign.kase.id, { toTier: 'tr_l2' as never, reason: 'vip' }),
        'NotFound',
      ],
      [
        'setStatus("exploded")',
        () => world().t.cases.setStatus(world().kase.id, 'exploded' as never),
        'ValidationFailed',
        'status',
      ],
      [
        'setStatus by 42',
        () => world().t.cases.setStatus(world().kase.id, 'pending', 42 as never),
        'ValidationFailed',
        'by',
      ],
    ]
    for (const [label, call, tag, field] of cases) it(label, () => expectFailure(call, tag, field))

    it('closed is final', async () => {
      const { t } = world()
      const k = await t.cases.open({ contactId: world().contact.id, subject: 'Final' })
      await t.cases.setStatus(k.id, 'closed')
      await expectFailure(() => t.cases.setStatus(k.id, 'open'), 'Conflict')
      expect((await t.cases.get(k.id)).status).toBe('closed')
    })
  })
}
