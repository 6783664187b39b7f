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

describe('storage-sqlite: migration 0011 (service desk)', () => {
  it('derives the tier spans of the cases written before it from their history', async () => {
    // biome-ignore lint/suspicious/noExplicitAny: a database at an older schema version
    const db = new Kysely<any>({ dialect: new SqliteDialect({ database: new Database(':memory:') }) })
    const upTo = coreMigrations.findIndex((m) => m.id === '0011_service_desk')
    for (const m of coreMigrations.slice(0, upTo)) await m.up(db, dialect)
    const at = (h: number) => `2026-03-09T${String(h).padStart(2, '0')}:00:00.000Z`
    const stored = (tenant: string, id: string, history: object[], status = 'open', tierId = 'tr_l2') =>
      sql`insert into cases (tenant_id, id, contact_id, status, priority, created_at, updated_at, data)
          values (${tenant}, ${id}, 'ct_1', ${status}, 'normal', ${at(8)}, ${at(8)}, ${JSON.stringify({
            id,
            tenantId: tenant,
            contactId: 'ct_1',
            subject: id,
            priority: 'normal',
            status,
            tierId,
            skills: [],
            sla: {},
            history: [{ at: at(8), type: 'created' }, ...history],
            createdAt: at(8),
            updatedAt: at(8),
          })})`.execute(db)
    await stored('t1', 'cs_a', [{ at: at(9), type: 'escalated', from: 'tr_l1', to: 'tr_l2' }])
    await stored(
      't2',
      'cs_b',
      [{ at: at(10), type: 'status_changed', from: 'open', to: 'solved' }],
      'solved',
      'tr_l1',
    )
    await coreMigrations[upTo]!.up(db, dialect)
    const rows = await db.selectFrom('case_tiers').selectAll().orderBy('tenant_id').orderBy('seq').execute()
    expect(rows).toEqual([
      { tenant_id: 't1', case_id: 'cs_a', seq: 0, tier_id: 'tr_l1', since: at(8), until: at(9) },
      { tenant_id: 't1', case_id: 'cs_a', seq: 1, tier_id: 'tr_l2', since: at(9), until: null },
      { tenant_id: 't2', case_id: 'cs_b', seq: 0, tier_id: 'tr_l1', since: at(8), until: at(10) },
    ])
    await db.destroy()
  })
})
