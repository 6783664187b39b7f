import { useAction } from '../hooks/use-action.js'
import { Problem } from './problem.js'

export interface ClickToCallButtonProps {
  /** Who is called, for the button's label ("Call Ana Ruiz"). */
  readonly contactName: string
  readonly phone?: string
  /** Places the call; a rejection with `reasons` (the server's 422) is shown reason by reason. */
  readonly onCall: () => unknown
  readonly disabled?: boolean
}

/** Calls a contact from the agent's seat; when the call is refused, says every reason why. */
export function ClickToCallButton({ contactName, phone, onCall, disabled }: ClickToCallButtonProps) {
  const call = useAction(onCall)
  return (
    <div className="sb-click-to-call">
      <button
        type="button"
        className="sb-button sb-button--primary"
        disabled={disabled || call.pending}
        aria-busy={call.pending}
        onClick={() => void call.run()}
      >
        {call.pending ? 'Calling…' : `Call ${contactName}${phone ? ` (${phone})` : ''}`}
      </button>
      <Problem problem={call.problem} />
    </div>
  )
}
