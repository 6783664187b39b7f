import { useAction } from '../hooks/use-action.js'
import { Problem } from './problem.js'

export interface HangUpButtonProps {
  readonly onHangUp: () => unknown
  readonly disabled?: boolean
}

/** Ends the agent's connected call; a refusal (the call ended meanwhile) is shown, not thrown. */
export function HangUpButton({ onHangUp, disabled }: HangUpButtonProps) {
  const hang = useAction(onHangUp)
  return (
    <div className="sb-hang-up">
      <button
        type="button"
        className="sb-button sb-button--danger"
        disabled={disabled || hang.pending}
        onClick={() => void hang.run()}
      >
        Hang up
      </button>
      <Problem problem={hang.problem} />
    </div>
  )
}
