import type { PluginMigration, PluginRow, TenantStore } from '@switchboard/core'
import type { LogisticModel } from '../model/logistic.js'

export const PLUGIN_ID = 'lead-score'
export const SCORES = 'lead_score_scores'
export const MODELS = 'lead_score_models'

/** Declared, not written in SQL: every backend applies them (each table gets its tenant column). */
export const MIGRATIONS: ReadonlyArray<PluginMigration> = [
  {
    id: '001_scores',
    createTables: [
      {
        name: SCORES,
        columns: [
          { name: 'contact_id', type: 'text' },
          { name: 'points', type: 'real' },
          { name: 'probability', type: 'real', nullable: true },
          { name: 'value', type: 'real' },
          { name: 'expected_value', type: 'real', nullable: true },
          // JSON as text: read back the same on every backend.
          { name: 'explanation', type: 'text' },
          { name: 'scored_at', type: 'timestamp' },
        ],
        primaryKey: ['contact_id'],
      },
      {
        name: MODELS,
        columns: [
          { name: 'id', type: 'text' },
          { name: 'fitted_at', type: 'timestamp' },
          { name: 'model', type: 'text' },
        ],
        primaryKey: ['id'],
      },
    ],
  },
]

/** The tenant's current conversion model, as `refit` stored it. */
export interface StoredModel {
  readonly fittedAt: Date
  readonly model: LogisticModel
  /** Held-out figures of the fit (see `refit`). */
  readonly holdout?: { readonly n: number; readonly auc: number; readonly logLoss: number }
}

const CURRENT = 'current'

export async function readModel(store: TenantStore): Promise<StoredModel | undefined> {
  const [row] = await store.rows(MODELS).find({ id: CURRENT })
  if (!row) return undefined
  const parsed = JSON.parse(String(row.model)) as Omit<StoredModel, 'fittedAt'>
  return { ...parsed, fittedAt: new Date(String(row.fitted_at)) }
}

export async function writeModel(store: TenantStore, m: StoredModel): Promise<void> {
  const rows = store.rows(MODELS)
  await rows.delete({ id: CURRENT })
  const { fittedAt, ...rest } = m
  await rows.insert({ id: CURRENT, fitted_at: fittedAt.toISOString(), model: JSON.stringify(rest) })
}

/** Replaces the contact's row (the plugin rows API has no update: delete and insert, in the caller's transaction). */
export async function writeScore(store: TenantStore, row: PluginRow & { contact_id: string }): Promise<void> {
  const rows = store.rows(SCORES)
  await rows.delete({ contact_id: row.contact_id })
  await rows.insert(row)
}
