import type { Refusal } from '@switchboard/core/domain'
import { RefusalList } from './problem.js'

export interface ConsentDecisionJson {
  readonly allowed: boolean
  readonly reasons: ReadonlyArray<Refusal>
  readonly localTimes: ReadonlyArray<string>
}

export interface ConsentBadgeProps {
  readonly decision: ConsentDecisionJson
  readonly channel: string
  readonly purpose: string
}

/** Whether the contact may be contacted on a channel for a purpose now, and every reason when not. */
export function ConsentBadge({ decision, channel, purpose }: ConsentBadgeProps) {
  return (
    <div
      className={`sb-consent-badge sb-consent-badge--${decision.allowed ? 'allowed' : 'refused'}`}
      role="status"
      aria-label={`Consent for ${channel} ${purpose}`}
    >
      <strong>{decision.allowed ? 'May contact' : 'Do not contact'}</strong>{' '}
      <span className="sb-muted">
        ({channel}, {purpose})
      </span>
      {decision.reasons.length ? <RefusalList reasons={decision.reasons} /> : null}
      {decision.localTimes.length ? (
        <p className="sb-muted">Their local time: {decision.localTimes.join(', ')}</p>
      ) : null}
    </div>
  )
}
