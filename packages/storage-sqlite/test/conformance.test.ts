import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { storageConformance } from '@switchboard/testkit/storage'
import Database from 'better-sqlite3'
import { afterAll } from 'vitest'
import { sqliteStorage } from '../src/index.js'

const dir = mkdtempSync(join(tmpdir(), 'sb-sqlite-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

let files = 0
/** A second connection holds the write lock of a file while a backend with busy timeout 0 writes to it. */
const contention = async () => {
  const file = join(dir, `contended-${++files}.db`)
  return {
    backend: sqliteStorage({ file, busyTimeoutMs: 0 }),
    async lock() {
      const other = new Database(file)
      other.exec('begin immediate')
      return async () => {
        other.exec('rollback')
        other.close()
      }
    },
  }
}

// A real database file (WAL mode), as hosts run it.
// A fresh, empty database file for each call, as the suite asks.
let created = 0
const fileOf = new WeakMap<object, string>()
const onFile = {
  create: async () => {
    const file = join(dir, `conformance-${++created}.db`)
    const backend = sqliteStorage({ file })
    fileOf.set(backend, file)
    return backend
  },
  // Another connection to the same file, as a second process would open it.
  peer: async (backend: object) => sqliteStorage({ file: fileOf.get(backend)! }),
  contention,
}
storageConformance('sqlite (file)', onFile)
storageConformance('sqlite (memory)', { create: async () => sqliteStorage({ file: ':memory:' }) })
