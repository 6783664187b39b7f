import { coreMigrations, type MigrationDialect } from '@switchboard/storage-kysely'
import Database from 'better-sqlite3'
import { Kysely, SqliteDialect, sql } from 'kysely'
import { describe, expect, it } from 'vitest'

const dialect: MigrationDialect = { name: 'sqlite', jsonType: 'text', jsonListParameters: true }

describe('storage-sqlite: migration 0007 (externalRef unique per tenant)', () => {
  it('names the refs held twice instead of failing on a bare constraint, and applies once they are merged', async () => {
    // biome-ignore lint/suspicious/noExplicitAny: a database at an older schema version
    const db = new Kysely<any>({ dialect: new SqliteDialect({ database: new Database(':memory:') }) })
    const upTo = coreMigrations.findIndex((m) => m.id.startsWith('0007'))
    for (const m of coreMigrations.slice(0, upTo)) await m.up(db, dialect)
    const row = (id: string, ref: string, tenant = 't1') =>
      sql`insert into contacts (tenant_id, id, display_name, match_key, external_ref, lifecycle, created_at, updated_at, data)
          values (${tenant}, ${id}, 'A', 'a', ${ref}, 'lead', '2026-01-01', '2026-01-01', '{}')`.execute(db)
    await row('c1', 'ERP-1')
    await row('c2', 'ERP-1')
    await row('c3', 'ERP-1', 't2') // another tenant may use the same ref
    const m0007 = coreMigrations[upTo]!
    await expect(m0007.up(db, dialect)).rejects.toThrow(/t1\/ERP-1; merge those contacts/)
    await sql`update contacts set external_ref = null where id = 'c2'`.execute(db)
    await m0007.up(db, dialect)
    await expect(row('c4', 'ERP-1')).rejects.toThrow(/UNIQUE/)
    await db.destroy()
  })
})
