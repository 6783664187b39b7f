import { type ContactId, type Lead, type LeadOrder, validationFailed } from '@switchboard/core'
import { type Kysely, type RawBuilder, sql } from 'kysely'
import type { CoreTables } from './schema.js'
import { chunks, type StoreContext } from './shared.js'

const NAME = /^[a-z_][a-z0-9_]{0,62}$/

/** A claim ordered by a plugin column: the ORDER BY terms of the pick, and the values of the claimed leads. */
export interface OrderedClaim {
  /** `value is null` first as 1 (leads without a row go last on every dialect), then the value, highest first. */
  readonly terms: ReadonlyArray<RawBuilder<unknown>>
  /** Sorts the claimed leads the way the pick chose them: priority, the value, enqueue time, contact id. */
  sort(k: Kysely<CoreTables>, leads: Lead[]): Promise<Lead[]>
}

/**
 * Checks that the order names a plugin table's column (never a core table),
 * and builds its terms: a correlated lookup of the lead's row, tenant-scoped,
 * so the pick stays one statement that `FOR UPDATE SKIP LOCKED` can lock.
 */
export async function orderedClaim(ctx: StoreContext, order: LeadOrder): Promise<OrderedClaim> {
  const contactColumn = order.contactColumn ?? 'contact_id'
  for (const [field, value] of [
    ['order.column', order.column],
    ['order.contactColumn', contactColumn],
  ] as const)
    if (typeof value !== 'string' || !NAME.test(value))
      throw validationFailed('lead claim', [
        { field, value, message: 'must be a column name (lower case, digits, _)' },
      ])
  if (typeof order.table !== 'string' || !(await ctx.options.pluginTables.has(ctx.db, order.table)))
    throw validationFailed('lead claim', [
      { field: 'order.table', value: order.table, message: 'is not a table declared by a plugin migration' },
    ])
  const value = sql`(select o.${sql.ref(order.column)} from ${sql.table(order.table)} as o where o.tenant_id = ${ctx.t} and o.${sql.ref(contactColumn)} = p.contact_id)`
  return {
    terms: [sql`case when ${value} is null then 1 else 0 end`, sql`${value} desc`],
    async sort(k, leads) {
      const values = new Map<string, number>()
      // biome-ignore lint/suspicious/noExplicitAny: plugin tables are declared at run time
      const pdb = k as unknown as Kysely<any>
      for (const part of chunks(
        leads.map((l) => l.contactId as string),
        ctx.listChunk,
      )) {
        const rows = await pdb
          .selectFrom(order.table)
          .select([`${contactColumn} as id`, `${order.column} as v`])
          .where('tenant_id', '=', ctx.t)
          .where(ctx.oneOf(contactColumn, part))
          .execute()
        for (const r of rows) if (r.v !== null) values.set(String(r.id), Number(r.v))
      }
      const of = (id: ContactId) => values.get(id) ?? Number.NEGATIVE_INFINITY
      return leads.sort(
        (a, b) =>
          b.priority - a.priority ||
          of(b.contactId) - of(a.contactId) ||
          a.enqueuedAt.getTime() - b.enqueuedAt.getTime() ||
          (a.contactId < b.contactId ? -1 : a.contactId > b.contactId ? 1 : 0),
      )
    },
  }
}
