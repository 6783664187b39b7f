import type { CampaignRuntime } from '@switchboard/campaigns'
import type { Switchboard } from '@switchboard/core'
import type { CallTracker } from './call-tracker.js'
import type { Journals } from './journal.js'

/** What the route groups share: the instance, the runtime, and the handler's own live state. */
export interface Deps {
  readonly sb: Switchboard
  readonly runtime: CampaignRuntime
  readonly calls: CallTracker
  readonly journals: Journals
  readonly heartbeatMs: number
  /** Closers of the open event streams (handler.close ends them). */
  readonly streams: Set<() => void>
  readonly log: (message: string, error: unknown) => void
  /** The instance's clock (virtual in a simulation), epoch ms. */
  readonly now: () => number
}
