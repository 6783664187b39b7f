import { act, render, screen, within } from '@testing-library/react'
import { userEvent } from '@testing-library/user-event'
import { describe, expect, it, vi } from 'vitest'
import { CaseView, type TierOption } from '../src/index.js'
import { aCase } from './fixtures.js'

const tiers: TierOption[] = [
  { id: 't1', name: 'Front line', level: 1 },
  { id: 't2', name: 'Specialists', level: 2 },
  { id: 't3', name: 'Engineering', level: 3 },
]

describe('CaseView', () => {
  it('names the tier and counts the SLA clock down, then overdue', () => {
    vi.useFakeTimers()
    vi.setSystemTime(new Date('2026-03-11T15:00:00Z'))
    render(<CaseView case={aCase({ sla: { resolutionDueAt: '2026-03-11T15:00:03Z' } })} tiers={tiers} />)
    expect(screen.getByText('Front line (level 1)')).toBeTruthy()
    expect(screen.getByText('due in 0:03')).toBeTruthy()
    act(() => vi.advanceTimersByTime(2000))
    expect(screen.getByText('due in 0:01')).toBeTruthy()
    act(() => vi.advanceTimersByTime(4000))
    expect(screen.getByText('overdue by 0:03')).toBeTruthy()
  })

  it('escalates to a higher tier only, and a manual escalation needs a note', async () => {
    const onEscalate = vi.fn()
    const user = userEvent.setup()
    render(<CaseView case={aCase({ tierId: 't2' as never })} tiers={tiers} onEscalate={onEscalate} />)
    const form = screen.getByRole('form', { name: 'Escalate' })
    const to = within(form).getByLabelText('Escalate to')
    expect(
      within(to)
        .getAllByRole('option')
        .map((o) => o.textContent),
    ).toEqual(['Engineering (level 3)'])
    await user.click(within(form).getByRole('button', { name: 'Escalate' }))
    expect(within(form).getByRole('alert').textContent).toContain('needs a note')
    expect(onEscalate).not.toHaveBeenCalled()
    await user.type(within(form).getByLabelText('Note'), 'firmware bug')
    await user.click(within(form).getByRole('button', { name: 'Escalate' }))
    expect(onEscalate).toHaveBeenCalledWith({ toTier: 't3', reason: 'manual', note: 'firmware bug' })
  })

  it('escalates for a VIP without a note, sets the status, and lists the history', async () => {
    const onEscalate = vi.fn()
    const onStatus = vi.fn()
    const user = userEvent.setup()
    render(
      <CaseView
        case={aCase({
          history: [
            { at: '2026-03-01T10:00:00.000Z', type: 'created' },
            {
              at: '2026-03-01T11:00:00.000Z',
              type: 'escalated',
              from: 't1',
              to: 't2',
              reason: 'vip',
              by: 'a-1',
            },
          ],
        })}
        tiers={tiers}
        onEscalate={onEscalate}
        onStatus={onStatus}
      />,
    )
    await user.selectOptions(screen.getByLabelText('Reason'), 'vip')
    await user.selectOptions(screen.getByLabelText('Escalate to'), 't3')
    await user.click(screen.getByRole('button', { name: 'Escalate' }))
    expect(onEscalate).toHaveBeenCalledWith({ toTier: 't3', reason: 'vip' })
    await user.click(screen.getByRole('button', { name: 'Mark solved' }))
    expect(onStatus).toHaveBeenCalledWith('solved')
    const history = within(screen.getByRole('list', { name: 'Case history' })).getAllByRole('listitem')
    expect(history[1]!.textContent).toContain('escalated t1 → t2 (vip)')
  })
})
