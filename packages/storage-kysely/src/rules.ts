import type {
  EventId,
  OutboxItem,
  Rule,
  RuleFiring,
  RuleFiringId,
  StoredEvent,
  TenantId,
  TenantStore,
} from '@switchboard/core'
import { type Kysely, sql } from 'kysely'
import { decode } from './decode.js'
import type { CoreTables } from './schema.js'
import { encode, entityWrites, getById, iso, listPage, type StoreContext } from './shared.js'

const ruleRow = (t: string, r: Rule): CoreTables['rules'] => ({
  tenant_id: t,
  id: r.id,
  event_type: r.on,
  enabled: r.enabled ? 1 : 0,
  created_at: iso(r.createdAt),
  updated_at: iso(r.updatedAt),
  data: encode(r),
})

export function ruleStore(ctx: StoreContext): TenantStore['rules'] {
  const { db, t } = ctx
  return {
    ...entityWrites(ctx, 'rules', ruleRow),
    get: getById(ctx, 'rules', decode.rule),
    list: listPage(ctx, 'rules', decode.rule),
    async forEvent(type) {
      const rows = await db
        .selectFrom('rules')
        .select('data')
        .where('tenant_id', '=', t)
        .where('event_type', '=', type)
        .where('enabled', '=', 1)
        .orderBy('id')
        .execute()
      return rows.map((r) => decode.rule(r.data))
    },
    async delete(id) {
      const res = await db
        .deleteFrom('rules')
        .where('tenant_id', '=', t)
        .where('id', '=', id)
        .executeTakeFirst()
      return Number(res.numDeletedRows) > 0
    },
  }
}

export function eventStore(ctx: StoreContext): TenantStore['events'] {
  const { db, t } = ctx
  return {
    async append(e) {
      await db
        .insertInto('events')
        .values({
          tenant_id: t,
          id: e.id,
          type: e.type,
          contact_id: e.contactId ?? null,
          occurred_at: iso(e.occurredAt),
          origin: e.origin,
          data: encode(e),
        })
        .execute()
    },
    get: getById(ctx, 'events', decode.event),
    async list({ after, since, types, limit }) {
      let q = db.selectFrom('events').select('data').where('tenant_id', '=', t)
      if (after) q = q.where('id', '>', after)
      if (since) q = q.where('occurred_at', '>=', iso(since))
      if (types?.length) q = q.where('type', 'in', [...types])
      const rows = await q.orderBy('id').limit(limit).execute()
      return rows.map((r) => decode.event(r.data) as StoredEvent)
    },
  }
}

const firingRow = (t: string, f: RuleFiring): CoreTables['rule_firings'] => ({
  tenant_id: t,
  id: f.id,
  rule_id: f.ruleId,
  event_id: f.eventId,
  contact_id: f.contactId ?? null,
  outcome: f.outcome,
  fired_at: iso(f.firedAt),
  data: encode(f),
})

export function firingStore(ctx: StoreContext): TenantStore['firings'] {
  const { db, t } = ctx
  return {
    async insert(f) {
      await db.insertInto('rule_firings').values(firingRow(t, f)).execute()
    },
    async update(f) {
      const { tenant_id: _t, id: _i, ...set } = firingRow(t, f)
      await db
        .updateTable('rule_firings')
        .set(set)
        .where('tenant_id', '=', t)
        .where('id', '=', f.id)
        .execute()
    },
    get: getById(ctx, 'rule_firings', decode.firing),
    async find(ruleId, eventId) {
      const row = await db
        .selectFrom('rule_firings')
        .select('data')
        .where('tenant_id', '=', t)
        .where('rule_id', '=', ruleId)
        .where('event_id', '=', eventId)
        .executeTakeFirst()
      return row ? decode.firing(row.data) : undefined
    },
    async list({ contactId, ruleId, limit }) {
      let q = db.selectFrom('rule_firings').select('data').where('tenant_id', '=', t)
      if (contactId) q = q.where('contact_id', '=', contactId)
      if (ruleId) q = q.where('rule_id', '=', ruleId)
      const rows = await q
        .orderBy('fired_at', 'desc')
        .orderBy('id', 'desc')
        .limit(limit ?? 100)
        .execute()
      return rows.map((r) => decode.firing(r.data))
    },
  }
}

type OutboxRow = CoreTables['rule_outbox']

export const toOutboxItem = (r: OutboxRow): OutboxItem => ({
  tenantId: r.tenant_id as TenantId,
  firingId: r.firing_id as RuleFiringId,
  action: Number(r.action),
  handler: r.handler,
  eventId: r.event_id as EventId,
  attempts: Number(r.attempts),
  runAfter: new Date(r.run_after),
  ...(r.last_error !== null ? { lastError: r.last_error } : {}),
})

export function outboxStore(ctx: StoreContext): TenantStore['outbox'] {
  const { db, t } = ctx
  const one = (k: Kysely<CoreTables>, firingId: string, action: number) =>
    k
      .updateTable('rule_outbox')
      .where('tenant_id', '=', t)
      .where('firing_id', '=', firingId)
      .where('action', '=', action)
  return {
    async add(item) {
      await db
        .insertInto('rule_outbox')
        .values({
          tenant_id: t,
          firing_id: item.firingId,
          action: item.action,
          handler: item.handler,
          event_id: item.eventId,
          attempts: item.attempts,
          last_error: item.lastError ?? null,
          run_after: iso(item.runAfter),
        })
        .execute()
    },
    async done(firingId, action) {
      const res = await db
        .deleteFrom('rule_outbox')
        .where('tenant_id', '=', t)
        .where('firing_id', '=', firingId)
        .where('action', '=', action)
        .executeTakeFirst()
      return Number(res.numDeletedRows) > 0
    },
    async retry(firingId, action, error, runAfter) {
      await one(db, firingId, action)
        .set({ last_error: error.slice(0, 2000), run_after: iso(runAfter) })
        .execute()
    },
    async pending() {
      const rows = await db
        .selectFrom('rule_outbox')
        .selectAll()
        .where('tenant_id', '=', t)
        .orderBy('run_after')
        .execute()
      return rows.map(toOutboxItem)
    },
  }
}

/**
 * Leases due outbox items across tenants: their `run_after` moves to the end
 * of the lease and their attempt count goes up, in one statement (row locks
 * skipped where the dialect has them; SQLite's single writer elsewhere).
 */
export async function leaseOutbox(
  db: Kysely<CoreTables>,
  options: {
    readonly now: Date
    readonly leaseUntil: Date
    readonly limit: number
    readonly skipLocked: boolean
  },
): Promise<OutboxItem[]> {
  const lock = options.skipLocked ? sql` for update skip locked` : sql``
  const { rows } = await sql<OutboxRow>`update rule_outbox
    set run_after = ${iso(options.leaseUntil)}, attempts = attempts + 1
    where (tenant_id, firing_id, action) in (
      select tenant_id, firing_id, action from rule_outbox
      where run_after <= ${iso(options.now)} order by run_after limit ${options.limit}${lock})
    returning *`.execute(db)
  return rows.map(toOutboxItem)
}
