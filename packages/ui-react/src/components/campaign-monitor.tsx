import { CartesianGrid, Legend, Line, LineChart, ReferenceLine, Tooltip, XAxis, YAxis } from 'recharts'
import { percent } from '../format.js'
import type { AbandonmentVsTarget, PacingPoint, RunStatusJson } from '../shapes.js'

export interface CampaignMonitorProps {
  readonly name?: string
  readonly status: RunStatusJson
  readonly abandonment: AbandonmentVsTarget
  /** The live series, oldest first. */
  readonly history: ReadonlyArray<PacingPoint>
  /** Chart size in pixels (fixed, so it renders without a layout pass). */
  readonly width?: number
  readonly height?: number
  readonly onPause?: () => void
  readonly onResume?: () => void
  readonly onStop?: () => void
}

const FIGURES = [
  ['dials', 'Dials'],
  ['connects', 'Connects'],
  ['abandoned', 'Abandoned'],
  ['callsInFlight', 'In flight'],
  ['refused', 'Refused'],
] as const

const hhmmss = (iso: string) => new Date(iso).toISOString().slice(11, 19)

/** A running campaign: pacing figures, abandonment against the regime's ceiling, and a live chart of both. */
export function CampaignMonitor(props: CampaignMonitorProps) {
  const { status, abandonment, history, width = 560, height = 220 } = props
  const over = abandonment.rate > abandonment.target
  const title = props.name ?? status.campaignId
  const data = history.map((p) => ({ ...p, time: hhmmss(p.at), ratePct: p.rate * 100 }))
  return (
    <section className="sb-card sb-monitor" aria-label={`Campaign ${title}`}>
      <header className="sb-card__header">
        <h2>{title}</h2>
        <span className={`sb-chip sb-chip--${status.state}`}>{status.state}</span>
      </header>
      <dl className="sb-figures">
        {FIGURES.map(([key, label]) => (
          <div key={key}>
            <dt>{label}</dt>
            <dd>{status[key]}</dd>
          </div>
        ))}
        <div>
          <dt>Abandonment</dt>
          <dd className={over ? 'sb-overdue' : undefined}>
            {percent(abandonment.rate)} of {percent(abandonment.target)} allowed
          </dd>
        </div>
      </dl>
      {over ? (
        <p role="alert">
          Abandonment {percent(abandonment.rate)} is over the {percent(abandonment.target)} target.
        </p>
      ) : null}
      {status.lastDecision ? (
        <p className="sb-muted">
          Pacing ({status.lastDecision.mode}): {status.lastDecision.reason}
        </p>
      ) : null}
      <figure className="sb-chart" aria-label="Live pacing chart">
        <LineChart width={width} height={height} data={data}>
          <CartesianGrid strokeDasharray="3 3" stroke="var(--sb-border)" />
          <XAxis dataKey="time" minTickGap={24} />
          <YAxis yAxisId="calls" allowDecimals={false} />
          <YAxis yAxisId="rate" orientation="right" unit="%" />
          <Tooltip />
          <Legend />
          <Line
            yAxisId="calls"
            type="monotone"
            dataKey="callsInFlight"
            name="Calls in flight"
            stroke="var(--sb-accent)"
            dot={false}
            isAnimationActive={false}
          />
          <Line
            yAxisId="rate"
            type="monotone"
            dataKey="ratePct"
            name="Abandonment %"
            stroke="var(--sb-danger)"
            dot={false}
            isAnimationActive={false}
          />
          <ReferenceLine
            yAxisId="rate"
            y={abandonment.target * 100}
            stroke="var(--sb-danger)"
            strokeDasharray="4 4"
            label="target"
          />
        </LineChart>
        <figcaption className="sb-muted">
          Calls in flight and abandonment over the last {history.length} readings.
        </figcaption>
      </figure>
      <fieldset className="sb-row sb-plain">
        <legend className="sb-sr-only">Campaign controls</legend>
        {props.onPause && status.state === 'running' ? (
          <button type="button" className="sb-button" onClick={props.onPause}>
            Pause
          </button>
        ) : null}
        {props.onResume && status.state === 'paused' ? (
          <button type="button" className="sb-button" onClick={props.onResume}>
            Resume
          </button>
        ) : null}
        {props.onStop && (status.state === 'running' || status.state === 'paused') ? (
          <button type="button" className="sb-button sb-button--danger" onClick={props.onStop}>
            Stop
          </button>
        ) : null}
      </fieldset>
    </section>
  )
}
