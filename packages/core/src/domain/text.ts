import { z } from 'zod'

/**
 * Text a person typed, with documented limits. Every text field of the
 * domain is one of these, so every backend receives the same text: no NUL
 * byte (PostgreSQL cannot store one) and no lone UTF-16 surrogate (not
 * Unicode, so not storable as UTF-8). Content is kept as given: no trimming,
 * folding or case changes here.
 *
 * | kind | at most | for |
 * |---|---|---|
 * | `name` | 200 characters | first, last, display and company names |
 * | `short` | 1,000 | labels, sources, reasons, subjects, address lines |
 * | `long` | 100,000 | notes, bodies, descriptions, evidence, attribute values |
 */
export const TEXT_LIMITS = { name: 200, short: 1_000, long: 100_000 } as const

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/

/** Why a string cannot be stored, or undefined when it can. */
export function unstorableText(s: string): string | undefined {
  if (s.includes('\u0000')) return 'contains a NUL character (\\u0000), which cannot be stored'
  if (LONE_SURROGATE.test(s)) return 'contains a lone UTF-16 surrogate (not valid Unicode)'
  return undefined
}

const text = (max: number) =>
  z
    .string()
    .max(max, `must be at most ${max.toLocaleString('en-US')} characters`)
    .superRefine((s, ctx) => {
      const why = unstorableText(s)
      if (why) ctx.addIssue({ code: 'custom', message: why })
    })

/** Text that must not be blank (a name, a source). */
const required = (max: number) => text(max).refine((s) => s.trim().length > 0, 'must not be empty')

export const Text = {
  name: text(TEXT_LIMITS.name),
  short: text(TEXT_LIMITS.short),
  long: text(TEXT_LIMITS.long),
  /** A non-blank short text (a source, a label). */
  label: required(TEXT_LIMITS.short),
  /** A non-blank name. */
  requiredName: required(TEXT_LIMITS.name),
} as const
