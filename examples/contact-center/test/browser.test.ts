// The demo in a real browser (Debian's Chromium through playwright-core,
// headless, no network beyond 127.0.0.1): from the human seat, the seven
// integration points, and the supervisor screen. Screenshots go to
// test/artifacts/. The demo runs at 10x so a call lasts seconds.
import { existsSync, mkdirSync, readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { type Interaction, localTime } from '@switchboard/core'
import { type Browser, type BrowserContext, chromium, type Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { SCENARIO_DUE_SEC } from '../src/seed.ts'
import { type Demo, startDemo } from '../src/server.ts'

const CHROMIUM = '/usr/bin/chromium'
const CI = process.env.CI === 'true' || process.env.CI === '1'
const here = (f: string) => fileURLToPath(new URL(f, import.meta.url))
const artifacts = here('./artifacts/')
const present = existsSync(CHROMIUM)
if (!present && !CI)
  console.warn(
    `\n!!! browser tests SKIPPED: ${CHROMIUM} is missing (install it with .ci/chromium.sh; in CI they must run) !!!\n`,
  )

describe.skipIf(!present && !CI)('the demo in Chromium', () => {
  let demo: Demo
  let browser: Browser
  let context: BrowserContext
  let agent: Page
  let supervisor: Page
  const offsite: string[] = []
  /** The click-to-call call, which the callback test codes. */
  let c2c: { callId: string; contactId: string } | undefined

  const shot = (page: Page, name: string) =>
    page.screenshot({ path: `${artifacts}${name}.png`, fullPage: true })
  const interactionsOf = async (contactId: string): Promise<Interaction[]> =>
    demo.center.t.interactions.find({ contactId: contactId as never, limit: 100 })
  /** The HTTP API as the seat (what its page calls). */
  const api = async <T>(path: string, init: RequestInit = {}): Promise<T> => {
    const r = await fetch(`${demo.urls.base}${path}`, {
      ...init,
      headers: { authorization: `Bearer ${demo.tokens.agent}`, 'content-type': 'application/json' },
    })
    expect(r.status, `${path}: ${r.status}`).toBeLessThan(300)
    return (await r.json()) as T
  }
  type SeatCall = {
    offer: { callId: string; direction: string; contact?: { id: string; displayName: string } } | null
    connected: boolean
    endedAt?: string
  }
  const seatCall = () => api<SeatCall>('/api/agent/call')
  const callStatus = () =>
    agent.getByRole('region', { name: 'Call', exact: true }).getByText(/^(Connected|Call ended|Call coming)/)
  /** Waits for a screen pop on the seat (the page shows it) whose call differs from `previous`. */
  const nextPop = async (previous?: string) => {
    await expect
      .poll(async () => (await seatCall()).offer?.callId ?? previous, { timeout: 90_000, interval: 250 })
      .not.toBe(previous)
    const { offer } = await seatCall()
    await agent
      .getByRole('heading', { level: 2, name: offer!.contact?.displayName ?? '' })
      .first()
      .waitFor()
    return { callId: offer!.callId, contactId: offer!.contact?.id ?? '', direction: offer!.direction }
  }
  /** Codes the seat's current call from its page once it has ended; resolves when the pop is gone. */
  const codeCall = async (label: string, fill?: () => Promise<void>) => {
    const { offer } = await seatCall()
    await callStatus().filter({ hasText: 'Call ended' }).waitFor({ timeout: 90_000 })
    const form = agent.getByRole('form', { name: 'Code the call' })
    await form.getByRole('radio', { name: label, exact: true }).check()
    if (fill) await fill()
    await form.getByRole('button', { name: 'Save disposition' }).click()
    await expect
      .poll(async () => (await seatCall()).offer?.callId, { timeout: 30_000, interval: 250 })
      .not.toBe(offer?.callId)
  }
  /** Waits for a pop for which `want` holds, coding other calls ("Not interested") meanwhile. */
  const popUntil = async (
    want: (p: { callId: string; contactId: string; direction: string }) => boolean,
    previous?: string,
  ) => {
    for (let n = 0, last = previous; n < 40; n++) {
      const p = await nextPop(last)
      if (want(p)) return p
      await codeCall('Not interested')
      last = p.callId
    }
    throw new Error('no such screen pop within 40 calls')
  }
  /** Pauses the seat between calls (a call offered first is coded, then the pause is tried again). */
  const pauseSeat = async () => {
    for (let n = 0; n < 10; n++) {
      if ((await seatCall()).offer) await codeCall('Not interested')
      const pause = agent.getByRole('button', { name: 'Pause', exact: true })
      if (await pause.isEnabled()) await pause.click()
      const paused = await agent
        .getByRole('toolbar', { name: 'Agent state' })
        .getByRole('status')
        .filter({ hasText: 'Paused' })
        .waitFor({ timeout: 3000 })
        .then(() => true)
        .catch(() => false)
      if (paused) return
    }
    throw new Error('the seat could not pause')
  }
  const findContact = async (name: string) => {
    const panel = agent.getByRole('region', { name: 'Click to call' })
    await panel.getByLabel('Find a contact').fill(name)
    return panel
  }
  /** The contact's local wall time (YYYY-MM-DDTHH:mm) at the virtual instant `at`. */
  const localInput = (at: number, zone: string) => {
    const t = localTime(new Date(at), zone)!
    return `${t.date}T${t.hhmm}`
  }

  beforeAll(async () => {
    mkdirSync(artifacts, { recursive: true })
    mkdirSync(here('./.tmp/'), { recursive: true })
    demo = await startDemo({
      file: here('./.tmp/browser.db'),
      port: 0,
      speed: 10,
      agents: 4,
      contacts: 300,
      seed: 3,
      // the scenario's numbers are answered by a person: never taken for a machine here, so their pops are certain
      amd: { specificity: 1 },
    })
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--no-first-run',
      ],
    })
    context = await browser.newContext({ viewport: { width: 1280, height: 900 }, acceptDownloads: true })
    // nothing leaves the machine: every request that is not 127.0.0.1 is refused (and counted)
    await context.route('**/*', (route) => {
      const url = new URL(route.request().url())
      if (url.hostname === '127.0.0.1' || url.protocol === 'data:') return route.continue()
      offsite.push(url.href)
      return route.abort()
    })
    agent = await context.newPage()
    supervisor = await context.newPage()
  })

  afterAll(async () => {
    await context?.close()
    await browser?.close()
    await demo?.close()
  })

  it('the seat logs in and the supervisor screen loads', async () => {
    await agent.goto(demo.urls.agent)
    await agent.getByRole('button', { name: 'Log in' }).click()
    await agent
      .getByRole('toolbar', { name: 'Agent state' })
      .getByRole('status')
      .filter({ hasText: /Ready|Call coming|On a call/ })
      .waitFor()
    await supervisor.goto(demo.urls.supervisor)
    await supervisor.getByRole('heading', { name: 'Supervisor' }).waitFor()
  })

  it('a suppression from the seat (an opt-out over the API) removes a lead before it is dialled; its twin is dialled', async () => {
    const { suppressMe, control } = demo.center.scenario!
    expect(demo.center.clock.now() - demo.center.campaign.createdAt.getTime()).toBeLessThan(
      SCENARIO_DUE_SEC * 1000,
    )
    await api(`/api/contacts/${suppressMe.id}/consent`, {
      method: 'POST',
      body: JSON.stringify({ channel: 'voice', purpose: '*', status: 'opted_out', source: 'agent call' }),
    })
    expect((await demo.center.t.lists.get(demo.center.campaign.id, suppressMe.id))?.status).toBe('suppressed')
    // the twin lead, due at the same time with the same priority, is dialled once due
    await expect
      .poll(async () => (await interactionsOf(control.id)).length, { timeout: 120_000, interval: 1000 })
      .toBeGreaterThan(0)
    expect(await interactionsOf(suppressMe.id)).toEqual([])
    await shot(agent, 'agent-desktop')
  }, 180_000)

  it('a screen pop from the dialer; a recording started from the seat is linked to the call', async () => {
    // a campaign call still connected when the seat starts recording (short calls may end first: coded)
    let recorded: { callId: string; contactId: string } | undefined
    let last: string | undefined
    for (let n = 0; n < 10 && !recorded; n++) {
      const p = await nextPop(last)
      last = p.callId
      const now = await seatCall()
      if (p.direction === 'outbound' && p.contactId && now.connected && !now.endedAt) {
        await agent
          .getByRole('button', { name: 'Record', exact: true })
          .click()
          .catch(() => undefined)
        const on = await agent
          .getByRole('region', { name: 'Call', exact: true })
          .getByText('● Recording')
          .waitFor({ timeout: 5000 })
          .then(() => true)
          .catch(() => false)
        if (on && (await seatCall()).offer?.callId === p.callId) recorded = p
      }
      if (!recorded) await codeCall('Not interested')
    }
    expect(recorded, 'a call was recorded within ten calls').toBeDefined()
    await shot(agent, 'agent-screen-pop-recording')
    await codeCall('Not interested')
    const timeline = await api<Array<Interaction & { recordings: Array<{ durationSec?: number }> }>>(
      `/api/contacts/${recorded!.contactId}/timeline`,
    )
    const row = timeline.find((i) => i.callId === recorded!.callId)
    expect(row?.disposition).toBe('NO_INTEREST')
    expect(row?.recordings).toHaveLength(1)
    expect(row!.recordings[0]!.durationSec).toBeGreaterThan(0)
  }, 240_000)

  it('click to call: refused for an opted-out contact (reasons shown), placed for another', async () => {
    const { optedOut, callMe } = demo.center.scenario!
    await pauseSeat()
    const panel = await findContact('Olivia')
    await panel.getByRole('button', { name: /^Call Olivia Optout/ }).click()
    await panel.getByRole('alert').locator('li[data-code="opted_out"]').waitFor()
    expect(await interactionsOf(optedOut.id)).toEqual([])
    await shot(agent, 'agent-click-to-call-refused')
    // placed once the seat is ready (the dialer may hand it a call first: coded, then tried again)
    await agent.getByRole('button', { name: 'Ready', exact: true }).click()
    let placed: { callId: string; contactId: string } | undefined
    for (let n = 0; n < 10 && !placed; n++) {
      if ((await seatCall()).offer) {
        await codeCall('Not interested')
        continue
      }
      const search = agent.getByRole('region', { name: 'Click to call' }).getByLabel('Find a contact')
      const button = agent.getByRole('button', { name: /^Call Dana Callme/ })
      const clicked = await search
        .fill('Dana', { timeout: 3000 })
        .then(() => button.click({ timeout: 3000 }))
        .then(() => true)
        .catch(() => false)
      if (!clicked) continue
      const p = await nextPop()
      if (p.contactId === callMe.id && p.callId.startsWith('c2c:')) placed = p
    }
    expect(placed, 'the click-to-call was placed').toBeDefined()
    c2c = placed
    expect(await demo.center.t.recordings.listByContact(callMe.id)).toHaveLength(0)
    // the seat records this call too: the callback's screen pop will show it in the timeline
    const now = await seatCall()
    expect(now.offer?.callId).toBe(placed!.callId)
    expect(now.endedAt).toBeUndefined()
    // the customer answered: the seat's page says so (call.connected over the event stream)
    await agent.getByRole('region', { name: 'Call', exact: true }).getByText('Connected.').waitFor()
    await agent.getByRole('button', { name: 'Record', exact: true }).click()
    await agent.getByRole('region', { name: 'Call', exact: true }).getByText('● Recording').waitFor()
    await shot(agent, 'agent-click-to-call-placed')
  }, 240_000)

  it('a disposition books a callback that is dialled back to the seat; its pop shows the recording', async () => {
    const { callMe } = demo.center.scenario!
    const seat = demo.center.seat!
    let due = ''
    await codeCall('Call me back', async () => {
      // two minutes from now (virtual), in the contact's zone, to the minute
      due = localInput(demo.center.clock.now() + 120_000, callMe.timeZone!)
      await agent.getByLabel(/^Call back at/).fill(due)
    })
    await expect
      .poll(async () => (await demo.center.t.callbacks.list({ contactId: callMe.id })).length)
      .toBe(1)
    const [cb] = await demo.center.t.callbacks.list({ contactId: callMe.id })
    expect(cb?.agentId).toBe(seat.id)
    expect(cb?.status).toBe('scheduled')
    expect(cb?.localTime).toBe(due)
    await shot(agent, 'agent-callback-booked')
    // the seat stays ready: calls the dialer hands it before the callback is due are coded
    const back = await popUntil((x) => x.contactId === callMe.id, c2c!.callId)
    expect(back.callId).not.toMatch(/^c2c:/)
    const [dialled] = (await interactionsOf(callMe.id)).filter((i) => i.callId === back.callId)
    expect(dialled?.agentId).toBe(seat.id)
    // once due; a busy owner can wait a while: every time the seat is free the dialer may hand it an
    // answered call first (measured up to 19 virtual minutes here with four simulated agents)
    expect(dialled!.startedAt.getTime()).toBeGreaterThanOrEqual(cb!.dueAt.getTime())
    expect(dialled!.startedAt.getTime() - cb!.dueAt.getTime()).toBeLessThan(40 * 60_000)
    // the pop's timeline has the click-to-call coded CALLBACK, with its recording (a link, or a count
    // when the pop's timeline carries the recordings' ids only)
    const timeline = agent.getByRole('list', { name: 'Timeline' })
    await shot(agent, 'agent-callback-dialled')
    await timeline
      .getByRole('listitem')
      .filter({ hasText: 'CALLBACK' })
      .getByText(/^(Recording 1|1 recording)/)
      .waitFor()
    await codeCall('Sale', async () => {
      await agent.getByLabel('Sale amount (USD)').fill('120.00')
    })
    const [coded] = (await interactionsOf(callMe.id)).filter((i) => i.callId === back.callId)
    expect(coded?.disposition).toBe('SALE')
    expect(coded?.outcomeValue?.amountMinor).toBe(12_000)
    expect((await demo.center.t.callbacks.list({ contactId: callMe.id }))[0]?.status).toBe('done')
  }, 420_000)

  it('the supervisor screen: agents, the campaign live, and the report updating', async () => {
    const seat = demo.center.seat!
    const agents = supervisor.getByRole('region', { name: 'Agents', exact: true })
    await agents.getByRole('rowheader', { name: seat.name }).waitFor()
    await expect.poll(() => agents.getByRole('row').count()).toBe(1 + 5)
    const monitor = supervisor.getByRole('region', { name: `Campaign ${demo.center.campaign.name}` })
    await monitor.waitFor({ timeout: 20_000 })
    expect(await monitor.textContent()).toMatch(/of 3\.0 % allowed/)
    const report = supervisor.getByRole('region', { name: 'Combined report' })
    const dials = async () => Number(await report.locator('tfoot td').first().textContent())
    await supervisor.getByRole('button', { name: 'Refresh the report' }).click()
    await expect.poll(dials).toBeGreaterThan(0)
    const before = await dials()
    await shot(supervisor, 'supervisor')
    await expect
      .poll(
        async () => {
          await supervisor.getByRole('button', { name: 'Refresh the report' }).click()
          return dials()
        },
        { timeout: 60_000, interval: 2000 },
      )
      .toBeGreaterThan(before)
    // the seat's sale of 120.00 is in its row
    expect(await report.getByRole('row').filter({ hasText: seat.name }).textContent()).toMatch(/120\.00/)
    // the CSV downloads as a person would get it: a click on the link. The link is an object URL of
    // the CSV the page fetched with its token, renewed (the old one revoked) whenever the report
    // refreshes, so a click that races a refresh is tried again.
    const downloadCsv = async (): Promise<string | undefined> => {
      const [download] = await Promise.all([
        supervisor.waitForEvent('download', { timeout: 10_000 }),
        report.getByRole('link', { name: 'Download CSV' }).click(),
      ])
      if (await download.failure()) return undefined
      return readFileSync(await download.path(), 'utf8')
    }
    let csv: string | undefined
    for (let attempt = 0; attempt < 3 && csv === undefined; attempt++) csv = await downloadCsv()
    expect(csv?.split('\r\n')[0]).toMatch(/^agent,dials,/)
    await shot(supervisor, 'supervisor-report-updated')
    expect(offsite).toEqual([])
  }, 120_000)
})
