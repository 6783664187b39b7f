/**
 * A feature plugin's schema change, declared rather than written in one SQL
 * dialect (the better-auth way): every storage backend knows how to apply it.
 * Each table gets a `tenant_id` column and every query on it is tenant-scoped.
 *
 * A plugin touches its own tables only: every table it creates, alters or
 * indexes must be named after it, `<prefix>_<name>` where the prefix is the
 * plugin id with each character other than a-z, 0-9 and _ replaced by _
 * (plugin `lead-score` -> `lead_score_values`). See `pluginTablePrefix`.
 */
export const pluginTablePrefix = (pluginId: string): string =>
  `${pluginId.toLowerCase().replace(/[^a-z0-9_]/g, '_')}_`

export interface PluginMigration {
  /** Unique within the plugin, applied in array order, never edited once released. */
  readonly id: string
  readonly createTables?: ReadonlyArray<PluginTable>
  readonly addColumns?: ReadonlyArray<{ table: string; column: PluginColumn }>
  readonly createIndexes?: ReadonlyArray<{ table: string; name: string; columns: ReadonlyArray<string> }>
}

export interface PluginTable {
  readonly name: string
  readonly columns: ReadonlyArray<PluginColumn>
  readonly primaryKey?: ReadonlyArray<string>
}

export interface PluginColumn {
  readonly name: string
  readonly type: 'text' | 'integer' | 'real' | 'boolean' | 'timestamp' | 'json'
  readonly nullable?: boolean
}
