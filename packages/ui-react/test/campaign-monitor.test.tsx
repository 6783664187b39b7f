import { render, screen } from '@testing-library/react'
import { userEvent } from '@testing-library/user-event'
import { describe, expect, it, vi } from 'vitest'
import { CampaignMonitor, type PacingPoint, type RunStatusJson } from '../src/index.js'

const status: RunStatusJson = {
  campaignId: 'spring',
  state: 'running',
  callsInFlight: 7,
  dials: 120,
  connects: 48,
  abandoned: 2,
  refused: 3,
  lastDecision: { launch: 2, mode: 'predictive', reason: '3 agents free soon' },
}
const history: PacingPoint[] = Array.from({ length: 5 }, (_, n) => ({
  at: `2026-03-11T15:00:0${n}Z`,
  dials: 100 + n,
  connects: 40 + n,
  abandoned: 1,
  callsInFlight: 5 + n,
  rate: 0.01 * n,
}))

describe('CampaignMonitor', () => {
  it('shows the pacing figures and a live line chart', () => {
    const { container } = render(
      <CampaignMonitor
        name="Spring renewals"
        status={status}
        abandonment={{ rate: 0.012, target: 0.03 }}
        history={history}
      />,
    )
    const region = screen.getByRole('region', { name: 'Campaign Spring renewals' })
    expect(region.textContent).toContain('120')
    expect(region.textContent).toContain('1.2 % of 3.0 % allowed')
    expect(region.textContent).toContain('3 agents free soon')
    expect(screen.queryByRole('alert')).toBeNull()
    // recharts drew the two series (fixed size: no layout needed).
    expect(container.querySelectorAll('.recharts-line').length).toBe(2)
    expect(container.querySelector('.recharts-reference-line')).not.toBeNull()
    expect(screen.getByText('Calls in flight and abandonment over the last 5 readings.')).toBeTruthy()
  })

  it('alerts when abandonment is over the target', () => {
    render(<CampaignMonitor status={status} abandonment={{ rate: 0.041, target: 0.03 }} history={history} />)
    expect(screen.getByRole('alert').textContent).toBe('Abandonment 4.1 % is over the 3.0 % target.')
  })

  it('offers the controls the state allows', async () => {
    const onPause = vi.fn()
    const onResume = vi.fn()
    const { rerender } = render(
      <CampaignMonitor
        status={status}
        abandonment={{ rate: 0, target: 0.03 }}
        history={[]}
        onPause={onPause}
        onResume={onResume}
      />,
    )
    expect(screen.queryByRole('button', { name: 'Resume' })).toBeNull()
    await userEvent.click(screen.getByRole('button', { name: 'Pause' }))
    expect(onPause).toHaveBeenCalled()
    rerender(
      <CampaignMonitor
        status={{ ...status, state: 'paused' }}
        abandonment={{ rate: 0, target: 0.03 }}
        history={[]}
        onPause={onPause}
        onResume={onResume}
      />,
    )
    await userEvent.click(screen.getByRole('button', { name: 'Resume' }))
    expect(onResume).toHaveBeenCalled()
  })
})
