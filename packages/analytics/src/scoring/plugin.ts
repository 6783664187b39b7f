import {
  type ContactId,
  definePlugin,
  issuesFromZod,
  type LeadOrder,
  type PluginSegmentField,
  type Rule,
  segmentConditions,
  type TenantApi,
  type TenantStore,
  validationFailed,
} from '@switchboard/core'
import { z } from 'zod'
import { featureNames } from '../model/features.js'
import { checkScoringRules, scoringRulesShape } from './criteria.js'
import { type RefitOptions, type RefitResult, refit } from './refit.js'
import { type LeadScore, readScore, type ScoringConfig, scoreContact } from './score.js'
import { MIGRATIONS, MODELS, PLUGIN_ID, readModel, SCORES, type StoredModel } from './tables.js'
import { ValueSource } from './value.js'

declare module '@switchboard/core' {
  interface SegmentFields {
    'lead-score.points': number
    'lead-score.probability': number
    'lead-score.value': number
    'lead-score.expectedValue': number
  }
  interface RuleActions {
    'lead-score.recompute': Record<string, never>
  }
}

/** The events whose writes change a score's inputs: the rules `install` creates listen to them. */
export const RECOMPUTE_ON = [
  'contact.created',
  'contact.updated',
  'interaction.logged',
  'interaction.updated',
  'interaction.disposed',
] as const

export const LeadScoringOptions = z
  .strictObject({
    ...scoringRulesShape,
    /** The contact's own fields the conversion model uses, besides its history. */
    features: z
      .strictObject({
        attributes: z
          .array(z.string().regex(/^[A-Za-z_][A-Za-z0-9_.-]{0,63}$/))
          .max(50)
          .default([]),
        tags: z.array(z.string().min(1).max(64)).max(50).default([]),
      })
      .default({ attributes: [], tags: [] }),
    /** What a conversion is worth, for the expected value (default: 1, so it equals the probability). */
    value: ValueSource.default({ constant: 1 }),
    /** The newest interactions a contact's features are built from (default 500). */
    historyLimit: z.number().int().min(1).max(10_000).default(500),
  })
  .superRefine((o, ctx) => {
    checkScoringRules(o, ctx)
    for (const [i, c] of o.criteria.entries())
      for (const cond of segmentConditions(c.when))
        if (cond.field.startsWith(`${PLUGIN_ID}.`))
          ctx.addIssue({
            code: 'custom',
            path: ['criteria', i, 'when'],
            input: cond.field,
            message: 'a criterion cannot use the score itself',
          })
  })
export type LeadScoringOptions = z.input<typeof LeadScoringOptions> & {
  /** Other plugins' segment fields the criteria use. */
  readonly fields?: ReadonlyArray<PluginSegmentField>
}

const field = (name: string, column: string): PluginSegmentField => ({
  name: `${PLUGIN_ID}.${name}`,
  type: 'number',
  table: SCORES,
  column,
})
const SEGMENT_FIELDS = [
  field('points', 'points'),
  field('probability', 'probability'),
  field('value', 'value'),
  field('expectedValue', 'expected_value'),
]

/**
 * Lead scoring: the business's weighted criteria (any segment field, points,
 * caps) and a conversion probability learned from outcomes, each explained,
 * stored per contact and exposed as segment fields (`lead-score.points`,
 * `lead-score.probability`, `lead-score.expectedValue`). `install` adds the
 * rules that recompute a contact's score in the transaction of every write
 * that changes its inputs; `refit` fits the model again on the outcomes so far.
 *
 * @example
 * ```ts
 * import { leadScoring } from '@switchboard/analytics'
 * import { createSwitchboard } from '@switchboard/core'
 * import { sqliteStorage } from '@switchboard/storage-sqlite'
 *
 * const scoring = leadScoring({
 *   criteria: [
 *     { id: 'referral', when: { field: 'tags', op: 'eq', value: 'referral' }, points: 30 },
 *     { id: 'engaged', when: { field: 'interactions.count', op: 'gte', value: 2 }, points: 20, group: 'activity' },
 *     { id: 'called-in', when: { field: 'interactions.count', op: 'gte', value: 1, direction: 'inbound' }, points: 20, group: 'activity' },
 *   ],
 *   caps: { activity: 30 },
 *   features: { attributes: ['income'], tags: ['referral'] },
 * })
 * const sb = await createSwitchboard({ storage: sqliteStorage({ file: ':memory:' }), plugins: [scoring] })
 * const acme = sb.tenant('acme')
 * await scoring.install(acme)
 * const ana = await acme.contacts.create({ firstName: 'Ana', tags: ['referral'] })
 * const store = sb.storage.forTenant(acme.tenantId)
 * console.log((await scoring.explain(store, ana.id))?.points) // 30
 * await sb.close()
 * ```
 */
