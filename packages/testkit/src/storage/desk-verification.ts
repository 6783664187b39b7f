import { createSwitchboard, type StorageBackend, type Switchboard } from '@switchboard/core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'

/**
 * Identity verification on a backend: a number shared by two contacts, the
 * questions over their data, the answers narrowing to one, and the result
 * logged by interaction and by call, within the tenant.
 */
export function deskVerificationConformance(create: () => Promise<StorageBackend>): void {
  describe('desk: identity verification', () => {
    let sb: Switchboard
    beforeAll(async () => {
      sb = await createSwitchboard({ storage: await create(), outbox: false })
    })
    afterAll(async () => {
      await sb?.close()
    })

    it("verifies a caller on his grandmother's phone and logs the result on the interaction", async () => {
      const t = sb.tenant('verify-home')
      const landline = '+34 915 550 101'
      const carmen = await t.contacts.create({
        firstName: 'Carmen',
        phones: [landline],
        address: { postalCode: '28001' },
        attributes: { dateOfBirth: '1941-02-03' },
      })
      const pablo = await t.contacts.create({
        firstName: 'Pablo',
        phones: [landline],
        address: { postalCode: '28001' },
        attributes: { dateOfBirth: '2004-11-30' },
      })
      const pop = await t.contacts.screenPop(landline)
      expect(pop.status).toBe('ambiguous')
      if (pop.status !== 'ambiguous') return
      const questions = await t.contacts.verification(pop.candidates)
      expect(questions[0]).toMatchObject({ field: 'dateOfBirth', known: 2, distinct: 2 })
      const call = await t.interactions.log({ contactId: pablo.id, channel: 'voice', direction: 'inbound' })
      const same = await t.contacts.verify(pop.candidates, { postalCode: '28 001' }, { callId: 'call-7' })
      expect(same.status).toBe('ambiguous')
      const r = await t.contacts.verify(
        [carmen.id, pablo.id],
        { dateOfBirth: '30/11/2004', postalCode: '28001' },
        { interactionId: call.id, callId: 'call-7' },
      )
      expect(r.status).toBe('verified')
      expect(r.status === 'verified' && r.contact.id).toBe(pablo.id)
      expect(r.logged).toMatchObject({ interactionId: call.id, contactId: pablo.id, status: 'verified' })
      const onCall = await t.contacts.verifications({ callId: 'call-7' })
      expect(onCall.map((c) => [c.status, c.asked])).toEqual([
        ['ambiguous', ['postalCode']],
        ['verified', ['dateOfBirth', 'postalCode']],
      ])
      const onInteraction = await t.contacts.verifications({ interactionId: call.id })
      expect(onInteraction).toEqual([r.logged])
      // What the caller said is not kept, only which fields matched.
      expect(JSON.stringify(onInteraction)).not.toContain('2004')
      const wrong = await t.contacts.verify([carmen.id, pablo.id], { dateOfBirth: '1990-01-01' })
      expect(wrong).toMatchObject({ status: 'failed' })
      expect(wrong.logged).toBeUndefined()
    })

    it('refuses contacts of another tenant, unknown fields and empty answers', async () => {
      const t = sb.tenant('verify-a')
      const stranger = sb.tenant('verify-b')
      const ana = await t.contacts.create({ firstName: 'Ana', account: 'AC-1' })
      await expect(stranger.contacts.verification([ana.id])).rejects.toMatchObject({
        _tag: 'NotFound',
        id: ana.id,
      })
      await expect(t.contacts.verify([ana.id], {})).rejects.toMatchObject({ _tag: 'ValidationFailed' })
      await expect(
        t.contacts.verify([ana.id], { account: 'AC-1', shoeSize: '42' } as never),
      ).rejects.toMatchObject({
        _tag: 'ValidationFailed',
        issues: [{ field: 'answers.shoeSize' }],
      })
      expect(await t.contacts.verify([ana.id], { account: 'ac 1' })).toMatchObject({ status: 'verified' })
      await expect(
        t.contacts.verify([ana.id], { account: 'AC-1' }, { callId: 'c', agentId: 'ag_nobody' as never }),
      ).rejects.toMatchObject({ _tag: 'ValidationFailed', issues: [{ field: 'options.agentId' }] })
      expect(await stranger.contacts.verifications({ callId: 'call-7' })).toEqual([])
    })
  })
}
