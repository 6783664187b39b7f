import { createLiveStore, createSwitchboardClient, type LiveStore } from '@switchboard/client'
import { act, render, screen, waitFor } from '@testing-library/react'
import { userEvent } from '@testing-library/user-event'
import { useState } from 'react'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type ServerWorld, serverWorld } from '../../server/test/world.js'
import { SwitchboardProvider, useContact, useLive } from '../src/index.js'

const renders = { connection: 0, agents: 0 }
const Connection = () => {
  renders.connection++
  return <p data-testid="connection">{useLive((s) => s.connection)}</p>
}
const Agents = () => {
  renders.agents++
  const agents = useLive((s) => s.agents)
  return (
    <p data-testid="agents">
      {Object.values(agents)
        .map((a) => `${a.state}:${a.reason ?? ''}`)
        .join(',')}
    </p>
  )
}

/** Shows one contact, then (on "next") another; `shown` keeps every text it rendered. */
const Card = ({ first, second, shown }: { first: string; second: string; shown: string[] }) => {
  const [id, setId] = useState(first)
  const contact = useContact(id)
  const text = contact.loading ? 'loading' : (contact.data?.displayName ?? '')
  shown.push(text)
  return (
    <>
      <button type="button" onClick={() => setId(second)}>
        next
      </button>
      <p data-testid="name">{text}</p>
    </>
  )
}

// The hooks over the real client and live store, the handler called in process (no fake store).
describe('useLive and useRequest over the real client', () => {
  let w: ServerWorld
  let store: LiveStore
  let client: ReturnType<typeof createSwitchboardClient>
  beforeAll(async () => {
    w = await serverWorld({ backend: 'sqlite', contacts: 2 })
    client = createSwitchboardClient({
      baseUrl: 'http://localhost',
      headers: () => ({ authorization: 'Bearer supA' }),
      fetch: (input, init) => w.handler.fetch(new Request(input, init)),
    })
    store = createLiveStore(client, { reconnectMs: 50 })
    store.start()
  })
  afterAll(async () => {
    store?.stop()
    await w?.close()
  })

  it('re-renders a slice only when that slice changes', async () => {
    render(
      <SwitchboardProvider client={client} store={store}>
        <Connection />
        <Agents />
      </SwitchboardProvider>,
    )
    await waitFor(() => expect(screen.getByTestId('connection').textContent).toBe('open'))
    const before = { ...renders }
    // An agent logs in and pauses: the supervisor's store hears agent.state_changed.
    await w.request('agentA0', 'POST', '/api/agent/login', { campaignIds: [] })
    await w.request('agentA0', 'POST', '/api/agent/pause', { reason: 'Lunch' })
    await waitFor(() => expect(screen.getByTestId('agents').textContent).toContain('paused:Lunch'))
    expect(renders.agents).toBeGreaterThan(before.agents)
    expect(renders.connection).toBe(before.connection)
  })

  it('reads by key and drops the answer of a key it left', async () => {
    const [ana, luis] = w.a.contacts
    // The first contact's answer is held back until the view has moved on to the second.
    let release = () => {}
    const held = new Promise<void>((r) => {
      release = r
    })
    const slow = createSwitchboardClient({
      baseUrl: 'http://localhost',
      headers: () => ({ authorization: 'Bearer agentA1' }),
      fetch: async (input, init) => {
        const res = await w.handler.fetch(new Request(input, init))
        if (String(input).endsWith(`/api/contacts/${ana!.id}`)) await held
        return res
      },
    })
    const shown: string[] = []
    render(
      <SwitchboardProvider client={slow} store={store}>
        <Card first={ana!.id} second={luis!.id} shown={shown} />
      </SwitchboardProvider>,
    )
    expect(screen.getByTestId('name').textContent).toBe('loading')
    await userEvent.click(screen.getByRole('button', { name: 'next' }))
    await waitFor(() => expect(screen.getByTestId('name').textContent).toBe(luis!.displayName))
    await act(async () => {
      release()
      await new Promise((r) => setTimeout(r, 20))
    })
    expect(screen.getByTestId('name').textContent).toBe(luis!.displayName)
    expect(shown).not.toContain(ana!.displayName)
  })
})