export function leadScoring(options: LeadScoringOptions) {
  const parsed = LeadScoringOptions.safeParse(options)
  if (!parsed.success)
    throw validationFailed(
      'leadScoring options',
      issuesFromZod(options, parsed.error.issues, LeadScoringOptions),
    )
  const o = parsed.data
  const config: ScoringConfig = {
    rules: {
      criteria: o.criteria,
      caps: o.caps,
      ...(o.min !== undefined ? { min: o.min } : {}),
      ...(o.max !== undefined ? { max: o.max } : {}),
    },
    features: o.features,
    value: o.value,
    fields: new Map([...(options.fields ?? []), ...SEGMENT_FIELDS].map((f) => [f.name, f])),
    historyLimit: o.historyLimit,
  }
  /** The claim order of the runner's expected-value list (see `CampaignRuntimeOptions.listOrder`). */
  const expectedValueOrder: LeadOrder = { table: SCORES, column: 'expected_value' }
  return definePlugin({
    id: PLUGIN_ID,
    migrations: MIGRATIONS,
    segmentFields: SEGMENT_FIELDS,
    ruleActions: {
      'lead-score.recompute': {
        params: z.strictObject({}).default({}) as z.ZodType<Record<string, never>>,
        async run({ tx, contactId, now }) {
          if (!contactId) return 'the event names no contact'
          const s = await scoreContact(config, tx, contactId, now)
          return s
            ? `scored ${s.points} points${s.probability !== undefined ? `, p = ${s.probability.toFixed(3)}` : ''}`
            : 'no such contact'
        },
      },
    },
    /** The tables it keeps, for hosts that inspect them. */
    tables: { scores: SCORES, models: MODELS },
    /** The feature names of the conversion model, in order. */
    features: featureNames(config.features),
    expectedValueOrder,
    /** Creates, once per tenant, the rules that recompute a contact's score on `RECOMPUTE_ON` events. Returns the rules it created. */
    async install(tenant: TenantApi): Promise<Rule[]> {
      const existing = new Set((await tenant.rules.list({ limit: 1000 })).map((r) => r.name))
      const created: Rule[] = []
      for (const on of RECOMPUTE_ON) {
        const name = `lead score: recompute on ${on}`
        if (existing.has(name)) continue
        created.push(
          await tenant.rules.create({ name, on, actions: [{ type: 'lead-score.recompute', params: {} }] }),
        )
      }
      return created
    },
    /** Recomputes one contact's score now (in one transaction) and returns it, explained. */
    score: (store: TenantStore, contactId: ContactId, now = new Date()): Promise<LeadScore | undefined> =>
      store.transaction((tx) => scoreContact(config, tx, contactId, now)),
    /** The stored score, explained: which criteria gave how much, and each feature's part in the probability. */
    explain: (store: TenantStore, contactId: ContactId): Promise<LeadScore | undefined> =>
      readScore(store, contactId),
    /** Fits the conversion model again on the outcomes so far and rescores every contact with it. */
    refit: (store: TenantStore, refitOptions?: RefitOptions): Promise<RefitResult> =>
      refit(config, store, refitOptions),
    /** The tenant's current model, with its weights per feature. */
    model: (store: TenantStore): Promise<StoredModel | undefined> => readModel(store),
    /**
     * Refits on a schedule, every `everyMs` (default hourly), when at least
     * `minNewOutcomes` (default 20) leads were decided since the last fit.
     * A failed refit goes to `onError` and the next one runs as planned; a
     * tick while a refit is still running is skipped.
     */
    schedule(
      store: TenantStore,
      s: RefitOptions & { readonly everyMs?: number; readonly onError?: (e: unknown) => void } = {},
    ): { stop(): void } {
      // One refit at a time: a tick that finds the last one still running skips.
      let running = false
      const timer = setInterval(() => {
        if (running) return
        running = true
        refit(config, store, { minNewOutcomes: 20, ...s })
          .catch(s.onError ?? (() => {}))
          .finally(() => {
            running = false
          })
      }, s.everyMs ?? 3_600_000)
      timer.unref?.()
      return { stop: () => clearInterval(timer) }
    },
  })
}
