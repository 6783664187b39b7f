import { type ExplainedNode, SegmentFilter } from '@switchboard/core'
import { z } from 'zod'

/** One rule of the business's weighted score: a segment-language filter and the points it gives. */
export const ScoringCriterion = z.strictObject({
  /** Names the criterion in explanations: lower case letters, digits, - and _. */
  id: z.string().regex(/^[a-z0-9][a-z0-9_-]{0,39}$/, 'must be 1-40 lower-case letters, digits, - or _'),
  label: z.string().min(1).max(200).optional(),
  /** Any segment field, in the segment language: it runs in the database. */
  when: SegmentFilter,
  /** Added when the filter holds (negative points take away). */
  points: z.number().finite().min(-10_000).max(10_000),
  /** A cap group: the positive points of a group's criteria add up to at most its cap. */
  group: z
    .string()
    .regex(/^[a-z0-9][a-z0-9_-]{0,39}$/)
    .optional(),
})
export type ScoringCriterion = z.infer<typeof ScoringCriterion>

/** The rules' fields, shared with the plugin's options. */
export const scoringRulesShape = {
  criteria: z.array(ScoringCriterion).min(1, 'name at least one criterion').max(50),
  /** Group -> the most positive points its criteria give together. */
  caps: z.record(z.string(), z.number().finite().nonnegative()).default({}),
  /** The total is clamped to this range (default: unbounded). */
  min: z.number().finite().optional(),
  max: z.number().finite().optional(),
}

/** Ids unique, caps of groups that exist, min not above max. */
export function checkScoringRules(
  r: {
    criteria: ReadonlyArray<ScoringCriterion>
    caps: Record<string, number>
    min?: number | undefined
    max?: number | undefined
  },
  ctx: z.RefinementCtx,
): void {
  const seen = new Set<string>()
  for (const [i, c] of r.criteria.entries()) {
    if (seen.has(c.id))
      ctx.addIssue({ code: 'custom', path: ['criteria', i, 'id'], input: c.id, message: 'is used twice' })
    seen.add(c.id)
  }
  const groups = new Set(r.criteria.map((c) => c.group))
  for (const g of Object.keys(r.caps))
    if (!groups.has(g))
      ctx.addIssue({ code: 'custom', path: ['caps', g], input: g, message: 'no criterion is in this group' })
  if (r.min !== undefined && r.max !== undefined && r.min > r.max)
    ctx.addIssue({ code: 'custom', path: ['min'], input: r.min, message: 'must not be above max' })
}

export const ScoringRules = z.strictObject(scoringRulesShape).superRefine(checkScoringRules)
export type ScoringRules = z.infer<typeof ScoringRules>
export type ScoringRulesInput = z.input<typeof ScoringRules>

/** What one criterion gave a lead. */
export interface CriterionPoints {
  readonly id: string
  readonly label?: string
  readonly matched: boolean
  /** Points after its group's cap. */
  readonly points: number
  /** Set when the cap took some away: the group whose cap it was. */
  readonly cappedBy?: string
  /** Which of its conditions held (the segment language's own explanation). */
  readonly why: ExplainedNode
}

export interface WeightedScore {
  readonly points: number
  /** Set when the total was clamped to `min` or `max`. */
  readonly clampedFrom?: number
  readonly criteria: ReadonlyArray<CriterionPoints>
}

/** The criteria as one filter, so a contact is evaluated in one query (`explain`). */
export const criteriaFilter = (rules: ScoringRules): SegmentFilter => ({
  and: rules.criteria.map((c) => c.when),
})

/**
 * The score from each criterion's verdict (`tree`: the explanation of
 * `criteriaFilter`), in the criteria's order: a group stops giving positive
 * points once it reaches its cap; the total is clamped last.
 */
export function weightedScore(rules: ScoringRules, tree: ExplainedNode): WeightedScore {
  if (tree.kind !== 'and' || tree.children.length !== rules.criteria.length)
    throw new RangeError('the explanation is not of these criteria')
  const used = new Map<string, number>()
  const criteria = rules.criteria.map((c, i): CriterionPoints => {
    const why = tree.children[i]!
    const base = { id: c.id, ...(c.label ? { label: c.label } : {}), matched: why.matched, why }
    if (!why.matched) return { ...base, points: 0 }
    const cap = c.group === undefined ? undefined : rules.caps[c.group]
    if (cap === undefined || c.points <= 0) return { ...base, points: c.points }
    const before = used.get(c.group!) ?? 0
    const points = Math.max(0, Math.min(c.points, cap - before))
    used.set(c.group!, before + points)
    return { ...base, points, ...(points < c.points ? { cappedBy: c.group! } : {}) }
  })
  const total = criteria.reduce((s, c) => s + c.points, 0)
  const points = Math.min(
    rules.max ?? Number.POSITIVE_INFINITY,
    Math.max(rules.min ?? Number.NEGATIVE_INFINITY, total),
  )
  return { points, ...(points !== total ? { clampedFrom: total } : {}), criteria }
}
