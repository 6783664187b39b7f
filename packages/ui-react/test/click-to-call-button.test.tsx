import { render, screen, within } from '@testing-library/react'
import { userEvent } from '@testing-library/user-event'
import { describe, expect, it, vi } from 'vitest'
import { ClickToCallButton } from '../src/index.js'

describe('ClickToCallButton', () => {
  it('lists every reason of a refused call (the 422 body)', async () => {
    const refused = Object.assign(new Error('the call was refused'), {
      status: 422,
      reason: 'click_to_call_refused',
      reasons: [
        { code: 'opted_out', message: 'The contact opted out of marketing calls on 2026-02-01' },
        {
          code: 'outside_calling_hours',
          message: 'It is 22:10 for the contact; calls are allowed 09:00-21:00',
        },
      ],
    })
    const onCall = vi.fn(async () => Promise.reject(refused))
    render(<ClickToCallButton contactName="Ana Ruiz" phone="+14155550132" onCall={onCall} />)
    await userEvent.click(screen.getByRole('button', { name: 'Call Ana Ruiz (+14155550132)' }))
    const alert = await screen.findByRole('alert')
    expect(within(alert).getByText('the call was refused')).toBeTruthy()
    const reasons = within(within(alert).getByRole('list', { name: 'Reasons' })).getAllByRole('listitem')
    expect(reasons.map((r) => r.getAttribute('data-code'))).toEqual(['opted_out', 'outside_calling_hours'])
    expect(reasons[0]!.textContent).toContain('opted out')
  })

  it('clears the refusal when a later call is placed', async () => {
    let fail = true
    const onCall = vi.fn(async () => {
      if (fail) throw { message: 'refused', reasons: [{ code: 'do_not_call', message: 'on the DNC list' }] }
    })
    render(<ClickToCallButton contactName="Ana" onCall={onCall} />)
    const button = screen.getByRole('button', { name: 'Call Ana' })
    await userEvent.click(button)
    expect(await screen.findByText('on the DNC list')).toBeTruthy()
    fail = false
    await userEvent.click(button)
    expect(onCall).toHaveBeenCalledTimes(2)
    expect(screen.queryByRole('alert')).toBeNull()
  })
})
