import type { Refusal } from '@switchboard/core/domain'
import type { ProblemView } from '../errors.js'

/** Every reason a contact may not be reached, each tagged with its code. */
export function RefusalList({
  reasons,
  label,
}: {
  readonly reasons: ReadonlyArray<Refusal>
  readonly label?: string
}) {
  return (
    <ul aria-label={label}>
      {reasons.map((r) => (
        <li key={r.code} data-code={r.code}>
          {r.message}
        </li>
      ))}
    </ul>
  )
}

/** A failed request, as an alert: its message, then every refusal reason or field named. */
export function Problem({ problem }: { readonly problem: ProblemView | undefined }) {
  if (!problem) return null
  return (
    <div role="alert" className="sb-problem">
      <p>{problem.message}</p>
      {problem.reasons?.length ? <RefusalList reasons={problem.reasons} label="Reasons" /> : null}
      {problem.issues?.length ? (
        <ul aria-label="Fields">
          {problem.issues.map((i) => (
            <li key={i.field}>
              <strong>{i.field}</strong>: {i.message}
            </li>
          ))}
        </ul>
      ) : null}
    </div>
  )
}
