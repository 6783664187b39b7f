import type { RecordingPolicy } from '@switchboard/core/domain'
import { useAction } from '../hooks/use-action.js'
import { Problem } from './problem.js'

export interface RecordingToggleProps {
  readonly recording: boolean
  /** The campaign's policy: `never` and `always` leave nothing for the agent to switch. */
  readonly policy?: RecordingPolicy
  readonly onToggle: (on: boolean) => unknown
  readonly disabled?: boolean
}

const FIXED: Partial<Record<RecordingPolicy, string>> = {
  never: 'This campaign does not record calls.',
  always: 'This campaign records every call.',
}

/** Starts and stops the call's recording (a toggle button, `aria-pressed`), and says when it is on. */
export function RecordingToggle({ recording, policy, onToggle, disabled }: RecordingToggleProps) {
  const toggle = useAction(onToggle)
  const fixed = policy ? FIXED[policy] : undefined
  return (
    <div className="sb-recording-toggle">
      <button
        type="button"
        className={`sb-button${recording ? ' sb-button--danger' : ''}`}
        aria-pressed={recording}
        disabled={disabled || toggle.pending || fixed !== undefined}
        onClick={() => void toggle.run(!recording)}
      >
        {recording ? 'Stop recording' : 'Record'}
      </button>
      <span role="status" className="sb-muted">
        {recording ? '● Recording' : 'Not recording'}
        {fixed ? ` — ${fixed}` : ''}
      </span>
      <Problem problem={toggle.problem} />
    </div>
  )
}
