// The live store over a real handler: it follows the agent's screen pop and
// state, and after the stream is killed mid-way it reconnects with the last
// event id, so the events published while it was down arrive, none twice.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type ServerWorld, serverWorld } from '../../server/test/world.js'
import { createLiveStore, createSwitchboardClient, type LiveState } from '../src/index.js'

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))

async function until(check: () => boolean, ms = 5000) {
  for (const end = Date.now() + ms; !check(); ) {
    if (Date.now() > end) throw new Error('timed out waiting')
    await sleep(10)
  }
}

describe('live store', () => {
  let w: ServerWorld
  let baseUrl: string
  /** Aborts the open event streams as a network drop would (the store's own signal is not aborted). */
  const drops = new Set<AbortController>()
  const droppingFetch: typeof fetch = (input, init) => {
    if (!String(input).includes('/api/events')) return fetch(input, init)
    const drop = new AbortController()
    drops.add(drop)
    const signal = init?.signal ? AbortSignal.any([init.signal, drop.signal]) : drop.signal
    return fetch(input, { ...init, signal })
  }
  const killStreams = () => {
    for (const d of drops) d.abort()
    drops.clear()
  }

  beforeAll(async () => {
    w = await serverWorld({
      backend: 'sqlite',
      scripts: () => ({ outcome: 'person', ringSec: 2, talkSec: 10 }),
    })
    baseUrl = await w.listen()
  })
  afterAll(() => w?.close())

  it('reconnects after a drop with Last-Event-ID and loses no event', async () => {
    const sup = createSwitchboardClient({
      baseUrl,
      headers: () => ({ authorization: 'Bearer supA' }),
      fetch: droppingFetch,
    })
    const store = createLiveStore(sup, { reconnectMs: 100 })
    const connections: LiveState['connection'][] = []
    const snapshots = new Set<LiveState>()
    store.subscribe(() => {
      const s = store.getSnapshot()
      snapshots.add(s)
      if (connections.at(-1) !== s.connection) connections.push(s.connection)
    })
    const unchanged = store.getSnapshot()
    expect(store.getSnapshot()).toBe(unchanged) // identity is stable while nothing changes
    store.start()
    await until(() => store.getSnapshot().connection === 'open')
    const agent = w.a.t
    const a0 = w.a.agents[0]!.id
    await agent.sessions.login(a0, { campaignIds: [] })
    await agent.sessions.pause(a0, 'one')
    await until(() => store.getSnapshot().recent.length === 2)
    killStreams()
    await until(() => store.getSnapshot().connection === 'connecting')
    // while the store is disconnected
    await agent.sessions.ready(a0)
    await agent.sessions.pause(a0, 'two')
    await until(() => store.getSnapshot().connection === 'open')
    await agent.sessions.ready(a0)
    await until(() => store.getSnapshot().recent.length === 5)
    const s = store.getSnapshot()
    expect(s.recent.map((e) => e.id)).toEqual(['1', '2', '3', '4', '5'])
    expect(s.recent.map((e) => (e.data as { to: string }).to)).toEqual([
      'available',
      'paused',
      'available',
      'paused',
      'available',
    ])
    expect(s.lastEventId).toBe('5')
    expect(s.agents[a0]).toMatchObject({ state: 'available' })
    expect(connections).toEqual(['connecting', 'open', 'connecting', 'open'])
    store.stop()
    expect(store.getSnapshot().connection).toBe('closed')
  })

  it("follows the agent's own screen pop and state; refresh() gives it back after a reload", async () => {
    const a1 = w.a.agents[1]!
    const client = createSwitchboardClient({ baseUrl, headers: () => ({ authorization: 'Bearer agentA1' }) })
    const store = createLiveStore(client, { reconnectMs: 100 })
    store.start()
    await until(() => store.getSnapshot().connection === 'open' && store.getSnapshot().me !== undefined)
    await w.a.t.dispositions.define({ code: 'NOINT', label: 'Not interested', category: 'contact_no_sale' })
    await client.agent.login({ campaignIds: [w.a.campaign.id] })
    await until(() => store.getSnapshot().agentState?.state === 'available')
    let placed = false
    const call = client
      .clickToCall({ contactId: w.a.contacts[1]!.id, campaignId: w.a.campaign.id })
      .finally(() => {
        placed = true
      })
    await w.advanceUntil(() => placed, 30)
    const { callId } = await call
    await w.advanceUntil(() => store.getSnapshot().offer?.callId === callId, 30)
    const live = store.getSnapshot()
    expect(live.call).toMatchObject({ callId, connected: true })
    expect(live.offer?.contact?.id).toBe(w.a.contacts[1]!.id)
    expect(live.agentState?.state).toBe('on_call')
    // the supervisor's pause of another agent is not this agent's state
    expect(Object.keys(live.agents)).toEqual([a1.id])

    // a reloaded page: a new store gets the screen pop from /api/agent/call
    const reloaded = createLiveStore(client)
    await reloaded.refresh()
    expect(reloaded.getSnapshot().offer?.callId).toBe(callId)
    expect(reloaded.getSnapshot().call).toMatchObject({ callId, connected: true })

    await w.advanceUntil(() => store.getSnapshot().call?.endedAt !== undefined, 30)
    // the call's end on the instance's (virtual) clock
    expect(Date.parse(store.getSnapshot().call!.endedAt!)).toBeLessThan(Date.parse('2026-01-07'))
    const coded = await store.dispose({ code: 'NOINT' })
    // a click-to-call's contact is not on the list: the code changes no lead
    expect(coded).toMatchObject({ lead: 'none', interaction: { disposition: 'NOINT' } })
    expect(store.getSnapshot().offer).toBeUndefined()
    expect(store.getSnapshot().call).toBeUndefined()
    store.stop()
  })
})

describe('live store after a long drop', () => {
  let w: ServerWorld
  beforeAll(async () => {
    w = await serverWorld({ backend: 'sqlite', handler: { sse: { heartbeatMs: 200, replay: 3 } } })
  })
  afterAll(() => w?.close())

  it('gets reset when the missed events are no longer kept, and refetches its state', async () => {
    const baseUrl = await w.listen()
    const fetched: string[] = []
    const counting: typeof fetch = (input, init) => {
      fetched.push(new URL(String(input)).pathname)
      return fetch(input, init)
    }
    const client = createSwitchboardClient({
      baseUrl,
      headers: () => ({ authorization: 'Bearer agentA0' }),
      fetch: counting,
    })
    const store = createLiveStore(client, { reconnectMs: 50 })
    store.start()
    await until(() => store.getSnapshot().connection === 'open')
    const a0 = w.a.agents[0]!.id
    await w.a.t.sessions.login(a0, { campaignIds: [] })
    await until(() => store.getSnapshot().lastEventId === '1')
    store.stop()
    // more events than the server keeps (3) while the store is stopped
    for (let i = 0; i < 3; i++) {
      await w.a.t.sessions.pause(a0, `p${i}`)
      await w.a.t.sessions.ready(a0)
    }
    const meBefore = fetched.filter((p) => p === '/api/me').length
    store.start()
    await until(() => store.getSnapshot().recent.some((e) => e.type === 'reset'))
    await until(() => fetched.filter((p) => p === '/api/me').length >= meBefore + 2) // start + reset
    await until(() => store.getSnapshot().agentState?.state === 'available')
    expect(store.getSnapshot().lastEventId).toBe('7')
    store.stop()
  })
})
