import { act, render, screen } from '@testing-library/react'
import { userEvent } from '@testing-library/user-event'
import { describe, expect, it, vi } from 'vitest'
import { DispositionForm, type DispositionOption } from '../src/index.js'

const codes: DispositionOption[] = [
  { code: 'SALE', label: 'Sale', category: 'sale' },
  { code: 'CALLBACK', label: 'Call back', category: 'callback' },
  { code: 'NO_INTEREST', label: 'Not interested', category: 'contact_no_sale' },
  { code: 'NO_ANSWER', label: 'No answer', category: 'no_answer' },
]

describe('DispositionForm', () => {
  it("offers the campaign's codes, not the runner's own", () => {
    render(<DispositionForm codes={codes} onSubmit={() => {}} />)
    expect(screen.getAllByRole('radio').map((r) => (r as HTMLInputElement).value)).toEqual([
      'SALE',
      'CALLBACK',
      'NO_INTEREST',
    ])
  })

  it("books a callback at a wall-clock time in the contact's zone, sent as the instant", async () => {
    const onSubmit = vi.fn()
    const user = userEvent.setup()
    render(<DispositionForm codes={codes} timeZone="America/New_York" onSubmit={onSubmit} />)
    await user.click(screen.getByRole('radio', { name: 'Call back' }))
    const when = screen.getByLabelText("Call back at (contact's time, America/New_York)")
    await user.clear(when)
    await user.type(when, '2026-03-11T15:30')
    await user.type(screen.getByLabelText('Note'), 'after the school run')
    await user.click(screen.getByRole('button', { name: 'Save disposition' }))
    // New York is on EDT (UTC-4) from 8 March 2026.
    expect(onSubmit).toHaveBeenCalledWith({
      code: 'CALLBACK',
      note: 'after the school run',
      callback: { dueAt: '2026-03-11T19:30:00.000Z', timeZone: 'America/New_York' },
    })
    expect((await screen.findByRole('status')).textContent).toBe('Call coded.')
  })

  it('the same wall-clock time in another zone is another instant', async () => {
    const onSubmit = vi.fn()
    render(<DispositionForm codes={codes} timeZone="Europe/Madrid" onSubmit={onSubmit} />)
    await userEvent.click(screen.getByRole('radio', { name: 'Call back' }))
    const when = screen.getByLabelText(/Call back at/)
    await userEvent.clear(when)
    await userEvent.type(when, '2026-03-11T15:30')
    await userEvent.click(screen.getByRole('button', { name: 'Save disposition' }))
    expect(onSubmit.mock.calls[0]![0].callback.dueAt).toBe('2026-03-11T14:30:00.000Z')
  })

  it('sends a sale amount in minor units and refuses one that is not an amount', async () => {
    const onSubmit = vi.fn()
    const user = userEvent.setup()
    render(<DispositionForm codes={codes} currency="EUR" onSubmit={onSubmit} />)
    await user.click(screen.getByRole('radio', { name: 'Sale' }))
    const amount = screen.getByLabelText('Sale amount (EUR)')
    await user.type(amount, '12,5')
    await user.click(screen.getByRole('button', { name: 'Save disposition' }))
    expect(screen.getByRole('alert').textContent).toContain('"12,5" is not an amount in EUR')
    expect(onSubmit).not.toHaveBeenCalled()
    await user.clear(amount)
    await user.type(amount, '149.90')
    await user.click(screen.getByRole('button', { name: 'Save disposition' }))
    expect(onSubmit).toHaveBeenCalledWith({
      code: 'SALE',
      outcomeValue: { amountMinor: 14990, currency: 'EUR' },
    })
  })

  it('asks for a code first and shows the fields a 400 names', async () => {
    const onSubmit = vi.fn(async () => {
      throw {
        message: 'disposition: invalid',
        issues: [{ field: 'code', value: 'X', message: 'is not in the campaign set' }],
      }
    })
    render(<DispositionForm codes={codes} onSubmit={onSubmit} />)
    await userEvent.click(screen.getByRole('button', { name: 'Save disposition' }))
    expect(screen.getByRole('alert').textContent).toBe('Pick a code.')
    await userEvent.click(screen.getByRole('radio', { name: 'Not interested' }))
    await userEvent.click(screen.getByRole('button', { name: 'Save disposition' }))
    expect((await screen.findByRole('alert')).textContent).toContain('code: is not in the campaign set')
  })

  it('counts the wrap-up time down', () => {
    vi.useFakeTimers()
    vi.setSystemTime(new Date('2026-03-11T15:00:00Z'))
    render(<DispositionForm codes={codes} wrapUntil="2026-03-11T15:00:30Z" onSubmit={() => {}} />)
    expect(screen.getByText('0:30 left')).toBeTruthy()
    act(() => vi.advanceTimersByTime(10_000))
    expect(screen.getByText('0:20 left')).toBeTruthy()
  })
})
