import {
  type AgentId,
  type CampaignId,
  type ContactId,
  createSwitchboard,
  type Interaction,
  regimes,
  type Switchboard,
  type TenantApi,
} from '@switchboard/core'
import { sqliteStorage } from '@switchboard/storage-sqlite'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  type CampaignReport,
  type CodeInfo,
  campaignReport,
  csvField,
  hourBucket,
  ReportBuilder,
  type ReportRow,
  reportCsv,
} from '../src/index.js'

const at = (hhmm: string) => new Date(`2026-01-06T${hhmm}:00Z`)
const from = at('09:00')
const to = at('11:00')
const row = (r: CampaignReport, key: string): ReportRow => {
  const found = r.rows.find((x) => x.key === key)
  if (!found) throw new Error(`no row ${key} in ${r.rows.map((x) => x.key).join(', ')}`)
  return found
}

describe('pure aggregation (ReportBuilder)', () => {
  const codes = new Map<string, CodeInfo>([
    ['SALE', { category: 'sale', flags: { countsAsContact: true, countsAsSale: true } }],
    ['NO', { category: 'contact_no_sale', flags: { countsAsContact: true, countsAsSale: false } }],
    ['MACHINE', { category: 'machine', flags: { countsAsContact: false, countsAsSale: false } }],
    ['ABANDONED', { category: 'abandoned', flags: { countsAsContact: false, countsAsSale: false } }],
  ])
  let n = 0
  const dial = (p: Partial<Interaction>): Interaction =>
    ({
      id: `in_${++n}`,
      tenantId: 'acme',
      contactId: 'ct_1',
      channel: 'voice',
      direction: 'outbound',
      campaignId: 'cp_a',
      startedAt: at('09:10'),
      durations: { ringSec: 0, talkSec: 0, holdSec: 0, wrapSec: 0 },
      recordingIds: [],
      createdAt: at('09:10'),
      updatedAt: at('09:10'),
      ...p,
    }) as Interaction
  const build = (groupBy: 'list' | 'agent') => {
    const b = new ReportBuilder({ from, to, groupBy }, codes)
    b.addInteraction(
      dial({
        agentId: 'ag_1' as AgentId,
        listId: 'spring, "VIP"',
        disposition: 'SALE',
        durations: { ringSec: 5, talkSec: 100, holdSec: 10, wrapSec: 20 },
        outcomeValue: { amountMinor: 1050, currency: 'EUR' },
      }),
      0.1,
    )
    b.addInteraction(dial({ listId: 'spring, "VIP"', disposition: 'MACHINE' }), 0.1)
    b.addInteraction(dial({ disposition: 'ABANDONED' }), 0.1)
    b.addInteraction(
      dial({
        agentId: 'ag_1' as AgentId,
        disposition: 'NO',
        durations: { ringSec: 0, talkSec: 50, holdSec: 0, wrapSec: 0 },
      }),
      0.1,
    )
    // not dials, or outside the range: ignored
    b.addInteraction(dial({ direction: 'inbound', disposition: 'SALE' }), 0.1)
    b.addInteraction(dial({ channel: 'email', disposition: 'SALE' }), 0.1)
    b.addInteraction(dial({ startedAt: at('11:00'), disposition: 'SALE' }), 0.1)
    // one agent: logged in before the range, paused inside it, still logged in at its end
    b.addSession({ id: 'as_1', agentId: 'ag_1', campaignIds: ['cp_a'] })
    b.addStateChange({
      sessionId: 'as_1' as never,
      agentId: 'ag_1' as AgentId,
      from: 'available',
      to: 'paused',
      at: at('09:30'),
    })
    b.addStateChange({
      sessionId: 'as_1' as never,
      agentId: 'ag_1' as AgentId,
      from: 'paused',
      to: 'available',
      at: at('09:45'),
    })
    return b.build()
  }

  it('counts every KPI by list, with agent-hours null by list and in the totals', () => {
    const r = build('list')
    expect(r.rows.map((x) => x.key)).toEqual(['(none)', 'spring, "VIP"'])
    const t = r.totals
    expect(t).toMatchObject({
      key: '(total)',
      dials: 4,
      contacts: 2,
      connects: 2,
      handleSec: 180,
      machines: 1,
      sales: 1,
    })
    expect(t.contactRate).toBe(0.5)
    expect(t.avgHandleSec).toBe(90)
    expect(t.saleRate).toBe(0.5)
    expect(t.abandonment.us).toBeCloseTo(1 / 3, 12)
    expect(t.abandonment.uk).toBeCloseTo(1.1 / 3.1, 12)
    expect(t.agentHours).toBe(2)
    expect(t.salesPerAgentHour).toBe(0.5)
    expect(t.revenue).toEqual([{ currency: 'EUR', amountMinor: 1050, perAgentHourMinor: 525 }])
    for (const x of r.rows) expect(x.agentHours).toBeNull()
    expect(row(r, 'spring, "VIP"')).toMatchObject({
      dials: 2,
      sales: 1,
      connects: 1,
      salesPerAgentHour: null,
    })
  })

  it('writes the CSV exactly (RFC 4180 quoting, dot decimals, 4-decimal rates)', () => {
    expect(reportCsv(build('list'))).toBe(
      [
        'list,dials,contacts,contact_rate,connects,connect_rate,avg_handle_sec,abandoned,machines,false_positives,abandonment_us,abandonment_uk,sales,sale_rate,agent_hours,sales_per_agent_hour,revenue_EUR,revenue_per_agent_hour_EUR',
        '(none),2,1,0.5000,1,0.5000,50.0,1,0,0.0000,0.5000,0.5000,0,0.0000,,,0.00,',
        '"spring, ""VIP""",2,1,0.5000,1,0.5000,130.0,0,1,0.1000,0.0000,0.0909,1,1.0000,,,10.50,',
        '',
      ].join('\r\n'),
    )
    expect(reportCsv(build('agent'), { totals: true }).split('\r\n').slice(1, 4)).toEqual([
      '(none),2,0,0.0000,0,0.0000,,1,1,0.1000,1.0000,1.0000,0,,0.0000,,0.00,',
      'ag_1,2,2,1.0000,2,1.0000,90.0,0,0,0.0000,0.0000,0.0000,1,0.5000,2.0000,0.5000,10.50,5.25',
      '(total),4,2,0.5000,2,0.5000,90.0,1,1,0.1000,0.3333,0.3548,1,0.5000,2.0000,0.5000,10.50,5.25',
    ])
    expect(csvField('a\nb')).toBe('"a\nb"')
  })

  it('keys hours in UTC or in a zone, with its offset', () => {
    expect(hourBucket(Date.parse('2026-01-06T14:59:59Z')).key).toBe('2026-01-06T14:00Z')
    expect(hourBucket(Date.parse('2026-01-06T14:10Z'), 'Europe/Madrid').key).toBe('2026-01-06T15:00+01:00')
    const kolkata = hourBucket(Date.parse('2026-01-06T09:10Z'), 'Asia/Kolkata')
    expect(kolkata).toEqual({ key: '2026-01-06T14:00+05:30', start: Date.parse('2026-01-06T08:30Z') })
    // an agent logged in 09:00-11:00 UTC spans three Kolkata hours
    const b = new ReportBuilder({ from, to, groupBy: 'hour', zone: 'Asia/Kolkata' }, new Map())
    b.addSpan({ id: 's', agentId: 'a', campaignIds: [] }, 'available')
    expect(b.build().rows.map((x) => [x.key, x.agentHours])).toEqual([
      ['2026-01-06T14:00+05:30', 0.5],
      ['2026-01-06T15:00+05:30', 1],
      ['2026-01-06T16:00+05:30', 0.5],
    ])
  })
})

