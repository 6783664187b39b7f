import type { ConsentRecord } from '@switchboard/core/domain'
import { dateTime } from '../format.js'
import type { Json } from '../json.js'

export interface ConsentHistoryProps {
  readonly history: ReadonlyArray<Json<ConsentRecord>>
}

const evidenceText = (e: Json<ConsentRecord>['evidence']): string =>
  e === undefined ? '' : typeof e === 'string' ? e : (e.form ?? e.textShown ?? e.recordingId ?? e.ip ?? '')

/**
 * The contact's consent ledger, newest first: every entry kept (nothing is
 * edited), corrected entries marked as such with the entry that replaced them.
 */
export function ConsentHistory({ history }: ConsentHistoryProps) {
  const correctedBy = new Map(history.filter((r) => r.corrects).map((r) => [r.corrects!, r.id]))
  const rows = [...history].sort((a, b) => b.capturedAt.localeCompare(a.capturedAt))
  if (rows.length === 0) return <p className="sb-muted">No consent recorded.</p>
  return (
    <div className="sb-table-wrap">
      <table className="sb-table sb-consent-history">
        <caption>Consent history</caption>
        <thead>
          <tr>
            <th scope="col">Captured</th>
            <th scope="col">Channel</th>
            <th scope="col">Purpose</th>
            <th scope="col">Status</th>
            <th scope="col">Source</th>
            <th scope="col">Evidence</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => {
            const replaced = correctedBy.get(r.id)
            return (
              <tr key={r.id} className={replaced ? 'sb-corrected' : undefined}>
                <td>{dateTime(r.capturedAt)}</td>
                <td>{r.channel}</td>
                <td>{r.purpose}</td>
                <td>
                  {r.status.replace('_', ' ')}
                  {replaced ? <span className="sb-chip"> corrected</span> : null}
                  {r.expiresAt ? <span className="sb-muted"> until {dateTime(r.expiresAt)}</span> : null}
                </td>
                <td>{r.source}</td>
                <td>{evidenceText(r.evidence)}</td>
              </tr>
            )
          })}
        </tbody>
      </table>
    </div>
  )
}
