import type { PayloadCondition } from '../domain/rule.js'

/** The value at a dotted path of a JSON payload. */
const at = (payload: unknown, path: string): unknown =>
  path
    .split('.')
    .reduce<unknown>(
      (v, k) => (v && typeof v === 'object' ? (v as Record<string, unknown>)[k] : undefined),
      payload,
    )

/**
 * Whether every payload condition holds (evaluated in memory: it is one
 * event). Like the segment language, a missing value, or one of another type
 * than the condition's, makes the condition false.
 */
export function payloadHolds(conditions: ReadonlyArray<PayloadCondition>, payload: unknown): boolean {
  return conditions.every((c) => {
    const v = at(payload, c.path)
    if (c.op === 'exists') return v !== undefined && v !== null
    if (c.op === 'in') return (c.values ?? []).some((x) => x === v)
    const want = c.value
    if (typeof v !== typeof want) return false
    const x = v as number | string | boolean
    const y = want as number | string | boolean
    switch (c.op) {
      case 'eq':
        return x === y
      case 'ne':
        return x !== y
      case 'lt':
        return x < y
      case 'lte':
        return x <= y
      case 'gt':
        return x > y
      case 'gte':
        return x >= y
      default:
        return false
    }
  })
}
