import { conflict, isSwitchboardError, storageFailure, type TenantStore } from '@switchboard/core'

/**
 * What a dialect knows about its driver's errors: which mean a unique key is
 * taken, and which are worth retrying (a lock timeout, a serialization
 * failure, a dropped connection). Core decides neither: each dialect package
 * states it from its driver's error codes (PostgreSQL SQLSTATEs, SQLite
 * result codes), never from message text.
 */
export interface DialectErrors {
  isUniqueViolation(error: unknown): boolean
  isRetryable(error: unknown): boolean
}

/** The unique keys a caller can take by mistake, and what to tell them. */
const KNOWN_KEYS: ReadonlyArray<{ readonly key: RegExp; readonly entity: string; readonly detail: string }> =
  [
    {
      key: /external_ref/,
      entity: 'contact',
      detail:
        'externalRef is already used by another contact of this tenant; look that contact up with findByExternalRefs and update it instead',
    },
    {
      key: /call_scripts_pk|call_scripts\.version/,
      entity: 'call script',
      detail:
        'this version of the script was just saved by another writer; read the newest version and save again',
    },
    {
      // PostgreSQL names the index; SQLite names its columns (callbacks.campaign_id is only in this key).
      key: /callbacks_active|callbacks\.campaign_id/,
      entity: 'callback',
      detail:
        'the contact already has a scheduled or dialing callback on this campaign; move or cancel that one (callbacks.active) instead',
    },
  ]

const text = (e: unknown, field: string) => {
  const v = typeof e === 'object' && e !== null ? (e as Record<string, unknown>)[field] : undefined
  return typeof v === 'string' ? v : ''
}

/**
 * A failure as one of core's errors: core's own pass through; a taken unique
 * key is a Conflict; anything else is a StorageFailure, retryable as the
 * dialect says.
 */
export function toCoreError(error: unknown, operation: string, errors: DialectErrors): unknown {
  if (isSwitchboardError(error)) return error
  if (errors.isUniqueViolation(error)) {
    // PostgreSQL names the constraint (and the key in `detail`); SQLite names the columns in the message.
    const where = `${text(error, 'constraint')} ${text(error, 'message')}`
    const known = KNOWN_KEYS.find((k) => k.key.test(where))
    const said = text(error, 'detail') || text(error, 'message')
    return known
      ? conflict(known.entity, `${known.detail}${said ? ` (${said})` : ''}`)
      : conflict(
          operation.split('.')[0] ?? 'row',
          `a row with the same key already exists (${said || String(error)})`,
        )
  }
  return storageFailure(operation, error, errors.isRetryable(error))
}

/**
 * The store with every method's failure mapped to core's typed errors, so
 * callers (core's services, a host, a plugin) branch on `_tag` and
 * `retryable`, never on a driver's message. Within `transaction`, what the
 * caller's own function throws is passed on untouched.
 */
export function withCoreErrors(store: TenantStore, errors: DialectErrors): TenantStore {
  const wrap = <S extends object>(name: string, section: S): S => {
    const out: Record<string, unknown> = {}
    for (const [method, fn] of Object.entries(section)) {
      if (typeof fn !== 'function') continue
      out[method] = async (...args: unknown[]) => {
        try {
          return await (fn as (...a: unknown[]) => Promise<unknown>).apply(section, args)
        } catch (e) {
          throw toCoreError(e, `${name}.${method}`, errors)
        }
      }
    }
    return out as S
  }
  return {
    tenantId: store.tenantId,
    contacts: wrap('contacts', store.contacts),
    interactions: wrap('interactions', store.interactions),
    dispositions: wrap('dispositions', store.dispositions),
    callbacks: wrap('callbacks', store.callbacks),
    recordings: wrap('recordings', store.recordings),
    agentSessions: wrap('agentSessions', store.agentSessions),
    campaignLeases: wrap('campaignLeases', store.campaignLeases),
    consent: wrap('consent', store.consent),
    dnc: wrap('dnc', store.dnc),
    campaigns: wrap('campaigns', store.campaigns),
    cases: wrap('cases', store.cases),
    desk: wrap('desk', store.desk),
    agents: wrap('agents', store.agents),
    purposes: wrap('purposes', store.purposes),
    leads: wrap('leads', store.leads),
    segments: wrap('segments', store.segments),
    rules: wrap('rules', store.rules),
    events: wrap('events', store.events),
    firings: wrap('firings', store.firings),
    outbox: wrap('outbox', store.outbox),
    rows: (table) => wrap(`rows(${String(table)})`, store.rows(table)),
    dncRegistries: wrap('dncRegistries', store.dncRegistries),
    consentLedger: wrap('consentLedger', store.consentLedger),
    consentAudit: wrap('consentAudit', store.consentAudit),
    locks: wrap('locks', store.locks),
    scripts: wrap('scripts', store.scripts),
    identityChecks: wrap('identityChecks', store.identityChecks),
    async transaction(fn) {
      const thrown = new Set<unknown>()
      try {
        return await store.transaction(async (tx) => {
          try {
            return await fn(withCoreErrors(tx, errors))
          } catch (e) {
            thrown.add(e)
            throw e
          }
        })
      } catch (e) {
        // The caller's own error (or a store call's, already typed) as it was; begin/commit failures typed here.
        throw thrown.has(e) ? e : toCoreError(e, 'transaction', errors)
      }
    },
  }
}
