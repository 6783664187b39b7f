import { describe, it } from 'vitest'
import { type BoundaryWorld, type Case_, expectFailure, HUGE, NUL, UNKNOWN_CONTACT } from './harness.js'

/** interactions.*: every public method with bad input. */
export function interactionsBoundary(world: () => BoundaryWorld): void {
  describe('interactions', () => {
    const base = () => ({ contactId: world().contact.id, channel: 'note', direction: 'internal' }) as const
    const cases: Case_[] = [
      ['log(undefined)', () => world().t.interactions.log(undefined as never), 'ValidationFailed', ''],
      [
        'log channel "phone"',
        () => world().t.interactions.log({ ...base(), channel: 'phone' as never }),
        'ValidationFailed',
        'channel',
      ],
      [
        'log direction "in"',
        () => world().t.interactions.log({ ...base(), direction: 'in' as never }),
        'ValidationFailed',
        'direction',
      ],
      [
        'log unknown key',
        () => world().t.interactions.log({ ...base(), notes: 'x' } as never),
        'ValidationFailed',
        'notes',
      ],
      [
        'log endedAt before startedAt',
        () =>
          world().t.interactions.log({
            ...base(),
            startedAt: new Date('2026-03-01T10:00:00Z'),
            endedAt: new Date('2026-03-01T09:00:00Z'),
          }),
        'ValidationFailed',
        'endedAt',
      ],
      [
        'log startedAt "yesterday"',
        () => world().t.interactions.log({ ...base(), startedAt: 'yesterday' as never }),
        'ValidationFailed',
        'startedAt',
      ],
      [
        'log a negative talk time',
        () => world().t.interactions.log({ ...base(), durations: { talkSec: -5 } }),
        'ValidationFailed',
        'durations.talkSec',
      ],
      [
        'log durations in ms',
        () => world().t.interactions.log({ ...base(), durations: { talkMs: 5000 } as never }),
        'ValidationFailed',
        'durations.talkMs',
      ],
      [
        'log a 1 MB subject',
        () => world().t.interactions.log({ ...base(), subject: HUGE }),
        'ValidationFailed',
        'subject',
      ],
      [
        'log a NUL in the body',
        () => world().t.interactions.log({ ...base(), body: NUL }),
        'ValidationFailed',
        'body',
      ],
      [
        'log an unknown contact',
        () => world().t.interactions.log({ ...base(), contactId: UNKNOWN_CONTACT as never }),
        'NotFound',
      ],
      [
        "log another tenant's contact",
        () => world().t.interactions.log({ ...base(), contactId: world().foreign.contact.id }),
        'NotFound',
      ],
      [
        "log another tenant's campaign",
        () => world().t.interactions.log({ ...base(), campaignId: world().foreign.campaign.id }),
        'ValidationFailed',
        'campaignId',
      ],
      [
        'log an unknown case',
        () => world().t.interactions.log({ ...base(), caseId: 'cs_nope' as never }),
        'ValidationFailed',
        'caseId',
      ],
      [
        "log another tenant's case",
        () => world().t.interactions.log({ ...base(), caseId: world().foreign.kase.id }),
        'ValidationFailed',
        'caseId',
      ],
      [
        'log an unknown agent',
        () => world().t.interactions.log({ ...base(), agentId: 'ag_nope' as never }),
        'ValidationFailed',
        'agentId',
      ],
      [
        'log a disposition outside the campaign set',
        () =>
          world().t.interactions.log({
            ...base(),
            channel: 'voice',
            direction: 'outbound',
            campaignId: world().campaign.id,
            disposition: 'EXPLODED',
          }),
        'ValidationFailed',
        'disposition',
      ],
      ['get(undefined)', () => world().t.interactions.get(undefined as never), 'ValidationFailed', 'id'],
      ['get an unknown id', () => world().t.interactions.get('in_nope' as never), 'NotFound'],
    ]
    for (const [label, call, tag, field] of cases) it(label, () => expectFailure(call, tag, field))
  })
}
