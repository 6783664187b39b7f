import { useId, useState } from 'react'
import { useAction } from '../hooks/use-action.js'
import type { VerificationRequest } from '../shapes.js'
import { Problem } from './problem.js'

export interface VerificationFlowProps extends VerificationRequest {
  /** Says who the caller is (the server logs it on a new interaction). */
  readonly onIdentify: (contactId: string) => unknown
}

const WHY: Record<VerificationRequest['reason'], string> = {
  unknown: 'The number is not on file.',
  withheld: 'The caller withheld their number.',
  ambiguous: 'Several contacts share this number.',
}

/** Identifying a caller the number did not: the questions to ask, the candidates, then one pick. */
export function VerificationFlow({ reason, candidates, verify, onIdentify }: VerificationFlowProps) {
  const [picked, setPicked] = useState<string>()
  const [asked, setAsked] = useState<ReadonlySet<string>>(new Set())
  const identify = useAction(onIdentify)
  const [done, setDone] = useState(false)
  const id = useId()
  const toggle = (q: string) =>
    setAsked((s) => {
      const next = new Set(s)
      if (next.has(q)) next.delete(q)
      else next.add(q)
      return next
    })
  return (
    <section className="sb-card sb-verify" aria-labelledby={`${id}-h`}>
      <h2 id={`${id}-h`}>Verify the caller</h2>
      <p>{WHY[reason]}</p>
      {verify.length ? (
        <fieldset>
          <legend>Ask</legend>
          {verify.map((q) => (
            <label key={q} className="sb-check">
              <input type="checkbox" checked={asked.has(q)} onChange={() => toggle(q)} /> {q}
            </label>
          ))}
        </fieldset>
      ) : null}
      {candidates.length ? (
        <fieldset>
          <legend>Who is calling?</legend>
          {candidates.map((c) => (
            <label key={c.id} className="sb-radio">
              <input
                type="radio"
                name={`${id}-candidate`}
                value={c.id}
                checked={picked === c.id}
                onChange={() => setPicked(c.id)}
              />{' '}
              {c.displayName}
              {c.address?.postalCode ? <span className="sb-muted"> ({c.address.postalCode})</span> : null}
            </label>
          ))}
        </fieldset>
      ) : (
        <p className="sb-muted">No candidate: search for the contact.</p>
      )}
      <button
        type="button"
        className="sb-button sb-button--primary"
        disabled={!picked || identify.pending || done}
        onClick={async () => {
          if (picked && (await identify.run(picked))) setDone(true)
        }}
      >
        Identify
      </button>
      {done ? <p role="status">Caller identified.</p> : <Problem problem={identify.problem} />}
    </section>
  )
}
