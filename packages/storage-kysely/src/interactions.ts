import type { Interaction, TenantStore } from '@switchboard/core'
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
  created_at: iso(i.createdAt),
  updated_at: iso(i.updatedAt),
  data: encode(i),
})

/** The unified timeline: every touchpoint, any channel. */
export function interactionStore(ctx: StoreContext): TenantStore['interactions'] {
  return {
    ...entityWrites(ctx, 'interactions', interactionRow),
    get: getById(ctx, 'interactions', decode.interaction),
    listByContact: (contactId, page = {}) => timeline(ctx, contactId, page.limit ?? 50),
    reassign: (from, to) =>
      reassign(ctx, 'interactions', from, to, (d) => ({ ...decode.interaction(d), contactId: to })),
  }
}

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
