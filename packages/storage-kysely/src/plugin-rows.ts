import { type PluginRow, type TenantStore, validationFailed } from '@switchboard/core'
import type { Kysely } from 'kysely'
import { CORE_TABLES } from './schema.js'
import type { StoreContext } from './shared.js'

/**
 * A plugin's own table, scoped to the tenant. Only tables a plugin migration
 * created are reachable: core's tables (and undeclared names) are refused, so
 * a plugin cannot read or write core data behind the domain's back.
 */
export function pluginRows(ctx: StoreContext): TenantStore['rows'] {
  const { db, t } = ctx
  return (table) => {
    const checked = (async () => {
      if (typeof table !== 'string' || !(await ctx.options.pluginTables.has(db, table))) {
        throw validationFailed('plugin table', [
          {
            field: 'table',
            value: table,
            message: CORE_TABLES.has(table)
              ? "is one of core's tables: reach core data through the domain's services, not rows()"
              : 'is not a table declared by a plugin migration (rows() reaches plugin tables only)',
          },
        ])
      }
    })()
    checked.catch(() => {}) // observed by each method; not an unhandled rejection meanwhile
    // biome-ignore lint/suspicious/noExplicitAny: plugin tables are declared at run time
    const pdb = db as unknown as Kysely<any>
    // biome-ignore lint/suspicious/noExplicitAny: kysely's where() overloads, on a run-time table
    const where = <Q extends { where: (...a: any[]) => Q }>(q: Q, w: PluginRow = {}) => {
      let out = q.where('tenant_id', '=', t)
      for (const [k, v] of Object.entries(w)) out = out.where(k, v === null ? 'is' : '=', v)
      return out
    }
    return {
      async insert(row) {
        await checked
        await pdb
          .insertInto(table)
          .values({ ...row, tenant_id: t })
          .execute()
      },
      async find(w) {
        await checked
        const rows = await where(pdb.selectFrom(table).selectAll(), w).execute()
        return rows.map(({ tenant_id: _t, ...rest }: Record<string, unknown>) => rest as PluginRow)
      },
      async delete(w) {
        await checked
        const res = await where(pdb.deleteFrom(table), w).executeTakeFirst()
        return Number(res.numDeletedRows)
      },
    }
  }
}
