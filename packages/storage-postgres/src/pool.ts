import { createHash } from 'node:crypto'
import type { PostgresPool, PostgresPoolClient } from 'kysely'
import type { Pool, PoolClient, QueryConfig } from 'pg'
import { COPY_MARK, isCopyJob, runCopy } from './copy.js'
import { isConnectionLost } from './errors.js'

/** Statements worth preparing: plannable ones (not DDL, not transaction control). */
const PLANNABLE = /^\s*(select|insert|update|delete|with)\b/i
/** At most this many distinct texts get a name (each is prepared once per connection that runs it). */
const MAX_NAMED = 2000
/** A prepared statement the server cannot reuse since the schema changed under it (a column added to a `select *`). */
const STALE_PLAN = (e: unknown) =>
  (e as { code?: string }).code === '0A000' && /cached plan must not change result type/.test(String(e))

/**
 * A stable name per query text, so pg prepares each statement once per
 * connection (Parse once, then Bind/Execute only) and the server keeps its
 * plan: a screen pop skips parsing and planning. Texts that cannot be
 * prepared, or once were stale, run unnamed.
 */
export function statementNames() {
  const names = new Map<string, string>()
  const unnamed = new Set<string>()
  return {
    nameOf(text: string): string | undefined {
      if (unnamed.has(text)) return undefined
      let name = names.get(text)
      if (name === undefined && names.size < MAX_NAMED && PLANNABLE.test(text)) {
        name = `sb_${createHash('sha1').update(text).digest('hex').slice(0, 24)}`
        names.set(text, name)
      }
      return name
    },
    forget(text: string) {
      names.delete(text)
      unnamed.add(text)
    },
  }
}

export interface PoolAdapter {
  /** The pool handed to kysely's PostgresDialect. */
  readonly pool: PostgresPool
  /**
   * Refuses new work and resolves once every connection asked for so far has
   * been released: queries in flight, and those queued for a connection, finish.
   */
  drain(): Promise<void>
}

/**
 * The pool kysely sees: the same pg pool, whose clients also understand the
 * COPY mark (see copy.ts), listen for connection errors while checked out
 * (so a server that drops the connection fails the query instead of crashing
 * the process), and whose `end` leaves a pool the host passed in open.
 */
export function kyselyPool(
  pool: Pool,
  options: { owned: boolean; onError: (e: Error) => void; preparedStatements?: boolean },
): PoolAdapter {
  const statements = options.preparedStatements === false ? undefined : statementNames()
  const wrapped = new WeakMap<PoolClient, PostgresPoolClient>()
  let active = 0
  let closing = false
  let idle: (() => void) | undefined
  const done = () => {
    active--
    if (active === 0) idle?.()
  }
  /** Clients whose connection broke: destroyed on release, never handed out again. */
  const dead = new WeakSet<PoolClient>()
  const wrap = (client: PoolClient): PostgresPoolClient => {
    const known = wrapped.get(client)
    if (known) return known
    client.on('error', (e) => {
      dead.add(client)
      options.onError(e)
    })
    client.on('end', () => dead.add(client))
    let inTransaction = false
    const run = (text: string, values: unknown[] | undefined) => {
      const name = statements?.nameOf(text)
      const config: QueryConfig = name ? { name, text, values: values ?? [] } : { text, values: values ?? [] }
      return client.query(config)
    }
    const query = async (sql: unknown, parameters?: ReadonlyArray<unknown>) => {
      try {
        if (sql === COPY_MARK && isCopyJob(parameters?.[0])) return await runCopy(client, parameters[0])
        const text = sql as string
        if (/^\s*(begin|start transaction)\b/i.test(text)) inTransaction = true
        else if (/^\s*(commit|rollback)\s*;?\s*$/i.test(text)) inTransaction = false
        try {
          return await run(text, parameters as unknown[])
        } catch (e) {
          if (!statements || !STALE_PLAN(e)) throw e
          // The schema changed under a prepared statement: run that text unnamed from now on
          // (at once, unless a transaction, now aborted, must fail and be retried).
          statements.forget(text)
          if (inTransaction) throw e
          return await run(text, parameters as unknown[])
        }
      } catch (e) {
        if (isConnectionLost(e)) dead.add(client)
        throw e
      }
    }
    const w = {
      query,
      release: (destroy?: boolean) => {
        client.release(destroy || dead.has(client))
        done()
      },
      // kysely reads the backend pid from here (to cancel a query).
      get processID() {
        return (client as unknown as { processID?: number }).processID
      },
    } as unknown as PostgresPoolClient
    wrapped.set(client, w)
    return w
  }
  return {
    pool: {
      options: pool.options,
      async connect() {
        if (closing) throw new Error('@switchboard/storage-postgres: the storage has been closed')
        active++
        try {
          return wrap(await pool.connect())
        } catch (e) {
          done()
          throw e
        }
      },
      end: async () => {
        if (options.owned) await pool.end()
      },
    },
    drain() {
      closing = true
      return active === 0 ? Promise.resolve() : new Promise<void>((resolve) => (idle = resolve))
    },
  }
}
