import type { Switchboard } from '@switchboard/core'
import { describe, expect, it } from 'vitest'

/** What a person typed is kept, and what is derived from it follows when it changes. */
export function keptConformance(sb: () => Switchboard): void {
  describe('what a person typed is kept', () => {
    it('stores names exactly as typed (only the white space around them trimmed)', async () => {
      const t = sb().tenant('kept')
      for (const [firstName, lastName] of [
        ['DROP TABLE', 'contacts'],
        ['John', 'SMITH III'],
        ['', 'DJ'],
        ['Angus', 'MACDONALD'],
        ['bell', 'hooks'],
        ['李', '小龍'],
        ['Zoë 🎉', "O'Neil-Ñúñez"],
      ]) {
        const c = await t.contacts.create({ ...(firstName ? { firstName } : {}), lastName: ` ${lastName} ` })
        const read = await t.contacts.get(c.id)
        expect(read.lastName).toBe(lastName)
        expect(read.firstName).toBe(firstName || undefined)
        expect(read.displayName).toBe([firstName, lastName].filter(Boolean).join(' '))
      }
    })

    it('keeps white space inside notes and bodies', async () => {
      const t = sb().tenant('kept')
      const c = await t.contacts.create({ lastName: 'Notes' })
      const body = '  Called twice.\n\n\tLeft a  message;   will retry.  '
      const i = await t.interactions.log({ contactId: c.id, channel: 'note', direction: 'internal', body })
      expect((await t.interactions.get(i.id)).body).toBe(body)
      expect((await t.contacts.timeline(c.id))[0]?.body).toBe(body)
    })

    it('recomputes a derived display name when the names change, keeps one the host gave', async () => {
      const t = sb().tenant('kept')
      const derived = await t.contacts.create({ firstName: 'Ana', lastName: 'Ruiz' })
      const renamed = await t.contacts.update(derived.id, { lastName: 'García' })
      expect(renamed.displayName).toBe('Ana García')
      const given = await t.contacts.create({ firstName: 'Robert', lastName: 'Smith', displayName: 'Bob' })
      expect((await t.contacts.update(given.id, { lastName: 'Jones' })).displayName).toBe('Bob')
      expect((await t.contacts.update(given.id, { displayName: null })).displayName).toBe('Robert Jones')
    })

    it('shows the new name on the screen pop after an update', async () => {
      const t = sb().tenant('kept')
      const c = await t.contacts.create({ firstName: 'Pop', lastName: 'Old', phones: ['+14155550190'] })
      await t.contacts.update(c.id, { lastName: 'New' })
      const pop = await t.contacts.screenPop('+14155550190')
      expect(pop.status === 'identified' && pop.contact.displayName).toBe('Pop New')
    })

    it('an externalRef is unique per tenant, and free in another tenant', async () => {
      const t = sb().tenant('kept')
      await t.contacts.create({ lastName: 'Ref', externalRef: 'ERP-1' })
      await expect(t.contacts.create({ lastName: 'Ref2', externalRef: 'ERP-1' })).rejects.toMatchObject({
        _tag: 'Conflict',
      })
      const other = await t.contacts.create({ lastName: 'Ref3' })
      await expect(t.contacts.update(other.id, { externalRef: 'ERP-1' })).rejects.toMatchObject({
        _tag: 'Conflict',
      })
      expect(
        (await sb().tenant('kept-other').contacts.create({ lastName: 'Ref', externalRef: 'ERP-1' }))
          .externalRef,
      ).toBe('ERP-1')
    })
  })
}
