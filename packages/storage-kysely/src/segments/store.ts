import {
  type ContactId,
  type Page,
  Segment,
  type SegmentChanges,
  type SegmentFilter,
  type SegmentId,
  type SegmentScope,
  type SegmentSnapshot,
  segmentConditions,
  type TenantStore,
} from '@switchboard/core'
import { type Kysely, type RawBuilder, type SqlBool, sql } from 'kysely'
import { decode, decoder } from '../decode.js'
import type { CoreTables } from '../schema.js'
import { encode, entityWrites, getById, iso, listPage, type StoreContext } from '../shared.js'
import { compileConditions, compileSegment } from './compile.js'

const decodeSegment = decoder('segments', Segment)

const segmentRow = (t: string, s: Segment): CoreTables['segments'] => ({
  tenant_id: t,
  id: s.id,
  name: s.name,
  created_at: iso(s.createdAt),
  updated_at: iso(s.updatedAt),
  data: encode(s),
})

/**
 * Saved segments, and the segment language run where the data is: every
 * count, page and snapshot is one statement over `contacts` with the
 * compiled filter, scoped to the tenant and to live (not merged) contacts.
 */
export function segmentStore(ctx: StoreContext): TenantStore['segments'] {
  const { db, t, atomic } = ctx
  const dialect = { json: ctx.options.json }
  // biome-ignore lint/suspicious/noExplicitAny: the compiled filter refers to the alias `c`, which kysely cannot type
  const matches = (k: Kysely<any>, filter: SegmentFilter, scope: SegmentScope) =>
    k
      .selectFrom('contacts as c')
      .where('c.tenant_id', '=', t)
      .where('c.merged_into', 'is', null)
      .where(compileSegment(filter, scope, dialect))
  /** Members ordered by id, after a cursor. */
  const keyset = (
    filter: SegmentFilter,
    scope: SegmentScope,
    page: Page,
    column: 'c.data' | 'c.id',
    defaultLimit: number,
  ) => {
    let q = matches(db, filter, scope).select(column)
    if (page.after) q = q.where('c.id', '>', page.after)
    return q
      .orderBy('c.id')
      .limit(page.limit ?? defaultLimit)
      .execute()
  }
  const live = (filter: SegmentFilter, scope: SegmentScope): RawBuilder<SqlBool> =>
    sql<SqlBool>`c.tenant_id = ${t} and c.merged_into is null and ${compileSegment(filter, scope, dialect)}`

  return {
    ...entityWrites(ctx, 'segments', segmentRow),
    get: getById(ctx, 'segments', decodeSegment),
    list: listPage(ctx, 'segments', decodeSegment),
    delete: (id) =>
      atomic(async (k) => {
        for (const table of ['segment_members', 'segment_snapshots'] as const)
          await k.deleteFrom(table).where('tenant_id', '=', t).where('segment_id', '=', id).execute()
        const res = await k
          .deleteFrom('segments')
          .where('tenant_id', '=', t)
          .where('id', '=', id)
          .executeTakeFirst()
        return Number(res.numDeletedRows) > 0
      }),

    async count(filter, scope) {
      const row = await matches(db, filter, scope)
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .executeTakeFirstOrThrow()
      return Number(row.n)
    },
    async page(filter, scope, page) {
      const rows = await keyset(filter, scope, page, 'c.data', 100)
      return rows.map((r: { data: unknown }) => decode.contact(r.data))
    },
    async ids(filter, scope, page) {
      const rows = await keyset(filter, scope, page, 'c.id', 1000)
      return rows.map((r: { id: string }) => r.id as ContactId)
    },
    async matching(filter, scope, contactIds) {
      if (!contactIds.length) return []
      const out: ContactId[] = []
      for (let i = 0; i < contactIds.length; i += ctx.listChunk) {
        const rows = await matches(db, filter, scope)
          .select('c.id')
          .where(ctx.oneOf('c.id', contactIds.slice(i, i + ctx.listChunk)))
          .execute()
        for (const r of rows as Array<{ id: string }>) out.push(r.id as ContactId)
      }
      return out
    },
    async explain(filter, scope, contactId) {
      const conditions = compileConditions(segmentConditions(filter), scope, dialect)
      const row = (await db
        .selectFrom('contacts as c')
        .select(conditions.map((c, i) => c.as(`m${i}`)))
        .where('c.tenant_id', '=', t)
        .where('c.id', '=', contactId)
        .executeTakeFirst()) as Record<string, unknown> | undefined
      if (!row) return undefined
      return conditions.map((_, i) => truthy(row[`m${i}`]))
    },

    snapshot: (segment, scope) =>
      atomic(async (k) => {
        const last = await k
          .selectFrom('segment_snapshots')
          .select('taken_at')
          .where('tenant_id', '=', t)
          .where('segment_id', '=', segment.id)
          .orderBy('taken_at', 'desc')
          .limit(1)
          .executeTakeFirst()
        // Snapshot times are strictly increasing per segment (they key the membership intervals).
        const at = new Date(Math.max(scope.now.getTime(), last ? new Date(last.taken_at).getTime() + 1 : 0))
        const taken = iso(at)
        const where = live(segment.filter, { ...scope, now: at })
        const left = await sql`update segment_members set left_at = ${taken}
          where tenant_id = ${t} and segment_id = ${segment.id} and left_at is null
            and contact_id not in (select c.id from contacts c where ${where})`.execute(k)
        const entered =
          await sql`insert into segment_members (tenant_id, segment_id, contact_id, entered_at, left_at)
          select ${t}, ${segment.id}, c.id, ${taken}, null from contacts c
          where ${where} and not exists (select 1 from segment_members m
            where m.tenant_id = c.tenant_id and m.segment_id = ${segment.id} and m.contact_id = c.id and m.left_at is null)`.execute(
            k,
          )
        const members = await k
          .selectFrom('segment_members')
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .where('tenant_id', '=', t)
          .where('segment_id', '=', segment.id)
          .where('left_at', 'is', null)
          .executeTakeFirstOrThrow()
        const snap: SegmentSnapshot = {
          segmentId: segment.id,
          takenAt: at,
          members: Number(members.n),
          entered: Number(entered.numAffectedRows ?? 0),
          left: Number(left.numAffectedRows ?? 0),
        }
        await k
          .insertInto('segment_snapshots')
          .values({
            tenant_id: t,
            segment_id: segment.id,
            taken_at: taken,
            members: snap.members,
            entered: snap.entered,
            left_count: snap.left,
          })
          .execute()
        return snap
      }),
    async snapshots(id, page = {}) {
      const rows = await db
        .selectFrom('segment_snapshots')
        .selectAll()
        .where('tenant_id', '=', t)
        .where('segment_id', '=', id)
        .orderBy('taken_at', 'desc')
        .limit(page.limit ?? 100)
        .execute()
      return rows.map((r) => ({
        segmentId: r.segment_id as SegmentId,
        takenAt: new Date(r.taken_at),
        members: Number(r.members),
        entered: Number(r.entered),
        left: Number(r.left_count),
      }))
    },
    async changes(id, from, to): Promise<SegmentChanges> {
      const member = (at: string) =>
        sql<number>`sum(case when entered_at <= ${at} and (left_at is null or left_at > ${at}) then 1 else 0 end)`
      const f = iso(from)
      const tt = iso(to)
      const rows = await db
        .selectFrom('segment_members')
        .select(['contact_id', member(f).as('at_from'), member(tt).as('at_to')])
        .where('tenant_id', '=', t)
        .where('segment_id', '=', id)
        .groupBy('contact_id')
        .orderBy('contact_id')
        .execute()
      const entered: ContactId[] = []
      const left: ContactId[] = []
      for (const r of rows) {
        const a = Number(r.at_from) > 0
        const b = Number(r.at_to) > 0
        if (b && !a) entered.push(r.contact_id as ContactId)
        if (a && !b) left.push(r.contact_id as ContactId)
      }
      return { from, to, entered, left }
    },
    async enqueue(filter, scope, campaignId, options) {
      const at = iso(options.now)
      const res =
        await sql`insert into campaign_leads (tenant_id, campaign_id, contact_id, status, priority, attempts,
          not_before, claimed_by, claimed_at, outcome, suppressed_reason, list_id, enqueued_at, updated_at)
        select ${t}, ${campaignId}, c.id, 'pending', ${options.priority}, 0, ${options.notBefore ? iso(options.notBefore) : null},
          null, null, null, null, ${options.listId ?? null}, ${at}, ${at}
        from contacts c where ${live(filter, scope)}
        on conflict do nothing`.execute(db)
      return Number(res.numAffectedRows ?? 0)
    },
  }
}

/** A boolean column as the driver returns it (PostgreSQL: true/false; SQLite: 1/0). */
const truthy = (v: unknown) => v === true || v === 1 || v === '1' || v === 't'
