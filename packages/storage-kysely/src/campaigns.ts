import type { Campaign, TenantStore } from '@switchboard/core'
import { decode } from './decode.js'
import type { CoreTables } from './schema.js'
import { encode, entityWrites, getById, iso, listPage, type StoreContext } from './shared.js'

const campaignRow = (t: string, c: Campaign): CoreTables['campaigns'] => ({
  tenant_id: t,
  id: c.id,
  status: c.status,
  created_at: iso(c.createdAt),
  updated_at: iso(c.updatedAt),
  data: encode(c),
})

export function campaignStore(ctx: StoreContext): TenantStore['campaigns'] {
  return {
    ...entityWrites(ctx, 'campaigns', campaignRow),
    get: getById(ctx, 'campaigns', decode.campaign),
    list: listPage(ctx, 'campaigns', decode.campaign),
  }
}
