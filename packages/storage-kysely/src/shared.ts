import type { Page, TenantId } from '@switchboard/core'
import { CompiledQuery, type Kysely, type RawBuilder, type SqlBool, sql, type Transaction } from 'kysely'
import type { CoreTables } from './schema.js'

/** How a dialect writes many contacts at once (COPY on PostgreSQL, multi-row INSERT elsewhere). */
export type BulkContactWriter = (db: Kysely<CoreTables>, rows: ContactRows) => Promise<void>

export interface ContactRows {
  contacts: CoreTables['contacts'][]
  phones: CoreTables['contact_phones'][]
  emails: CoreTables['contact_emails'][]
}

export interface StoreOptions {
  /** How `data` columns hold JSON: jsonb (PostgreSQL) or text (SQLite JSON1); the segment compiler branches on it. */
  readonly json: 'jsonb' | 'text'
  readonly bulkWriter: BulkContactWriter
  /** Capability `skipLocked`: lead claims use row locks instead of a write transaction. */
  readonly skipLocked: boolean
  /** Starts a transaction; dialects differ in how (SQLite: IMMEDIATE, one writer). */
  readonly transaction: <T>(
    db: Kysely<CoreTables>,
    fn: (trx: Transaction<CoreTables>) => Promise<T>,
  ) => Promise<T>
  /** Whether `db` is already inside a transaction. */
  readonly inTransaction?: boolean
  /** The dialect binds a list as one array parameter (`column = any($1)`). */
  readonly arrayParameters?: boolean
  /** The dialect binds a list as one JSON parameter (`column in (select value from json_each(?))`). */
  readonly jsonListParameters?: boolean
  /** The dialect can aggregate rows to JSON in one statement (PostgreSQL: json_agg). */
  readonly jsonAggregates?: boolean
  readonly analyze?: (db: Kysely<CoreTables>, table: keyof CoreTables) => Promise<void>
  /** The plugin tables declared so far (see plugin-migrations.ts). */
  readonly pluginTables: PluginTableRegistry
}

/** Which tables feature plugins declared: the only ones `rows(table)` may reach. */
export interface PluginTableRegistry {
  has(db: Kysely<CoreTables>, table: string): Promise<boolean>
  /** Reads the registry again (after a migration). */
  reload(db: Kysely<CoreTables>): Promise<void>
}

/** What every entity's store is built from. */
export interface StoreContext {
  readonly db: Kysely<CoreTables>
  /** The tenant, bound into every statement. */
  readonly t: string
  readonly tenantId: TenantId
  readonly options: StoreOptions
  /** `column` is one of `values`, bound as one parameter where the dialect can. */
  readonly oneOf: (column: string, values: ReadonlyArray<string>) => RawBuilder<SqlBool>
  /** How many values one `oneOf` may take. */
  readonly listChunk: number
  /** Runs `fn` atomically: in the current transaction, or a new one. */
  readonly atomic: <T>(fn: (k: Kysely<CoreTables>) => Promise<T>) => Promise<T>
}

/** Values per `IN (...)` list: well under every dialect's bound-parameter limit. */
const IN_CHUNK = 500
/** Values per array or JSON parameter. */
const LIST_CHUNK = 10_000

export const chunks = <T>(xs: ReadonlyArray<T>, n: number): T[][] => {
  const out: T[][] = []
  for (let i = 0; i < xs.length; i += n) out.push(xs.slice(i, i + n))
  return out
}

export const iso = (d: Date) => d.toISOString()
export const encode = (entity: object) => JSON.stringify(entity)

export function storeContext(
  db: Kysely<CoreTables>,
  tenantId: TenantId,
  options: StoreOptions,
): StoreContext {
  /**
   * Bound as one parameter where the dialect can (an array, or JSON text): the
   * statement text then never changes, so it is compiled and prepared once,
   * not per list length.
   */
  const oneOf = (column: string, values: ReadonlyArray<string>): RawBuilder<SqlBool> =>
    options.arrayParameters
      ? sql<SqlBool>`${sql.ref(column)} = any(${values})`
      : options.jsonListParameters
        ? sql<SqlBool>`${sql.ref(column)} in (select value from json_each(${JSON.stringify(values)}))`
        : sql<SqlBool>`${sql.ref(column)} in (${sql.join(values)})`
  return {
    db,
    t: tenantId as string,
    tenantId,
    options,
    oneOf,
    listChunk: options.arrayParameters || options.jsonListParameters ? LIST_CHUNK : IN_CHUNK,
    atomic: (fn) => (options.inTransaction ? fn(db) : options.transaction(db, fn)),
  }
}

/** The entity tables keyed by (tenant_id, id) whose `data` column holds the entity's JSON. */
export type EntityTable =
  | 'contacts'
  | 'interactions'
  | 'campaigns'
  | 'cases'
  | 'agents'
  | 'segments'
  | 'rules'
  | 'callbacks'
  | 'recordings'
  | 'agent_sessions'

