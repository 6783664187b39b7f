import type { StorageBackend } from '@switchboard/core'
import { type CoreMigration, type CoreTables, createKyselyStorage } from '@switchboard/storage-kysely'
import { Kysely, PostgresDialect, sql } from 'kysely'
import pg from 'pg'
import { copyWriter } from './copy.js'
import { postgresErrors } from './errors.js'
import { kyselyPool } from './pool.js'

export { isConnectionLost, postgresErrors } from './errors.js'

export interface PostgresStorageOptions {
  /** `postgres://user:password@host:5432/database`. Without it (and without `pool`), pg reads the PG* variables. */
  readonly connectionString?: string
  /** A pg Pool the host already has. It is used as is (its own size) and left open by `close()`. */
  readonly pool?: pg.Pool
  /** Connections in the pool this package opens. Default 10; at least 2 (migrations hold one for their lock). */
  readonly poolSize?: number
  /** Aborts any statement running longer than this (PostgreSQL `statement_timeout`). Default 30,000; 0 means none. */
  readonly statementTimeoutMs?: number
  /**
   * A statement waiting longer than this for a lock another transaction holds
   * fails (PostgreSQL `lock_timeout`), with a retryable StorageFailure.
   * Default 0: wait up to the statement timeout.
   */
  readonly lockTimeoutMs?: number
  /**
   * Prepare each statement once per connection (pg named statements), so the
   * server parses and plans a screen pop once, not on every call. Default
   * true. Set false behind a pooler that cannot keep prepared statements
   * (PgBouncer in transaction mode before 1.21, or without `max_prepared_statements`).
   */
  readonly preparedStatements?: boolean
  /** How long to wait for a connection before failing. Default 10,000. */
  readonly connectionTimeoutMs?: number
  /** Idle connections are closed after this. Default 30,000. */
  readonly idleTimeoutMs?: number
  /** Keep Switchboard's tables in this schema (created by `migrate`); default: the connection's search_path. */
  readonly schema?: string
  /** Shown in pg_stat_activity. Default "switchboard". */
  readonly applicationName?: string
  /** Errors of connections nobody is using at the moment (the server restarted, a DBA terminated them). */
  readonly onConnectionError?: (error: Error) => void
}

/** The backend, plus the pool and the kysely instance for a host's own reports. */
export interface PostgresStorage extends StorageBackend {
  readonly pool: pg.Pool
  readonly db: Kysely<CoreTables>
}

const SCHEMA = /^[a-z_][a-z0-9_]{0,62}$/

/** BIGINT columns (plugin `integer`, count(*)) as numbers while they are exact, else as text. */
const types = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
    oid === 20
      ? (v: string) => {
          const n = Number(v)
          return Number.isSafeInteger(n) ? n : v
        }
      : pg.types.getTypeParser(oid, format as 'text')) as typeof pg.types.getTypeParser,
}

/** What only PostgreSQL needs, tracked as plugin "core:postgres". Never edit a released one. */
export const postgresMigrations: ReadonlyArray<CoreMigration> = [
  {
    id: '0001_campaign_leads_storage',
    // Claims update lead rows all day: leave room on each page for the new
    // versions and vacuum the table early.
    async up(db) {
      await sql`alter table campaign_leads set (fillfactor = 80, autovacuum_vacuum_scale_factor = 0.02, autovacuum_analyze_scale_factor = 0.02)`.execute(
        db,
      )
    },
  },
  {
    id: '0002_interactions_talk_sec_double',
    // Core declares talk_sec as "real": 8 bytes in SQLite, but 4 in PostgreSQL,
    // which would round handle times in reports. Same precision on both.
    async up(db) {
      await sql`alter table interactions alter column talk_sec type double precision`.execute(db)
    },
  },
]

/**
 * PostgreSQL storage: the path for hosts that outgrow one machine. Several
 * API servers and dialer workers share one database: writes run concurrently
 * (`concurrentWriters`), lead claims skip rows other claimers hold
 * (`skipLocked`), and imports stream with COPY (`bulkInsert: 'copy'`).
 * Needs PostgreSQL 15 or newer.
 */
