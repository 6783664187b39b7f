import type { MigrationReport, StorageBackend, StorageCapabilities, TenantId } from '@switchboard/core'
import type { Kysely, Transaction } from 'kysely'
import { batchedInsert } from './contacts.js'
import { type DialectErrors, toCoreError, withCoreErrors } from './errors.js'
import { type CoreMigration, coreMigrations, type MigrationDialect } from './migrations.js'
import {
  applyPluginMigration,
  checkPluginMigration,
  type PluginMigrations,
  pluginTableRegistry,
  registerAppliedTables,
} from './plugin-migrations.js'
import { leaseOutbox } from './rules.js'
import type { CoreTables } from './schema.js'
import type { BulkContactWriter, StoreOptions } from './shared.js'
import { tenantStore } from './tenant-store.js'

export interface KyselyStorageConfig {
  readonly name: string
  readonly db: Kysely<CoreTables>
  readonly capabilities: StorageCapabilities
  readonly dialect: MigrationDialect
  /** Which driver errors are a taken unique key, and which are worth retrying. */
  readonly errors: DialectErrors
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
 * the driver, states its capabilities and which of its errors are retryable,
 * and may supply a faster bulk writer.
 *
 * Migrations run through the small runner below, not kysely's `Migrator`
 * (checked against kysely 0.29.9's source), because the contract needs what
 * `Migrator` does not do:
 * - Order: core's, then the dialect's, then each plugin's in the order it
 *   lists them ("applied in array order", PluginMigration.id). `Migrator`
 *   runs pending migrations sorted by name (`Object.keys(...).sort()`; its
 *   `nameComparator` only orders the rows already applied), so every name
 *   would have to encode its rank, and a plugin's rank would depend on where
 *   the host lists it.
 * - Owners that come and go: `Migrator` refuses to run when a migration it
 *   applied is missing from the provider ("corrupted migrations"), so a host
 *   starting without a plugin it once had (or a worker that loads fewer
 *   plugins than the API server) could not start. Tracked per owner, each
 *   owner's migrations are checked on their own.
 * - One transaction per step on every dialect: `Migrator` runs SQLite
 *   migrations without a transaction (its SQLite adapter reports no
 *   transactional DDL), so a failing step would leave half a migration and no
 *   record of it. Here each step commits together with its tracking row.
 * - The tracking table of released databases (`switchboard_migrations`,
 *   plugin + id) stays as it is: no conversion to `kysely_migration`.
 * Cross-process serialisation is the dialect's `withMigrationLock`
 * (PostgreSQL: one advisory lock around the whole run, covering the creation
 * of the schema and of the tracking table too).
 *
 * See the package README for a complete example (a SQLite backend in 15 lines).
 */
export function createKyselyStorage(config: KyselyStorageConfig): StorageBackend {
  const { db } = config
  const transaction = config.transaction ?? defaultTransaction
  const pluginTables = pluginTableRegistry()
  const storeOptions: StoreOptions = {
    json: config.dialect.jsonType,
    bulkWriter: config.bulkWriter ?? batchedInsert,
    skipLocked: config.capabilities.skipLocked,
    arrayParameters: config.dialect.arrayParameters ?? false,
    jsonListParameters: config.dialect.jsonListParameters ?? false,
    jsonAggregates: config.dialect.jsonAggregates ?? false,
    transaction,
    pluginTables,
    ...(config.analyze ? { analyze: config.analyze } : {}),
  }

  async function migrate(plugins: ReadonlyArray<PluginMigrations> = []): Promise<MigrationReport> {
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
      const isDone = (owner: string, id: string) => done.has(`${owner}:${id}`)
      // A plugin migration that names another's table is refused before anything is applied.
      for (const p of plugins)
        for (const m of p.migrations) if (!isDone(p.id, m.id)) checkPluginMigration(p.id, m)
      const applied: string[] = []
      const step = async (owner: string, id: string, up: (trx: Kysely<CoreTables>) => Promise<void>) => {
        if (isDone(owner, id)) return
        await transaction(db, async (trx) => {
          await up(trx)
          await trx
            .insertInto('switchboard_migrations')
            .values({ plugin: owner, id, applied_at: new Date().toISOString() })
            .execute()
        })
        applied.push(`${owner}:${id}`)
      }
      for (const m of coreMigrations) await step('core', m.id, (trx) => m.up(trx, config.dialect))
      for (const m of config.dialectMigrations ?? [])
        await step(`core:${config.dialect.name}`, m.id, (trx) => m.up(trx, config.dialect))
      await registerAppliedTables(db, plugins, isDone)
      for (const p of plugins)
        for (const m of p.migrations)
          await step(p.id, m.id, (trx) => applyPluginMigration(trx, p.id, m, config.dialect))
      return { applied }
    }
    try {
      return await (config.withMigrationLock ? config.withMigrationLock(db, run) : run())
    } catch (e) {
      throw toCoreError(e, 'migrate', config.errors)
    } finally {
      // What this run (or another process) registered; a failure here is left to the next rows() call.
      await pluginTables.reload(db).catch(() => {})
    }
  }

  return {
    name: config.name,
    capabilities: config.capabilities,
    migrate,
    forTenant: (tenantId: TenantId) => withCoreErrors(tenantStore(db, tenantId, storeOptions), config.errors),
    async leaseOutbox(options) {
      const run = (k: Kysely<CoreTables>) =>
        leaseOutbox(k, { ...options, skipLocked: config.capabilities.skipLocked })
      try {
        if (config.capabilities.skipLocked) return await run(db)
        // A single-writer backend reads first: an idle processor then never takes the write lock.
        const due = await db
          .selectFrom('rule_outbox')
          .select('firing_id')
          .where('run_after', '<=', options.now.toISOString())
          .limit(1)
          .executeTakeFirst()
        return due ? await transaction(db, run) : []
      } catch (e) {
        throw toCoreError(e, 'leaseOutbox', config.errors)
      }
    },
    async close() {
      if (config.close) await config.close()
      else await db.destroy()
    },
  }
}
