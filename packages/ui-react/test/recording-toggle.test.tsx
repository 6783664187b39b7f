import { render, screen } from '@testing-library/react'
import { userEvent } from '@testing-library/user-event'
import { describe, expect, it, vi } from 'vitest'
import { RecordingToggle } from '../src/index.js'

describe('RecordingToggle', () => {
  it('is a toggle button: pressed state follows the recording, the click asks for the other one', async () => {
    const onToggle = vi.fn()
    const { rerender } = render(<RecordingToggle recording={false} onToggle={onToggle} />)
    const button = screen.getByRole('button', { name: 'Record' })
    expect(button.getAttribute('aria-pressed')).toBe('false')
    await userEvent.click(button)
    expect(onToggle).toHaveBeenLastCalledWith(true)
    rerender(<RecordingToggle recording onToggle={onToggle} />)
    const stop = screen.getByRole('button', { name: 'Stop recording' })
    expect(stop.getAttribute('aria-pressed')).toBe('true')
    expect(screen.getByRole('status').textContent).toContain('Recording')
    await userEvent.click(stop)
    expect(onToggle).toHaveBeenLastCalledWith(false)
  })

  it('is disabled with the reason when the campaign policy leaves nothing to switch', () => {
    render(<RecordingToggle recording={false} policy="never" onToggle={() => {}} />)
    expect((screen.getByRole('button') as HTMLButtonElement).disabled).toBe(true)
    expect(screen.getByRole('status').textContent).toContain('does not record')
  })

  it('shows the server refusing', async () => {
    render(
      <RecordingToggle
        recording={false}
        onToggle={() => Promise.reject({ message: 'no call to record', reason: 'conflict' })}
      />,
    )
    await userEvent.click(screen.getByRole('button', { name: 'Record' }))
    expect((await screen.findByRole('alert')).textContent).toContain('no call to record')
  })
})
