import { randomBytes } from 'node:crypto'
import type { StorageBackend } from '@switchboard/core'
import { postgresStorage } from '@switchboard/storage-postgres'
import { sqliteStorage } from '@switchboard/storage-sqlite'
import pg from 'pg'

/** The server `.ci/postgres.sh` exports; without it the PostgreSQL runs are skipped (loudly) locally and fail in CI. */
export const PG_URL = process.env.SWITCHBOARD_PG_URL
const ci = process.env.CI === 'true' || process.env.CI === '1'
if (!PG_URL && ci) throw new Error('SWITCHBOARD_PG_URL is not set in CI: source .ci/postgres.sh')
if (!PG_URL)
  console.warn(
    '\n!!! analytics: SWITCHBOARD_PG_URL is not set: SKIPPING the PostgreSQL runs (source .ci/postgres.sh)\n',
  )

const schemas: string[] = []

/** Both backends the plugin must work on: SQLite in memory, and a fresh PostgreSQL schema. */
export const BACKENDS: ReadonlyArray<readonly [string, () => StorageBackend]> = [
  ['SQLite', () => sqliteStorage({ file: ':memory:' })],
  ...(PG_URL
    ? [
        [
          'PostgreSQL',
          () => {
            const schema = `sb_analytics_${randomBytes(5).toString('hex')}`
            schemas.push(schema)
            return postgresStorage({ connectionString: PG_URL, schema, poolSize: 4 })
          },
        ] as const,
      ]
    : []),
]

/** Drops the schemas the file's PostgreSQL backends made (call in afterAll, after closing them). */
export async function dropSchemas(): Promise<void> {
  if (!PG_URL || !schemas.length) return
  const admin = new pg.Client({ connectionString: PG_URL })
  await admin.connect()
  try {
    for (const s of schemas.splice(0)) await admin.query(`drop schema if exists "${s}" cascade`)
  } finally {
    await admin.end()
  }
}
