import { render, screen } from '@testing-library/react'
import { userEvent } from '@testing-library/user-event'
import { describe, expect, it, vi } from 'vitest'
import { HangUpButton } from '../src/index.js'

describe('HangUpButton', () => {
  it('asks to end the call once per click, by keyboard too', async () => {
    const onHangUp = vi.fn()
    render(<HangUpButton onHangUp={onHangUp} />)
    const button = screen.getByRole('button', { name: 'Hang up' })
    await userEvent.click(button)
    expect(onHangUp).toHaveBeenCalledTimes(1)
    button.focus()
    await userEvent.keyboard('{Enter}')
    expect(onHangUp).toHaveBeenCalledTimes(2)
  })

  it('shows the server refusing (the call ended meanwhile)', async () => {
    render(
      <HangUpButton
        onHangUp={() =>
          Promise.reject({ message: 'hangup: agentId is not on a call', reason: 'validation_failed' })
        }
      />,
    )
    await userEvent.click(screen.getByRole('button', { name: 'Hang up' }))
    expect((await screen.findByRole('alert')).textContent).toContain('is not on a call')
  })
})
