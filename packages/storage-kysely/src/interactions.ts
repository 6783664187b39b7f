import type { Interaction, TenantStore } from '@switchboard/core'
import { type SqlBool, sql } from 'kysely'
import { decode } from './decode.js'
import { reassign } from './reassign.js'
import type { CoreTables } from './schema.js'
import { encode, entityWrites, getById, iso, precompiled, type StoreContext } from './shared.js'

const interactionRow = (t: string, i: Interaction): CoreTables['interactions'] => ({
  tenant_id: t,
  id: i.id,
  contact_id: i.contactId,
  channel: i.channel,
  direction: i.direction,
  agent_id: i.agentId ?? null,
  campaign_id: i.campaignId ?? null,
  disposition: i.disposition ?? null,
  started_at: iso(i.startedAt),
  talk_sec: i.durations.talkSec,
  call_id: i.callId ?? null,
  ended_at: i.endedAt ? iso(i.endedAt) : null,
  created_at: iso(i.createdAt),
  updated_at: iso(i.updatedAt),
  data: encode(i),
})

/** The unified timeline: every touchpoint, any channel. */
export function interactionStore(ctx: StoreContext): TenantStore['interactions'] {
  const { db, t } = ctx
  return {
    ...entityWrites(ctx, 'interactions', interactionRow),
    get: getById(ctx, 'interactions', decode.interaction),
    listByContact: (contactId, page = {}) => timeline(ctx, contactId, page.limit ?? 50),
    async findByCall(callId) {
      const [row] = await byCall(db, t, callId)
      return row ? decode.interaction(row.data) : undefined
    },
    async find(filter) {
      let q = db.selectFrom('interactions').select('data').where('tenant_id', '=', t)
      if (filter.campaignId !== undefined) q = q.where('campaign_id', '=', filter.campaignId)
      if (filter.agentId !== undefined) q = q.where('agent_id', '=', filter.agentId)
      if (filter.contactId !== undefined) q = q.where('contact_id', '=', filter.contactId)
      if (filter.disposition !== undefined) q = q.where('disposition', '=', filter.disposition)
      if (filter.channel !== undefined) q = q.where('channel', '=', filter.channel)
      if (filter.from !== undefined) q = q.where('started_at', '>=', iso(filter.from))
      if (filter.to !== undefined) q = q.where('started_at', '<', iso(filter.to))
      if (filter.maxTalkSec !== undefined) q = q.where('talk_sec', '<=', filter.maxTalkSec)
      if (filter.open !== undefined) q = q.where('ended_at', filter.open ? 'is' : 'is not', null)
      // The cursor is an interaction id; the page goes on after that row in
      // (started_at, id) order, whatever order ids and start times have.
      // An id this tenant does not have ends the listing.
      if (filter.after !== undefined)
        q = q.where(
          sql<SqlBool>`(${sql.ref('started_at')}, ${sql.ref('id')}) > ((select c.started_at from interactions c where c.tenant_id = ${t} and c.id = ${filter.after}), ${filter.after})`,
        )
      const rows = await q
        .orderBy('started_at')
        .orderBy('id')
        .limit(filter.limit ?? 100)
        .execute()
      return rows.map((r) => decode.interaction(r.data))
    },
    reassign: (from, to) =>
      reassign(ctx, 'interactions', from, to, (d) => ({ ...decode.interaction(d), contactId: to })),
  }
}

const byCall = precompiled<{ data: unknown }>((db, arg) =>
  db
    .selectFrom('interactions')
    .select('data')
    .where('tenant_id', '=', arg(0) as string)
    .where('call_id', '=', arg(1) as string)
    .orderBy('started_at', 'desc')
    .orderBy('id', 'desc')
    .limit(1)
    .compile(),
)

const newestFirst = precompiled<{ data: unknown }>((db, arg) =>
  db
    .selectFrom('interactions')
    .select('data')
    .where('tenant_id', '=', arg(0) as string)
    .where('contact_id', '=', arg(1) as string)
    .orderBy('started_at', 'desc')
    .limit(arg(2) as number)
    .compile(),
)

/** A contact's interactions, newest first (the screen pop's timeline too). */
export async function timeline(ctx: StoreContext, contactId: string, limit: number): Promise<Interaction[]> {
  return (await newestFirst(ctx.db, ctx.t, contactId, limit)).map((r) => decode.interaction(r.data))
}
