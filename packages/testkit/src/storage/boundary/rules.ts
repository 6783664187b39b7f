import { describe, it } from 'vitest'
import { type BoundaryWorld, type Case_, expectFailure, HUGE, NUL } from './harness.js'

const tag = [{ type: 'tag', tag: 'x' }] as const

/** rules.* and events.*: every public method with bad input. */
export function rulesBoundary(world: () => BoundaryWorld): void {
  describe('rules and events', () => {
    const r = () => world().t.rules
    const e = () => world().t.events
    const cases: Case_[] = [
      ['create(undefined)', () => r().create(undefined as never), 'ValidationFailed', ''],
      [
        'create without actions',
        () => r().create({ name: 'R', on: 'contact.created', actions: [] }),
        'ValidationFailed',
        'actions',
      ],
      [
        'create on an unknown event',
        () => r().create({ name: 'R', on: 'contact.deleted', actions: tag }),
        'ValidationFailed',
        'on',
      ],
      [
        'create on a malformed event',
        () => r().create({ name: 'R', on: 'Contact Created', actions: tag }),
        'ValidationFailed',
        'on',
      ],
      [
        'create a 1 MB name',
        () => r().create({ name: HUGE, on: 'contact.created', actions: tag }),
        'ValidationFailed',
        'name',
      ],
      [
        'create a NUL tag',
        () => r().create({ name: 'R', on: 'contact.created', actions: [{ type: 'tag', tag: NUL }] }),
        'ValidationFailed',
        /actions/,
      ],
      [
        'create a bad payload path',
        () =>
          r().create({
            name: 'R',
            on: 'contact.created',
            when: { payload: [{ path: 'a..b', op: 'exists' }] },
            actions: tag,
          }),
        'ValidationFailed',
        /when\.payload/,
      ],
      [
        "create a suppression for another tenant's campaign",
        () =>
          r().create({
            name: 'R',
            on: 'contact.created',
            actions: [{ type: 'suppress', campaignId: world().foreign.campaign.id, reason: 'x' }],
          }),
        'ValidationFailed',
        'actions[0].campaignId',
      ],
      [
        'create an owner from another tenant',
        () =>
          r().create({
            name: 'R',
            on: 'contact.created',
            actions: [{ type: 'setField', field: 'ownerId', value: world().foreign.agent.id }],
          }),
        'ValidationFailed',
        'actions[0].value',
      ],
      [
        'create a callback 2 years out',
        () =>
          r().create({
            name: 'R',
            on: 'contact.created',
            actions: [
              { type: 'scheduleCallback', campaignId: world().campaign.id, afterMinutes: 2 * 525_600 },
            ],
          }),
        'ValidationFailed',
        /actions/,
      ],
      ['get(undefined)', () => r().get(undefined as never), 'ValidationFailed', 'id'],
      ['get an unknown rule', () => r().get('ru_nope' as never), 'NotFound'],
      ['update an unknown rule', () => r().update('ru_nope' as never, { enabled: false }), 'NotFound'],
      ['list limit 5000', () => r().list({ limit: 5000 }), 'ValidationFailed', 'page.limit'],
      ['firings limit 0', () => r().firings({ limit: 0 }), 'ValidationFailed', 'query.limit'],
      [
        'firings unknown key',
        () => r().firings({ contact: 'x' } as never),
        'ValidationFailed',
        'query.contact',
      ],
      ['record(undefined)', () => e().record(undefined as never, {}), 'ValidationFailed', 'type'],
      ['record an undeclared event', () => e().record('payment.recorded', {}), 'ValidationFailed', 'type'],
      ["record core's own event", () => e().record('contact.created', {}), 'ValidationFailed', 'type'],
      ['list limit 5000', () => e().list({ limit: 5000 }), 'ValidationFailed', 'options.limit'],
      ['list a bad cursor', () => e().list({ after: 42 as never }), 'ValidationFailed', 'options.after'],
      ['follow without a handler', () => e().follow(undefined as never), 'ValidationFailed', 'handler'],
      [
        'follow every 5 ms',
        () => e().follow(() => {}, { intervalMs: 5 }),
        'ValidationFailed',
        'options.intervalMs',
      ],
      [
        'follow unknown key',
        () => e().follow(() => {}, { every: 5 } as never),
        'ValidationFailed',
        'options.every',
      ],
      [
        'follow a malformed type',
        () => e().follow(() => {}, { types: ['Payment'] }),
        'ValidationFailed',
        /options\.types/,
      ],
    ]
    for (const [label, call, t, field] of cases) it(label, () => expectFailure(call, t, field))
  })
}
