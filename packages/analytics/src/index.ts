/**
 * `@switchboard/analytics`: the analytical CRM. Lead scoring (weighted and
 * explained), a conversion probability learned from outcomes, the
 * expected-value list order, and staffing (volume forecasts, Erlang C and A).
 * The combined reports themselves are computed in the database by core
 * (`tenant.reports`); this package builds models on top of them.
 *
 * A skeleton for now (private, unpublished): it exports only its name.
 */
export const ANALYTICS_PACKAGE = '@switchboard/analytics'
