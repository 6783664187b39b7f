/** The simple modes: preview, progressive and power (fixed lines per agent), and `pacerFor`. */
import type { Campaign } from '@switchboard/core/domain'
import { type PredictiveOptions, PredictivePacer } from './predictive.js'
import type { AgentView, CampaignSnapshot, Pacer, PacingDecision } from './types.js'

interface Counts {
  available: number
  busy: number
  active: number
  inFlight: number
}

/** Whether an agent state counts as busy (on a call, wrapping up, or reserved for a call on its way). */
export function isBusy(state: AgentView['state']): boolean {
  return state === 'on_call' || state === 'wrap_up' || state === 'reserved'
}

/** @internal Agents available, busy and ready (available for at least `previewSec`), calls in flight. */
export function countSnapshot(s: CampaignSnapshot, previewSec = 0): Counts & { ready: number } {
  let available = 0
  let busy = 0
  let ready = 0
  for (const a of s.agents) {
    if (a.state === 'available') {
      available++
      if (s.now - a.since >= previewSec) ready++
    } else if (isBusy(a.state)) busy++
  }
  return { available, busy, active: available + busy, inFlight: s.calls.length, ready }
}

/** One call per available agent, launched only when no call is already on its way to that agent. */
export class ProgressivePacer implements Pacer {
  readonly name: string = 'progressive'
  readonly mode: string = 'progressive'
  decide(s: CampaignSnapshot): PacingDecision {
    const c = countSnapshot(s)
    const launch = Math.max(0, c.available - c.inFlight)
    return {
      launch,
      mode: this.mode,
      reason: `${c.available} available agents, ${c.inFlight} calls in flight: one call per free agent`,
      figures: { availableAgents: c.available, busyAgents: c.busy, callsInFlight: c.inFlight },
    }
  }
  observe(): void {}
}

/**
 * Preview: the agent sees the contact for `previewSec` seconds before the call is placed. The pacer
 * launches one call per agent who has been available for at least that long.
 */
export class PreviewPacer implements Pacer {
  readonly name = 'preview'
  readonly mode = 'preview'
  constructor(private readonly previewSec = 10) {}
  decide(s: CampaignSnapshot): PacingDecision {
    const c = countSnapshot(s, this.previewSec)
    const launch = Math.max(0, c.ready - c.inFlight)
    return {
      launch,
      mode: 'preview',
      reason: `${c.ready} agents finished previewing, ${c.inFlight} calls in flight`,
      figures: { availableAgents: c.available, busyAgents: c.busy, callsInFlight: c.inFlight },
    }
  }
  observe(): void {}
}

/** Power: a fixed number of lines per available agent. */
export class PowerPacer implements Pacer {
  readonly name: string
  readonly mode = 'power'
  constructor(readonly linesPerAgent = 2) {
    this.name = `power ${linesPerAgent}`
  }
  decide(s: CampaignSnapshot): PacingDecision {
    const c = countSnapshot(s)
    const launch = Math.max(0, Math.round(this.linesPerAgent * c.available) - c.inFlight)
    return {
      launch,
      mode: 'power',
      reason: `${this.linesPerAgent} lines per available agent (${c.available}), ${c.inFlight} in flight`,
      figures: {
        availableAgents: c.available,
        busyAgents: c.busy,
        callsInFlight: c.inFlight,
        ratio: this.linesPerAgent,
      },
    }
  }
  observe(): void {}
}

/**
 * The pacer a campaign's `dialMode` asks for (core's `DialMode`): preview with its `previewSec`,
 * progressive, power with its `linesPerAgent`, or predictive under the campaign's abandonment rule.
 *
 * @example
 * ```ts
 * import { regimes } from '@switchboard/core/domain'
 * import { pacerFor } from '@switchboard/dialer'
 * const pacer = pacerFor({ dialMode: { mode: 'predictive' }, regime: regimes.UK })
 * pacer.mode // 'predictive', pacing by the UK formula
 * ```
 */
export function pacerFor(
  campaign: Pick<Campaign, 'dialMode' | 'regime'>,
  predictive: Omit<PredictiveOptions, 'abandonment'> = {},
): Pacer {
  const m = campaign.dialMode
  switch (m.mode) {
    case 'preview':
      return new PreviewPacer(m.previewSec)
    case 'progressive':
      return new ProgressivePacer()
    case 'power':
      return new PowerPacer(m.linesPerAgent)
    case 'predictive':
      return new PredictivePacer({ ...predictive, abandonment: campaign.regime.abandonment })
  }
}
