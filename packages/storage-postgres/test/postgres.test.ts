import { createSwitchboard, type StorageFailure } from '@switchboard/core'
import { sql } from 'kysely'
import pg from 'pg'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { postgresErrors, postgresStorage } from '../src/index.js'
import { freshBackend, PG_URL, requireServer } from './server.js'

/** A contacts CSV with bad rows (every 50th) and exact repeats (every 40th); returns the distinct good rows too. */
function generatedCsv(rows: number): { csv: string; distinctGood: number; bad: number } {
  const lines = ['id,first,last,phone,email']
  const good = new Set<string>()
  let badRows = 0
  for (let i = 0; i < rows; i++) {
    const n = i % 40 === 39 ? i - 1 : i // a repeat of the previous row
    const bad = n % 50 === 49
    const exchange = 200 + Math.floor(n / 10_000)
    const phone = bad ? '12' : `(212) ${exchange}-${String(n % 10_000).padStart(4, '0')}`
    lines.push(`R${n},First${n % 97},Last${n},${phone},p${n}@example.com`)
    if (bad) badRows++
    else good.add(`R${n}`)
  }
  return { csv: lines.join('\n'), distinctGood: good.size, bad: badRows }
}

async function* chunks(text: string, size = 64 * 1024) {
  for (let i = 0; i < text.length; i += size) yield text.slice(i, i + size)
}

const mapping = {
  externalRef: 'id',
  firstName: 'first',
  lastName: 'last',
  phones: 'phone',
  emails: 'email',
} as const

