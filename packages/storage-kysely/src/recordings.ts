import type { Recording, TenantStore } from '@switchboard/core'
import { decode } from './decode.js'
import { reassign } from './reassign.js'
import type { CoreTables } from './schema.js'
import { encode, entityWrites, getById, inChunks, iso, type StoreContext } from './shared.js'

const recordingRow = (t: string, r: Recording): CoreTables['recordings'] => ({
  tenant_id: t,
  id: r.id,
  interaction_id: r.interactionId,
  contact_id: r.contactId,
  campaign_id: r.campaignId ?? null,
  started_at: iso(r.startedAt),
  created_at: iso(r.createdAt),
  updated_at: iso(r.updatedAt),
  data: encode(r),
})

const oldestFirst = (a: Recording, b: Recording) =>
  a.startedAt.getTime() - b.startedAt.getTime() || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)

/** Call recordings: where the audio is, of which interaction. */
export function recordingStore(ctx: StoreContext): TenantStore['recordings'] {
  const { db, t, oneOf, listChunk } = ctx
  return {
    ...entityWrites(ctx, 'recordings', recordingRow),
    get: getById(ctx, 'recordings', decode.recording),
    async forInteractions(ids) {
      const found = await inChunks(ids, listChunk, async (part) =>
        (
          await db
            .selectFrom('recordings')
            .select('data')
            .where('tenant_id', '=', t)
            .where(oneOf('interaction_id', part))
            .execute()
        ).map((r) => decode.recording(r.data)),
      )
      // Across chunks too: oldest first.
      return found.sort(oldestFirst)
    },
    async listByContact(contactId, page = {}) {
      const rows = await db
        .selectFrom('recordings')
        .select('data')
        .where('tenant_id', '=', t)
        .where('contact_id', '=', contactId)
        .orderBy('started_at', 'desc')
        .orderBy('id', 'desc')
        .limit(page.limit ?? 50)
        .execute()
      return rows.map((r) => decode.recording(r.data))
    },
    reassign: (from, to) =>
      reassign(ctx, 'recordings', from, to, (d) => ({ ...decode.recording(d), contactId: to })),
  }
}
