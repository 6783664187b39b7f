import {
  Contacts,
  createSwitchboard,
  definePlugin,
  notFound,
  scopedStore,
  type TenantId,
  validationFailed,
} from '@switchboard/core'
import { sqliteStorage } from '@switchboard/storage-sqlite'
import { Effect } from 'effect'
import { describe, expect, it } from 'vitest'

const memoryStorageForTests = () => sqliteStorage({ file: ':memory:' })

describe('errors', () => {
  it('say what failed, with the field and value, and what to do', () => {
    const e = validationFailed('contact', [{ field: 'phones[0]', value: '12', message: 'too few digits' }])
    expect(e.message).toBe('invalid contact: phones[0] = "12": too few digits')
    expect(e).toBeInstanceOf(Error)
    expect(notFound('case', 'cs_1').message).toMatch(
      /check the id, or that you are using the tenant that owns it/,
    )
  })
})

describe('createSwitchboard', () => {
  it('refuses a plugin whose needs the instance lacks', async () => {
    const plugin = definePlugin({ id: 'dialer-bridge', needs: ['telephony'] })
    const err = await createSwitchboard({ storage: memoryStorageForTests(), plugins: [plugin] }).catch(
      (e) => e,
    )
    expect(err._tag).toBe('ValidationFailed')
    expect(err.message).toContain('plugins[dialer-bridge].needs = "telephony"')
  })

  it('refuses outbox and origin options it cannot honour, naming them', async () => {
    const bad = await createSwitchboard({
      storage: memoryStorageForTests(),
      outbox: { intervalMs: -1 },
    }).catch((e) => e)
    expect(bad._tag).toBe('ValidationFailed')
    expect(bad.issues[0].field).toBe('outbox.intervalMs')
    const unknown = await createSwitchboard({
      storage: memoryStorageForTests(),
      outbox: { every: 5 } as never,
    }).catch((e) => e)
    expect(unknown.issues[0].field).toBe('outbox.every')
    const origin = await createSwitchboard({
      storage: memoryStorageForTests(),
      origin: 'api server 1',
    }).catch((e) => e)
    expect(origin.issues[0]).toMatchObject({ field: 'origin', value: 'api server 1' })
  })

  it('delivers domain events to plugin handlers and subscribers', async () => {
    const seen: string[] = []
    const plugin = definePlugin({
      id: 'audit',
      on: { 'contact.created': (e) => void seen.push(`plugin:${e.contact.displayName}`) },
    })
    const sb = await createSwitchboard({ storage: memoryStorageForTests(), plugins: [plugin] })
    const off = sb.on('contact.created', (e) => seen.push(`host:${e.tenantId}`))
    await sb.tenant('t1').contacts.create({ firstName: 'Eve' })
    off()
    await sb.tenant('t1').contacts.create({ firstName: 'Mallory' })
    expect(seen).toEqual(['plugin:Eve', 'host:t1', 'plugin:Mallory'])
    await sb.close()
  })

  it('offers the same services as Effect layers', async () => {
    const sb = await createSwitchboard({ storage: memoryStorageForTests() })
    const program = Effect.gen(function* () {
      const contacts = yield* Contacts
      const c = yield* contacts.create('t1' as never, { firstName: 'Effect', lastName: 'User' })
      return yield* contacts.get('t1' as never, c.id)
    })
    const c = await Effect.runPromise(Effect.provide(program, sb.layer))
    expect(c.displayName).toBe('Effect User')
    const failed = await Effect.runPromise(
      Effect.provide(
        Effect.flip(
          Effect.gen(function* () {
            return yield* (yield* Contacts).get('t1' as never, 'ct_x' as never)
          }),
        ),
        sb.layer,
      ),
    )
    expect(failed._tag).toBe('NotFound')
    await sb.close()
  })
})

describe('tenant guard', () => {
  it('refuses to write an entity of one tenant through the store of another', async () => {
    const sb = await createSwitchboard({ storage: memoryStorageForTests() })
    const mine = await sb.tenant('a').contacts.create({ firstName: 'Mine' })
    const other = scopedStore(sb.storage, 'b' as TenantId)
    const err = await other.contacts.insert(mine).catch((e) => e)
    expect(err._tag).toBe('ForbiddenTenant')
    expect(err.reason).toBe('forbidden_tenant')
    expect(err.message).toMatch(/use switchboard.tenant\(id\)/)
    const inTx = await other.transaction((tx) => tx.contacts.update(mine)).catch((e) => e)
    expect(inTx._tag).toBe('ForbiddenTenant')
    expect(await scopedStore(sb.storage, 'b' as TenantId).contacts.count()).toBe(0)
    await sb.close()
  })
})
