// The contact center in a box: one SQLite file, the simulated telephony
// network and core on one virtual clock, the seeded CRM and the campaign
// runtime (predictive dialing, inbound calls blended in).
import { rmSync } from 'node:fs'
import { type CampaignRuntime, createCampaignRuntime } from '@switchboard/campaigns'
import { createSwitchboard, type Switchboard, type TenantApi } from '@switchboard/core'
import { sqliteStorage } from '@switchboard/storage-sqlite'
import { type AmdProfile, ManualClock, SimulatedTelephony } from '@switchboard/telephony/simulated'
import { SCENARIO, type Seeded, seedCrm } from './seed.ts'

export const TENANT = 'acme'
/** The number inbound callers dial. */
export const SERVICE_NUMBER = '+18005550100'
/** Tuesday 6 January 2026, 09:00 in New York (15:00 in Madrid): both calling windows are open. */
export const SHIFT_START = Date.UTC(2026, 0, 6, 14, 0, 0)

export interface CenterOptions {
  /** The SQLite file; it is recreated (a fresh CRM every run). */
  readonly file: string
  readonly seed?: number
  readonly contacts?: number
  /** Simulated agents. */
  readonly agents?: number
  /** Adds the human seat's agent. */
  readonly seat?: boolean
  /** The virtual clock's start (epoch ms, default SHIFT_START). */
  readonly start?: number
  /** The answering-machine detector (default: the network's; a test sets `specificity: 1` so a person is never taken for a machine). */
  readonly amd?: Partial<AmdProfile>
}

export interface Center extends Seeded {
  readonly sb: Switchboard
  readonly t: TenantApi
  readonly clock: ManualClock
  readonly telephony: SimulatedTelephony
  readonly runtime: CampaignRuntime
  readonly file: string
  close(): Promise<void>
}

/** Removes a SQLite file and its write-ahead log. */
export function removeDatabase(file: string): void {
  for (const suffix of ['', '-wal', '-shm', '-journal']) rmSync(file + suffix, { force: true })
}

export async function openCenter(o: CenterOptions): Promise<Center> {
  removeDatabase(o.file)
  const clock = new ManualClock(o.start ?? SHIFT_START)
  const telephony = new SimulatedTelephony({
    seed: o.seed ?? 1,
    clock,
    anyAgent: true,
    agents: {},
    ...(o.amd ? { amd: o.amd } : {}),
    // the seat's scenario numbers are answered by a person (the rest follow the carrier's odds)
    numbers: Object.fromEntries(
      Object.values(SCENARIO).map((p) => [p.phone, { outcome: 'person' as const, ringSec: 4, talkSec: 150 }]),
    ),
    carrier: { talkSec: { type: 'lognormal', medianSec: 70, sigma: 0.6, minSec: 5, maxSec: 900 } },
  })
  await telephony.start()
  const sb = await createSwitchboard({
    storage: sqliteStorage({ file: o.file }),
    telephony,
    clock,
    outbox: false,
  })
  const t = sb.tenant(TENANT)
  const seeded = await seedCrm(t, {
    seed: o.seed ?? 1,
    contacts: o.contacts ?? 600,
    agents: o.agents ?? 8,
    seat: o.seat ?? false,
  })
  const runtime = createCampaignRuntime(sb, {
    clock,
    inbound: { tenant: TENANT },
    // one process: suppressions arrive on the in-process bus, the event log is a backstop
    followIntervalMs: 1000,
  })
  return {
    ...seeded,
    sb,
    t,
    clock,
    telephony,
    runtime,
    file: o.file,
    async close() {
      await runtime.close()
      await telephony.stop()
      await sb.close()
    },
  }
}
