import type { PluginColumn, PluginMigration } from '@switchboard/core'
import { type Kysely, sql } from 'kysely'
import type { MigrationDialect } from './migrations.js'

const NAME = /^[a-z][a-z0-9_]{0,62}$/

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

function checkName(kind: string, name: string) {
  if (!NAME.test(name)) throw new Error(`plugin ${kind} name ${JSON.stringify(name)} must match ${NAME}`)
}

/**
 * Applies a feature plugin's declared migration. Every plugin table gets a
 * leading tenant_id column (and it leads the primary key and every index).
 */
export async function applyPluginMigration(
  // biome-ignore lint/suspicious/noExplicitAny: plugin schemas are only known at run time
  db: Kysely<any>,
  m: PluginMigration,
  d: MigrationDialect,
): Promise<void> {
  for (const table of m.createTables ?? []) {
    checkName('table', table.name)
    let q = db.schema.createTable(table.name).addColumn('tenant_id', 'text', (c) => c.notNull())
    for (const col of table.columns) {
      checkName('column', col.name)
      q = q.addColumn(col.name, columnType(col, d), (c) => (col.nullable ? c : c.notNull()))
    }
    if (table.primaryKey?.length)
      q = q.addPrimaryKeyConstraint(`${table.name}_pk`, ['tenant_id', ...table.primaryKey] as never)
    await q.execute()
  }
  for (const { table, column } of m.addColumns ?? []) {
    checkName('column', column.name)
    await db.schema
      .alterTable(table)
      .addColumn(column.name, columnType(column, d), (c) => (column.nullable ? c : c.notNull()))
      .execute()
  }
  for (const ix of m.createIndexes ?? []) {
    checkName('index', ix.name)
    await db.schema
      .createIndex(ix.name)
      .on(ix.table)
      .columns(['tenant_id', ...ix.columns])
      .execute()
  }
}
