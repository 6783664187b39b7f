import type { PostgresPool, PostgresPoolClient } from 'kysely'
import type { Pool, PoolClient } from 'pg'
import { COPY_MARK, isCopyJob, runCopy } from './copy.js'

/** Errors after which a connection is unusable (admin shutdown, crash, lost socket). */
const BROKEN = /^57P0[1-3]$|^08|Connection terminated|not queryable|ECONNRESET|EPIPE/

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
  options: { owned: boolean; onError: (e: Error) => void },
): PoolAdapter {
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
    const query = async (sql: unknown, parameters?: ReadonlyArray<unknown>) => {
      try {
        if (sql === COPY_MARK && isCopyJob(parameters?.[0])) return await runCopy(client, parameters[0])
        return await client.query(sql as string, parameters as unknown[])
      } catch (e) {
        if (BROKEN.test(String((e as { code?: string }).code ?? '')) || BROKEN.test(String(e)))
          dead.add(client)
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
