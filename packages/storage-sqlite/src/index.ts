import type { StorageBackend } from '@switchboard/core'
import { type CoreTables, createKyselyStorage, type DialectErrors } from '@switchboard/storage-kysely'
import Database from 'better-sqlite3'
import { Kysely, SqliteDialect, sql } from 'kysely'

export interface SqliteStorageOptions {
  /** Path of the database file, or ":memory:". */
  readonly file: string
  /**
   * Milliseconds a writer waits for another connection's write lock before
   * failing with a retryable StorageFailure (SQLITE_BUSY). Default 5000.
   */
  readonly busyTimeoutMs?: number
}

/** The backend, plus the kysely instance for a host's own reports. */
export interface SqliteStorage extends StorageBackend {
  readonly db: Kysely<CoreTables>
}

const code = (e: unknown) => String((e as { code?: unknown })?.code ?? '')

/** better-sqlite3's error codes: a busy or locked database is worth retrying; constraints are not. */
export const sqliteErrors: DialectErrors = {
  isUniqueViolation: (e) => /^SQLITE_CONSTRAINT_(UNIQUE|PRIMARYKEY)$/.test(code(e)),
  isRetryable: (e) => /^SQLITE_(BUSY|LOCKED)(_[A-Z]+)?$/.test(code(e)),
}

/**
 * Embedded storage: one SQLite file, WAL journal, zero setup. One writer at a
 * time (capability `concurrentWriters: false`); transactions take the write
 * lock up front (BEGIN IMMEDIATE) so they never deadlock on upgrade.
 */
export function sqliteStorage(options: SqliteStorageOptions): SqliteStorage {
  const database = new Database(options.file, { timeout: options.busyTimeoutMs ?? 5000 })
  database.pragma('journal_mode = WAL')
  database.pragma('synchronous = NORMAL')
  database.pragma('foreign_keys = ON')
  database.pragma('cache_size = -65536')
  const db = new Kysely<CoreTables>({
    dialect: new SqliteDialect({ database: withStatementCache(database) }),
  })
  const backend = createKyselyStorage({
    name: 'sqlite',
    db,
    errors: sqliteErrors,
    dialect: { name: 'sqlite', jsonType: 'text', jsonListParameters: true },
    capabilities: {
      concurrentWriters: false,
      skipLocked: false,
      bulkInsert: 'batched-insert',
      preferredBatchSize: 2000,
    },
    // kysely's SQLite driver runs one connection behind a mutex, so this is
    // also the single-writer guarantee within the process.
    transaction: (k, fn) =>
      k.connection().execute(async (conn) => {
        await sql`begin immediate`.execute(conn)
        try {
          const result = await fn(conn as never)
          await sql`commit`.execute(conn)
          return result
        } catch (e) {
          // A failed BEGIN (SQLITE_BUSY) left no transaction to roll back.
          if (database.inTransaction) await sql`rollback`.execute(conn)
          throw e
        }
      }),
  })
  return { ...backend, db }
}

/**
 * kysely's SQLite driver prepares every statement it runs. Preparing is a
 * large share of a short lookup (the screen pop) and of every batch insert,
 * and the SQL texts repeat, so prepared statements are kept and reused,
 * least recently used out first.
 */
function withStatementCache(database: Database.Database, size = 256) {
  const cache = new Map<string, Database.Statement>()
  return {
    close: () => database.close(),
    prepare(text: string) {
      let stmt = cache.get(text)
      // A statement still being iterated (a stream) cannot be reused: prepare another.
      if (stmt && !stmt.busy) cache.delete(text)
      else {
        stmt = database.prepare(text)
        if (cache.size >= size) cache.delete(cache.keys().next().value!)
      }
      cache.set(text, stmt)
      return stmt
    },
  }
}
