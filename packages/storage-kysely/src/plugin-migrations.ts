import {
  type FieldIssue,
  type PluginColumn,
  type PluginMigration,
  pluginTablePrefix,
  validationFailed,
} from '@switchboard/core'
import { type Kysely, sql } from 'kysely'
import type { MigrationDialect } from './migrations.js'
import { CORE_TABLES, type CoreTables } from './schema.js'
import type { PluginTableRegistry } from './shared.js'

const NAME = /^[a-z][a-z0-9_]{0,62}$/
/** Names no plugin may take, whatever its id: core's bookkeeping and the engines' own. */
const RESERVED = /^(switchboard_|kysely_|pg_|sqlite_)/

export interface PluginMigrations {
  readonly id: string
  readonly migrations: ReadonlyArray<PluginMigration>
}

const columnType = (c: PluginColumn, d: MigrationDialect) =>
  sql.raw(
    {
      text: 'text',
      integer: 'bigint',
      real: 'double precision',
      boolean: 'boolean',
      timestamp: 'text',
      json: d.jsonType,
    }[c.type],
  )

/**
 * The issues of a plugin migration, checked before anything is applied: every
 * table it creates, alters or indexes (and every index) is named with the
 * plugin's prefix, and no name is a core table's.
 */
export function pluginMigrationIssues(plugin: string, m: PluginMigration): FieldIssue[] {
  const prefix = pluginTablePrefix(plugin)
  const issues: FieldIssue[] = []
  const own = (field: string, name: unknown, what: string) => {
    if (typeof name !== 'string' || !NAME.test(name))
      issues.push({ field, value: name, message: `must be a lower-case SQL name matching ${NAME}` })
    else if (CORE_TABLES.has(name) || RESERVED.test(name))
      issues.push({
        field,
        value: name,
        message: `is core's; a plugin touches its own ${what} only, named ${prefix}<name>`,
      })
    else if (!name.startsWith(prefix))
      issues.push({
        field,
        value: name,
        message: `a plugin touches its own ${what} only: name it ${prefix}<name>`,
      })
  }
  const column = (field: string, name: unknown) => {
    if (typeof name !== 'string' || !NAME.test(name) || name === 'tenant_id')
      issues.push({
        field,
        value: name,
        message: `must match ${NAME} and not be tenant_id (added to every table)`,
      })
  }
  for (const [i, t] of (m.createTables ?? []).entries()) {
    own(`createTables[${i}].name`, t.name, 'tables')
    for (const [j, c] of t.columns.entries()) column(`createTables[${i}].columns[${j}].name`, c.name)
  }
  for (const [i, a] of (m.addColumns ?? []).entries()) {
    own(`addColumns[${i}].table`, a.table, 'tables')
    column(`addColumns[${i}].column.name`, a.column.name)
  }
  for (const [i, x] of (m.createIndexes ?? []).entries()) {
    own(`createIndexes[${i}].table`, x.table, 'tables')
    own(`createIndexes[${i}].name`, x.name, 'indexes')
    for (const [j, c] of x.columns.entries()) column(`createIndexes[${i}].columns[${j}]`, c)
  }
  return issues
}

/** Throws ValidationFailed, naming the plugin, the migration and every bad name. */
export function checkPluginMigration(plugin: string, m: PluginMigration): void {
  const issues = pluginMigrationIssues(plugin, m)
  if (issues.length) throw validationFailed(`plugin ${plugin} migration ${m.id}`, issues)
}

/**
 * Applies a feature plugin's declared migration (checked first). Every plugin
 * table gets a leading tenant_id column (and it leads the primary key and
 * every index). Tables it creates are recorded in `switchboard_plugin_tables`;
 * a table it alters or indexes must be one the same plugin created.
 */
export async function applyPluginMigration(
  db: Kysely<CoreTables>,
  plugin: string,
  m: PluginMigration,
  d: MigrationDialect,
): Promise<void> {
  checkPluginMigration(plugin, m)
  // biome-ignore lint/suspicious/noExplicitAny: plugin schemas are only known at run time
  const pdb = db as unknown as Kysely<any>
  for (const table of m.createTables ?? []) {
    let q = pdb.schema.createTable(table.name).addColumn('tenant_id', 'text', (c) => c.notNull())
    for (const col of table.columns)
      q = q.addColumn(col.name, columnType(col, d), (c) => (col.nullable ? c : c.notNull()))
    if (table.primaryKey?.length)
      q = q.addPrimaryKeyConstraint(`${table.name}_pk`, ['tenant_id', ...table.primaryKey] as never)
    await q.execute()
    await db.insertInto('switchboard_plugin_tables').values({ table_name: table.name, plugin }).execute()
  }
  const owned = async (field: string, table: string) => {
    const row = await db
      .selectFrom('switchboard_plugin_tables')
      .select('plugin')
      .where('table_name', '=', table)
      .executeTakeFirst()
    if (row?.plugin !== plugin)
      throw validationFailed(`plugin ${plugin} migration ${m.id}`, [
        {
          field,
          value: table,
          message: row ? `belongs to plugin ${row.plugin}` : 'no migration of this plugin created it',
        },
      ])
  }
  for (const [i, { table, column }] of (m.addColumns ?? []).entries()) {
    await owned(`addColumns[${i}].table`, table)
    await pdb.schema
      .alterTable(table)
      .addColumn(column.name, columnType(column, d), (c) => (column.nullable ? c : c.notNull()))
      .execute()
  }
  for (const [i, ix] of (m.createIndexes ?? []).entries()) {
    await owned(`createIndexes[${i}].table`, ix.table)
    await pdb.schema
      .createIndex(ix.name)
      .on(ix.table)
      .columns(['tenant_id', ...ix.columns])
      .execute()
  }
}

/**
 * Records the tables of plugin migrations that ran before the registry
 * existed (databases migrated by an earlier version), so `rows()` reaches them.
 */
export async function registerAppliedTables(
  db: Kysely<CoreTables>,
  plugins: ReadonlyArray<PluginMigrations>,
  applied: (plugin: string, id: string) => boolean,
): Promise<void> {
  const rows = plugins.flatMap((p) =>
    p.migrations
      .filter((m) => applied(p.id, m.id))
      .flatMap((m) => (m.createTables ?? []).map((t) => ({ table_name: t.name, plugin: p.id }))),
  )
  if (!rows.length) return
  await db
    .insertInto('switchboard_plugin_tables')
    .values(rows)
    .onConflict((oc) => oc.column('table_name').doNothing())
    .execute()
}

/**
 * The plugin tables of a database: read on first use, read again after each
 * `migrate`, and read again when a name is not known yet (another process may
 * have migrated a plugin since).
 */
export function pluginTableRegistry(): PluginTableRegistry {
  let known = new Set<string>()
  let loading: Promise<void> | undefined
  // A failure to read (the database unreachable, not migrated yet) rejects the caller, typed by the store.
  const reload = (db: Kysely<CoreTables>) =>
    (loading ??= (async () => {
      const rows = await db.selectFrom('switchboard_plugin_tables').select('table_name').execute()
      known = new Set(rows.map((r) => r.table_name))
    })().finally(() => {
      loading = undefined
    }))
  return {
    async has(db, table) {
      if (CORE_TABLES.has(table)) return false
      if (!known.has(table)) await reload(db)
      return known.has(table)
    },
    reload,
  }
}
