// The supervisor screen: every agent's state, the campaign live (pacing,
// abandonment against its target), and the combined report with its CSV.
import { useEffect, useState } from 'react'
import { createRoot } from 'react-dom/client'
import { client, describeError, store, useLive, virtualNow } from './session.ts'
import { Styles } from './styles.tsx'

type Agents = Awaited<ReturnType<typeof client.agents.list>>
type Report = Awaited<ReturnType<typeof client.reports.campaign>>

/** Polls `load` every `ms` (the report and the agent list are reads; live states come from the store). */
function usePoll<T>(load: () => Promise<T>, ms: number): [T | undefined, string | undefined, () => void] {
  const [value, setValue] = useState<T>()
  const [error, setError] = useState<string>()
  const [n, setN] = useState(0)
  // biome-ignore lint/correctness/useExhaustiveDependencies: `load` is a fresh closure every render; n re-runs it
  useEffect(() => {
    let live = true
    const run = () =>
      load().then(
        (v) => {
          if (!live) return
          setValue(v)
          setError(undefined)
        },
        (e) => {
          if (live) setError(describeError(e))
        },
      )
    void run()
    const h = setInterval(run, ms)
    return () => {
      live = false
      clearInterval(h)
    }
  }, [ms, n])
  return [value, error, () => setN((x) => x + 1)]
}

function AgentsTable() {
  const live = useLive()
  const [agents, error] = usePoll<Agents>(() => client.agents.list(), 3000)
  return (
    <section aria-label="Agents" className="panel">
      <h2>Agents</h2>
      {error ? <p role="alert">{error}</p> : null}
      <table>
        <thead>
          <tr>
            <th>agent</th>
            <th>state</th>
            <th>since</th>
          </tr>
        </thead>
        <tbody>
          {agents?.map((row) => {
            const { agent } = row
            const session = 'session' in row ? row.session : undefined
            const s =
              live.agents[agent.id] ??
              (session ? { state: session.state, since: session.stateSince } : undefined)
            return (
              <tr key={agent.id} data-agent={agent.id}>
                <td>{agent.name}</td>
                <td data-testid="agent-state">{s?.state ?? 'offline'}</td>
                <td>{s?.since ? String(s.since).slice(11, 19) : ''}</td>
              </tr>
            )
          })}
        </tbody>
      </table>
    </section>
  )
}

function CampaignMonitor() {
  const live = useLive()
  const [campaignId, setCampaignId] = useState<string>()
  const [error, setError] = useState<string>()
  useEffect(() => {
    virtualNow().then(
      (c) => setCampaignId(c.campaignId),
      (e) => setError(describeError(e)),
    )
  }, [])
  const pacing = campaignId ? live.pacing[campaignId] : undefined
  const act = (f: (id: never) => Promise<unknown>) => () => {
    if (campaignId) f(campaignId as never).catch((e) => setError(describeError(e)))
  }
  const s = pacing?.status
  return (
    <section aria-label="Campaign" className="panel">
      <h2>Campaign live</h2>
      <p role="status" aria-label="Campaign state">
        {s ? s.state : 'waiting for pacing figures…'}
      </p>
      {s ? (
        <dl>
          <dt>dials</dt>
          <dd data-testid="pacing-dials">{s.dials}</dd>
          <dt>connects</dt>
          <dd>{s.connects}</dd>
          <dt>calls in flight</dt>
          <dd>{Number(s.callsInFlight ?? 0)}</dd>
          <dt>abandoned</dt>
          <dd>{Number(s.abandoned ?? 0)}</dd>
          <dt>abandonment</dt>
          <dd data-testid="abandonment">
            {(pacing.abandonment.rate * 100).toFixed(2)} % (target{' '}
            {(pacing.abandonment.target * 100).toFixed(1)} %)
          </dd>
        </dl>
      ) : null}
      <button type="button" onClick={act((id) => client.campaigns.pause(id))}>
        Pause campaign
      </button>
      <button type="button" onClick={act((id) => client.campaigns.resume(id))}>
        Resume campaign
      </button>
      {error ? <p role="alert">{error}</p> : null}
    </section>
  )
}

const RANGE = { from: '2026-01-01T00:00:00.000Z', to: '2027-01-01T00:00:00.000Z' }

function ReportView() {
  const [report, error, refresh] = usePoll<Report>(
    () => client.reports.campaign({ ...RANGE, groupBy: 'agent' } as never),
    5000,
  )
  const [agents] = usePoll<Agents>(() => client.agents.list(), 30_000)
  const names = Object.fromEntries((agents ?? []).map(({ agent }) => [agent.id, agent.name]))
  const token = new URLSearchParams(location.search).get('token') ?? ''
  const csv = `${client.reports.campaignCsvUrl({ ...RANGE, groupBy: 'agent' } as never)}&token=${token}`
  const row = (r: Report['total']) => (
    <tr key={r.key}>
      <td>{names[r.key] ?? r.key}</td>
      <td>{r.dials}</td>
      <td>{r.connects}</td>
      <td>{r.sales}</td>
      <td>{r.revenue.map((x) => `${(x.amountMinor / 100).toFixed(2)} ${x.currency}`).join(', ') || '0'}</td>
      <td>{r.abandonment.abandoned}</td>
    </tr>
  )
  return (
    <section aria-label="Combined report" className="panel">
      <h2>Combined report (by agent)</h2>
      {error ? <p role="alert">{error}</p> : null}
      <button type="button" onClick={refresh}>
        Refresh report
      </button>
      <a href={csv} download="report.csv">
        Download CSV
      </a>
      <table aria-label="Report">
        <thead>
          <tr>
            <th>agent</th>
            <th>dials</th>
            <th>connects</th>
            <th>sales</th>
            <th>revenue</th>
            <th>abandoned</th>
          </tr>
        </thead>
        <tbody>{report?.rows.map(row)}</tbody>
        <tfoot data-testid="report-total">{report ? row(report.total) : null}</tfoot>
      </table>
    </section>
  )
}

function SupervisorPage() {
  return (
    <main aria-label="Supervisor screen">
      <Styles />
      <h1>Supervisor</h1>
      <div className="columns">
        <CampaignMonitor />
        <AgentsTable />
      </div>
      <ReportView />
    </main>
  )
}

store.start()
createRoot(document.getElementById('root')!).render(<SupervisorPage />)
