import { Campaigns, Consent, Contacts, createSwitchboard, type TenantId } from '@switchboard/core'
import { sqliteStorage } from '@switchboard/storage-sqlite'
import { Effect, Layer } from 'effect'
import { TestClock } from 'effect/testing'
import { describe, expect, it } from 'vitest'

const t1 = 't1' as TenantId

describe('Effect inside, for real', () => {
  it('services read the time from Effect Clock, so a TestClock controls it', async () => {
    const sb = await createSwitchboard({ storage: sqliteStorage({ file: ':memory:' }) })
    const at = Date.parse('2026-03-11T11:00:00Z') // 12:00 in Madrid, a Wednesday
    const program = Effect.gen(function* () {
      yield* TestClock.setTime(at)
      const contacts = yield* Contacts
      const consent = yield* Consent
      const c = yield* contacts.create(t1, { firstName: 'Clock', phones: ['+34 612 345 678'] })
      const noon = yield* consent.canContact(t1, c.id, { channel: 'voice', purpose: 'marketing' })
      yield* TestClock.adjust('10 hours') // 22:00 in Madrid
      const night = yield* consent.canContact(t1, c.id, { channel: 'voice', purpose: 'marketing' })
      return { c, noon, night }
    })
    const { c, noon, night } = await Effect.runPromise(
      Effect.provide(program, Layer.merge(sb.layer, TestClock.layer())),
    )
    expect(c.createdAt.getTime()).toBe(at)
    expect(noon.allowed).toBe(true)
    expect(night.reasons.map((r) => r.code)).toEqual(['outside_calling_hours'])
    await sb.close()
  })

  it('the Promise API runs through the instance runtime, and Effect users can use it too', async () => {
    const sb = await createSwitchboard({ storage: sqliteStorage({ file: ':memory:' }) })
    const camp = await sb.runtime.runPromise(
      Campaigns.use((campaigns) =>
        campaigns.create(t1, {
          name: 'Via runtime',
          kind: 'survey',
          dialMode: { mode: 'preview' },
          regime: 'UK',
          consentPurpose: 'survey',
        }),
      ),
    )
    expect((await sb.tenant('t1').campaigns.get(camp.id)).regime.noRecallAfterAbandonSec).toBe(72 * 3600)
    await sb.close()
  })
})
