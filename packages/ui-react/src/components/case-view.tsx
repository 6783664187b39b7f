import type { Case, CaseStatus } from '@switchboard/core/domain'
import { type FormEvent, useId, useState } from 'react'
import { clock, dateTime } from '../format.js'
import { useAction } from '../hooks/use-action.js'
import { secondsUntil, useNow } from '../hooks/use-now.js'
import type { Json } from '../json.js'
import type { EscalationSubmission, TierOption } from '../shapes.js'
import { Problem } from './problem.js'

export interface CaseViewProps {
  readonly case: Json<Case>
  /** The tenant's escalation tiers: names the case's tier and offers the higher ones. */
  readonly tiers?: ReadonlyArray<TierOption>
  readonly onEscalate?: (input: EscalationSubmission) => unknown
  readonly onStatus?: (status: CaseStatus) => unknown
}

const REASONS: ReadonlyArray<[EscalationSubmission['reason'], string]> = [
  ['manual', 'Manual (say why)'],
  ['vip', 'VIP customer'],
  ['sla_at_risk', 'SLA at risk'],
  ['sla_breach', 'SLA breached'],
  ['unknown_fault', 'Unknown fault'],
]

/** A deadline counted live: "due in 1:05:00", or "overdue by 3:10" once it has passed. */
function SlaClock({ label, due, met }: { label: string; due: string | undefined; met?: string | undefined }) {
  const now = useNow()
  const left = secondsUntil(due, now)
  if (left === undefined) return null
  return (
    <>
      <dt>{label}</dt>
      <dd className={!met && left <= 0 ? 'sb-overdue' : undefined}>
        {met ? `met ${dateTime(met)}` : left > 0 ? `due in ${clock(left)}` : `overdue by ${clock(left)}`}
      </dd>
    </>
  )
}

/** A case: its tier, status and SLA clocks, its history, and escalation to a higher tier with a reason. */
export function CaseView({ case: c, tiers = [], onEscalate, onStatus }: CaseViewProps) {
  const id = useId()
  const tier = tiers.find((t) => t.id === c.tierId)
  const higher = tiers.filter((t) => !tier || t.level > tier.level).sort((a, b) => a.level - b.level)
  const [toTier, setToTier] = useState('')
  const [reason, setReason] = useState<EscalationSubmission['reason']>('manual')
  const [note, setNote] = useState('')
  const [invalid, setInvalid] = useState<string>()
  const escalate = useAction((input: EscalationSubmission) => onEscalate?.(input))
  const status = useAction((s: CaseStatus) => onStatus?.(s))
  const target = toTier || higher[0]?.id || ''
  const submit = async (e: FormEvent) => {
    e.preventDefault()
    setInvalid(undefined)
    if (!target) return setInvalid('Pick the tier to escalate to.')
    if (reason === 'manual' && !note.trim()) return setInvalid('A manual escalation needs a note saying why.')
    await escalate.run({ toTier: target, reason, ...(note.trim() ? { note: note.trim() } : {}) })
  }
  return (
    <section className="sb-card sb-case" aria-labelledby={`${id}-h`}>
      <h2 id={`${id}-h`}>{c.subject}</h2>
      <dl className="sb-fields">
        <dt>Tier</dt>
        <dd>{tier ? `${tier.name} (level ${tier.level})` : (c.tierId ?? 'none')}</dd>
        <dt>Priority</dt>
        <dd>{c.priority}</dd>
        <dt>Status</dt>
        <dd>{c.status}</dd>
        <SlaClock label="First response" due={c.sla.firstResponseDueAt} met={c.sla.firstRespondedAt} />
        <SlaClock label="Resolution" due={c.sla.resolutionDueAt} />
        {c.sla.breachedAt ? (
          <>
            <dt>SLA breached</dt>
            <dd>{dateTime(c.sla.breachedAt)}</dd>
          </>
        ) : null}
      </dl>
      {onStatus ? (
        <fieldset className="sb-row sb-plain">
          <legend className="sb-sr-only">Set status</legend>
          {(['pending', 'solved', 'closed'] as const).map((s) => (
            <button
              key={s}
              type="button"
              className="sb-button"
              disabled={status.pending || c.status === s}
              onClick={() => void status.run(s)}
            >
              Mark {s}
            </button>
          ))}
        </fieldset>
      ) : null}
      <Problem problem={status.problem} />
      {onEscalate ? (
        <form onSubmit={submit} aria-label="Escalate" noValidate>
          <label className="sb-field">
            Escalate to
            <select value={target} onChange={(e) => setToTier(e.target.value)}>
              {higher.map((t) => (
                <option key={t.id} value={t.id}>
                  {t.name} (level {t.level})
                </option>
              ))}
            </select>
          </label>
          <label className="sb-field">
            Reason
            <select
              value={reason}
              onChange={(e) => setReason(e.target.value as EscalationSubmission['reason'])}
            >
              {REASONS.map(([v, label]) => (
                <option key={v} value={v}>
                  {label}
                </option>
              ))}
            </select>
          </label>
          <label className="sb-field">
            Note
            <input value={note} onChange={(e) => setNote(e.target.value)} />
          </label>
          <button type="submit" className="sb-button" disabled={escalate.pending}>
            Escalate
          </button>
          {invalid ? <p role="alert">{invalid}</p> : null}
          <Problem problem={escalate.problem} />
        </form>
      ) : null}
      <h3>History</h3>
      <ol className="sb-timeline" aria-label="Case history">
        {c.history.map((h, n) => (
          // biome-ignore lint/suspicious/noArrayIndexKey: the history is append-only; its order is its identity
          <li key={n}>
            <span className="sb-timeline__when">{dateTime(h.at)}</span> {h.type.replace('_', ' ')}
            {h.from || h.to ? ` ${h.from ?? ''} → ${h.to ?? ''}` : ''}
            {h.reason ? ` (${h.reason})` : ''}
            {h.by ? <span className="sb-muted"> by {h.by}</span> : null}
          </li>
        ))}
      </ol>
    </section>
  )
}
