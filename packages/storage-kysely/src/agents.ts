import type { Agent, TenantStore } from '@switchboard/core'
import { decode } from './decode.js'
import type { CoreTables } from './schema.js'
import { encode, entityWrites, getById, iso, listPage, rowsWhereIn, type StoreContext } from './shared.js'

const agentRow = (t: string, a: Agent): CoreTables['agents'] => ({
  tenant_id: t,
  id: a.id,
  name: a.name,
  state: a.state,
  created_at: iso(a.createdAt),
  updated_at: iso(a.updatedAt),
  data: encode(a),
})

/** Agents: owners of contacts, assignees of cases. */
export function agentStore(ctx: StoreContext): TenantStore['agents'] {
  return {
    ...entityWrites(ctx, 'agents', agentRow),
    get: getById(ctx, 'agents', decode.agent),
    getMany: rowsWhereIn(ctx, 'agents', 'id', decode.agent),
    list: listPage(ctx, 'agents', decode.agent),
  }
}
