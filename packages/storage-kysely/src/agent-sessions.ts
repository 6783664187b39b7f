import type { AgentSession, AgentStateChange, TenantStore } from '@switchboard/core'
import { type SqlBool, sql } from 'kysely'
import { decode } from './decode.js'
import type { CoreTables } from './schema.js'
import { encode, entityWrites, getById, iso, type StoreContext } from './shared.js'

const sessionRow = (t: string, s: AgentSession): CoreTables['agent_sessions'] => ({
  tenant_id: t,
  id: s.id,
  agent_id: s.agentId,
  state: s.state,
  started_at: iso(s.startedAt),
  ended_at: s.endedAt ? iso(s.endedAt) : null,
  created_at: iso(s.createdAt),
  updated_at: iso(s.updatedAt),
  data: encode(s),
})

/** Agents' sessions (log-in to log-out) and the append-only history of their states. */
export function agentSessionStore(ctx: StoreContext): TenantStore['agentSessions'] {
  const { db, t, options } = ctx
  return {
    ...entityWrites(ctx, 'agent_sessions', sessionRow),
    get: getById(ctx, 'agent_sessions', decode.agentSession),

    async current(agentId) {
      const row = await db
        .selectFrom('agent_sessions')
        .select('data')
        .where('tenant_id', '=', t)
        .where('agent_id', '=', agentId)
        .where('ended_at', 'is', null)
        .orderBy('started_at', 'desc')
        .orderBy('id', 'desc')
        .executeTakeFirst()
      return row ? decode.agentSession(row.data) : undefined
    },

    async open(filter = {}) {
      let q = db
        .selectFrom('agent_sessions')
        .select('data')
        .where('tenant_id', '=', t)
        .where('ended_at', 'is', null)
      const { campaignId } = filter
      if (campaignId !== undefined)
        q = q.where(
          options.json === 'jsonb'
            ? sql<SqlBool>`data -> 'campaignIds' @> jsonb_build_array(${campaignId}::text)`
            : sql<SqlBool>`exists (select 1 from json_each(data, '$.campaignIds') where value = ${campaignId})`,
        )
      const rows = await q.orderBy('agent_id').orderBy('started_at').orderBy('id').execute()
      return rows.map((r) => decode.agentSession(r.data))
    },

    async appendState(change: AgentStateChange) {
      await db
        .insertInto('agent_state_changes')
        .values({
          tenant_id: t,
          session_id: change.sessionId,
          seq: change.seq,
          agent_id: change.agentId,
          at: iso(change.at),
          data: encode(change),
        })
        .execute()
    },

    async states(filter) {
      let q = db.selectFrom('agent_state_changes').select('data').where('tenant_id', '=', t)
      if (filter.agentId !== undefined) q = q.where('agent_id', '=', filter.agentId)
      if (filter.from !== undefined) q = q.where('at', '>=', iso(filter.from))
      if (filter.to !== undefined) q = q.where('at', '<', iso(filter.to))
      // Keyset in (at, session_id, seq) order, after the cursor's row (none when this tenant lacks it).
      const { after } = filter
      if (after !== undefined)
        q = q.where(
          sql<SqlBool>`(${sql.ref('at')}, ${sql.ref('session_id')}, ${sql.ref('seq')}) > ((select c.at from agent_state_changes c where c.tenant_id = ${t} and c.session_id = ${after.sessionId} and c.seq = ${after.seq}), ${after.sessionId}, ${after.seq})`,
        )
      const rows = await q
        .orderBy('at')
        .orderBy('session_id')
        .orderBy('seq')
        .limit(filter.limit ?? 1000)
        .execute()
      return rows.map((r) => decode.agentState(r.data))
    },
  }
}
