import type { AgentState } from '@switchboard/core/domain'
import { useId, useState } from 'react'
import { clock } from '../format.js'
import { useAction } from '../hooks/use-action.js'
import { secondsUntil, useNow } from '../hooks/use-now.js'
import { Problem } from './problem.js'

export interface AgentStateBarProps {
  readonly state: AgentState
  /** When the state began (ISO). */
  readonly since?: string
  readonly reason?: string
  /** The end of the wrap-up (ISO): counted down while the state is wrap_up. */
  readonly wrapUntil?: string
  /** Reasons offered for a pause (default: Break, Lunch, Training, Meeting); any text is accepted. */
  readonly pauseReasons?: ReadonlyArray<string>
  readonly onReady: () => unknown
  readonly onPause: (reason: string) => unknown
  readonly onLogout?: () => unknown
}

const LABEL: Record<AgentState, string> = {
  offline: 'Offline',
  available: 'Ready',
  reserved: 'Call coming',
  on_call: 'On a call',
  wrap_up: 'Wrap-up',
  paused: 'Paused',
}

/** The agent's state, time in it, the wrap-up countdown, and the ready / pause (with a reason) / log out controls. */
export function AgentStateBar(props: AgentStateBarProps) {
  const { state, since, reason, wrapUntil, onReady, onPause, onLogout } = props
  const reasons = props.pauseReasons ?? ['Break', 'Lunch', 'Training', 'Meeting']
  const now = useNow()
  const [pauseReason, setPauseReason] = useState(reasons[0] ?? '')
  const act = useAction((f: () => unknown) => f())
  const id = useId()
  const inState = secondsUntil(since, now)
  const wrapLeft = state === 'wrap_up' ? secondsUntil(wrapUntil, now) : undefined
  const busy = state === 'on_call' || state === 'reserved'
  return (
    <div className={`sb-state-bar sb-state-bar--${state}`} role="toolbar" aria-label="Agent state">
      <p role="status" className="sb-state-bar__state">
        <span className="sb-dot" aria-hidden="true" /> {LABEL[state]}
        {state === 'paused' && reason ? ` (${reason})` : ''}
        {inState !== undefined && wrapLeft === undefined ? (
          <span className="sb-muted"> for {clock(Math.max(0, -inState))}</span>
        ) : null}
        {wrapLeft !== undefined ? (
          <span className="sb-wrap">
            {' '}
            {wrapLeft > 0 ? `${clock(wrapLeft)} left to code the call` : 'time is up'}
          </span>
        ) : null}
      </p>
      <button
        type="button"
        className="sb-button sb-button--primary"
        disabled={act.pending || busy || state === 'available'}
        onClick={() => void act.run(onReady)}
      >
        Ready
      </button>
      <label htmlFor={`${id}-reason`}>Pause reason</label>
      <input
        id={`${id}-reason`}
        list={`${id}-reasons`}
        value={pauseReason}
        onChange={(e) => setPauseReason(e.target.value)}
      />
      <datalist id={`${id}-reasons`}>
        {reasons.map((r) => (
          <option key={r} value={r} />
        ))}
      </datalist>
      <button
        type="button"
        className="sb-button"
        disabled={act.pending || busy || state === 'offline' || !pauseReason.trim()}
        onClick={() => void act.run(() => onPause(pauseReason.trim()))}
      >
        Pause
      </button>
      {onLogout ? (
        <button
          type="button"
          className="sb-button"
          disabled={act.pending || busy || state === 'offline'}
          onClick={() => void act.run(onLogout)}
        >
          Log out
        </button>
      ) : null}
      <Problem problem={act.problem} />
    </div>
  )
}
