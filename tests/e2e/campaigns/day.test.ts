// A full simulated campaign day on each storage backend: a predictive
// campaign from 13:00 to past 21:00 in New York on a virtual clock, a seeded
// carrier, 20 simulated agents that code their calls, book callbacks, take
// breaks and take inbound calls mixed in. At the end every integration point
// is checked against the raw rows (screen pops, codes driving retries,
// do-not-call and callbacks, recordings, suppression, calling windows) and the
// combined report is reconciled, group by group, with figures computed here
// from the raw interactions and agent states.
import { campaignReport, type ReportRow } from '@switchboard/campaigns'
import {
  type AgentId,
  type AgentStateChange,
  type Callback,
  type Interaction,
  localTime,
  scopedStore,
  zonedInstant,
} from '@switchboard/core'
import { mulberry32 } from '@switchboard/testkit/random'
import { afterAll, describe, expect, it } from 'vitest'
import { BACKENDS, dropSchemas, phoneOf, type World, world } from './harness.ts'

afterAll(dropSchemas)

const AGENTS = 20
const CONTACTS = 1500
const NY = 'America/New_York'
/** Tuesday 6 January 2026, 13:00 in New York. */
const DAY_START = Date.UTC(2026, 0, 6, 18, 0, 0)
/** 21:00 in New York: the US calling window closes. */
const WINDOW_END = Date.UTC(2026, 0, 7, 2, 0, 0)
const HOURS = 8.5

const CODES = [
  { code: 'SALE', label: 'Sale', category: 'sale' },
  { code: 'NO_INTEREST', label: 'Not interested', category: 'contact_no_sale' },
  { code: 'CALLBACK', label: 'Call me back', category: 'callback' },
  { code: 'DNC', label: 'Do not call me', category: 'do_not_call' },
  { code: 'SERVICE', label: 'Inbound service call', category: 'contact_no_sale' },
] as const

async function allInteractions(w: World): Promise<Interaction[]> {
  const out: Interaction[] = []
  for (let after: string | undefined; ; ) {
    const page = await w.t.interactions.find({ limit: 1000, ...(after ? { after } : {}) })
    out.push(...page)
    if (page.length < 1000) return out
    after = page.at(-1)!.id
  }
}

async function allStates(w: World): Promise<AgentStateChange[]> {
  const out: AgentStateChange[] = []
  for (let after: { sessionId: string; seq: number } | undefined; ; ) {
    const page = await w.t.sessions.states({ limit: 5000, ...(after ? { after: after as never } : {}) })
    out.push(...page)
    if (page.length < 5000) return out
    const last = page.at(-1)!
    after = { sessionId: last.sessionId, seq: last.seq }
  }
}

