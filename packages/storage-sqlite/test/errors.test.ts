import Database from 'better-sqlite3'
import { describe, expect, it } from 'vitest'
import { sqliteErrors } from '../src/index.js'

/** The SqliteError better-sqlite3 throws for `sql` on a fresh database. */
function errorOf(setup: string, sql: string, db = new Database(':memory:')): unknown {
  db.exec(setup)
  try {
    db.exec(sql)
  } catch (e) {
    return e
  } finally {
    db.close()
  }
  throw new Error('expected an error')
}

describe('storage-sqlite: error classification', () => {
  it('reads unique and primary-key violations from the extended result code', () => {
    const unique = errorOf(
      'create table t (a text unique)',
      "insert into t values ('x'); insert into t values ('x')",
    )
    const pk = errorOf(
      'create table t (a text primary key)',
      "insert into t values ('x'); insert into t values ('x')",
    )
    const notNull = errorOf('create table t (a text not null)', 'insert into t values (null)')
    expect(sqliteErrors.isUniqueViolation(unique)).toBe(true)
    expect(sqliteErrors.isUniqueViolation(pk)).toBe(true)
    expect(sqliteErrors.isUniqueViolation(notNull)).toBe(false)
    expect(sqliteErrors.isRetryable(unique)).toBe(false)
  })

  it('retries busy and locked, nothing else', () => {
    expect(sqliteErrors.isRetryable({ code: 'SQLITE_BUSY' })).toBe(true)
    expect(sqliteErrors.isRetryable({ code: 'SQLITE_BUSY_SNAPSHOT' })).toBe(true)
    expect(sqliteErrors.isRetryable({ code: 'SQLITE_LOCKED_SHAREDCACHE' })).toBe(true)
    expect(sqliteErrors.isRetryable({ code: 'SQLITE_BUSYX' })).toBe(false)
    expect(sqliteErrors.isRetryable(errorOf('', 'select * from missing'))).toBe(false)
    expect(sqliteErrors.isRetryable(new Error('SQLITE_BUSY: database is locked'))).toBe(false) // codes, not messages
  })
})
