// The headless shift: the campaign runs for `hours` on the virtual clock,
// advanced as fast as storage settles; then everyone logs out once their last
// call is coded and the combined report is computed.
import { type CampaignReport, campaignReport } from '@switchboard/campaigns'
import { type Center, openCenter, TENANT } from './center.ts'
import { advanceSettled } from './clock.ts'
import { simulate } from './simulation.ts'

export interface ShiftOptions {
  readonly file: string
  readonly hours: number
  readonly agents?: number
  readonly contacts?: number
  readonly seed?: number
  /** Called as virtual time passes (seconds done of the shift's total, and the runner's figures). */
  readonly onProgress?: (
    doneSec: number,
    totalSec: number,
    status: { dials: number; connects: number },
  ) => void
}

export interface ShiftResult {
  readonly tenant: string
  readonly campaignId: string
  /** The report range: the shift's start to its last instant. */
  readonly range: { readonly from: Date; readonly to: Date }
  readonly byAgent: CampaignReport
  readonly byList: CampaignReport
  /** Agent id to name, and list id (a segment id or a named list) to a label, for the tables. */
  readonly agentNames: Readonly<Record<string, string>>
  readonly listNames: Readonly<Record<string, string>>
  /** What went wrong in the background (a sound shift has none). */
  readonly failures: ReadonlyArray<unknown>
}

/** How long the runner gets after the shift to let connected calls end and be coded (virtual seconds). */
const DRAIN_SEC = 300

export async function runShift(o: ShiftOptions): Promise<ShiftResult> {
  const center: Center = await openCenter({
    file: o.file,
    seed: o.seed ?? 1,
    agents: o.agents ?? 8,
    contacts: o.contacts ?? 600,
  })
  const { t, runtime, clock, campaign } = center
  try {
    const from = new Date(clock.now())
    const shiftSec = o.hours * 3600
    const failures: unknown[] = []
    runtime.on('runtime.error', (e) => failures.push(e))
    for (const a of center.agents) await t.sessions.login(a.id, { campaignIds: [campaign.id] })
    const sim = simulate(center, { seed: o.seed ?? 1, agents: center.agents.map((a) => a.id), shiftSec })
    await runtime.start(t.tenantId, campaign.id)
    const total = shiftSec + DRAIN_SEC
    let shown = 0
    const progress = (done: number) => {
      if (!o.onProgress || (done - shown < 60 && done < total)) return
      shown = done
      const s = runtime.status(t.tenantId, campaign.id)
      o.onProgress(done, total, { dials: s?.dials ?? 0, connects: s?.connects ?? 0 })
    }
    await advanceSettled(clock, runtime, shiftSec, 0.25, progress)
    // the end of the shift: no new dial; connected calls end and are coded
    const stopping = runtime.stop(t.tenantId, campaign.id)
    await advanceSettled(clock, runtime, DRAIN_SEC, 0.25, (d) => progress(shiftSec + d))
    await stopping
    sim.stop()
    for (const a of center.agents) if (await t.sessions.current(a.id)) await t.sessions.logout(a.id)
    failures.push(...sim.failures)
    const range = { from, to: new Date(clock.now() + 1) }
    return {
      tenant: TENANT,
      campaignId: campaign.id,
      range,
      byAgent: await campaignReport(t, { ...range, groupBy: 'agent', campaignId: campaign.id }),
      byList: await campaignReport(t, { ...range, groupBy: 'list', campaignId: campaign.id }),
      agentNames: Object.fromEntries(center.agents.map((a) => [a.id, a.name])),
      listNames: { [center.segment.id]: `segment: ${center.segment.name}` },
      failures,
    }
  } finally {
    await center.close()
  }
}
