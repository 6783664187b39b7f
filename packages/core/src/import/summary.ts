import type { RejectedRow } from './contacts.js'

export interface RejectionGroup {
  /** "field: message", the same for every row in the group. */
  readonly reason: string
  readonly count: number
  /** Line numbers, in file order. */
  readonly lines: number[]
  /** One offending value, as an example. */
  readonly example: unknown
  /** The file's column, when the reason comes from one. */
  readonly column?: string
}

/** Groups rejected rows by reason, most frequent first (a row with two problems counts in both). */
export function summarizeRejections(rejected: ReadonlyArray<RejectedRow>): RejectionGroup[] {
  const groups = new Map<string, { count: number; lines: number[]; example: unknown; column?: string }>()
  for (const row of rejected) {
    for (const issue of row.reasons) {
      const key = `${issue.field.replace(/\[\d+\]/g, '[]')}: ${issue.message}`
      const g = groups.get(key) ?? {
        count: 0,
        lines: [],
        example: issue.value,
        ...(issue.column ? { column: issue.column } : {}),
      }
      g.count++
      g.lines.push(row.line)
      groups.set(key, g)
    }
  }
  return [...groups.entries()].map(([reason, g]) => ({ reason, ...g })).sort((a, b) => b.count - a.count)
}