describe.each(BACKENDS)('a campaign day on %s', (backend) => {
  it('runs 20 agents for a day and every figure reconciles with the raw rows', async () => {
    const rnd = mulberry32(2026)
    const w = await world({
      backend,
      agents: AGENTS,
      contacts: CONTACTS,
      seed: 11,
      inbound: true,
      login: false,
      start: DAY_START,
      // one process: suppressions arrive on the in-process bus; the log is only a backstop here
      followIntervalMs: 1000,
      network: {
        carrier: {
          talkSec: { type: 'lognormal', medianSec: 70, sigma: 0.6, minSec: 5, maxSec: 900 },
        },
        agents: {},
      },
      campaign: {
        dialMode: { mode: 'predictive' },
        recording: 'always',
        wrapUpSec: 90,
        script: 'Hello {{firstName}}, this is Acme about your renewal.',
        dispositionCodes: ['SALE', 'NO_INTEREST', 'CALLBACK', 'DNC'],
      },
    })
    const { t, runtime, clock, campaign } = w
    for (const c of CODES) await t.dispositions.define(c)
    for (const a of w.agents) await t.sessions.login(a.id, { campaignIds: [campaign.id] })

    // the agents: code each call after a wrap-up time; book callbacks 2 hours later in the contact's zone
    const pops: Array<{ callId: string; contactId?: string; agentId: string }> = []
    runtime.on('call.offered', (p) =>
      pops.push({ callId: p.callId, agentId: p.agentId, ...(p.contact ? { contactId: p.contact.id } : {}) }),
    )
    const failures: unknown[] = []
    runtime.on('runtime.error', (e) => failures.push(e))
    runtime.on('call.ended', (e) => {
      if (!e.agentId || !e.wrapUntil) return
      const agentId = e.agentId
      const inbound = e.callId.startsWith('sim-') || !e.callId.includes(':')
      const r = rnd()
      const code = inbound
        ? 'SERVICE'
        : r < 0.2
          ? 'SALE'
          : r < 0.8
            ? 'NO_INTEREST'
            : r < 0.93
              ? 'CALLBACK'
              : 'DNC'
      const wrapMs = (5 + rnd() * 40) * 1000
      clock.setTimeout(() => {
        const due = localTime(new Date(clock.now() + 2 * 3600_000), NY)!
        void runtime
          .dispose(
            t.tenantId,
            agentId,
            {
              code,
              ...(code === 'SALE'
                ? { outcomeValue: { amountMinor: 1000 + Math.floor(rnd() * 9000), currency: 'USD' } }
                : {}),
              ...(code === 'CALLBACK'
                ? { callback: { localTime: `${due.date}T${due.hhmm}`, ifAgentAway: 'wait' } }
                : {}),
            },
            { callId: e.callId },
          )
          .catch((err) => failures.push(err))
      }, wrapMs)
    })
    // breaks: every agent pauses once for 10 minutes at a seeded time (when it is free)
    for (const a of w.agents) {
      const at = (0.5 + rnd() * 6) * 3600_000
      const tryPause = () => {
        void t.sessions
          .pause(a.id, 'break')
          .then(() =>
            clock.setTimeout(() => void t.sessions.ready(a.id).catch((err) => failures.push(err)), 600_000),
          )
          .catch(() => clock.setTimeout(tryPause, 20_000))
      }
      clock.setTimeout(tryPause, at)
    }
    // inbound calls mixed in: a known customer every 4 minutes
    for (let k = 1; k * 240 < HOURS * 3600; k++) {
      clock.setTimeout(() => {
        w.tel.placeInboundCall({
          from: phoneOf(Math.floor(rnd() * CONTACTS)),
          to: '+18005550100',
          patienceSec: 60,
          talkSec: 45,
        })
      }, k * 240_000)
    }

    await runtime.start(t.tenantId, campaign.id)
    await w.advance(HOURS * 3600, 0.25)
    // the end of the shift: everyone logs out once their last call is coded
    const stopping = runtime.stop(t.tenantId, campaign.id)
    await w.advance(300, 0.25)
    await stopping
    for (const a of w.agents) {
      const s = await t.sessions.current(a.id)
      if (s) await t.sessions.logout(a.id)
    }
    const end = clock.now()
    expect(failures).toEqual([])

    const all = await allInteractions(w)
    const outbound = all.filter((i) => i.direction === 'outbound' && i.campaignId === campaign.id)
    const inbound = all.filter((i) => i.direction === 'inbound')
    const connected = outbound.filter((i) => i.agentId && i.durations.talkSec > 0)
    console.log(
      `${backend}: ${outbound.length} dials, ${connected.length} connects, ${inbound.length} inbound, ${pops.length} screen pops`,
    )
    expect(outbound.length).toBeGreaterThan(2000)
    expect(inbound.length).toBeGreaterThan(50)

    // every attempt is closed and coded with a code of the campaign's set
    const set = new Set((await t.dispositions.forCampaign(campaign.id)).map((d) => d.code))
    for (const i of all) {
      expect(i.endedAt, i.id).toBeDefined()
      expect(i.disposition, i.id).toBeDefined()
    }
    for (const i of outbound) expect(set.has(i.disposition!), i.disposition).toBe(true)

    // calling window: nothing starts after 21:00 in New York; the runner kept refusing after it
    for (const i of outbound) expect(i.startedAt.getTime()).toBeLessThan(WINDOW_END)
    expect(runtime.status(t.tenantId, campaign.id)?.refused ?? 0).toBeGreaterThan(0)

    // per contact: attempts never overlap, at most the campaign's max plus callbacks, and retries keep the spacing
    const byContact = new Map<string, Interaction[]>()
    for (const i of outbound) byContact.set(i.contactId, [...(byContact.get(i.contactId) ?? []), i])
    const callbacks: Callback[] = await t.callbacks.list({ campaignId: campaign.id, limit: 1000 })
    for (const [contactId, list] of byContact) {
      list.sort((a, b) => a.startedAt.getTime() - b.startedAt.getTime())
      for (let k = 1; k < list.length; k++) {
        const prev = list[k - 1]!
        const next = list[k]!
        expect(next.startedAt.getTime(), `${contactId} dialled twice at once`).toBeGreaterThanOrEqual(
          prev.endedAt!.getTime(),
        )
        // a do-not-call code is the last call to that contact
        expect(prev.disposition, `${contactId} called after DNC`).not.toBe('DNC')
        // NO_ANSWER waits 2 h, BUSY 15 min, unless a callback brought it forward
        const spacing = { NO_ANSWER: 2 * 3600_000, BUSY: 15 * 60_000, MACHINE: 4 * 3600_000 }[
          prev.disposition as 'BUSY'
        ]
        if (spacing && !callbacks.some((c) => c.contactId === contactId))
          expect(next.startedAt.getTime() - prev.endedAt!.getTime()).toBeGreaterThanOrEqual(spacing - 1000)
      }
    }
    // DNC coded contacts are suppressed and on the do-not-call list
    for (const i of outbound.filter((x) => x.disposition === 'DNC')) {
      expect((await t.lists.get(campaign.id, i.contactId))?.status).toBe('suppressed')
      const d = await t.consent.canContact(i.contactId, { channel: 'voice', campaignId: campaign.id })
      expect(d.reasons.map((r) => r.code)).toContain('do_not_call')
    }

    // callbacks: booked in the contact's zone, dialled on time by their owner, never twice
    expect(callbacks.length).toBeGreaterThan(10)
    const dueInWindow = callbacks.filter(
      (c) => c.dueAt.getTime() < Math.min(end - 600_000, WINDOW_END - 600_000),
    )
    expect(dueInWindow.length).toBeGreaterThan(5)
    for (const c of dueInWindow) {
      expect(zonedInstant(c.localTime, NY)!.getTime()).toBe(c.dueAt.getTime())
      const dial = (byContact.get(c.contactId) ?? []).find((i) => i.startedAt >= c.dueAt)
      expect(dial, `callback ${c.id} was dialled`).toBeDefined()
      expect(dial!.startedAt.getTime() - c.dueAt.getTime()).toBeLessThan(15 * 60_000)
      if (dial!.agentId) expect(dial!.agentId).toBe(c.agentId)
      expect(['done', 'missed']).toContain(c.status)
    }

    // recordings (policy always): one per connected call, as long as the talk
    const store = scopedStore(w.sb.storage, t.tenantId)
    const recs = await store.recordings.forInteractions(connected.map((i) => i.id))
    expect(recs.length).toBe(connected.length)
    for (const r of recs) {
      const i = connected.find((x) => x.id === r.interactionId)!
      expect(Math.abs((r.durationSec ?? -1) - i.durations.talkSec)).toBeLessThan(1.5)
    }

    // screen pops: every connected call (outbound and inbound) popped once, with its contact, for its agent
    // (a pop comes when the agent's phone rings: a caller who hangs up meanwhile leaves a pop without a call)
    const agentCalls = all.filter((i) => i.agentId && i.durations.talkSec > 0)
    const popOf = new Map(pops.map((p) => [p.callId, p]))
    expect(popOf.size).toBe(pops.length)
    for (const i of agentCalls) {
      const p = popOf.get(i.callId!)
      expect(p, `pop for ${i.callId}`).toBeDefined()
      expect(p!.agentId).toBe(i.agentId)
      expect(p!.contactId).toBe(i.contactId)
    }
    expect(pops.length - agentCalls.length).toBeLessThan(agentCalls.length * 0.05)

    // abandonment stays under the regime's 3 % (US formula over the day)
    const abandoned = outbound.filter((i) => i.disposition === 'ABANDONED').length
    const usRate = abandoned / (abandoned + connected.length)
    console.log(`${backend}: abandonment ${(usRate * 100).toFixed(2)} % (${abandoned} abandoned)`)
    expect(usRate).toBeLessThanOrEqual(0.03)

    // agents: sessions' histories are contiguous, and no agent holds two calls at once
    const states = await allStates(w)
    const bySession = new Map<string, AgentStateChange[]>()
    for (const s of states) bySession.set(s.sessionId, [...(bySession.get(s.sessionId) ?? []), s])
    for (const list of bySession.values()) {
      list.sort((a, b) => a.seq - b.seq)
      list.forEach((s, k) => {
        expect(s.seq).toBe(k + 1)
        if (k > 0) expect(s.from).toBe(list[k - 1]!.to)
      })
    }
    const byAgent = new Map<string, Interaction[]>()
    for (const i of agentCalls) byAgent.set(i.agentId!, [...(byAgent.get(i.agentId!) ?? []), i])
    for (const list of byAgent.values()) {
      list.sort(
        (a, b) =>
          a.startedAt.getTime() +
          a.durations.ringSec * 1000 -
          (b.startedAt.getTime() + b.durations.ringSec * 1000),
      )
      for (let k = 1; k < list.length; k++)
        expect(list[k]!.startedAt.getTime() + list[k]!.durations.ringSec * 1000).toBeGreaterThanOrEqual(
          list[k - 1]!.endedAt!.getTime() - 1000,
        )
    }

    // the combined report, reconciled with the raw rows, by campaign, agent and hour
    const catalogue = new Map((await t.dispositions.list()).map((d) => [d.code, d]))
    const range = { from: new Date(DAY_START), to: new Date(end + 1) }
    const expected = (rows: Interaction[]) => {
      const dials = rows.length
      const code = (i: Interaction) => catalogue.get(i.disposition!)!
      const connects = rows.filter(
        (i) =>
          i.agentId && !['no_answer', 'busy', 'machine', 'abandoned', 'failed'].includes(code(i).category),
      )
      const ab = rows.filter((i) => code(i).category === 'abandoned').length
      const sales = rows.filter((i) => code(i).flags.countsAsSale)
      return {
        dials,
        contacts: rows.filter((i) => code(i).flags.countsAsContact).length,
        connects: connects.length,
        handleSec: connects.reduce(
          (s, i) => s + i.durations.talkSec + i.durations.holdSec + i.durations.wrapSec,
          0,
        ),
        machines: rows.filter((i) => code(i).category === 'machine').length,
        abandoned: ab,
        sales: sales.length,
        revenue: sales.reduce((s, i) => s + (i.outcomeValue?.amountMinor ?? 0), 0),
      }
    }
    const check = (row: ReportRow, rows: Interaction[]) => {
      const e = expected(rows)
      expect(row.dials, row.key).toBe(e.dials)
      expect(row.contacts, row.key).toBe(e.contacts)
      expect(row.connects, row.key).toBe(e.connects)
      expect(row.handleSec, row.key).toBeCloseTo(e.handleSec, 6)
      expect(row.machines, row.key).toBe(e.machines)
      expect(row.abandonment.abandoned, row.key).toBe(e.abandoned)
      expect(row.sales, row.key).toBe(e.sales)
      expect(row.revenue.find((r) => r.currency === 'USD')?.amountMinor ?? 0, row.key).toBe(e.revenue)
    }
    const byCampaign = await campaignReport(t, { ...range, groupBy: 'campaign' })
    expect(byCampaign.rows.map((r) => r.key)).toEqual([campaign.id])
    check(byCampaign.rows[0]!, outbound)
    check(byCampaign.totals, outbound)
    const byAgentReport = await campaignReport(t, { ...range, groupBy: 'agent' })
    for (const row of byAgentReport.rows)
      check(
        row,
        outbound.filter((i) => (i.agentId ?? '(none)') === row.key),
      )
    expect(byAgentReport.rows.reduce((s, r) => s + r.dials, 0)).toBe(outbound.length)
    const byHour = await campaignReport(t, { ...range, groupBy: 'hour' })
    for (const row of byHour.rows)
      check(
        row,
        outbound.filter((i) => `${i.startedAt.toISOString().slice(0, 13)}:00Z` === row.key),
      )
    expect(byHour.rows.reduce((s, r) => s + r.dials, 0)).toBe(outbound.length)
    // agent-hours: logged-in time from the state history
    let loggedInMs = 0
    for (const list of bySession.values())
      for (let k = 0; k < list.length - 1; k++)
        if (list[k]!.to !== 'offline') loggedInMs += list[k + 1]!.at.getTime() - list[k]!.at.getTime()
    expect(byCampaign.totals.agentHours!).toBeCloseTo(loggedInMs / 3600_000, 6)
    expect(byCampaign.rows[0]!.salesPerAgentHour!).toBeCloseTo(
      expected(outbound).sales / (loggedInMs / 3600_000),
      6,
    )
    for (const a of w.agents) {
      const row = byAgentReport.rows.find((r) => r.key === (a.id as AgentId))
      expect(row, `agent ${a.name} worked`).toBeDefined()
    }
    await w.close()
  }, 600_000)
})
