import { act, fireEvent, render, screen } from '@testing-library/react'
import { userEvent } from '@testing-library/user-event'
import { describe, expect, it, vi } from 'vitest'
import { AgentStateBar, NowProvider } from '../src/index.js'

describe('AgentStateBar', () => {
  it('pauses with the reason typed, and goes ready', async () => {
    const onPause = vi.fn()
    const onReady = vi.fn()
    const user = userEvent.setup()
    const { rerender } = render(<AgentStateBar state="available" onReady={onReady} onPause={onPause} />)
    expect(screen.getByRole('status').textContent).toContain('Ready')
    expect((screen.getByRole('button', { name: 'Ready' }) as HTMLButtonElement).disabled).toBe(true)
    const reason = screen.getByLabelText('Pause reason')
    await user.clear(reason)
    await user.type(reason, 'Coaching')
    await user.click(screen.getByRole('button', { name: 'Pause' }))
    expect(onPause).toHaveBeenCalledWith('Coaching')
    rerender(<AgentStateBar state="paused" reason="Coaching" onReady={onReady} onPause={onPause} />)
    expect(screen.getByRole('status').textContent).toContain('Paused (Coaching)')
    await user.click(screen.getByRole('button', { name: 'Ready' }))
    expect(onReady).toHaveBeenCalledTimes(1)
  })

  it('refuses a pause without a reason', async () => {
    render(<AgentStateBar state="available" onReady={() => {}} onPause={() => {}} />)
    await userEvent.clear(screen.getByLabelText('Pause reason'))
    expect((screen.getByRole('button', { name: 'Pause' }) as HTMLButtonElement).disabled).toBe(true)
  })

  it('counts the wrap-up down every second', () => {
    vi.useFakeTimers()
    vi.setSystemTime(new Date('2026-03-11T15:00:00Z'))
    render(
      <AgentStateBar
        state="wrap_up"
        since="2026-03-11T14:59:50Z"
        wrapUntil="2026-03-11T15:01:05Z"
        onReady={() => {}}
        onPause={() => {}}
      />,
    )
    expect(screen.getByRole('status').textContent).toContain('1:05 left to code the call')
    act(() => vi.advanceTimersByTime(5000))
    expect(screen.getByRole('status').textContent).toContain('1:00 left to code the call')
    act(() => vi.advanceTimersByTime(61_000))
    expect(screen.getByRole('status').textContent).toContain('time is up')
  })

  it('shows a failed state change as an alert', async () => {
    const onReady = vi.fn(async () => {
      throw { message: 'session not found', reason: 'not_found' }
    })
    render(<AgentStateBar state="paused" reason="Lunch" onReady={onReady} onPause={() => {}} />)
    fireEvent.click(screen.getByRole('button', { name: 'Ready' }))
    expect((await screen.findByRole('alert')).textContent).toContain('session not found')
  })

  it("counts with the clock a NowProvider gives (a server on virtual time), not the browser's", () => {
    // the browser says 2030; the server's (virtual) clock says 09:05 on the shift's day
    vi.useFakeTimers()
    vi.setSystemTime(new Date('2030-01-01T00:00:00Z'))
    const serverNow = () => Date.parse('2026-01-06T14:05:00Z')
    render(
      <NowProvider now={serverNow}>
        <AgentStateBar state="available" since="2026-01-06T14:00:00Z" onReady={() => {}} onPause={() => {}} />
      </NowProvider>,
    )
    expect(screen.getByRole('status').textContent).toContain('for 5:00')
    vi.useRealTimers()
  })
})
