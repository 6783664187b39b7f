import { randomBytes } from 'node:crypto'
import pg from 'pg'
import { afterAll, describe, it } from 'vitest'
import { type PostgresStorageOptions, postgresStorage } from '../src/index.js'

/**
 * The server the tests run against: SWITCHBOARD_PG_URL, as `.ci/postgres.sh`
 * exports it. In CI a missing URL fails the run; locally the tests skip, loudly.
 */
export const PG_URL = process.env.SWITCHBOARD_PG_URL

const ci = process.env.CI === 'true' || process.env.CI === '1'
const HOW = 'run `source .ci/postgres.sh` first (or `pnpm test:postgres`), or set SWITCHBOARD_PG_URL'

export function requireServer(): boolean {
  if (PG_URL) return true
  if (ci) {
    describe('storage-postgres', () => {
      it('needs a PostgreSQL server (SWITCHBOARD_PG_URL)', () => {
        throw new Error(`SWITCHBOARD_PG_URL is not set in CI: the PostgreSQL suite cannot be skipped; ${HOW}`)
      })
    })
  } else {
    console.warn(
      `\n!!! storage-postgres: SWITCHBOARD_PG_URL is not set: SKIPPING every PostgreSQL test. To run them: ${HOW}\n`,
    )
    describe.skip('storage-postgres (no SWITCHBOARD_PG_URL)', () => {
      it('skipped', () => {})
    })
  }
  return false
}

/** A fresh schema per backend, dropped when the file's tests end. */
const schemas: string[] = []
afterAll(async () => {
  if (!PG_URL || !schemas.length) return
  const admin = new pg.Client({ connectionString: PG_URL })
  await admin.connect()
  try {
    for (const s of schemas) await admin.query(`drop schema if exists "${s}" cascade`)
  } finally {
    await admin.end()
  }
})

export function freshBackend(options: Omit<PostgresStorageOptions, 'connectionString' | 'schema'> = {}) {
  return freshBackendIn(options).backend
}

/** A fresh backend and the name of its schema. */
export function freshBackendIn(options: Omit<PostgresStorageOptions, 'connectionString' | 'schema'> = {}) {
  const schema = `sb_test_${randomBytes(5).toString('hex')}`
  schemas.push(schema)
  return { schema, backend: postgresStorage({ connectionString: PG_URL!, schema, poolSize: 12, ...options }) }
}

/**
 * A backend whose statements wait at most 50 ms for a lock, and a second
 * connection that locks a contact's row (`SELECT ... FOR UPDATE` in an open
 * transaction) until released.
 */
export async function contention() {
  const { schema, backend } = freshBackendIn({ lockTimeoutMs: 50 })
  return {
    backend,
    async lock(tenantId: string, contactId: string) {
      const holder = new pg.Client({ connectionString: PG_URL })
      await holder.connect()
      await holder.query('begin')
      await holder.query(`select 1 from "${schema}".contacts where tenant_id = $1 and id = $2 for update`, [
        tenantId,
        contactId,
      ])
      return async () => {
        await holder.query('rollback')
        await holder.end()
      }
    },
  }
}
