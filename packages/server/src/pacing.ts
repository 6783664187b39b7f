import type { CampaignRunStatus, CampaignRuntime } from '@switchboard/campaigns'
import type { Campaign, CampaignId, Switchboard } from '@switchboard/core'
import type { Journals } from './journal.js'

/** The abandonment rate so far (the pacer's own figure when it has one) against the regime's limit. */
export function abandonmentOf(
  status: CampaignRunStatus,
  campaign: Campaign,
): { rate: number; target: number } {
  const figures = status.lastDecision?.figures
  const answered = status.connects + status.abandoned
  const rate = figures?.abandonmentSoFar ?? (answered ? status.abandoned / answered : 0)
  return { rate, target: figures?.abandonmentTarget ?? campaign.regime.abandonment.limit }
}

/**
 * Every `intervalMs`, for tenants with someone listening, a `campaign.pacing`
 * event per running campaign (supervisors only). The campaign list is read
 * again every `refreshEvery` ticks so campaigns started elsewhere show up.
 */
export function startPacing(
  sb: Switchboard,
  runtime: CampaignRuntime,
  journals: Journals,
  intervalMs: number,
  log: (message: string, error: unknown) => void,
  now: () => number,
): () => void {
  const refreshEvery = 10
  const known = new Map<string, { campaigns: Campaign[]; age: number }>()
  let busy = false
  const tick = async () => {
    for (const [tenant, journal] of journals.tenants()) {
      if (!journal.subscribers) continue
      let entry = known.get(tenant)
      if (!entry || entry.age++ >= refreshEvery) {
        entry = { campaigns: await sb.tenant(tenant).campaigns.list({ limit: 1000 }), age: 0 }
        known.set(tenant, entry)
      }
      for (const campaign of entry.campaigns) {
        const status = runtime.status(tenant, campaign.id as CampaignId)
        if (status?.state !== 'running') continue
        journal.append('campaign.pacing', {
          campaignId: campaign.id,
          status,
          abandonment: abandonmentOf(status, campaign),
          at: new Date(now()).toISOString(),
        })
      }
    }
  }
  const timer = setInterval(() => {
    if (busy) return
    busy = true
    tick()
      .catch((e) => log('@switchboard/server: campaign pacing figures failed', e))
      .finally(() => {
        busy = false
      })
  }, intervalMs)
  timer.unref?.()
  return () => clearInterval(timer)
}