export function postgresStorage(options: PostgresStorageOptions = {}): PostgresStorage {
  const { schema } = options
  if (schema !== undefined && !SCHEMA.test(schema)) {
    throw new Error(`schema ${JSON.stringify(schema)} must match ${SCHEMA} (lower-case, unquoted identifier)`)
  }
  const poolSize = options.poolSize ?? 10
  if (!options.pool && (!Number.isInteger(poolSize) || poolSize < 2)) {
    throw new Error(`poolSize must be an integer of at least 2, got ${poolSize}`)
  }
  const statementTimeoutMs = options.statementTimeoutMs ?? 30_000
  const onError =
    options.onConnectionError ??
    ((e: Error) => console.warn(`@switchboard/storage-postgres: connection error: ${e.message}`))
  const owned = !options.pool
  const pool =
    options.pool ??
    new pg.Pool({
      ...(options.connectionString ? { connectionString: options.connectionString } : {}),
      max: poolSize,
      connectionTimeoutMillis: options.connectionTimeoutMs ?? 10_000,
      idleTimeoutMillis: options.idleTimeoutMs ?? 30_000,
      application_name: options.applicationName ?? 'switchboard',
      keepAlive: true,
      types,
    })
  // An idle connection that dies must not take the process down with it.
  if (owned) pool.on('error', onError)

  const lockTimeoutMs = options.lockTimeoutMs ?? 0
  if (!Number.isInteger(lockTimeoutMs) || lockTimeoutMs < 0) {
    throw new Error(`lockTimeoutMs must be a non-negative integer, got ${lockTimeoutMs}`)
  }
  const adapter = kyselyPool(pool, { owned, onError, preparedStatements: options.preparedStatements ?? true })
  const db = new Kysely<CoreTables>({
    dialect: new PostgresDialect({
      pool: adapter.pool,
      // Each new connection gets the session settings, whoever created the pool.
      onCreateConnection: async (conn) => {
        const timeout = sql`set_config('statement_timeout', ${String(statementTimeoutMs)}, false)`
        const locks = sql`set_config('lock_timeout', ${String(lockTimeoutMs)}, false)`
        const session = schema
          ? sql`select ${timeout}, ${locks}, set_config('search_path', ${`"${schema}"`}, false)`
          : sql`select ${timeout}, ${locks}`
        await conn.executeQuery(session.compile(db))
      },
    }),
  })

  const lockKey = `switchboard:migrate:${schema ?? 'public'}`
  let closed: Promise<void> | undefined
  const backend = createKyselyStorage({
    name: 'postgres',
    db,
    dialect: { name: 'postgres', jsonType: 'jsonb', arrayParameters: true, jsonAggregates: true },
    errors: postgresErrors,
    dialectMigrations: postgresMigrations,
    capabilities: {
      concurrentWriters: true,
      skipLocked: true,
      bulkInsert: 'copy',
      preferredBatchSize: 5000,
    },
    bulkWriter: copyWriter,
    analyze: async (k, table) => {
      await sql`analyze ${sql.table(table)}`.execute(k)
    },
    // Several processes may start at once: one migrates, the others wait.
    withMigrationLock: (k, fn) =>
      k.connection().execute(async (conn) => {
        await sql`select pg_advisory_lock(hashtext(${lockKey}))`.execute(conn)
        try {
          if (schema) await sql`create schema if not exists ${sql.id(schema)}`.execute(conn)
          return await fn()
        } finally {
          await sql`select pg_advisory_unlock(hashtext(${lockKey}))`.execute(conn)
        }
      }),
    // Lets the queries in flight (and those queued for a connection) finish,
    // then ends the pool this package opened; a pool the host passed in stays open.
    close: () =>
      (closed ??= (async () => {
        await adapter.drain()
        await db.destroy()
      })()),
  })
  return { ...backend, pool, db }
}
