// The headless shift (what `pnpm demo --headless` runs, shortened): every
// figure of the combined report it returns is reconciled with the raw
// interactions read back from its SQLite file.
import { mkdirSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { type ReportRow, reportCsv } from '@switchboard/campaigns'
import { createSwitchboard, type Interaction } from '@switchboard/core'
import { sqliteStorage } from '@switchboard/storage-sqlite'
import { expect, it } from 'vitest'
import { TRADE_SHOW_LIST } from '../src/seed.ts'
import { runShift } from '../src/shift.ts'

const dir = fileURLToPath(new URL('./.tmp/', import.meta.url))

it('a one-hour shift with three agents: the report reconciles with the interactions in the file', async () => {
  mkdirSync(dir, { recursive: true })
  const file = `${dir}headless.db`
  const ticks: number[] = []
  const r = await runShift({
    file,
    hours: 1,
    agents: 3,
    contacts: 150,
    seed: 5,
    onProgress: (d) => ticks.push(d),
  })
  expect(r.failures).toEqual([])
  expect(ticks.length).toBeGreaterThan(10)
  expect(ticks.at(-1)).toBe(3600 + 300)

  const sb = await createSwitchboard({ storage: sqliteStorage({ file }) })
  const t = sb.tenant(r.tenant)
  const all: Interaction[] = []
  for (let after: string | undefined; ; ) {
    const page = await t.interactions.find({ limit: 1000, ...(after ? { after } : {}) })
    all.push(...page)
    if (page.length < 1000) break
    after = page.at(-1)!.id
  }
  const catalogue = new Map((await t.dispositions.list()).map((d) => [d.code, d]))
  const code = (i: Interaction) => catalogue.get(i.disposition!)!
  const dials = all.filter((i) => i.direction === 'outbound' && i.campaignId === r.campaignId)
  expect(dials.length).toBeGreaterThan(50)
  for (const i of dials) expect(i.disposition, `${i.id} is coded`).toBeDefined()
  const check = (row: ReportRow, rows: Interaction[]) => {
    const connects = rows.filter(
      (i) => i.agentId && !['no_answer', 'busy', 'machine', 'abandoned', 'failed'].includes(code(i).category),
    )
    const sales = rows.filter((i) => i.disposition === 'SALE')
    expect(row.dials, row.key).toBe(rows.length)
    expect(row.connects, row.key).toBe(connects.length)
    expect(row.contacts, row.key).toBe(rows.filter((i) => code(i).flags.countsAsContact).length)
    expect(row.machines, row.key).toBe(rows.filter((i) => code(i).category === 'machine').length)
    expect(row.abandonment.abandoned, row.key).toBe(rows.filter((i) => i.disposition === 'ABANDONED').length)
    expect(row.sales, row.key).toBe(sales.length)
    const revenue = sales.reduce((s, i) => s + (i.outcomeValue?.amountMinor ?? 0), 0)
    expect(row.revenue.find((x) => x.currency === 'USD')?.amountMinor ?? 0, row.key).toBe(revenue)
    const handle = connects.reduce(
      (s, i) => s + i.durations.talkSec + i.durations.holdSec + i.durations.wrapSec,
      0,
    )
    expect(row.handleSec, row.key).toBeCloseTo(handle, 6)
  }
  check(r.byAgent.totals, dials)
  // every simulated agent worked, and the rows by agent add up to the dials
  for (const name of ['Agent 1', 'Agent 2', 'Agent 3']) expect(Object.values(r.agentNames)).toContain(name)
  for (const id of Object.keys(r.agentNames))
    expect(r.byAgent.rows.find((row) => row.key === id)?.connects, r.agentNames[id]).toBeGreaterThan(0)
  for (const row of r.byAgent.rows)
    check(
      row,
      dials.filter((i) => (i.agentId ?? '(none)') === row.key),
    )
  expect(r.byAgent.rows.reduce((s, row) => s + row.dials, 0)).toBe(dials.length)
  // by list: the trade-show leads and the segment's
  expect(r.byList.rows.map((row) => row.key)).toContain(TRADE_SHOW_LIST)
  for (const row of r.byList.rows)
    check(
      row,
      dials.filter((i) => (i.listId ?? '(none)') === row.key),
    )
  // the segment's opted-out and do-not-call contacts were never dialled
  const refused = new Set<string>()
  for (const c of await t.contacts.list({ limit: 1000 })) {
    const d = await t.consent.canContact(c.id, { channel: 'voice', purpose: 'marketing' })
    if (d.reasons.some((x) => x.code === 'opted_out' || x.code === 'do_not_call')) refused.add(c.id)
  }
  expect(refused.size, 'the seed opts some contacts out').toBeGreaterThan(3)
  const dncCoded = new Set(dials.filter((i) => i.disposition === 'DNC').map((i) => i.contactId))
  for (const i of dials)
    if (!dncCoded.has(i.contactId)) expect(refused.has(i.contactId), `${i.contactId} was dialled`).toBe(false)
  // the CSV carries the same totals
  const csv = reportCsv(r.byAgent, { totals: true }).trim().split('\r\n')
  const header = csv[0]!.split(',')
  const total = csv.at(-1)!.split(',')
  expect(total[0]).toBe('(total)')
  expect(Number(total[header.indexOf('dials')])).toBe(dials.length)
  expect(Number(total[header.indexOf('sales')])).toBe(dials.filter((i) => i.disposition === 'SALE').length)
  await sb.close()
})