describe("agent time up to the report's instant", () => {
  it('counts a session still logged in until `now`, not until a range end in the future', () => {
    // logged in all of 09:00-11:00, the report asked at 10:15 for 09:00-11:00
    const b = new ReportBuilder({ from, to, groupBy: 'agent', now: at('10:15') }, new Map())
    b.addSpan({ id: 's', agentId: 'a', campaignIds: [] }, 'available')
    expect(b.build().totals.agentHours).toBe(1.25)
    // without `now` (or with it past the range) the range end bounds it
    const later = new ReportBuilder({ from, to, groupBy: 'agent', now: at('23:00') }, new Map())
    later.addSpan({ id: 's', agentId: 'a', campaignIds: [] }, 'available')
    expect(later.build().totals.agentHours).toBe(2)
    // an instant before the range: nothing lived yet
    const before = new ReportBuilder({ from, to, groupBy: 'agent', now: at('08:00') }, new Map())
    before.addSpan({ id: 's', agentId: 'a', campaignIds: [] }, 'available')
    expect(before.build().totals.agentHours).toBe(0)
  })
})

describe('campaignReport on a real instance (SQLite)', () => {
  let now = at('07:00').getTime()
  const clock = { now: () => now }
  let sb: Switchboard
  let t: TenantApi
  let A: CampaignId
  let B: CampaignId
  const agents: Record<string, AgentId> = {}

  const login = async (name: string, when: string, campaignIds: CampaignId[]) => {
    now = at(when).getTime()
    await t.sessions.login(agents[name]!, { campaignIds })
  }
  const step = async (when: string, f: () => Promise<unknown>) => {
    now = at(when).getTime()
    await f()
  }

  beforeAll(async () => {
    sb = await createSwitchboard({ storage: sqliteStorage({ file: ':memory:' }), clock, outbox: false })
    t = sb.tenant('acme')
    await t.dispositions.define({ code: 'SALE', label: 'Sale', category: 'sale' })
    await t.dispositions.define({ code: 'NO_INTEREST', label: 'Not interested', category: 'contact_no_sale' })
    const base = {
      kind: 'telemarketing',
      dialMode: { mode: 'predictive' },
      consentPurpose: 'marketing',
    } as const
    A = (
      await t.campaigns.create({
        ...base,
        name: 'A',
        regime: { ...regimes.UK, abandonment: { ...regimes.UK.abandonment, amdFalsePositiveRate: 0.1 } },
      })
    ).id
    B = (await t.campaigns.create({ ...base, name: 'B', regime: 'US' })).id // amdFalsePositiveRate 0.03
    for (const name of ['ana', 'bob', 'carl', 'dan', 'eve'])
      agents[name] = (await t.agents.create({ name })).id
    const contact: ContactId = (await t.contacts.create({ firstName: 'Zoe', phones: ['+34 612 345 678'] })).id

    // Sessions. eve: 07:00-08:00, before the range. carl: 07:00-12:00 on B, no change inside the range.
    // dan: from 08:00 on B, still open, no change. ana: 08:30-10:30 on A, paused 09:30-09:45.
    // bob: from 09:15 on A and B, still open.
    await login('eve', '07:00', [A])
    await login('carl', '07:00', [B])
    await step('08:00', () => t.sessions.logout(agents.eve!))
    await login('dan', '08:00', [B])
    await login('ana', '08:30', [A])
    await login('bob', '09:15', [A, B])
    await step('09:30', () => t.sessions.pause(agents.ana!, 'coffee'))
    await step('09:45', () => t.sessions.ready(agents.ana!))
    await step('10:30', () => t.sessions.logout(agents.ana!))
    await step('12:00', () => t.sessions.logout(agents.carl!))

    const dial = (
      campaignId: CampaignId,
      when: string,
      disposition: string,
      more: Partial<Parameters<TenantApi['interactions']['log']>[0]> = {},
    ) =>
      t.interactions.log({
        contactId: contact,
        channel: 'voice',
        direction: 'outbound',
        campaignId,
        startedAt: at(when),
        disposition,
        ...more,
      })
    const ana = { agentId: agents.ana! }
    const bob = { agentId: agents.bob! }
    await dial(A, '09:10', 'SALE', {
      ...ana,
      durations: { talkSec: 300, holdSec: 30, wrapSec: 60 },
      outcomeValue: { amountMinor: 10000, currency: 'EUR' },
    })
    await dial(A, '09:20', 'NO_INTEREST', { ...ana, durations: { talkSec: 120, wrapSec: 30 } })
    await dial(A, '09:25', 'MACHINE')
    await dial(A, '09:40', 'ABANDONED')
    await dial(A, '10:05', 'SALE', {
      ...bob,
      durations: { talkSec: 200, wrapSec: 40 },
      outcomeValue: { amountMinor: 5000, currency: 'USD' },
    })
    await dial(B, '10:10', 'SALE', {
      ...bob,
      durations: { talkSec: 100 },
      outcomeValue: { amountMinor: 2500, currency: 'EUR' },
    })
    await dial(B, '10:20', 'NO_ANSWER')
    await dial(B, '10:30', 'MACHINE')
    await dial(B, '10:50', 'NO_INTEREST', { agentId: agents.carl!, durations: { talkSec: 60 } })
    // Not counted: after the range, inbound, without a campaign.
    await dial(A, '11:30', 'SALE', { ...ana, outcomeValue: { amountMinor: 999, currency: 'EUR' } })
    await dial(A, '09:50', 'SALE', { ...ana, direction: 'inbound' })
    await t.interactions.log({
      contactId: contact,
      channel: 'voice',
      direction: 'outbound',
      startedAt: at('09:55'),
    })

    // Another tenant, with a dial, a sale and an agent inside the same range.
    const g = sb.tenant('globex')
    await g.dispositions.define({ code: 'SALE', label: 'Sale', category: 'sale' })
    const gc = (await g.campaigns.create({ ...base, name: 'G', regime: 'US' })).id
    const ga = (await g.agents.create({ name: 'gus' })).id
    const gContact = (await g.contacts.create({ firstName: 'Gil' })).id
    now = at('09:00').getTime()
    await g.sessions.login(ga, { campaignIds: [gc] })
    await g.interactions.log({
      contactId: gContact,
      channel: 'voice',
      direction: 'outbound',
      campaignId: gc,
      agentId: ga,
      startedAt: at('09:30'),
      disposition: 'SALE',
      outcomeValue: { amountMinor: 100, currency: 'EUR' },
    })
    now = at('13:00').getTime()
  })

  afterAll(async () => {
    await sb?.close()
  })

  it('totals: every KPI against hand-computed numbers', async () => {
    const r = await campaignReport(t, { from, to, groupBy: 'campaign' })
    const x = r.totals
    expect(x).toMatchObject({ dials: 9, contacts: 5, connects: 5, handleSec: 940, machines: 2, sales: 3 })
    expect(x.contactRate).toBeCloseTo(5 / 9, 12)
    expect(x.connectRate).toBeCloseTo(5 / 9, 12)
    expect(x.avgHandleSec).toBe(188)
    expect(x.abandonment).toMatchObject({ live: 6, abandoned: 1 })
    expect(x.abandonment.falsePositives).toBeCloseTo(0.13, 12)
    expect(x.abandonment.us).toBeCloseTo(1 / 6, 12)
    expect(x.abandonment.uk).toBeCloseTo(1.13 / 6.13, 12)
    expect(x.saleRate).toBeCloseTo(0.6, 12)
    // ana 1.5 h + bob 1.75 h + carl 2 h + dan 2 h (eve logged out before the range)
    expect(x.agentHours).toBeCloseTo(7.25, 9)
    expect(x.salesPerAgentHour).toBeCloseTo(3 / 7.25, 9)
    expect(x.revenue.map((m) => [m.currency, m.amountMinor])).toEqual([
      ['EUR', 12500],
      ['USD', 5000],
    ])
    expect(x.revenue[0]!.perAgentHourMinor).toBeCloseTo(12500 / 7.25, 6)
  })

  it('by campaign: agent time split among a session’s campaigns', async () => {
    const r = await campaignReport(t, { from, to, groupBy: 'campaign' })
    expect(r.rows.map((x) => x.key).sort()).toEqual([A, B].sort())
    const a = row(r, A)
    expect(a).toMatchObject({
      dials: 5,
      contacts: 3,
      connects: 3,
      handleSec: 780,
      avgHandleSec: 260,
      machines: 1,
      sales: 2,
    })
    expect(a.abandonment.us).toBe(0.25)
    expect(a.abandonment.uk).toBeCloseTo(1.1 / 4.1, 12)
    expect(a.saleRate).toBeCloseTo(2 / 3, 12)
    expect(a.agentHours).toBeCloseTo(1.5 + 0.875, 9)
    expect(a.salesPerAgentHour).toBeCloseTo(2 / 2.375, 9)
    expect(a.revenue.map((m) => m.amountMinor)).toEqual([10000, 5000])
    const b = row(r, B)
    expect(b).toMatchObject({
      dials: 4,
      contacts: 2,
      connects: 2,
      handleSec: 160,
      avgHandleSec: 80,
      machines: 1,
      sales: 1,
    })
    expect(b.abandonment.us).toBe(0)
    expect(b.abandonment.uk).toBeCloseTo(0.03 / 2.03, 12)
    expect(b.agentHours).toBeCloseTo(0.875 + 2 + 2, 9)
    expect(b.revenue).toEqual([{ currency: 'EUR', amountMinor: 2500, perAgentHourMinor: 2500 / 4.875 }])
  })

  it('one campaign only: its dials and its share of agent time', async () => {
    const r = await campaignReport(t, { from, to, groupBy: 'agent', campaignId: B })
    expect(r.totals).toMatchObject({ dials: 4, sales: 1 })
    expect(r.totals.agentHours).toBeCloseTo(4.875, 9)
    expect(row(r, agents.bob!).agentHours).toBeCloseTo(0.875, 9)
    expect(r.rows.find((x) => x.key === agents.ana)).toBeUndefined()
  })

  it('by agent', async () => {
    const r = await campaignReport(t, { from, to, groupBy: 'agent' })
    expect(row(r, agents.ana!)).toMatchObject({ dials: 2, connects: 2, sales: 1, agentHours: 1.5 })
    expect(row(r, agents.bob!)).toMatchObject({ dials: 2, connects: 2, sales: 2, agentHours: 1.75 })
    expect(row(r, agents.carl!)).toMatchObject({ dials: 1, connects: 1, sales: 0, agentHours: 2 })
    expect(row(r, agents.dan!)).toMatchObject({ dials: 0, agentHours: 2, contactRate: null })
    expect(row(r, '(none)')).toMatchObject({ dials: 4, connects: 0, machines: 2, agentHours: 0 })
    expect(row(r, agents.ana!).salesPerAgentHour).toBeCloseTo(1 / 1.5, 12)
    expect(r.rows.find((x) => x.key === agents.eve)).toBeUndefined()
  })

  it('by hour, in UTC and in a zone', async () => {
    const r = await campaignReport(t, { from, to, groupBy: 'hour' })
    expect(r.rows.map((x) => [x.key, x.dials, x.sales, x.agentHours])).toEqual([
      ['2026-01-06T09:00Z', 4, 1, 3.75],
      ['2026-01-06T10:00Z', 5, 2, 3.5],
    ])
    const m = await campaignReport(t, { from, to, groupBy: 'hour', zone: 'Europe/Madrid' })
    expect(m.rows.map((x) => x.key)).toEqual(['2026-01-06T10:00+01:00', '2026-01-06T11:00+01:00'])
    expect(m.zone).toBe('Europe/Madrid')
  })

  it('by list: "(none)" without a list, agent-hours null', async () => {
    const r = await campaignReport(t, { from, to, groupBy: 'list' })
    expect(r.rows).toHaveLength(1)
    expect(row(r, '(none)')).toMatchObject({ dials: 9, agentHours: null, salesPerAgentHour: null })
    expect(r.totals.agentHours).toBeCloseTo(7.25, 9)
  })

  it('a short range inside a state counts only its part', async () => {
    const r = await campaignReport(t, { from: at('09:35'), to: at('09:40'), groupBy: 'agent' })
    // ana paused, bob, carl, dan: five minutes each
    expect(r.totals.agentHours).toBeCloseTo((4 * 5) / 60, 9)
    expect(r.totals.dials).toBe(0)
  })

  it('does not leak another tenant', async () => {
    const r = await campaignReport(t, { from, to, groupBy: 'agent' })
    expect(r.totals.dials).toBe(9)
    expect(r.rows.map((x) => x.key)).not.toContain('gus')
    const g = await campaignReport(sb.tenant('globex'), { from, to, groupBy: 'campaign' })
    expect(g.totals).toMatchObject({ dials: 1, sales: 1, agentHours: 2 })
    expect(g.totals.revenue).toEqual([{ currency: 'EUR', amountMinor: 100, perAgentHourMinor: 50 }])
  })

  it('streams more than one page (1,001 dials at one instant, keyset on id)', async () => {
    const p = sb.tenant('paging')
    const c = (
      await p.campaigns.create({
        name: 'P',
        kind: 'telemarketing',
        dialMode: { mode: 'predictive' },
        consentPurpose: 'marketing',
        regime: 'US',
      })
    ).id
    const contactId = (await p.contacts.create({ firstName: 'Pat' })).id
    for (let i = 0; i < 1001; i++)
      await p.interactions.log({
        contactId,
        channel: 'voice',
        direction: 'outbound',
        campaignId: c,
        startedAt: at('09:30'),
        disposition: i % 2 ? 'NO_ANSWER' : 'MACHINE',
      })
    const r = await campaignReport(p, { from, to, groupBy: 'hour' })
    expect(r.totals).toMatchObject({ dials: 1001, machines: 501, connects: 0 })
    expect(r.totals.abandonment.falsePositives).toBeCloseTo(501 * 0.03, 9)
  }, 60_000)

  it('refuses bad options with a ValidationFailed', async () => {
    await expect(campaignReport(t, { from: to, to: from, groupBy: 'agent' })).rejects.toMatchObject({
      reason: 'validation_failed',
    })
    await expect(
      campaignReport(t, { from, to, groupBy: 'agent', zone: 'Mars/Olympus' }),
    ).rejects.toMatchObject({
      reason: 'validation_failed',
    })
    await expect(campaignReport(t, { from, to, groupBy: 'day' as never })).rejects.toMatchObject({
      reason: 'validation_failed',
    })
  })
})
