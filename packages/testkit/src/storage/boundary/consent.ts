import { describe, expect, it } from 'vitest'
import { type BoundaryWorld, type Case_, expectFailure, HUGE, NUL, UNKNOWN_CONTACT } from './harness.js'

/** consent.*: every public method with bad input, and the questions it must never answer "allowed". */
export function consentBoundary(world: () => BoundaryWorld): void {
  describe('consent', () => {
    const q = { channel: 'voice', purpose: 'marketing' } as const
    const cases: Case_[] = [
      ['record(undefined)', () => world().t.consent.record(undefined as never), 'ValidationFailed', ''],
      [
        'record channel "Voice"',
        () =>
          world().t.consent.record({
            contactId: world().contact.id,
            channel: 'Voice' as never,
            purpose: 'marketing',
            status: 'opted_out',
            source: 'call',
          }),
        'ValidationFailed',
        'channel',
      ],
      [
        'record channel "phone"',
        () =>
          world().t.consent.record({
            contactId: world().contact.id,
            channel: 'phone' as never,
            purpose: 'marketing',
            status: 'opted_out',
            source: 'call',
          }),
        'ValidationFailed',
        'channel',
      ],
      [
        'record an undeclared purpose',
        () =>
          world().t.consent.record({
            contactId: world().contact.id,
            channel: 'voice',
            purpose: 'marketting',
            status: 'opted_out',
            source: 'call',
          }),
        'ValidationFailed',
        'purpose',
      ],
      [
        'record status "yes"',
        () =>
          world().t.consent.record({
            contactId: world().contact.id,
            channel: 'voice',
            purpose: 'marketing',
            status: 'yes' as never,
            source: 'call',
          }),
        'ValidationFailed',
        'status',
      ],
      [
        'record without a source',
        () =>
          world().t.consent.record({
            contactId: world().contact.id,
            channel: 'voice',
            purpose: 'marketing',
            status: 'opted_in',
          } as never),
        'ValidationFailed',
        'source',
      ],
      [
        'record capturedAt "not a date"',
        () =>
          world().t.consent.record({
            contactId: world().contact.id,
            channel: 'voice',
            purpose: 'marketing',
            status: 'opted_in',
            source: 'form',
            capturedAt: 'not a date' as never,
          }),
        'ValidationFailed',
        'capturedAt',
      ],
      [
        'record captured in the year 3000',
        () =>
          world().t.consent.record({
            contactId: world().contact.id,
            channel: 'voice',
            purpose: 'marketing',
            status: 'opted_in',
            source: 'form',
            capturedAt: new Date('3000-01-01T00:00:00Z'),
          }),
        'ValidationFailed',
        'capturedAt',
      ],
      [
        'record expiring before capture',
        () =>
          world().t.consent.record({
            contactId: world().contact.id,
            channel: 'voice',
            purpose: 'marketing',
            status: 'opted_in',
            source: 'form',
            capturedAt: new Date('2026-02-01T00:00:00Z'),
            expiresAt: new Date('2026-01-01T00:00:00Z'),
          }),
        'ValidationFailed',
        'expiresAt',
      ],
      [
        'record a NUL in the evidence',
        () =>
          world().t.consent.record({
            contactId: world().contact.id,
            channel: 'voice',
            purpose: 'marketing',
            status: 'opted_in',
            source: 'form',
            evidence: NUL,
          }),
        'ValidationFailed',
        'evidence',
      ],
      [
        'record unknown key',
        () =>
          world().t.consent.record({
            contactId: world().contact.id,
            channel: 'voice',
            purpose: 'marketing',
            status: 'opted_in',
            source: 'form',
            basis: 'consent',
          } as never),
        'ValidationFailed',
        'basis',
      ],
      [
        "record for another tenant's contact",
        () =>
          world().t.consent.record({
            contactId: world().foreign.contact.id,
            channel: 'voice',
            purpose: 'marketing',
            status: 'opted_out',
            source: 'x',
          }),
        'NotFound',
      ],
      [
        'history(undefined)',
        () => world().t.consent.history(undefined as never),
        'ValidationFailed',
        'contactId',
      ],
      [
        'history of an unknown contact',
        () => world().t.consent.history(UNKNOWN_CONTACT as never),
        'NotFound',
      ],
      [
        'canContact(undefined)',
        () => world().t.consent.canContact(world().contact.id, undefined as never),
        'ValidationFailed',
        '',
      ],
      [
        'canContact channel "Voice"',
        () =>
          world().t.consent.canContact(world().contact.id, {
            channel: 'Voice' as never,
            purpose: 'Marketing',
          }),
        'ValidationFailed',
        'channel',
      ],
      [
        'canContact channel "phone"',
        () =>
          world().t.consent.canContact(world().contact.id, {
            channel: 'phone' as never,
            purpose: 'marketing',
          }),
        'ValidationFailed',
        'channel',
      ],
      [
        'canContact an undeclared purpose',
        () => world().t.consent.canContact(world().contact.id, { channel: 'voice', purpose: 'marketting' }),
        'ValidationFailed',
        'purpose',
      ],
      [
        'canContact without a purpose or campaign',
        () => world().t.consent.canContact(world().contact.id, { channel: 'voice' }),
        'ValidationFailed',
        'purpose',
      ],
      [
        'canContact at "not a date"',
        () => world().t.consent.canContact(world().contact.id, { ...q, at: 'not a date' }),
        'ValidationFailed',
        'at',
      ],
      [
        'canContact windows "always"',
        () => world().t.consent.canContact(world().contact.id, { ...q, windows: 'always' } as never),
        'ValidationFailed',
        'windows',
      ],
      [
        'canContact requireOptIn (the campaign decides)',
        () => world().t.consent.canContact(world().contact.id, { ...q, requireOptIn: true } as never),
        'ValidationFailed',
        'requireOptIn',
      ],
      [
        "canContact another tenant's campaign",
        () =>
          world().t.consent.canContact(world().contact.id, {
            channel: 'voice',
            campaignId: world().foreign.campaign.id,
          }),
        'NotFound',
      ],
      [
        'canContact a purpose other than the campaign’s',
        () =>
          world().t.consent.canContact(world().contact.id, {
            channel: 'voice',
            purpose: 'collections',
            campaignId: world().campaign.id,
          }),
        'ValidationFailed',
        'purpose',
      ],
      [
        'canContact a bad phone',
        () => world().t.consent.canContact(world().contact.id, { ...q, phone: '12' }),
        'ValidationFailed',
        'phone',
      ],
      [
        'canContact contactId 42',
        () => world().t.consent.canContact(42 as never, q),
        'ValidationFailed',
        'contactId',
      ],
      [
        'addToDoNotCall(undefined)',
        () => world().t.consent.addToDoNotCall(undefined as never),
        'ValidationFailed',
        '',
      ],
      [
        'addToDoNotCall phone 12',
        () => world().t.consent.addToDoNotCall({ phone: '12', source: 'agent' }),
        'ValidationFailed',
        'phone',
      ],
      [
        'addToDoNotCall without a source',
        () => world().t.consent.addToDoNotCall({ phone: '+14155550100' } as never),
        'ValidationFailed',
        'source',
      ],
      [
        'addToDoNotCall an expiry in the past',
        () =>
          world().t.consent.addToDoNotCall({
            phone: '+14155550100',
            source: 'agent',
            expiresAt: new Date('2020-01-01T00:00:00Z'),
          }),
        'ValidationFailed',
        'expiresAt',
      ],
      [
        'addToDoNotCall a huge reason',
        () => world().t.consent.addToDoNotCall({ phone: '+14155550100', source: 'agent', reason: HUGE }),
        'ValidationFailed',
        'reason',
      ],
      [
        'addToDoNotCall defaultCountry "Spain"',
        () =>
          world().t.consent.addToDoNotCall({ phone: '612345678', source: 'agent', defaultCountry: 'Spain' }),
        'ValidationFailed',
        'defaultCountry',
      ],
      [
        'removeFromDoNotCall(undefined)',
        () => world().t.consent.removeFromDoNotCall(undefined as never),
        'ValidationFailed',
        'phone',
      ],
      [
        'removeFromDoNotCall list 42',
        () => world().t.consent.removeFromDoNotCall('+14155550100', 42 as never),
        'ValidationFailed',
        'list',
      ],
      ['isOnDoNotCall("abc")', () => world().t.consent.isOnDoNotCall('abc'), 'ValidationFailed', 'phone'],
      [
        'declarePurpose "*"',
        () => world().t.consent.declarePurpose({ name: '*' }),
        'ValidationFailed',
        'name',
      ],
      [
        'declarePurpose unknown key',
        () => world().t.consent.declarePurpose({ name: 'x', optIn: true } as never),
        'ValidationFailed',
        'optIn',
      ],
    ]
    for (const [label, call, tag, field] of cases) it(label, () => expectFailure(call, tag, field))

    it('after a voice opt-out for Marketing, no spelling of the question answers "allowed"', async () => {
      const { t } = world()
      const c = await t.contacts.create({
        lastName: 'Optout',
        phones: ['+34 612 000 777'],
        timeZone: 'Europe/Madrid',
      })
      await t.consent.record({
        contactId: c.id,
        channel: 'voice',
        purpose: 'Marketing',
        status: 'opted_out',
        source: 'call',
        capturedAt: new Date('2026-01-01T00:00:00Z'),
      })
      const at = new Date('2026-03-11T11:00:00Z') // 12:00 in Madrid, a Wednesday
      for (const purpose of ['marketing', 'Marketing', 'MARKETING', ' marketing ']) {
        const d = await t.consent.canContact(c.id, { channel: 'voice', purpose: purpose.trim(), at })
        expect(d.allowed).toBe(false)
        expect(d.reasons.map((r) => r.code)).toContain('opted_out')
      }
      for (const channel of ['Voice', 'phone', 'VOICE', 'call']) {
        await expectFailure(
          () => t.consent.canContact(c.id, { channel: channel as never, purpose: 'marketing', at }),
          'ValidationFailed',
          'channel',
        )
      }
    })
  })
}
