import {
  type DncRegistry,
  type DncRegistryHit,
  type DncRegistryKind,
  DncRegistryVersion,
  DncRegistry as RegistrySchema,
  type TenantStore,
} from '@switchboard/core'
import { decoder } from './decode.js'
import type { CoreTables } from './schema.js'
import { chunks, encode, inChunks, iso, type StoreContext } from './shared.js'

const decodeRegistry = decoder('dnc_registries', RegistrySchema)
const decodeVersion = decoder('dnc_registry_versions', DncRegistryVersion)
/** Rows per multi-row insert: 5 parameters each, well under every dialect's limit. */
const NUMBERS_PER_INSERT = 2_000

/**
 * Versioned do-not-call registries. Checks read the active version in one
 * statement (a join on `active_version`), and `activate` changes that one
 * column in a transaction: a check sees the old list or the new one, whole.
 */
export function dncRegistryStore(ctx: StoreContext): TenantStore['dncRegistries'] {
  const { db, t } = ctx
  const toVersion = (r: {
    registry: string
    version: number | string
    status: string
    source: string
    started_at: string
    activated_at: string | null
    retired_at: string | null
    numbers: number | string
    rejected: number | string
  }) =>
    decodeVersion({
      registry: r.registry,
      version: Number(r.version),
      status: r.status,
      source: r.source,
      startedAt: r.started_at,
      numbers: Number(r.numbers),
      rejected: Number(r.rejected),
      ...(r.activated_at ? { activatedAt: r.activated_at } : {}),
      ...(r.retired_at ? { retiredAt: r.retired_at } : {}),
    })
  /** Sets columns of one version of the registry (`status` narrows it to a version in that state). */
  const setVersion = (
    k: typeof db,
    name: string,
    where: { readonly version?: number; readonly status?: string },
    set: Partial<CoreTables['dnc_registry_versions']>,
  ) => {
    let q = k
      .updateTable('dnc_registry_versions')
      .set(set)
      .where('tenant_id', '=', t)
      .where('registry', '=', name)
    if (where.version !== undefined) q = q.where('version', '=', where.version)
    if (where.status !== undefined) q = q.where('status', '=', where.status)
    return q.execute()
  }
  /** Deletes the registry's numbers of versions `op` v. */
  const dropNumbers = (name: string, op: '<' | '=', v: number) =>
    db
      .deleteFrom('dnc_registry_numbers')
      .where('tenant_id', '=', t)
      .where('registry', '=', name)
      .where('version', op, v)
      .execute()
  const withActive = (data: unknown, active: number | string | null): DncRegistry => {
    const r = decodeRegistry(data)
    return active === null ? r : { ...r, activeVersion: Number(active) }
  }
  return {
    async save(r) {
      const { activeVersion: _, ...rest } = r as DncRegistry
      const row = {
        tenant_id: t,
        name: r.name,
        kind: r.kind,
        campaign_id: r.campaignId ?? null,
        active_version: null,
        created_at: iso(r.createdAt),
        updated_at: iso(r.updatedAt),
        data: encode(rest),
      }
      await db
        .insertInto('dnc_registries')
        .values(row)
        .onConflict((oc) =>
          oc.columns(['tenant_id', 'name']).doUpdateSet({
            kind: row.kind,
            campaign_id: row.campaign_id,
            updated_at: row.updated_at,
            data: row.data,
          }),
        )
        .execute()
    },
    async get(name) {
      const row = await db
        .selectFrom('dnc_registries')
        .select(['data', 'active_version'])
        .where('tenant_id', '=', t)
        .where('name', '=', name)
        .executeTakeFirst()
      return row ? withActive(row.data, row.active_version) : undefined
    },
    async list() {
      const rows = await db
        .selectFrom('dnc_registries')
        .select(['data', 'active_version'])
        .where('tenant_id', '=', t)
        .orderBy('name')
        .execute()
      return rows.map((r) => withActive(r.data, r.active_version))
    },
    beginVersion: (name, meta) =>
      ctx.atomic(async (k) => {
        const last = await k
          .selectFrom('dnc_registry_versions')
          .select((eb) => eb.fn.max('version').as('v'))
          .where('tenant_id', '=', t)
          .where('registry', '=', name)
          .executeTakeFirst()
        const next = Number(last?.v ?? 0) + 1
        await k
          .insertInto('dnc_registry_versions')
          .values({
            tenant_id: t,
            registry: name,
            version: next,
            status: 'loading',
            source: meta.source,
            started_at: iso(meta.startedAt),
            activated_at: null,
            retired_at: null,
            numbers: 0,
            rejected: 0,
          })
          .execute()
        return next
      }),
    async addNumbers(name, v, entries) {
      let added = 0
      for (const part of chunks(entries, NUMBERS_PER_INSERT)) {
        const res = await db
          .insertInto('dnc_registry_numbers')
          .values(
            part.map((e) => ({
              tenant_id: t,
              phone: e.phone,
              registry: name,
              version: v,
              listed_at: e.listedAt ? iso(e.listedAt) : null,
            })),
          )
          .onConflict((oc) => oc.doNothing())
          .executeTakeFirst()
        added += Number(res.numInsertedOrUpdatedRows ?? 0)
      }
      return added
    },
    async activate(name, v, meta) {
      const swapped = await ctx.atomic(async (k) => {
        const reg = await k
          .selectFrom('dnc_registries')
          .select('active_version')
          .where('tenant_id', '=', t)
          .where('name', '=', name)
          .executeTakeFirst()
        const loading = await k
          .selectFrom('dnc_registry_versions')
          .select('status')
          .where('tenant_id', '=', t)
          .where('registry', '=', name)
          .where('version', '=', v)
          .executeTakeFirst()
        const active = reg?.active_version == null ? undefined : Number(reg.active_version)
        if (!reg || loading?.status !== 'loading' || (active !== undefined && v < active)) return false
        const at = iso(meta.at)
        await setVersion(k, name, { status: 'active' }, { status: 'retired', retired_at: at })
        await setVersion(
          k,
          name,
          { version: v },
          { status: 'active', activated_at: at, numbers: meta.numbers, rejected: meta.rejected },
        )
        // The swap itself: every check after this commit reads version v, every one before read the old.
        await k
          .updateTable('dnc_registries')
          .set({ active_version: v, updated_at: at })
          .where('tenant_id', '=', t)
          .where('name', '=', name)
          .execute()
        return true
      })
      if (swapped) {
        // The retired versions' numbers: no check reads them any more.
        await dropNumbers(name, '<', v)
        await ctx.options.analyze?.(db, 'dnc_registry_numbers')
      }
      return swapped
    },
    async abandon(name, v) {
      await setVersion(db, name, { version: v, status: 'loading' }, { status: 'abandoned' })
      await dropNumbers(name, '=', v)
    },
    async versions(name) {
      const rows = await db
        .selectFrom('dnc_registry_versions')
        .selectAll()
        .where('tenant_id', '=', t)
        .where('registry', '=', name)
        .orderBy('version')
        .execute()
      return rows.map(toVersion)
    },
    find: (phones, options = {}) =>
      inChunks(phones, ctx.listChunk, async (part) => {
        // One statement: the active version it joins on and the numbers it reads come from one snapshot.
        let q = db
          .selectFrom('dnc_registry_numbers as n')
          .innerJoin('dnc_registries as r', (j) =>
            j
              .onRef('r.tenant_id', '=', 'n.tenant_id')
              .onRef('r.name', '=', 'n.registry')
              .onRef('r.active_version', '=', 'n.version'),
          )
          .innerJoin('dnc_registry_versions as v', (j) =>
            j
              .onRef('v.tenant_id', '=', 'n.tenant_id')
              .onRef('v.registry', '=', 'n.registry')
              .onRef('v.version', '=', 'n.version'),
          )
          .select([
            'n.phone',
            'n.registry',
            'n.version',
            'n.listed_at',
            'r.kind',
            'v.source',
            'v.activated_at',
          ])
          .where('n.tenant_id', '=', t)
          .where(ctx.oneOf('n.phone', part))
        q = options.campaignId
          ? q.where((eb) =>
              eb.or([eb('r.campaign_id', 'is', null), eb('r.campaign_id', '=', options.campaignId!)]),
            )
          : q.where('r.campaign_id', 'is', null)
        const rows = await q.orderBy('n.phone').orderBy('n.registry').execute()
        return rows.map(
          (r): DncRegistryHit => ({
            phone: r.phone,
            registry: r.registry,
            kind: r.kind as DncRegistryKind,
            version: Number(r.version),
            source: r.source,
            activatedAt: new Date(r.activated_at ?? 0),
            ...(r.listed_at ? { listedAt: new Date(r.listed_at) } : {}),
          }),
        )
      }),
  }
}
