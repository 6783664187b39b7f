import { describe, expect, it } from 'vitest'
import { type BoundaryWorld, type Case_, expectFailure, HUGE, NUL } from './harness.js'

/** campaigns.*: every public method with bad input, and the lifecycle. */
export function campaignsBoundary(world: () => BoundaryWorld): void {
  describe('campaigns', () => {
    const base = {
      name: 'B',
      kind: 'telemarketing',
      dialMode: { mode: 'progressive' },
      regime: 'US',
      consentPurpose: 'marketing',
    } as const
    const cases: Case_[] = [
      ['create(undefined)', () => world().t.campaigns.create(undefined as never), 'ValidationFailed', ''],
      [
        'create unknown key',
        () => world().t.campaigns.create({ ...base, purpose: 'marketing' } as never),
        'ValidationFailed',
        'purpose',
      ],
      [
        'create regime "FR"',
        () => world().t.campaigns.create({ ...base, regime: 'FR' as never }),
        'ValidationFailed',
        'regime',
      ],
      [
        'create dial mode "turbo"',
        () => world().t.campaigns.create({ ...base, dialMode: { mode: 'turbo' } as never }),
        'ValidationFailed',
        'dialMode.mode',
      ],
      [
        'create power with 50 lines',
        () => world().t.campaigns.create({ ...base, dialMode: { mode: 'power', linesPerAgent: 50 } }),
        'ValidationFailed',
        'dialMode.linesPerAgent',
      ],
      [
        'create a 21:00-09:00 window',
        () =>
          world().t.campaigns.create({
            ...base,
            regime: {
              name: 'X',
              callingWindows: [{ days: [1], start: '21:00', end: '09:00' }],
              abandonment: {
                formula: 'us',
                limit: 0.03,
                windowSec: 86400,
                maxWaitSec: 2,
                amdFalsePositiveRate: 0.03,
              },
            },
          }),
        'ValidationFailed',
        'regime.callingWindows[0].end',
      ],
      [
        'create holiday 2026-02-31',
        () =>
          world().t.campaigns.create({
            ...base,
            regime: {
              name: 'X',
              callingWindows: [{ days: [1], start: '09:00', end: '21:00' }],
              holidays: ['2026-02-31'],
              abandonment: {
                formula: 'us',
                limit: 0.03,
                windowSec: 86400,
                maxWaitSec: 2,
                amdFalsePositiveRate: 0.03,
              },
            },
          }),
        'ValidationFailed',
        'regime.holidays[0]',
      ],
      [
        'create an abandonment limit of 3 (not 3%)',
        () =>
          world().t.campaigns.create({
            ...base,
            regime: {
              name: 'X',
              callingWindows: [{ days: [1], start: '09:00', end: '21:00' }],
              abandonment: {
                formula: 'us',
                limit: 3,
                windowSec: 86400,
                maxWaitSec: 2,
                amdFalsePositiveRate: 0.03,
              },
            },
          }),
        'ValidationFailed',
        'regime.abandonment.limit',
      ],
      [
        'create an undeclared purpose',
        () => world().t.campaigns.create({ ...base, consentPurpose: 'spam' }),
        'ValidationFailed',
        'consentPurpose',
      ],
      [
        'create purpose "*"',
        () => world().t.campaigns.create({ ...base, consentPurpose: '*' }),
        'ValidationFailed',
        'consentPurpose',
      ],
      [
        'create a 1 MB name',
        () => world().t.campaigns.create({ ...base, name: HUGE }),
        'ValidationFailed',
        'name',
      ],
      [
        'create a NUL name',
        () => world().t.campaigns.create({ ...base, name: NUL }),
        'ValidationFailed',
        'name',
      ],
      [
        'create attempts.max 0',
        () => world().t.campaigns.create({ ...base, attempts: { max: 0 } }),
        'ValidationFailed',
        'attempts.max',
      ],
      [
        'create a caller id that is not E.164',
        () => world().t.campaigns.create({ ...base, callerId: '555-1234' as never }),
        'ValidationFailed',
        'callerId',
      ],
      ['get(undefined)', () => world().t.campaigns.get(undefined as never), 'ValidationFailed', 'id'],
      [
        "get another tenant's campaign",
        () => world().t.campaigns.get(world().foreign.campaign.id),
        'NotFound',
      ],
      ['list limit 0', () => world().t.campaigns.list({ limit: 0 }), 'ValidationFailed', 'page.limit'],
      [
        'setStatus("exploded")',
        () => world().t.campaigns.setStatus(world().campaign.id, 'exploded' as never),
        'ValidationFailed',
        'status',
      ],
      [
        'setStatus(undefined)',
        () => world().t.campaigns.setStatus(world().campaign.id, undefined as never),
        'ValidationFailed',
        'status',
      ],
      [
        "setStatus another tenant's campaign",
        () => world().t.campaigns.setStatus(world().foreign.campaign.id, 'active'),
        'NotFound',
      ],
    ]
    for (const [label, call, tag, field] of cases) it(label, () => expectFailure(call, tag, field))

    it('enforces the lifecycle and publishes each transition', async () => {
      const { t, sb } = world()
      const seen: string[] = []
      const off = sb.on('campaign.status_changed', (e) => void seen.push(`${e.from}->${e.to}`))
      const c = await t.campaigns.create(base)
      expect(c.status).toBe('draft')
      await expectFailure(() => t.campaigns.setStatus(c.id, 'paused'), 'Conflict')
      await t.campaigns.setStatus(c.id, 'active')
      await t.campaigns.setStatus(c.id, 'paused')
      await t.campaigns.setStatus(c.id, 'active')
      await t.campaigns.setStatus(c.id, 'completed')
      await expectFailure(() => t.campaigns.setStatus(c.id, 'active'), 'Conflict')
      off()
      expect(seen).toEqual(['draft->active', 'active->paused', 'paused->active', 'active->completed'])
      expect((await t.campaigns.get(c.id)).status).toBe('completed')
    })
  })
}
