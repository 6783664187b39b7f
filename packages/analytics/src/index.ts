/**
 * `@switchboard/analytics`: the analytical CRM. Lead scoring (weighted and
 * explained), a conversion probability learned from outcomes (L2-regularised
 * logistic regression fitted by Newton's method), the expected-value list
 * order, and the metrics that evaluate them honestly (AUC, log loss,
 * calibration by decile).
 */
export const ANALYTICS_PACKAGE = '@switchboard/analytics'

export * from './model/cholesky.js'
export * from './model/features.js'
export * from './model/logistic.js'
export * from './model/metrics.js'
export * from './scoring/criteria.js'
export * from './scoring/plugin.js'
export type { RefitOptions, RefitResult, TrainingSet } from './scoring/refit.js'
export type { LeadScore, ScoringConfig } from './scoring/score.js'
export type { StoredModel } from './scoring/tables.js'
export * from './scoring/value.js'
