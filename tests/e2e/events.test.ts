import { createSwitchboard, definePlugin, type SwitchboardEvents } from '@switchboard/core'
import { sqliteStorage } from '@switchboard/storage-sqlite'
import { describe, expect, it } from 'vitest'

const storage = () => sqliteStorage({ file: ':memory:' })

describe('events are delivered after commit, and a handler never fails a committed write', () => {
  it('a throwing handler does not reject contacts.create: the contact exists once, the failure is reported', async () => {
    const failures: Array<SwitchboardEvents['handler.failed']> = []
    const plugin = definePlugin({
      id: 'boom',
      on: {
        'contact.created': () => {
          throw new Error('handler bug')
        },
      },
    })
    const sb = await createSwitchboard({ storage: storage(), plugins: [plugin] })
    sb.on('handler.failed', (e) => void failures.push(e))
    const t = sb.tenant('t1')
    const c = await t.contacts.create({ firstName: 'Once', phones: ['+14155550101'] })
    expect((await t.contacts.get(c.id)).firstName).toBe('Once')
    expect(await t.contacts.count()).toBe(1)
    expect(failures).toHaveLength(1)
    expect(failures[0]!.event).toBe('contact.created')
    expect(String(failures[0]!.error)).toMatch(/handler bug/)
    await sb.close()
  })

  it('with nobody listening to handler.failed, the failure goes to the instance log', async () => {
    const logged: string[] = []
    const sb = await createSwitchboard({
      storage: storage(),
      log: (message, error) => void logged.push(`${message}: ${String(error)}`),
    })
    sb.on('contact.created', async () => {
      throw new Error('async bug')
    })
    await sb.tenant('t1').contacts.create({ firstName: 'Logged' })
    await sb.idle()
    expect(logged).toEqual([expect.stringMatching(/"contact.created" failed .*async bug/)])
    await sb.close()
  })

  it('async handlers are queued: the write returns before them, idle() and close() wait for them', async () => {
    const sb = await createSwitchboard({ storage: storage() })
    const done: string[] = []
    let release!: () => void
    const gate = new Promise<void>((r) => (release = r))
    sb.on('contact.created', async (e) => {
      await gate
      done.push(e.contact.displayName)
    })
    await sb.tenant('t1').contacts.create({ firstName: 'Queued' })
    expect(done).toEqual([]) // the write did not wait for the handler
    const idle = sb.idle()
    release()
    await idle
    expect(done).toEqual(['Queued'])
    await sb.close()
  })

  it('an event is published only for a write that committed', async () => {
    const sb = await createSwitchboard({ storage: storage() })
    const created: string[] = []
    sb.on('contact.created', (e) => void created.push(e.contact.id))
    const t = sb.tenant('t1')
    await t.contacts.create({ firstName: 'A', externalRef: 'ref-1' })
    await expect(t.contacts.create({ firstName: 'B', externalRef: 'ref-1' })).rejects.toMatchObject({
      _tag: 'Conflict',
    })
    expect(created).toHaveLength(1)
    await sb.close()
  })

  it('an opt-out of every purpose and the suppression of the leads commit together, then one event', async () => {
    const sb = await createSwitchboard({ storage: storage() })
    const t = sb.tenant('t1')
    const events: Array<SwitchboardEvents['consent.changed']> = []
    sb.on('consent.changed', (e) => void events.push(e))
    const c = await t.contacts.create({ firstName: 'Debtor', phones: ['+14155550102'] })
    const camp = await t.campaigns.create({
      name: 'Collections',
      kind: 'collections',
      dialMode: { mode: 'progressive' },
      regime: 'US',
      consentPurpose: 'collections',
    })
    await t.lists.enqueue(camp.id, [c.id])
    await t.consent.record({
      contactId: c.id,
      channel: 'voice',
      purpose: '*',
      status: 'opted_out',
      source: 'call',
    })
    expect((await t.lists.counts(camp.id)).suppressed).toBe(1)
    expect(events.map((e) => e.suppressedLeads)).toEqual([1])
    await sb.close()
  })
})
