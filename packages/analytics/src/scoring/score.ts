import {
  type Contact,
  type ContactId,
  type DispositionCategory,
  explainTree,
  type PluginSegmentField,
  type SegmentScope,
  SYSTEM_DISPOSITIONS,
  type TenantStore,
} from '@switchboard/core'
import { type FeatureOptions, featureNames, leadFeatures } from '../model/features.js'
import { type ExplainedPrediction, predictLogistic } from '../model/logistic.js'
import { criteriaFilter, type ScoringRules, type WeightedScore, weightedScore } from './criteria.js'
import { readModel, SCORES, type StoredModel, writeScore } from './tables.js'
import type { ValueSource } from './value.js'

/** What the plugin was configured with, parsed. */
export interface ScoringConfig {
  readonly rules: ScoringRules
  readonly features: FeatureOptions
  readonly value: ValueSource
  /** Segment fields the criteria may use besides the built-in ones (other plugins'). */
  readonly fields: ReadonlyMap<string, PluginSegmentField>
  /** How many of a contact's newest interactions feed its features. */
  readonly historyLimit: number
}

/** A lead's stored score, explained: which criteria gave how much, and what moved its probability. */
export interface LeadScore {
  readonly contactId: ContactId
  readonly points: number
  /** The conversion model's probability; undefined before the first `refit`. */
  readonly probability?: number
  /** What a conversion is worth (see the `value` option). */
  readonly value: number
  /** probability x value. */
  readonly expectedValue?: number
  readonly weighted: WeightedScore
  readonly prediction?: ExplainedPrediction & { readonly fittedAt: string }
  readonly scoredAt: Date
}

/** The disposition categories the tenant's codes have (its catalogue and the runner's own codes). */
export async function categories(store: TenantStore): Promise<ReadonlyMap<string, DispositionCategory>> {
  const map = new Map<string, DispositionCategory>(SYSTEM_DISPOSITIONS.map((d) => [d.code, d.category]))
  for (const d of await store.dispositions.list()) map.set(d.code, d.category)
  return map
}

const conversionValue = (source: ValueSource, contact: Contact): number => {
  if ('constant' in source) return source.constant
  if ('attribute' in source) {
    const v = contact.attributes[source.attribute]
    return typeof v === 'number' && Number.isFinite(v) ? v : (source.otherwise ?? 0)
  }
  return contact[source.money]?.amountMinor ?? source.otherwise ?? 0
}

/** The model's probability for a contact from all its history so far. */
export function predict(
  config: ScoringConfig,
  model: StoredModel,
  contact: Contact,
  history: Parameters<typeof leadFeatures>[2],
  categoryOf: (code: string) => DispositionCategory | undefined,
  now: Date,
): ExplainedPrediction {
  return predictLogistic(model.model, leadFeatures(config.features, contact, history, categoryOf, now))
}

/**
 * Recomputes one contact's score and stores it (in `store`'s transaction when
 * it is one): the criteria in one query, the model's prediction from its
 * history. A contact that no longer exists, or was merged, loses its row.
 */
export async function scoreContact(
  config: ScoringConfig,
  store: TenantStore,
  contactId: ContactId,
  now: Date,
  known?: {
    readonly model?: StoredModel | null
    readonly categories?: ReadonlyMap<string, DispositionCategory>
  },
): Promise<LeadScore | undefined> {
  const contact = await store.contacts.get(contactId)
  if (!contact || contact.mergedInto) {
    await store.rows(SCORES).delete({ contact_id: contactId })
    return undefined
  }
  const dispositionCategories = known?.categories ?? (await categories(store))
  const categoryOf = (code: string) => dispositionCategories.get(code)
  const scope: SegmentScope = { now, fields: config.fields, dispositionCategories }
  const filter = criteriaFilter(config.rules)
  const hits = await store.segments.explain(filter, scope, contactId)
  const weighted = weightedScore(config.rules, explainTree(filter, hits ?? []))
  const model = known?.model === undefined ? await readModel(store) : (known.model ?? undefined)
  const value = conversionValue(config.value, contact)
  let prediction: LeadScore['prediction']
  if (model && sameFeatures(model, config)) {
    const history = await store.interactions.listByContact(contactId, { limit: config.historyLimit })
    prediction = {
      ...predict(config, model, contact, history, categoryOf, now),
      fittedAt: model.fittedAt.toISOString(),
    }
  }
  const score: LeadScore = {
    contactId,
    points: weighted.points,
    value,
    weighted,
    scoredAt: now,
    ...(prediction
      ? { probability: prediction.probability, expectedValue: prediction.probability * value, prediction }
      : {}),
  }
  await writeScore(store, {
    contact_id: contactId,
    points: score.points,
    probability: score.probability ?? null,
    value,
    expected_value: score.expectedValue ?? null,
    explanation: JSON.stringify({ weighted, ...(prediction ? { prediction } : {}) }),
    scored_at: now.toISOString(),
  })
  return score
}

/** A model fitted with other feature options (the host changed them) is not used until the next refit. */
const sameFeatures = (m: StoredModel, config: ScoringConfig) => {
  const names = featureNames(config.features)
  return m.model.features.length === names.length && m.model.features.every((f, i) => f === names[i])
}

/** The stored score of a contact, as `scoreContact` wrote it. */
export async function readScore(store: TenantStore, contactId: ContactId): Promise<LeadScore | undefined> {
  const [row] = await store.rows(SCORES).find({ contact_id: contactId })
  if (!row) return undefined
  const { weighted, prediction } = JSON.parse(String(row.explanation)) as Pick<
    LeadScore,
    'weighted' | 'prediction'
  >
  return {
    contactId,
    points: Number(row.points),
    value: Number(row.value),
    weighted,
    scoredAt: new Date(String(row.scored_at)),
    ...(row.probability !== null ? { probability: Number(row.probability) } : {}),
    ...(row.expected_value !== null ? { expectedValue: Number(row.expected_value) } : {}),
    ...(prediction ? { prediction } : {}),
  }
}
