import { render, screen } from '@testing-library/react'
import { userEvent } from '@testing-library/user-event'
import { describe, expect, it, vi } from 'vitest'
import { VerificationFlow } from '../src/index.js'
import { contact } from './fixtures.js'

const candidates = [
  contact({ id: 'c-ana' as never, displayName: 'Ana Ruiz', address: { postalCode: '10001' } }),
  contact({ id: 'c-luis' as never, displayName: 'Luis Ruiz', address: { postalCode: '10002' } }),
]

describe('VerificationFlow', () => {
  it('asks the questions, identifies the picked candidate by keyboard, and says so', async () => {
    const onIdentify = vi.fn(async () => {})
    const user = userEvent.setup()
    render(
      <VerificationFlow
        reason="ambiguous"
        candidates={candidates}
        verify={['date of birth', 'postcode']}
        onIdentify={onIdentify}
      />,
    )
    expect(screen.getByText('Several contacts share this number.')).toBeTruthy()
    const identify = screen.getByRole('button', { name: 'Identify' }) as HTMLButtonElement
    expect(identify.disabled).toBe(true)
    await user.click(screen.getByRole('checkbox', { name: 'postcode' }))
    expect((screen.getByRole('checkbox', { name: 'postcode' }) as HTMLInputElement).checked).toBe(true)
    await user.click(screen.getByRole('radio', { name: /Luis Ruiz/ }))
    identify.focus()
    await user.keyboard('{Enter}')
    expect(onIdentify).toHaveBeenCalledWith('c-luis')
    expect((await screen.findByRole('status')).textContent).toBe('Caller identified.')
  })

  it('shows why the server refused the pick', async () => {
    const onIdentify = vi.fn(async () => {
      throw Object.assign(new Error('contact c-ana was not found'), { reason: 'not_found' })
    })
    render(<VerificationFlow reason="unknown" candidates={candidates} verify={[]} onIdentify={onIdentify} />)
    await userEvent.click(screen.getByRole('radio', { name: /Ana Ruiz/ }))
    await userEvent.click(screen.getByRole('button', { name: 'Identify' }))
    expect((await screen.findByRole('alert')).textContent).toContain('contact c-ana was not found')
  })
})
