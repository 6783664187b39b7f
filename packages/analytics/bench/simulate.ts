// A simulated outbound shift over one campaign's list: agents take the next
// lead as the storage claims them (in batches, as the runner does), in the
// order given, and spend a drawn talk and wrap time on it. The same draws
// (who is reached, who buys, how long) serve every order of a run, so the
// orders are compared on the same leads and the same luck.
import type { CampaignId, ContactId, LeadOrder, TenantStore } from '@switchboard/core'

export interface CallFate {
  readonly reached: boolean
  readonly buys: boolean
  /** Ring, talk and wrap, in seconds. */
  readonly seconds: number
  readonly value: number
}

export interface ShiftResult {
  readonly calls: number
  readonly sales: number
  readonly revenue: number
  readonly agentHours: number
  /** Wall milliseconds of each claim (a batch of 20). */
  readonly claimMs: number[]
}

const BATCH = 20

export async function simulateShift(
  store: TenantStore,
  campaignId: CampaignId,
  fates: ReadonlyMap<ContactId, CallFate>,
  options: { readonly agents: number; readonly hours: number; readonly order?: LeadOrder },
): Promise<ShiftResult> {
  const end = options.hours * 3600
  const free = new Array<number>(options.agents).fill(0)
  const buffer: ContactId[] = []
  let calls = 0
  let sales = 0
  let revenue = 0
  const claimMs: number[] = []
  for (;;) {
    // The agent free first takes the next lead.
    let a = 0
    for (let i = 1; i < free.length; i++) if (free[i]! < free[a]!) a = i
    if (free[a]! >= end) break
    if (!buffer.length) {
      const t0 = performance.now()
      const claimed = await store.leads.claim(campaignId, {
        worker: 'shift',
        limit: BATCH,
        ...(options.order ? { order: options.order } : {}),
      })
      claimMs.push(performance.now() - t0)
      if (!claimed.length) break
      buffer.push(...claimed.map((l) => l.contactId))
    }
    const id = buffer.shift()!
    const fate = fates.get(id)!
    calls++
    if (fate.reached && fate.buys) {
      sales++
      revenue += fate.value
    }
    free[a]! += fate.seconds
    await store.leads.complete(campaignId, [id], { worker: 'shift', outcome: fate.buys ? 'SALE' : 'NO_SALE' })
  }
  return { calls, sales, revenue, agentHours: options.agents * options.hours, claimMs }
}
