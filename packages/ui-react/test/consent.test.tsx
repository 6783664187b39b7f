import { render, screen, within } from '@testing-library/react'
import { describe, expect, it } from 'vitest'
import { ConsentBadge, ConsentHistory } from '../src/index.js'
import { consent } from './fixtures.js'

describe('ConsentBadge', () => {
  it('says no with every reason', () => {
    render(
      <ConsentBadge
        channel="voice"
        purpose="marketing"
        decision={{
          allowed: false,
          reasons: [
            { code: 'opted_out', message: 'Opted out on 2026-02-01 (web form)' },
            { code: 'do_not_call', message: '+14155550132 is on the internal do-not-call list' },
          ],
          localTimes: ['America/New_York 22:10'],
        }}
      />,
    )
    const badge = screen.getByRole('status', { name: 'Consent for voice marketing' })
    expect(within(badge).getByText('Do not contact')).toBeTruthy()
    expect(
      within(badge)
        .getAllByRole('listitem')
        .map((li) => li.getAttribute('data-code')),
    ).toEqual(['opted_out', 'do_not_call'])
    expect(within(badge).getByText(/22:10/)).toBeTruthy()
  })

  it('says yes with no reasons', () => {
    render(
      <ConsentBadge
        channel="sms"
        purpose="service"
        decision={{ allowed: true, reasons: [], localTimes: [] }}
      />,
    )
    expect(screen.getByRole('status').textContent).toContain('May contact')
    expect(screen.queryByRole('listitem')).toBeNull()
  })
})

describe('ConsentHistory', () => {
  it('lists the ledger newest first and marks a corrected entry', () => {
    render(
      <ConsentHistory
        history={[
          consent({
            id: 'k-1' as never,
            status: 'opted_in',
            capturedAt: '2026-01-01T09:00:00.000Z',
            source: 'web form',
          }),
          consent({
            id: 'k-2' as never,
            status: 'opted_out',
            capturedAt: '2026-02-01T09:00:00.000Z',
            source: 'agent',
            evidence: { form: 'call 2026-02-01' },
          }),
          consent({
            id: 'k-3' as never,
            status: 'opted_in',
            capturedAt: '2026-02-02T09:00:00.000Z',
            source: 'supervisor',
            corrects: 'k-2' as never,
          }),
        ]}
      />,
    )
    const table = screen.getByRole('table', { name: 'Consent history' })
    const rows = within(table).getAllByRole('row').slice(1)
    expect(rows.map((r) => within(r).getAllByRole('cell')[4]!.textContent)).toEqual([
      'supervisor',
      'agent',
      'web form',
    ])
    expect(rows[1]!.textContent).toContain('corrected')
    expect(rows[1]!.textContent).toContain('call 2026-02-01')
    expect(rows[0]!.textContent).not.toContain('corrected')
  })

  it('says when nothing is recorded', () => {
    render(<ConsentHistory history={[]} />)
    expect(screen.getByText('No consent recorded.')).toBeTruthy()
  })
})
