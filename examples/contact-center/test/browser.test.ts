// The demo in a real browser (Debian's Chromium through playwright-core,
// headless, no network beyond 127.0.0.1): from the human seat, the seven
// integration points, and the supervisor screen. Screenshots go to
// test/artifacts/. The demo runs at 10x so a call lasts seconds.
import { existsSync, mkdirSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import type { Interaction } from '@switchboard/core'
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
  const pop = () => agent.getByRole('article', { name: 'Caller' })
  /** The seat's current screen pop: its call id and contact id once it shows. */
  const currentPop = async () => {
    await pop().waitFor({ timeout: 90_000 })
    return {
      callId: (await pop().getAttribute('data-call-id'))!,
      contactId: (await pop().getAttribute('data-contact-id')) ?? '',
    }
  }
  /** Codes the seat's current call once it has ended; resolves when the screen pop has moved on. */
  const codeCall = async (code: string, fill?: (form: ReturnType<Page['getByRole']>) => Promise<void>) => {
    const callId = await pop().getAttribute('data-call-id')
    await agent
      .getByRole('status', { name: 'Call status' })
      .filter({ hasText: 'Call ended' })
      .waitFor({ timeout: 90_000 })
    const form = agent.getByRole('form', { name: 'Disposition' })
    await form.getByLabel('Disposition').selectOption(code)
    if (fill) await fill(form)
    await form.getByRole('button', { name: 'Save disposition' }).click()
    await agent.locator(`article[data-call-id="${callId}"]`).waitFor({ state: 'detached', timeout: 30_000 })
  }
  /** Waits for a pop whose call differs from `previous`, coding other calls (NO_INTEREST) until `want` holds. */
  const popUntil = async (want: (p: { callId: string; contactId: string }) => boolean, previous?: string) => {
    for (let n = 0; n < 20; n++) {
      const p = await currentPop()
      if (p.callId !== previous && want(p)) return p
      if (p.callId !== previous) await codeCall('NO_INTEREST')
      else await agent.waitForTimeout(250)
    }
    throw new Error('no such screen pop within 20 calls')
  }
  const openContact = async (phone: string) => {
    const panel = agent.getByRole('region', { name: 'Contacts' })
    await panel.getByLabel('Search contacts').fill(phone)
    await panel.getByRole('button', { name: 'Search' }).click()
    await panel.getByRole('list', { name: 'Search results' }).getByRole('button').first().click()
    return panel.getByRole('article')
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
    context = await browser.newContext({ viewport: { width: 1280, height: 900 } })
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
    await expect
      .poll(() => agent.getByRole('status', { name: 'My state' }).textContent(), { timeout: 15_000 })
      .toMatch(/available|reserved|on call/)
    await supervisor.goto(demo.urls.supervisor)
    await supervisor.getByRole('heading', { name: 'Supervisor' }).waitFor()
  })

  it('a suppression by the seat removes a lead before it is dialled (its twin is dialled)', async () => {
    const { suppressMe, control } = demo.center.scenario!
    expect(demo.center.clock.now() - demo.center.campaign.createdAt.getTime()).toBeLessThan(
      SCENARIO_DUE_SEC * 1000,
    )
    const detail = await openContact(suppressMe.phones[0]!.e164)
    await detail.getByRole('button', { name: 'Record opt-out of all calls' }).click()
    await expect
      .poll(() => detail.getByRole('status', { name: 'Consent decision' }).textContent())
      .toMatch(/may not be called: .*opted_out/)
    expect((await demo.center.t.lists.get(demo.center.campaign.id, suppressMe.id))?.status).toBe('suppressed')
    await shot(agent, 'agent-suppression')
    // the twin lead, due at the same time with the same priority, is dialled once due
    await expect
      .poll(async () => (await interactionsOf(control.id)).length, { timeout: 120_000, interval: 1000 })
      .toBeGreaterThan(0)
    expect(await interactionsOf(suppressMe.id)).toEqual([])
  })

  it('a screen pop from the dialer; a recording started from the seat is linked in the timeline', async () => {
    // a campaign call, still connected when the seat starts recording (short calls may end first: code them)
    let recorded: { callId: string; contactId: string } | undefined
    for (let n = 0; n < 10 && !recorded; n++) {
      const p = await currentPop()
      const status = agent.getByRole('status', { name: 'Call status' })
      const outbound = await pop().getByText('Dialled by the campaign').isVisible()
      if (outbound && (await status.textContent())?.startsWith('Connected')) {
        await agent
          .getByRole('button', { name: 'Start recording' })
          .click()
          .catch(() => undefined)
        const on = await status
          .filter({ hasText: 'recording' })
          .waitFor({ timeout: 5000 })
          .then(() => true)
          .catch(() => false)
        if (on && (await pop().getAttribute('data-call-id')) === p.callId) {
          recorded = p
          break
        }
      }
      await codeCall('NO_INTEREST')
    }
    expect(recorded, 'a call was recorded within ten calls').toBeDefined()
    expect(await pop().getByTestId('pop-name').textContent()).not.toBe('Unknown caller')
    await shot(agent, 'agent-screen-pop')
    await codeCall('NO_INTEREST')
    const [row] = (await interactionsOf(recorded!.contactId)).filter((i) => i.callId === recorded!.callId)
    expect(row, 'the recorded call is logged').toBeDefined()
    expect(await demo.center.t.recordings.forInteraction(row!.id)).toHaveLength(1)
    const contact = await demo.center.t.contacts.get(recorded!.contactId as never)
    const detail = await openContact(contact.phones[0]!.e164)
    const item = detail.getByRole('list', { name: 'Timeline' }).locator(`[data-interaction="${row!.id}"]`)
    await expect.poll(() => item.textContent()).toMatch(/NO_INTEREST · recording \d+ s/)
    await shot(agent, 'agent-timeline-recording')
  }, 240_000)

  it('click to call: refused for an opted-out contact (reason shown), placed for another', async () => {
    const { optedOut, callMe } = demo.center.scenario!
    let detail = await openContact(optedOut.phones[0]!.e164)
    await detail.getByRole('button', { name: /^Call / }).click()
    await expect.poll(() => detail.getByRole('alert').textContent()).toMatch(/opted_out/)
    expect(await interactionsOf(optedOut.id)).toEqual([])
    await shot(agent, 'agent-click-to-call-refused')
    // placed once the seat is free (the dialer may give it a call meanwhile: those are coded first)
    detail = await openContact(callMe.phones[0]!.e164)
    for (let n = 0; ; n++) {
      await detail.getByRole('button', { name: /^Call / }).click()
      const placed = detail.getByRole('status').filter({ hasText: 'Calling' })
      await placed.or(detail.getByRole('alert')).first().waitFor()
      if (await placed.isVisible()) break
      expect(n, (await detail.getByRole('alert').textContent()) ?? '').toBeLessThan(10)
      await codeCall('NO_INTEREST')
    }
    const p = await popUntil((x) => x.contactId === callMe.id)
    expect(p.callId).toMatch(/^c2c:/)
    await shot(agent, 'agent-click-to-call-placed')
    c2c = p
  }, 240_000)

  it('a disposition books a callback that is dialled back to the seat', async () => {
    const { callMe } = demo.center.scenario!
    const seat = demo.center.seat!
    await codeCall('CALLBACK', async (form) => {
      await form.getByLabel('Call back in (minutes)').fill('1')
    })
    const [cb] = await demo.center.t.callbacks.list({ contactId: callMe.id })
    expect(cb?.agentId).toBe(seat.id)
    expect(cb?.status).toBe('scheduled')
    // the seat takes a break until the callback is due, so the dialer keeps it free for it
    await agent.getByRole('button', { name: 'Pause' }).click()
    await expect.poll(() => agent.getByRole('status', { name: 'My state' }).textContent()).toMatch(/paused/)
    await shot(agent, 'agent-callback-booked')
    await expect
      .poll(() => demo.center.clock.now(), { timeout: 30_000, interval: 250 })
      .toBeGreaterThanOrEqual(cb!.dueAt.getTime())
    await agent.getByRole('button', { name: 'Ready' }).click()
    const back = await popUntil((x) => x.contactId === callMe.id, c2c!.callId)
    expect(back.callId).not.toMatch(/^c2c:/)
    await shot(agent, 'agent-callback-dialled')
    const [dialled] = (await interactionsOf(callMe.id)).filter((i) => i.callId === back.callId)
    expect(dialled?.agentId).toBe(seat.id)
    // on time, within what the day test allows (the seat may be handed answered calls first)
    expect(dialled!.startedAt.getTime()).toBeGreaterThanOrEqual(cb!.dueAt.getTime())
    expect(dialled!.startedAt.getTime() - cb!.dueAt.getTime()).toBeLessThan(15 * 60_000)
    await codeCall('SALE', async (form) => {
      await form.getByLabel('Sale amount (USD)').fill('120.00')
    })
    const [coded] = (await interactionsOf(callMe.id)).filter((i) => i.callId === back.callId)
    expect(coded?.disposition).toBe('SALE')
    expect(coded?.outcomeValue?.amountMinor).toBe(12_000)
    expect((await demo.center.t.callbacks.list({ contactId: callMe.id }))[0]?.status).toBe('done')
  }, 240_000)

  it('the supervisor screen: agents, the campaign live, and the report updating', async () => {
    const seat = demo.center.seat!
    const row = supervisor.locator(`tr[data-agent="${seat.id}"]`)
    await row.waitFor({ timeout: 15_000 })
    await expect.poll(() => supervisor.getByTestId('agent-state').count()).toBe(5)
    await expect
      .poll(() => supervisor.getByTestId('pacing-dials').textContent(), { timeout: 20_000 })
      .toMatch(/^\d+$/)
    expect(await supervisor.getByTestId('abandonment').textContent()).toMatch(/target 3\.0 %/)
    const dials = async () =>
      Number(await supervisor.getByTestId('report-total').locator('td').nth(1).textContent())
    await supervisor.getByRole('button', { name: 'Refresh report' }).click()
    await expect.poll(dials).toBeGreaterThan(0)
    const before = await dials()
    await shot(supervisor, 'supervisor')
    await expect
      .poll(
        async () => {
          await supervisor.getByRole('button', { name: 'Refresh report' }).click()
          return dials()
        },
        { timeout: 60_000, interval: 2000 },
      )
      .toBeGreaterThan(before)
    // the seat's sale of 120.00 is in its row
    const seatRow = supervisor.getByRole('table', { name: 'Report' }).locator('tr', { hasText: seat.name })
    expect(await seatRow.textContent()).toMatch(/120\.00 USD/)
    await shot(supervisor, 'supervisor-report-updated')
    expect(offsite).toEqual([])
  })
})
