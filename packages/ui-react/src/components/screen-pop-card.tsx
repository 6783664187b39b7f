import type { Case, Contact } from '@switchboard/core/domain'
import { localTime } from '@switchboard/core/domain'
import { dateTime } from '../format.js'
import { useNow } from '../hooks/use-now.js'
import type { Json } from '../json.js'
import type { TimelineEntry } from '../shapes.js'

export interface ScreenPopCardProps {
  readonly contact: Json<Contact>
  readonly timeline: ReadonlyArray<TimelineEntry>
  readonly openCases: ReadonlyArray<Json<Case>>
  /** Called with a case's id when the agent opens it. */
  readonly onOpenCase?: (caseId: string) => void
  /** How many timeline entries to show (default 10). */
  readonly timelineLimit?: number
}

/** The contact card of a screen pop: who is calling, their local time, every channel's history and their open cases. */
export function ScreenPopCard({
  contact,
  timeline,
  openCases,
  onOpenCase,
  timelineLimit = 10,
}: ScreenPopCardProps) {
  const now = useNow(30_000)
  const local = contact.timeZone ? localTime(now, contact.timeZone) : undefined
  const primary = contact.phones.find((p) => p.primary) ?? contact.phones[0]
  const headingId = `sb-pop-${contact.id}`
  return (
    <section className="sb-card sb-screen-pop" aria-labelledby={headingId}>
      <header className="sb-card__header">
        <h2 id={headingId}>{contact.displayName}</h2>
        {contact.company ? <p className="sb-muted">{contact.company}</p> : null}
      </header>
      <dl className="sb-fields">
        {primary ? (
          <>
            <dt>Phone</dt>
            <dd>{primary.e164}</dd>
          </>
        ) : null}
        {contact.emails[0] ? (
          <>
            <dt>E-mail</dt>
            <dd>{contact.emails[0].address}</dd>
          </>
        ) : null}
        <dt>Lifecycle</dt>
        <dd>{contact.lifecycle}</dd>
        {local ? (
          <>
            <dt>Local time</dt>
            <dd>
              {local.hhmm} ({contact.timeZone})
            </dd>
          </>
        ) : null}
        {contact.tags.length ? (
          <>
            <dt>Tags</dt>
            <dd>{contact.tags.join(', ')}</dd>
          </>
        ) : null}
      </dl>
      <h3>Timeline</h3>
      {timeline.length === 0 ? (
        <p className="sb-muted">No earlier contact.</p>
      ) : (
        <ol className="sb-timeline" aria-label="Timeline">
          {timeline.slice(0, timelineLimit).map((i) => (
            <li key={i.id}>
              <span className="sb-timeline__when">{dateTime(i.startedAt)}</span>{' '}
              <span>
                {i.channel} {i.direction}
              </span>
              {i.disposition ? <span className="sb-chip">{i.disposition}</span> : null}
              {i.subject ? <span> — {i.subject}</span> : null}
              {(i.recordings ?? []).map((r, n) => (
                <a key={r.id} className="sb-recording" href={r.uri}>
                  Recording {n + 1}
                  {r.durationSec !== undefined ? ` (${Math.round(r.durationSec)} s)` : ''}
                </a>
              ))}
              {!i.recordings && i.recordingIds.length ? (
                <span className="sb-chip">{i.recordingIds.length} recording(s)</span>
              ) : null}
            </li>
          ))}
        </ol>
      )}
      <h3>Open cases</h3>
      {openCases.length === 0 ? (
        <p className="sb-muted">No open case.</p>
      ) : (
        <ul className="sb-cases" aria-label="Open cases">
          {openCases.map((c) => (
            <li key={c.id}>
              {onOpenCase ? (
                <button type="button" className="sb-link" onClick={() => onOpenCase(c.id)}>
                  {c.subject}
                </button>
              ) : (
                c.subject
              )}{' '}
              <span className={`sb-chip sb-chip--${c.priority}`}>{c.priority}</span>
            </li>
          ))}
        </ul>
      )}
    </section>
  )
}
