import type { DialectErrors } from '@switchboard/storage-kysely'

const field = (e: unknown, name: string) => {
  const v = typeof e === 'object' && e !== null ? (e as Record<string, unknown>)[name] : undefined
  return typeof v === 'string' ? v : ''
}

/** SQLSTATEs after which the connection is gone: admin or crash shutdown, cannot connect now, any connection exception (class 08). */
const CONNECTION_LOST_STATE = /^(57P0[1-3]|08...)$/
/** Socket errors of a connection that dropped or could not be made. */
const SOCKET_ERRORS = new Set([
  'ECONNRESET',
  'ECONNREFUSED',
  'EPIPE',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EAI_AGAIN',
])
/**
 * The pg driver's own errors for a lost connection carry no code, only these
 * fixed texts (pg's, not the server's): a connection ended mid-query, a client
 * broken by an earlier error, a pool that could not connect in time.
 */
const DRIVER_LOST =
  /^(Connection terminated|Client has encountered a connection error and is not queryable|timeout exceeded when trying to connect)/

/** Whether the error means the connection is unusable (it is then destroyed, never reused). */
export function isConnectionLost(e: unknown): boolean {
  const code = field(e, 'code')
  return CONNECTION_LOST_STATE.test(code) || SOCKET_ERRORS.has(code) || DRIVER_LOST.test(field(e, 'message'))
}

/**
 * Worth retrying: serialization failure (40001), deadlock (40P01), lock not
 * available (55P03, `lock_timeout`), statement cancelled (57014,
 * `statement_timeout`), too many connections (53300), and a lost connection.
 */
const RETRYABLE_STATE = new Set(['40001', '40P01', '55P03', '57014', '53300'])

/** PostgreSQL's errors by SQLSTATE (`DatabaseError.code`), for storage-kysely. */
export const postgresErrors: DialectErrors = {
  isUniqueViolation: (e) => field(e, 'code') === '23505',
  isRetryable: (e) => RETRYABLE_STATE.has(field(e, 'code')) || isConnectionLost(e),
}
