import { createSwitchboard, type StorageBackend, type Switchboard } from '@switchboard/core'
import { afterAll, beforeAll } from 'vitest'

/**
 * Two instances on one fresh database and a shared fixed clock, for the
 * desk's races: `other` is a second process's (another connection pool),
 * only where writers do run concurrently (PostgreSQL). Two SQLite
 * connections in one Node process would block each other's event loop on
 * the write lock. Registers its own beforeAll / afterAll.
 */
export function deskInstances(
  create: () => Promise<StorageBackend>,
  peer: ((backend: StorageBackend) => Promise<StorageBackend>) | undefined,
  clock: { now(): number },
): { readonly sb: Switchboard; readonly other: Switchboard | undefined } {
  const out: { sb: Switchboard; other: Switchboard | undefined } = {
    sb: undefined as unknown as Switchboard,
    other: undefined,
  }
  beforeAll(async () => {
    const backend = await create()
    out.sb = await createSwitchboard({ storage: backend, clock, outbox: false })
    if (peer && backend.capabilities.concurrentWriters) {
      out.other = await createSwitchboard({
        storage: await peer(backend),
        clock,
        outbox: false,
        migrate: false,
      })
    }
  })
  afterAll(async () => {
    await out.other?.close()
    await out.sb?.close()
  })
  return out
}
