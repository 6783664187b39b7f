import { render, screen, within } from '@testing-library/react'
import { userEvent } from '@testing-library/user-event'
import { describe, expect, it, vi } from 'vitest'
import { ScreenPopCard } from '../src/index.js'
import { aCase, contact, interaction } from './fixtures.js'

describe('ScreenPopCard', () => {
  it('shows the caller, the timeline with recordings, and opens a case with its id', async () => {
    const onOpenCase = vi.fn()
    render(
      <ScreenPopCard
        contact={contact()}
        timeline={[
          interaction({
            id: 'i-1' as never,
            disposition: 'SALE',
            recordingIds: ['r-1'] as never,
            recordings: [
              {
                id: 'r-1',
                uri: 'https://rec.example/r-1.wav',
                durationSec: 42,
              } as never,
            ],
          }),
          interaction({ id: 'i-2' as never, channel: 'email', direction: 'inbound', subject: 'Invoice' }),
        ]}
        openCases={[aCase()]}
        onOpenCase={onOpenCase}
      />,
    )
    const card = screen.getByRole('region', { name: 'Ana Ruiz' })
    expect(within(card).getByText('+14155550132')).toBeTruthy()
    expect(within(card).getByText(/America\/New_York/)).toBeTruthy()
    const timeline = screen.getByRole('list', { name: 'Timeline' })
    expect(within(timeline).getAllByRole('listitem')).toHaveLength(2)
    const rec = within(timeline).getByRole('link', { name: /Recording 1 \(42 s\)/ })
    expect(rec.getAttribute('href')).toBe('https://rec.example/r-1.wav')
    expect(within(timeline).getByText('SALE')).toBeTruthy()
    expect(within(timeline).getByText(/Invoice/)).toBeTruthy()
    await userEvent.click(screen.getByRole('button', { name: 'Router keeps rebooting' }))
    expect(onOpenCase).toHaveBeenCalledWith('case-1')
  })

  it('says when there is no history and no open case', () => {
    render(<ScreenPopCard contact={contact()} timeline={[]} openCases={[]} />)
    expect(screen.getByText('No earlier contact.')).toBeTruthy()
    expect(screen.getByText('No open case.')).toBeTruthy()
  })
})
