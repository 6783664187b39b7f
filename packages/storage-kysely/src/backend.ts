import type {
  MigrationReport,
  PluginMigration,
  StorageBackend,
  StorageCapabilities,
  TenantId,
} from '@switchboard/core'
import type { Kysely, Transaction } from 'kysely'
import { type CoreMigration, coreMigrations, type MigrationDialect } from './migrations.js'
import { applyPluginMigration } from './plugin-migrations.js'
import type { CoreTables } from './schema.js'
import { type BulkContactWriter, batchedInsert, tenantStore } from './tenant-store.js'

export interface KyselyStorageConfig {
  readonly name: string
  readonly db: Kysely<CoreTables>
  readonly capabilities: StorageCapabilities
  readonly dialect: MigrationDialect
  /** Migrations only this dialect needs, run after core's (tracked as plugin "core:<dialect>"). */
  readonly dialectMigrations?: ReadonlyArray<CoreMigration>
  readonly bulkWriter?: BulkContactWriter
  /** Refreshes a table's planner statistics after a bulk write (PostgreSQL: ANALYZE). */
  readonly analyze?: (db: Kysely<CoreTables>, table: keyof CoreTables) => Promise<void>
  readonly transaction?: <T>(
    db: Kysely<CoreTables>,
    fn: (trx: Transaction<CoreTables>) => Promise<T>,
  ) => Promise<T>
  /** Serialises migrations across processes (PostgreSQL: an advisory lock). */
  readonly withMigrationLock?: <T>(db: Kysely<CoreTables>, fn: () => Promise<T>) => Promise<T>
  readonly close?: () => Promise<void>
}

const defaultTransaction = <T>(db: Kysely<CoreTables>, fn: (trx: Transaction<CoreTables>) => Promise<T>) =>
  db.transaction().execute(fn)

/**
 * Builds a StorageBackend from a kysely instance. A dialect package
 * (storage-sqlite, storage-postgres) is a small factory around this: it opens
 * the driver, states its capabilities, and may supply a faster bulk writer.
 */
export function createKyselyStorage(config: KyselyStorageConfig): StorageBackend {
  const { db } = config
  const transaction = config.transaction ?? defaultTransaction
  const storeOptions = {
    bulkWriter: config.bulkWriter ?? batchedInsert,
    skipLocked: config.capabilities.skipLocked,
    arrayParameters: config.dialect.arrayParameters ?? false,
    jsonListParameters: config.dialect.jsonListParameters ?? false,
    transaction,
    ...(config.analyze ? { analyze: config.analyze } : {}),
  }

  async function migrate(
    plugins: ReadonlyArray<{ id: string; migrations: ReadonlyArray<PluginMigration> }> = [],
  ): Promise<MigrationReport> {
    const run = async () => {
      await db.schema
        .createTable('switchboard_migrations')
        .ifNotExists()
        .addColumn('plugin', 'text', (c) => c.notNull())
        .addColumn('id', 'text', (c) => c.notNull())
        .addColumn('applied_at', 'text', (c) => c.notNull())
        .addPrimaryKeyConstraint('switchboard_migrations_pk', ['plugin', 'id'])
        .execute()
      const done = new Set(
        (await db.selectFrom('switchboard_migrations').select(['plugin', 'id']).execute()).map(
          (r) => `${r.plugin}:${r.id}`,
        ),
      )
      const applied: string[] = []
      const step = async (plugin: string, id: string, up: (trx: Kysely<CoreTables>) => Promise<void>) => {
        if (done.has(`${plugin}:${id}`)) return
        await transaction(db, async (trx) => {
          await up(trx)
          await trx
            .insertInto('switchboard_migrations')
            .values({ plugin, id, applied_at: new Date().toISOString() })
            .execute()
        })
        applied.push(`${plugin}:${id}`)
      }
      for (const m of coreMigrations) await step('core', m.id, (trx) => m.up(trx, config.dialect))
      for (const m of config.dialectMigrations ?? [])
        await step(`core:${config.dialect.name}`, m.id, (trx) => m.up(trx, config.dialect))
      for (const p of plugins) {
        for (const m of p.migrations)
          await step(p.id, m.id, (trx) => applyPluginMigration(trx, m, config.dialect))
      }
      return { applied }
    }
    return config.withMigrationLock ? config.withMigrationLock(db, run) : run()
  }

  return {
    name: config.name,
    capabilities: config.capabilities,
    migrate,
    forTenant: (tenantId: TenantId) => tenantStore(db, tenantId, storeOptions),
    async close() {
      if (config.close) await config.close()
      else await db.destroy()
    },
  }
}
