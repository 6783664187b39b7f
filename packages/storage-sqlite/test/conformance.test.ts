import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { storageConformance } from '@switchboard/testkit/storage'
import { afterAll } from 'vitest'
import { sqliteStorage } from '../src/index.js'

const dir = mkdtempSync(join(tmpdir(), 'sb-sqlite-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

// A real database file (WAL mode), as hosts run it.
storageConformance('sqlite (file)', {
  create: async () => sqliteStorage({ file: join(dir, 'conformance.db') }),
})
storageConformance('sqlite (memory)', { create: async () => sqliteStorage({ file: ':memory:' }) })
