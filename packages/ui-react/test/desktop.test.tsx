import { resolveObjectURL } from 'node:buffer'
import { createLiveStore, createSwitchboardClient, type LiveStore } from '@switchboard/client'
import type { Contact } from '@switchboard/core'
import { render, screen, waitFor, within } from '@testing-library/react'
import { userEvent } from '@testing-library/user-event'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type ServerWorld, serverWorld } from '../../server/test/world.js'
import { AgentDesktop, SupervisorScreen, SwitchboardProvider } from '../src/index.js'

// The real server handler over SQLite ':memory:', called in process: the client's `fetch` is the
// handler's, so the components, hooks, client, SSE live store and server all run as in a browser.
const clientAs = (w: ServerWorld, token: string) =>
  createSwitchboardClient({
    baseUrl: 'http://localhost',
    headers: () => ({ authorization: `Bearer ${token}` }),
    fetch: (input, init) => w.handler.fetch(new Request(input, init)),
  })

// One world for the file; the tests run in order and build on each other (a shift, seat by seat).
describe('AgentDesktop and SupervisorScreen against the real handler', () => {
  let w: ServerWorld
  const stores: LiveStore[] = []
  beforeAll(async () => {
    w = await serverWorld({
      backend: 'sqlite',
      contacts: 3,
      scripts: () => ({ outcome: 'person', ringSec: 2, talkSec: 600 }),
    })
    await w.a.t.dispositions.define({ code: 'SALE', label: 'Sale', category: 'sale' })
    await w.a.t.dispositions.define({ code: 'CALLBACK', label: 'Call back', category: 'callback' })
    // Lead 1 opted out: a click-to-call to them is refused.
    await w.a.t.consent.record({
      contactId: w.a.contacts[1]!.id,
      channel: 'voice',
      purpose: 'marketing',
      status: 'opted_out',
      source: 'web form',
    })
  })
  afterAll(async () => {
    for (const s of stores) s.stop()
    await w?.close()
  })

  const mount = (token: string, ui: React.ReactNode) => {
    const client = clientAs(w, token)
    const store = createLiveStore(client, { reconnectMs: 50 })
    stores.push(store)
    store.start()
    return {
      client,
      store,
      ...render(
        <SwitchboardProvider client={client} store={store}>
          {ui}
        </SwitchboardProvider>,
      ),
    }
  }
  const name = (c: Contact) => c.displayName

  it('logs in, is refused a call with every reason, places another, gets the screen pop and books a callback', async () => {
    const user = userEvent.setup()
    const campaignId = w.a.campaign.id
    const { store } = mount('agentA0', <AgentDesktop campaignIds={[campaignId]} />)
    await user.click(await screen.findByRole('button', { name: 'Log in' }))
    await waitFor(() => expect(screen.getByRole('status', { name: '' }).textContent).toContain('Ready'))

    // Refused: the opted-out contact.
    const opted = w.a.contacts[1]!
    await user.type(screen.getByLabelText('Find a contact'), name(opted))
    await user.click(await screen.findByRole('button', { name: new RegExp(`^Call ${name(opted)}`) }))
    const alert = await screen.findByRole('alert')
    const codes = within(alert)
      .getAllByRole('listitem')
      .map((li) => li.getAttribute('data-code'))
    expect(codes).toContain('opted_out')

    // Placed: the customer answers on the virtual clock, the screen pop arrives over SSE.
    const ana = w.a.contacts[0]!
    await user.clear(screen.getByLabelText('Find a contact'))
    await user.type(screen.getByLabelText('Find a contact'), name(ana))
    await user.click(await screen.findByRole('button', { name: new RegExp(`^Call ${name(ana)}`) }))
    await waitFor(async () => {
      await w.advance(1)
      expect(store.getSnapshot().offer?.contact?.id).toBe(ana.id)
    })
    const card = await screen.findByRole('region', { name: name(ana) })
    expect(within(card).getByText(ana.phones[0]!.e164)).toBeTruthy()
    expect(screen.getByRole('status', { name: 'Consent for voice marketing' }).textContent).toContain(
      'May contact',
    )

    // Coded as a callback at 10:15 New York time on the next day: the instant is booked.
    await user.click(await screen.findByRole('radio', { name: 'Call back' }))
    const when = screen.getByLabelText("Call back at (contact's time, America/New_York)")
    await user.clear(when)
    await user.type(when, '2026-01-07T10:15')
    await user.click(screen.getByRole('button', { name: 'Save disposition' }))
    await waitFor(() => expect(store.getSnapshot().offer).toBeUndefined())
    const [booked] = await w.a.t.callbacks.list({ contactId: ana.id })
    expect(booked?.dueAt.toISOString()).toBe('2026-01-07T15:15:00.000Z')
    expect(booked?.localTime).toBe('2026-01-07T10:15')
  })

  it('walks the campaign script into the disposition, records the call and escalates an open case', async () => {
    const user = userEvent.setup()
    const t = w.a.t
    const front = await t.desk.defineTier({ code: 'T1', name: 'Front line', level: 1 })
    const specialists = await t.desk.defineTier({ code: 'T2', name: 'Specialists', level: 2 })
    const luis = w.a.contacts[2]!
    const open = await t.cases.open({
      contactId: luis.id,
      subject: 'Router keeps rebooting',
      tierId: front.id,
    })
    const scripted = await t.campaigns.create({
      name: 'Scripted renewals',
      kind: 'telemarketing',
      dialMode: { mode: 'progressive' },
      regime: 'US',
      consentPurpose: 'marketing',
      abandonMessage: 'abandoned.wav',
      recording: 'on_demand',
      script: JSON.stringify({
        id: 'renewal',
        name: 'Renewal call',
        version: 1,
        start: 'hello',
        nodes: [
          {
            id: 'hello',
            kind: 'question',
            prompt: 'Hello {{contact.firstName}}, shall we renew?',
            answer: { type: 'yes_no' },
            branches: [{ when: { answer: 'hello', op: 'eq', value: true }, next: 'sold' }],
            next: 'bye',
          },
          { id: 'sold', kind: 'end', outcome: { disposition: 'SALE' } },
          { id: 'bye', kind: 'end', outcome: {} },
        ],
      }),
    })
    const tiers = [front, specialists].map((x) => ({ id: x.id, name: x.name, level: x.level }))
    const { store } = mount('agentA1', <AgentDesktop campaignIds={[scripted.id]} tiers={tiers} />)
    await user.click(await screen.findByRole('button', { name: 'Log in' }))
    await user.type(await screen.findByLabelText('Find a contact'), name(luis))
    await user.click(await screen.findByRole('button', { name: new RegExp(`^Call ${name(luis)}`) }))
    await waitFor(async () => {
      await w.advance(1)
      expect(store.getSnapshot().offer?.contact?.id).toBe(luis.id)
    })

    // The script's outcome picks the code in the disposition form.
    expect(await screen.findByText(`Hello ${luis.firstName}, shall we renew?`)).toBeTruthy()
    await user.click(screen.getByRole('button', { name: 'Yes' }))
    await waitFor(() =>
      expect((screen.getByRole('radio', { name: 'Sale' }) as HTMLInputElement).checked).toBe(true),
    )

    // Recording on demand, through the server.
    await user.click(screen.getByRole('button', { name: 'Record' }))
    const stop = await screen.findByRole('button', { name: 'Stop recording' })
    expect(stop.getAttribute('aria-pressed')).toBe('true')
    // The desktop re-rendered (its recording state): the finished run is kept, not restarted.
    expect(screen.getByText('Script finished: SALE.')).toBeTruthy()

    // The open case from the screen pop, escalated for a VIP to the next tier.
    await user.click(screen.getByRole('button', { name: 'Router keeps rebooting' }))
    const form = await screen.findByRole('form', { name: 'Escalate' })
    await user.selectOptions(within(form).getByLabelText('Reason'), 'vip')
    await user.click(within(form).getByRole('button', { name: 'Escalate' }))
    await waitFor(async () => expect((await t.cases.get(open.id)).tierId).toBe(specialists.id))
    expect(await screen.findByText('Specialists (level 2)')).toBeTruthy()

    await user.click(screen.getByRole('button', { name: 'Save disposition' }))
    await waitFor(() => expect(store.getSnapshot().offer).toBeUndefined())
    const [coded] = await t.interactions.find({ contactId: luis.id, campaignId: scripted.id })
    expect(coded?.disposition).toBe('SALE')
    expect(coded?.recordings.length).toBe(1)
  })

  it("shows a recording of an earlier call in the next screen pop's timeline", async () => {
    const user = userEvent.setup()
    const luis = w.a.contacts[2]!
    const [earlier] = await w.a.t.interactions.find({ contactId: luis.id })
    // Luis hangs up the coded call (600 s of talk), the wrap-up runs out: the agent is free again.
    await w.request('agentA1', 'POST', '/api/agent/login', { campaignIds: [w.a.campaign.id] }) // if not still in
    await w.advance(700, 5)
    // Another campaign than the one the SALE closed for Luis.
    const { store } = mount('agentA1', <AgentDesktop clickToCallCampaignId={w.a.campaign.id} />)
    await user.type(await screen.findByLabelText('Find a contact'), name(luis))
    await user.click(await screen.findByRole('button', { name: new RegExp(`^Call ${name(luis)}`) }))
    await waitFor(async () => {
      await w.advance(1)
      expect(store.getSnapshot().offer?.contact?.id).toBe(luis.id)
    })
    const timeline = await screen.findByRole('list', { name: 'Timeline' })
    const link = await within(timeline).findByRole('link', { name: /^Recording 1/ })
    expect(link.getAttribute('href')).toBe(earlier!.recordings[0]!.uri)
  })

  it('shows the supervisor the agents, starts a campaign and reports it, with the CSV link', async () => {
    const user = userEvent.setup()
    mount(
      'supA',
      <SupervisorScreen
        from="2026-01-06T00:00:00Z"
        to="2026-01-08T00:00:00Z"
        chartWidth={400}
        chartHeight={160}
      />,
    )
    const agents = await screen.findByRole('table', { name: 'Agents and their states' })
    await waitFor(() => expect(within(agents).getByText('Agent 1-0')).toBeTruthy())
    expect(within(agents).queryByText('Agent 2-0')).toBeNull() // another tenant's agent
    const report = await screen.findByRole('table', { name: 'Campaign figures by campaign' })
    const row = within(report).getByRole('rowheader', { name: w.a.campaign.name }).closest('tr')!
    // The two click-to-calls placed on it (Ana's coded CALLBACK, a contact; Luis's second, not coded
    // yet); the refused one was never dialled.
    const [dials, contacts] = within(row).getAllByRole('cell')
    expect([dials!.textContent, contacts!.textContent]).toEqual(['2', '1'])
    // The CSV is fetched with the client's auth header and offered as a download of its text.
    const csv = await screen.findByRole('link', { name: 'Download CSV' })
    const href = csv.getAttribute('href')!
    expect(href).toMatch(/^blob:/)
    expect(csv.getAttribute('download')).toBe('report-campaign.csv')
    const text = await resolveObjectURL(href)!.text() // Node's blob store (happy-dom cannot fetch blob:)
    expect(text.split('\n')[0]).toMatch(/^campaign,dials,contacts,/)
    expect(text).toContain(w.a.campaign.id)
    await user.click(screen.getByRole('button', { name: `Start ${w.a.campaign.name}` }))
    expect(
      await screen.findByRole('region', { name: `Campaign ${w.a.campaign.name}` }, { timeout: 3000 }),
    ).toBeTruthy()
    // by agent, the rows are named: the agents' names, not their ids
    await user.selectOptions(screen.getByLabelText('Group the report by'), 'agent')
    const byAgent = await screen.findByRole('table', { name: 'Campaign figures by agent' })
    await waitFor(() => expect(within(byAgent).getByRole('rowheader', { name: 'Agent 1-0' })).toBeTruthy())
    expect(within(byAgent).queryByText(w.a.agents[0]!.id)).toBeNull()
  })
})
