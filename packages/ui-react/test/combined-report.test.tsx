import { render, screen, within } from '@testing-library/react'
import { describe, expect, it } from 'vitest'
import { CombinedReport, type ReportRowJson } from '../src/index.js'

const row = (key: string, over: Partial<ReportRowJson> = {}): ReportRowJson => ({
  key,
  dials: 100,
  contacts: 40,
  contactRate: 0.4,
  connects: 50,
  connectRate: 0.5,
  handleSec: 9000,
  avgHandleSec: 180,
  machines: 10,
  abandonment: { us: 0.02, uk: 0.025 },
  sales: 5,
  saleRate: 0.1,
  revenue: [{ currency: 'EUR', amountMinor: 74950 }],
  agentHours: 4,
  salesPerAgentHour: 1.25,
  ...over,
})

describe('CombinedReport', () => {
  it('tabulates by group with totals, charts the groups, and links the CSV', () => {
    const { container } = render(
      <CombinedReport
        groupBy="campaign"
        rows={[row('cmp-a'), row('cmp-b', { dials: 60, connects: 20, connectRate: null, revenue: [] })]}
        total={row('(total)', { dials: 160 })}
        labels={{ 'cmp-a': 'Spring renewals' }}
        csvUrl="/api/reports/campaign.csv?groupBy=campaign"
      />,
    )
    const table = screen.getByRole('table', { name: 'Campaign figures by campaign' })
    const [, a, b] = within(table).getAllByRole('row')
    expect(within(a!).getByRole('rowheader').textContent).toBe('Spring renewals')
    expect(a!.textContent).toContain('3:00') // average handle time
    expect(a!.textContent).toMatch(/€749\.50/)
    expect(within(b!).getByRole('rowheader').textContent).toBe('cmp-b')
    expect(within(b!).getAllByRole('cell')[4]!.textContent).toBe('–') // a rate with no denominator
    const total = within(table).getAllByRole('row').at(-1)!
    expect(within(total).getAllByRole('cell')[0]!.textContent).toBe('160')
    const csv = screen.getByRole('link', { name: 'Download CSV' })
    expect(csv.getAttribute('href')).toBe('/api/reports/campaign.csv?groupBy=campaign')
    expect(csv.hasAttribute('download')).toBe(true)
    expect(container.querySelectorAll('.recharts-bar').length).toBe(3)
  })
})