if (requireServer()) {
  let admin: pg.Client
  beforeAll(async () => {
    admin = new pg.Client({ connectionString: PG_URL })
    await admin.connect()
  })
  afterAll(async () => {
    await admin?.end()
  })
  const connections = async (app: string) =>
    Number(
      (await admin.query('select count(*) as n from pg_stat_activity where application_name = $1', [app]))
        .rows[0].n,
    )

  describe('storage-postgres: connections', () => {
    it('applies the statement timeout to every pooled connection', async () => {
      const b = freshBackend({ statementTimeoutMs: 200 })
      try {
        await b.migrate()
        const shown = await sql<{ statement_timeout: string }>`show statement_timeout`.execute(b.db)
        expect(shown.rows[0]?.statement_timeout).toBe('200ms')
        const started = Date.now()
        await expect(sql`select pg_sleep(2)`.execute(b.db)).rejects.toThrow(/statement timeout/)
        expect(Date.now() - started).toBeLessThan(1900)
      } finally {
        await b.close()
      }
    })

    it('never opens more connections than the pool size, and closes them all on close()', async () => {
      const app = `sb-pool-${process.pid}`
      const b = freshBackend({ poolSize: 3, applicationName: app })
      await b.migrate()
      expect(b.pool.options.max).toBe(3)
      let peak = 0
      const sleeps = Array.from({ length: 8 }, () => sql`select pg_sleep(0.15)`.execute(b.db))
      for (let i = 0; i < 5; i++) {
        peak = Math.max(peak, await connections(app))
        await new Promise((r) => setTimeout(r, 40))
      }
      // close() waits for the queries in flight, then ends the pool.
      const closing = b.close()
      await expect(Promise.all(sleeps)).resolves.toHaveLength(8)
      await closing
      expect(peak).toBeGreaterThan(0)
      expect(peak).toBeLessThanOrEqual(3)
      // The server drops a backend a moment after the client said goodbye.
      for (let i = 0; i < 100 && (await connections(app)) > 0; i++)
        await new Promise((r) => setTimeout(r, 20))
      expect(await connections(app)).toBe(0)
      await expect(b.close()).resolves.toBeUndefined()
      await expect(sql`select 1`.execute(b.db)).rejects.toThrow()
    }, 30_000)

    it('leaves a pool the host passed in open', async () => {
      const pool = new pg.Pool({ connectionString: PG_URL, max: 2 })
      const b = postgresStorage({ pool, schema: `sb_test_pool_${process.pid}` })
      try {
        await b.migrate()
        await b.close()
        expect((await pool.query('select 1 as one')).rows[0].one).toBe(1)
      } finally {
        await pool.query(`drop schema if exists sb_test_pool_${process.pid} cascade`)
        await pool.end()
      }
    })

    it('serialises migrations of several processes starting at once', async () => {
      const schema = `sb_test_mig_${process.pid}`
      const a = postgresStorage({ connectionString: PG_URL!, schema })
      const b = postgresStorage({ connectionString: PG_URL!, schema })
      try {
        const [ra, rb] = await Promise.all([a.migrate(), b.migrate()])
        const applied = [...ra.applied, ...rb.applied]
        expect(applied).toContain('core:0005_campaign_leads')
        expect(applied).toContain('core:postgres:0001_campaign_leads_storage')
        expect(new Set(applied).size).toBe(applied.length)
        expect(ra.applied.length === 0 || rb.applied.length === 0).toBe(true)
      } finally {
        await a.close()
        await b.close()
        await admin.query(`drop schema if exists ${schema} cascade`)
      }
    })

    it('rejects a bad schema name or pool size up front', () => {
      expect(() => postgresStorage({ connectionString: PG_URL!, schema: 'Bad-Name' })).toThrow(/schema/)
      expect(() => postgresStorage({ connectionString: PG_URL!, poolSize: 1 })).toThrow(/poolSize/)
    })
  })

  describe('storage-postgres: errors and prepared statements', () => {
    it('classifies errors by SQLSTATE and by lost connection, never by the server message', () => {
      for (const code of [
        '40001',
        '40P01',
        '55P03',
        '57014',
        '57P01',
        '57P02',
        '57P03',
        '08006',
        '08P01',
        '53300',
      ])
        expect(postgresErrors.isRetryable({ code }), code).toBe(true)
      for (const code of ['23505', '23502', '42703', '42P01', '22P02', '0A000'])
        expect(postgresErrors.isRetryable({ code }), code).toBe(false)
      expect(
        postgresErrors.isRetryable(Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET' })),
      ).toBe(true)
      expect(postgresErrors.isRetryable(new Error('Connection terminated unexpectedly'))).toBe(true)
      expect(postgresErrors.isRetryable(new Error('deadlock detected'))).toBe(false)
      expect(postgresErrors.isUniqueViolation({ code: '23505' })).toBe(true)
      expect(postgresErrors.isUniqueViolation({ code: '23503' })).toBe(false)
    })

    it('a real deadlock and a real unique violation are classified from the server', async () => {
      const b = freshBackend()
      try {
        await b.migrate()
        await sql`create table dl (id int primary key, v int)`.execute(b.db)
        await sql`insert into dl values (1, 0), (2, 0)`.execute(b.db)
        const dup = await sql`insert into dl values (1, 0)`.execute(b.db).catch((e) => e)
        expect(postgresErrors.isUniqueViolation(dup)).toBe(true)
        let release!: () => void
        const gate = new Promise<void>((r) => (release = r))
        const tx = (first: number, second: number) =>
          b.db.transaction().execute(async (trx) => {
            await sql`update dl set v = v + 1 where id = ${first}`.execute(trx)
            await gate
            await sql`update dl set v = v + 1 where id = ${second}`.execute(trx)
          })
        const both = Promise.allSettled([tx(1, 2), tx(2, 1)])
        await new Promise((r) => setTimeout(r, 100))
        release()
        const failed = (await both).filter((r) => r.status === 'rejected')
        expect(failed).toHaveLength(1)
        const reason = (failed[0] as PromiseRejectedResult).reason
        expect(reason.code).toBe('40P01')
        expect(postgresErrors.isRetryable(reason)).toBe(true)
      } finally {
        await b.close()
      }
    })

    it('prepares each statement once per connection, and survives a schema change under a prepared select *', async () => {
      const b = freshBackend()
      try {
        await b.migrate()
        await b.db.connection().execute(async (conn) => {
          const count = () =>
            sql<{
              n: number
            }>`select count(*)::int as n from pg_prepared_statements where statement like '%tenant_id%contacts%' or statement like '%contacts%tenant_id%'`.execute(
              conn,
            )
          const before = (await count()).rows[0]!.n
          for (let i = 0; i < 5; i++)
            await conn.selectFrom('contacts').select('id').where('tenant_id', '=', `t${i}`).execute()
          expect((await count()).rows[0]!.n).toBe(before + 1)

          await sql`create table stale (a int)`.execute(conn)
          await sql`insert into stale values (1)`.execute(conn)
          const all = () =>
            conn
              .selectFrom('stale' as never)
              .selectAll()
              .execute()
          expect(await all()).toEqual([{ a: 1 }])
          await sql`alter table stale add column b int`.execute(conn)
          expect(await all()).toEqual([{ a: 1, b: null }])
        })
      } finally {
        await b.close()
      }
    })

    it('runs unnamed statements when preparedStatements is false', async () => {
      const b = freshBackend({ preparedStatements: false })
      try {
        await b.migrate()
        await b.db.connection().execute(async (conn) => {
          await conn.selectFrom('contacts').select('id').where('tenant_id', '=', 'x').execute()
          const n = await sql<{ n: number }>`select count(*)::int as n from pg_prepared_statements`.execute(
            conn,
          )
          expect(n.rows[0]!.n).toBe(0)
        })
      } finally {
        await b.close()
      }
    })
  })

  describe('storage-postgres: COPY import', () => {
    it('round-trips text that COPY must escape (tabs, newlines, backslashes, quotes)', async () => {
      const sb = await createSwitchboard({ storage: freshBackend() })
      try {
        const t = sb.tenant('copy')
        const nasty = 'Tab\there\\back "quoted"\nnew line\r\u00e9\u{1F600}'
        const c = await t.contacts.create({
          firstName: nasty,
          lastName: 'O\\Brien',
          phones: ['+14155550100'],
          attributes: { note: nasty, path: 'C:\\temp\\x' },
        })
        expect(await t.contacts.get(c.id)).toEqual(c)
        expect((await t.contacts.findByPhone('+14155550100')).map((x) => x.id)).toEqual([c.id])
      } finally {
        await sb.close()
      }
    })

    it('imports a file through COPY with the same per-row report as every backend', async () => {
      const sb = await createSwitchboard({ storage: freshBackend() })
      try {
        const { csv, distinctGood, bad } = generatedCsv(5_000)
        const r = await sb
          .tenant('bulk')
          .contacts.import(chunks(csv), { mapping, defaultCountry: 'US', batchSize: 1000 })
        expect(r.rows).toBe(5_000)
        expect(r.imported).toBe(distinctGood)
        expect(r.rejected.length).toBe(bad)
        expect(r.rejected[0]).toMatchObject({ line: 51, reasons: [{ field: 'phones[0]', value: '12' }] })
        expect(r.duplicates.every((d) => d.within === 'file')).toBe(true)
        expect(r.imported + r.rejected.length + r.duplicates.length).toBe(r.rows)
        expect(await sb.tenant('bulk').contacts.count()).toBe(distinctGood)
      } finally {
        await sb.close()
      }
    })

    it('reports a connection lost mid-import as a retryable StorageFailure, and resumes without duplicates', async () => {
      const app = `sb-import-loss-${process.pid}`
      const connectionErrors: Error[] = []
      const backend = freshBackend({
        applicationName: app,
        onConnectionError: (e) => connectionErrors.push(e),
      })
      const sb = await createSwitchboard({ storage: backend })
      try {
        const t = sb.tenant('resume')
        const { csv, distinctGood } = generatedCsv(30_000)
        let started = false
        let terminated = 0
        const importing = t.contacts.import(chunks(csv), {
          mapping,
          defaultCountry: 'US',
          batchSize: 500,
          onProgress: (p) => {
            if (p.imported > 0) started = true
          },
        })
        let done = false
        const outcome = importing.then(
          (r) => ({ ok: true as const, r }),
          (e: unknown) => ({ ok: false as const, e }),
        )
        void outcome.then(() => {
          done = true
        })
        // Once some batches have committed, kill the import's connection while
        // it is inside a statement or a transaction (as a failover or a DBA would).
        while (!done && terminated === 0) {
          if (started) {
            const res = await admin.query(
              `select pg_terminate_backend(pid) as ok from pg_stat_activity
                where application_name = $1 and state in ('active', 'idle in transaction')`,
              [app],
            )
            terminated += res.rows.filter((x) => x.ok).length
          }
          await new Promise((r) => setTimeout(r, 2))
        }
        const first = await outcome
        expect(terminated).toBeGreaterThan(0)
        expect(first.ok).toBe(false)
        if (first.ok) return
        const err = first.e as StorageFailure
        expect(err._tag).toBe('StorageFailure')
        expect(err.retryable).toBe(true)
        // The store call the connection died in (a lookup or the COPY of a batch).
        expect(err.operation).toMatch(/^contacts\./)
        // A host retries a retryable failure: a pooled connection broken by the
        // kill that the pool has not noticed yet fails once more.
        const retrying = async <T>(fn: () => Promise<T>): Promise<T> => {
          for (let attempt = 1; ; attempt++) {
            try {
              return await fn()
            } catch (e) {
              if (!(e as StorageFailure).retryable || attempt >= 3) throw e
            }
          }
        }
        const partial = await retrying(() => t.contacts.count())
        expect(partial).toBeGreaterThan(0)
        expect(partial).toBeLessThan(distinctGood)

        // Resume: run the same file again on the same backend, as a host does on a
        // retryable failure (the pool replaces dead connections; one it has not
        // yet noticed may fail once more, which is again retryable).
        const again = await retrying(() =>
          t.contacts.import(chunks(csv), { mapping, defaultCountry: 'US', batchSize: 500 }),
        )
        expect(again.rows).toBe(30_000)
        expect(again.imported + again.rejected.length + again.duplicates.length).toBe(again.rows)
        expect(await t.contacts.count()).toBe(distinctGood)
        const dupRefs = await sql<{ n: number }>`select count(*) as n from (
            select external_ref from contacts where tenant_id = 'resume' group by external_ref having count(*) > 1) d`.execute(
          backend.db,
        )
        expect(Number(dupRefs.rows[0]?.n)).toBe(0)
        const dupPhones = await sql<{ n: number }>`select count(*) as n from (
            select e164 from contact_phones where tenant_id = 'resume' group by e164 having count(*) > 1) d`.execute(
          backend.db,
        )
        expect(Number(dupPhones.rows[0]?.n)).toBe(0)
        console.info(
          `[postgres] import interrupted after ${partial} of ${distinctGood} contacts (${terminated} connection(s) terminated, ` +
            `${connectionErrors.length} idle-connection error(s)); resumed: ${again.imported} imported, ` +
            `${again.duplicates.length} already there`,
        )
      } finally {
        await sb.close()
      }
    }, 120_000)
  })
}
