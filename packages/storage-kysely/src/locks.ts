import { type LockKind, SoftLock, type TenantStore } from '@switchboard/core'
import { sql } from 'kysely'
import { decoder } from './decode.js'
import type { CoreTables } from './schema.js'
import { iso, type StoreContext } from './shared.js'

type LockRow = CoreTables['soft_locks']

const decodeLock = decoder('soft_locks', SoftLock)
const toLock = (r: LockRow): SoftLock =>
  decodeLock({
    tenantId: r.tenant_id,
    kind: r.kind,
    id: r.entity_id,
    agentId: r.agent_id,
    since: r.since,
    expiresAt: r.expires_at,
  })

/**
 * Soft locks, one row per (tenant, kind, id): the primary key is the "one
 * holder" rule. `acquire` is one upsert whose conflict branch only fires when
 * the lock has expired or is the caller's own; PostgreSQL re-checks that
 * condition on the row's latest version after waiting for a racing insert,
 * so of two agents exactly one gets a free lock; SQLite has one writer.
 * Timestamps are ISO text (UTC), which sorts as time.
 */
export function lockStore(ctx: StoreContext): TenantStore['locks'] {
  const { db, t } = ctx
  const read = (kind: LockKind, id: string) =>
    db
      .selectFrom('soft_locks')
      .selectAll()
      .where('tenant_id', '=', t)
      .where('kind', '=', kind)
      .where('entity_id', '=', id)
      .executeTakeFirst()
  return {
    async acquire(lock, now) {
      const at = iso(now)
      const [won] = await db
        .insertInto('soft_locks')
        .values({
          tenant_id: t,
          kind: lock.kind,
          entity_id: lock.id,
          agent_id: lock.agentId,
          since: iso(lock.since),
          expires_at: iso(lock.expiresAt),
        })
        .onConflict((oc) =>
          oc
            .columns(['tenant_id', 'kind', 'entity_id'])
            .doUpdateSet({
              agent_id: sql.ref('excluded.agent_id'),
              // The holder renewing keeps its `since`; a lock changing hands starts again.
              since: sql`case when soft_locks.agent_id = excluded.agent_id and soft_locks.expires_at > ${at} then soft_locks.since else excluded.since end`,
              expires_at: sql.ref('excluded.expires_at'),
            })
            .where((eb) =>
              eb.or([
                eb('soft_locks.agent_id', '=', eb.ref('excluded.agent_id')),
                eb('soft_locks.expires_at', '<=', at),
              ]),
            ),
        )
        .returningAll()
        .execute()
      if (won) return toLock(won)
      const held = await read(lock.kind, lock.id)
      if (!held) throw new Error(`the lock on ${lock.kind} ${lock.id} vanished while it was acquired`)
      return toLock(held)
    },
    async renew(kind, id, { agentId, now, expiresAt }) {
      const [row] = await db
        .updateTable('soft_locks')
        .set({ expires_at: iso(expiresAt) })
        .where('tenant_id', '=', t)
        .where('kind', '=', kind)
        .where('entity_id', '=', id)
        .where('agent_id', '=', agentId)
        .where('expires_at', '>', iso(now))
        .returningAll()
        .execute()
      return row ? toLock(row) : undefined
    },
    async release(kind, id, agentId) {
      const [row] = await db
        .deleteFrom('soft_locks')
        .where('tenant_id', '=', t)
        .where('kind', '=', kind)
        .where('entity_id', '=', id)
        .where('agent_id', '=', agentId)
        .returningAll()
        .execute()
      return row ? toLock(row) : undefined
    },
    async holders(kind, id, now) {
      const row = await read(kind, id)
      return row && row.expires_at > iso(now) ? [toLock(row)] : []
    },
  }
}
