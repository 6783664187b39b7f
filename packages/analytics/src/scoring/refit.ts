import type { Contact, ContactId, TenantStore } from '@switchboard/core'
import { featureNames, leadFeatures, outcomeOf } from '../model/features.js'
import { fitLogistic, predictLogistic } from '../model/logistic.js'
import { auc, logLoss } from '../model/metrics.js'
import { categories, type ScoringConfig, scoreContact } from './score.js'
import { readModel, type StoredModel, writeModel } from './tables.js'

export interface RefitOptions {
  /** The fit's time (default now). */
  readonly now?: Date
  /** The L2 penalty (default 1; see `fitLogistic`). */
  readonly l2?: number
  /** Fewer decided leads than this, or only one kind of outcome: no fit (default 30). */
  readonly minOutcomes?: number
  /** Refit only when at least this many outcomes are new since the stored model (default 0: always). */
  readonly minNewOutcomes?: number
  /** The share of decided leads held out to report the fit's AUC and log loss (default 0.2; by contact id, stable). */
  readonly holdout?: number
}

export interface RefitResult {
  readonly fitted: boolean
  /** Why there was no fit. */
  readonly reason?: string
  readonly model?: StoredModel
  /** Decided leads seen (the training data). */
  readonly outcomes: number
  /** Contacts whose score was recomputed with the new model. */
  readonly rescored: number
}

/** The training data: every decided lead's features as they were just before the interaction that decided it. */
export interface TrainingSet {
  readonly features: string[]
  readonly ids: ContactId[]
  readonly rows: number[][]
  readonly labels: number[]
}

const PAGE = 500

async function* everyContact(store: TenantStore): AsyncGenerator<Contact> {
  let after: string | undefined
  for (;;) {
    const page = await store.contacts.list({ limit: PAGE, ...(after ? { after } : {}) })
    yield* page
    if (page.length < PAGE) return
    after = page[page.length - 1]!.id
  }
}

export async function trainingSet(config: ScoringConfig, store: TenantStore): Promise<TrainingSet> {
  const cats = await categories(store)
  const categoryOf = (code: string) => cats.get(code)
  const set: TrainingSet = { features: featureNames(config.features), ids: [], rows: [], labels: [] }
  for await (const contact of everyContact(store)) {
    const history = await store.interactions.listByContact(contact.id, { limit: config.historyLimit })
    const outcome = outcomeOf(history, categoryOf)
    if (!outcome) continue
    const before = history.filter((i) => i.startedAt < outcome.at)
    set.ids.push(contact.id)
    set.rows.push(leadFeatures(config.features, contact, before, categoryOf, outcome.at))
    set.labels.push(outcome.label)
  }
  return set
}

/** FNV-1a of the id, in [0, 1): the same split of the same contacts at every refit. */
const bucket = (id: string) => {
  let h = 0x811c9dc5
  for (let i = 0; i < id.length; i++) h = Math.imul(h ^ id.charCodeAt(i), 0x01000193)
  return (h >>> 0) / 4294967296
}

/**
 * Fits the conversion model on the tenant's decided leads, reports it on a
 * held-out share, then stores the model fitted on all of them and rescores
 * every live contact with it, in one transaction.
 */
export async function refit(
  config: ScoringConfig,
  store: TenantStore,
  options: RefitOptions = {},
): Promise<RefitResult> {
  const now = options.now ?? new Date()
  const minOutcomes = options.minOutcomes ?? 30
  const data = await trainingSet(config, store)
  const outcomes = data.labels.length
  const positives = data.labels.reduce((s, y) => s + y, 0)
  if (outcomes < minOutcomes)
    return {
      fitted: false,
      reason: `${outcomes} decided leads, fewer than ${minOutcomes}`,
      outcomes,
      rescored: 0,
    }
  if (positives === 0 || positives === outcomes)
    return { fitted: false, reason: 'every decided lead had the same outcome', outcomes, rescored: 0 }
  const previous = await readModel(store)
  if (previous && outcomes - previous.model.n < (options.minNewOutcomes ?? 0))
    return {
      fitted: false,
      reason: `only ${outcomes - previous.model.n} new outcomes`,
      outcomes,
      rescored: 0,
    }
  const l2 = options.l2 ?? 1
  const share = options.holdout ?? 0.2
  const test = data.ids.map((id) => bucket(id) < share)
  const pick = <T>(xs: T[], want: boolean) => xs.filter((_, i) => test[i] === want)
  let holdout: StoredModel['holdout']
  const testLabels = pick(data.labels, true)
  if (testLabels.some((y) => y === 1) && testLabels.some((y) => y === 0)) {
    const m = fitLogistic(data.features, pick(data.rows, false), pick(data.labels, false), { l2 })
    const p = pick(data.rows, true).map((r) => predictLogistic(m, r).probability)
    holdout = { n: p.length, auc: auc(p, testLabels), logLoss: logLoss(p, testLabels) }
  }
  const model: StoredModel = {
    fittedAt: now,
    model: fitLogistic(data.features, data.rows, data.labels, { l2 }),
    ...(holdout ? { holdout } : {}),
  }
  const rescored = await store.transaction(async (tx) => {
    await writeModel(tx, model)
    const cats = await categories(tx)
    let n = 0
    for await (const c of everyContact(tx)) {
      if (c.mergedInto) continue
      await scoreContact(config, tx, c.id, now, { model, categories: cats })
      n++
    }
    return n
  })
  return { fitted: true, model, outcomes, rescored }
}
