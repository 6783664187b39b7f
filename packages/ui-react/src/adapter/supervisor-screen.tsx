import { useState } from 'react'
import { CampaignMonitor } from '../components/campaign-monitor.js'
import { CombinedReport } from '../components/combined-report.js'
import { Problem } from '../components/problem.js'
import { dateTime } from '../format.js'
import { useAction } from '../hooks/use-action.js'
import type { RunStatusJson } from '../shapes.js'
import { useSwitchboard } from './provider.js'
import { useLive } from './use-live.js'
import { useObjectUrl } from './use-object-url.js'
import { useAgents, useCampaigns, useReport, useReportCsv } from './use-request.js'

type GroupBy = 'campaign' | 'agent' | 'list' | 'hour'

export interface SupervisorScreenProps {
  /** The report's range (ISO instants; default: the last 24 hours up to mount). */
  readonly from?: string
  readonly to?: string
  readonly groupBy?: GroupBy
  /** Chart sizes in pixels. */
  readonly chartWidth?: number
  readonly chartHeight?: number
}

/** Every agent of the tenant, their state as it changes (the live store over the list read at mount). */
function AgentsTable() {
  const agents = useAgents()
  const live = useLive((s) => s.agents)
  return (
    <section className="sb-card" aria-label="Agents">
      <h2>Agents</h2>
      <table className="sb-table">
        <caption>Agents and their states</caption>
        <thead>
          <tr>
            <th scope="col">Agent</th>
            <th scope="col">State</th>
            <th scope="col">Since</th>
          </tr>
        </thead>
        <tbody>
          {(agents.data ?? []).map((row) => {
            const { agent } = row
            const session = 'session' in row ? row.session : undefined
            const s = live[agent.id]
            const state = s?.state ?? session?.state ?? 'offline'
            const since = s?.since ?? session?.stateSince
            const reason = s?.reason ?? session?.pauseReason
            return (
              <tr key={agent.id}>
                <th scope="row">{agent.name}</th>
                <td>
                  {state}
                  {reason ? ` (${reason})` : ''}
                </td>
                <td>{since ? dateTime(since) : '–'}</td>
              </tr>
            )
          })}
        </tbody>
      </table>
      <Problem problem={agents.problem} />
    </section>
  )
}

/**
 * The supervisor's screen, connected: agents' live states, a monitor per
 * campaign that reports pacing (start, pause, resume, stop), and the combined
 * report by group with its CSV.
 */
export function SupervisorScreen(props: SupervisorScreenProps) {
  const { client } = useSwitchboard()
  const campaigns = useCampaigns()
  const pacing = useLive((s) => s.pacing)
  const [range] = useState(() => {
    const to = props.to ?? new Date().toISOString()
    return { from: props.from ?? new Date(Date.parse(to) - 86_400_000).toISOString(), to }
  })
  const [groupBy, setGroupBy] = useState<GroupBy>(props.groupBy ?? 'campaign')
  const query = { ...range, groupBy }
  const report = useReport(query)
  const csv = useReportCsv(query)
  const csvUrl = useObjectUrl(csv.data, 'text/csv')
  const control = useAction((f: () => Promise<unknown>) => f())
  const agents = useAgents()
  const names = Object.fromEntries((campaigns.data ?? []).map((c) => [c.id, c.name]))
  // the report's groups by name: campaigns, agents, and the dials no agent took
  const labels: Record<string, string> = {
    ...names,
    ...Object.fromEntries((agents.data ?? []).map((r) => [r.agent.id, r.agent.name])),
    '(none)': 'No agent (not connected)',
  }
  const act = (f: () => Promise<unknown>) => () => void control.run(f)
  return (
    <div className="sb-supervisor">
      <AgentsTable />
      <section className="sb-card" aria-label="Campaigns">
        <h2>Campaigns</h2>
        <ul className="sb-cases">
          {(campaigns.data ?? []).map((c) => (
            <li key={c.id}>
              {c.name} <span className="sb-chip">{pacing[c.id]?.status.state ?? c.status}</span>{' '}
              {!pacing[c.id] || pacing[c.id]?.status.state === 'stopped' ? (
                <button type="button" className="sb-button" onClick={act(() => client.campaigns.start(c.id))}>
                  Start {c.name}
                </button>
              ) : null}
            </li>
          ))}
        </ul>
        <Problem problem={control.problem ?? campaigns.problem} />
      </section>
      {Object.entries(pacing).map(([id, p]) => (
        <CampaignMonitor
          key={id}
          {...(names[id] ? { name: names[id] } : {})}
          status={
            { campaignId: id, callsInFlight: 0, abandoned: 0, refused: 0, ...p.status } as RunStatusJson
          }
          abandonment={p.abandonment}
          history={p.history}
          {...(props.chartWidth ? { width: props.chartWidth } : {})}
          {...(props.chartHeight ? { height: props.chartHeight } : {})}
          onPause={act(() => client.campaigns.pause(id))}
          onResume={act(() => client.campaigns.resume(id))}
          onStop={act(() => client.campaigns.stop(id))}
        />
      ))}
      <label className="sb-field">
        Group the report by
        <select value={groupBy} onChange={(e) => setGroupBy(e.target.value as GroupBy)}>
          <option value="campaign">campaign</option>
          <option value="agent">agent</option>
          <option value="list">list</option>
          <option value="hour">hour</option>
        </select>
      </label>
      {report.data ? (
        <CombinedReport
          rows={report.data.rows}
          total={report.data.total}
          groupBy={groupBy}
          labels={labels}
          {...(csvUrl ? { csvUrl } : {})}
          {...(props.chartWidth ? { width: props.chartWidth } : {})}
          {...(props.chartHeight ? { height: props.chartHeight } : {})}
        />
      ) : (
        <Problem problem={report.problem} />
      )}
      <button
        type="button"
        className="sb-button"
        onClick={() => {
          report.reload()
          csv.reload()
        }}
      >
        Refresh the report
      </button>
    </div>
  )
}