/**
 * `insert` and `update` of an entity table from its row mapper. An update
 * rewrites every column but the keys and `created_at`, for this tenant's row only.
 */
export function entityWrites<
  E extends { readonly id: string },
  R extends { tenant_id: string; id: string; created_at: string },
>(ctx: StoreContext, table: EntityTable, toRow: (tenantId: string, entity: E) => R) {
  const db = ctx.db as unknown as Kysely<Record<EntityTable, R>>
  return {
    async insert(entity: E): Promise<void> {
      await db
        .insertInto(table)
        .values(toRow(ctx.t, entity) as never)
        .execute()
    },
    async update(entity: E): Promise<void> {
      const { tenant_id: _t, id: _i, created_at: _c, ...set } = toRow(ctx.t, entity)
      await db
        .updateTable(table)
        .set(set as never)
        .where('tenant_id' as never, '=', ctx.t as never)
        .where('id' as never, '=', entity.id as never)
        .execute()
    },
  }
}

/** Tables keyed by (tenant_id, id) with the row's JSON in `data`. */
export type KeyedTable = EntityTable | 'events' | 'rule_firings'

const byId = new Map<KeyedTable, ReturnType<typeof precompiled<{ data: unknown }>>>()

/** `get(id)` of an entity table: the decoded row of this tenant, or undefined. */
export function getById<T>(ctx: StoreContext, table: KeyedTable, decode: (data: unknown) => T) {
  let statement = byId.get(table)
  if (!statement) {
    statement = precompiled((db, arg) =>
      db
        .selectFrom(table as 'campaigns')
        .select('data')
        .where('tenant_id', '=', arg(0) as string)
        .where('id', '=', arg(1) as string)
        .compile(),
    )
    byId.set(table, statement)
  }
  const read = statement
  return async (id: string): Promise<T | undefined> => {
    const [row] = await read(ctx.db, ctx.t, id)
    return row ? decode(row.data) : undefined
  }
}

/** `list(page)` of an entity table: this tenant's rows ordered by id, keyset-paginated. */
export function listPage<T>(ctx: StoreContext, table: EntityTable, decode: (data: unknown) => T) {
  return async (page: Page = {}): Promise<T[]> => {
    let q = ctx.db
      .selectFrom(table as 'campaigns')
      .select('data')
      .where('tenant_id', '=', ctx.t)
    if (page.after) q = q.where('id', '>', page.after)
    const rows = await q
      .orderBy('id')
      .limit(page.limit ?? 100)
      .execute()
    return rows.map((r) => decode(r.data))
  }
}

/**
 * The decoded rows of this tenant whose `column` is one of `values` (in chunks
 * the dialect binds), optionally live contacts only.
 */
export function rowsWhereIn<T>(
  ctx: StoreContext,
  table: EntityTable | 'dnc_entries',
  column: string,
  decode: (data: unknown) => T,
  options: { readonly liveOnly?: boolean } = {},
) {
  return (values: ReadonlyArray<string>): Promise<T[]> =>
    inChunks(values, ctx.listChunk, async (part) => {
      let q = ctx.db
        .selectFrom(table as 'contacts')
        .select('data')
        .where('tenant_id', '=', ctx.t)
        .where(ctx.oneOf(column, part))
      if (options.liveOnly) q = q.where('merged_into', 'is', null)
      return (await q.execute()).map((r) => decode(r.data))
    })
}

/** Runs a lookup over `values` in chunks the dialect accepts, concatenating the results. */
export async function inChunks<V, R>(
  values: ReadonlyArray<V>,
  size: number,
  run: (part: V[]) => Promise<R[]>,
): Promise<R[]> {
  const out: R[] = []
  // Not push(...rows): a spread of a very large result (every match of a common key) overflows the stack.
  for (const part of chunks([...new Set(values)], size)) for (const r of await run(part)) out.push(r)
  return out
}

/** Where a statement's i-th argument goes, in the one compilation of a `precompiled` statement. */
class Slot {
  constructor(readonly index: number) {}
}

/**
 * A statement compiled once per dialect, then run with new arguments: a hot
 * read (the screen pop) skips kysely's building and compiling on every call,
 * and its text never changes, so the driver prepares it once (SQLite's
 * statement cache, PostgreSQL named statements). `build` gets a slot per
 * argument and is called once; any other value it binds stays as it was.
 */
export function precompiled<R>(
  build: (db: Kysely<CoreTables>, arg: (index: number) => unknown) => CompiledQuery<R>,
): (db: Kysely<CoreTables>, ...args: unknown[]) => Promise<R[]> {
  const compiled = new WeakMap<object, CompiledQuery<R>>()
  return async (db, ...args) => {
    const adapter = db.getExecutor().adapter
    let c = compiled.get(adapter)
    if (!c) {
      c = build(db, (i) => new Slot(i))
      compiled.set(adapter, c)
    }
    const parameters = c.parameters.map((v) => (v instanceof Slot ? args[v.index] : v))
    return (await db.executeQuery<R>(CompiledQuery.raw(c.sql, parameters))).rows
  }
}
