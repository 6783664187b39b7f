// The event stream: per-tenant ids, an agent sees only their own, a
// reconnect with Last-Event-ID loses nothing (the stream is killed mid-way,
// events happen while it is down), `reset` when the id is no longer kept,
// the heartbeat, and close() ending the streams.
import type { AddressInfo } from 'node:net'
import { serve } from '@hono/node-server'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createSwitchboardHandler } from '../src/index.js'
import { openSse } from './sse-reader.js'
import { json, type ServerWorld, serverWorld } from './world.js'

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))

describe('server-sent events', () => {
  let w: ServerWorld
  let base: string
  const auth = (token: string) => ({ authorization: `Bearer ${token}` })
  beforeAll(async () => {
    w = await serverWorld({ backend: 'sqlite', handler: { sse: { heartbeatMs: 50, replay: 50 } } })
    base = await w.listen()
  })
  afterAll(() => w?.close())

  /** One agent.state_changed event per call (login, then pause / ready in turn). */
  let step = 0
  const agentEvent = async (token = 'agentA0') => {
    const path = step === 0 ? '/api/agent/login' : step % 2 ? '/api/agent/pause' : '/api/agent/ready'
    const body = step === 0 ? { campaignIds: [] } : step % 2 ? { reason: `break ${step}` } : undefined
    step++
    await json(w.request(token, 'POST', path, body))
  }

  it('replays what was missed after a reconnect with Last-Event-ID: no id lost, none twice', async () => {
    const first = await openSse(`${base}/api/events`, auth('supA'))
    for (let i = 0; i < 5; i++) await agentEvent()
    await first.waitFor((m) => m.event === 'agent.state_changed' && m.id === '5')
    first.close()
    const seen = first.messages.map((m) => Number(m.id))
    // while the stream is down
    for (let i = 0; i < 4; i++) await agentEvent()
    const second = await openSse(`${base}/api/events`, {
      ...auth('supA'),
      'last-event-id': String(seen.at(-1)),
    })
    await agentEvent()
    await second.waitFor((m) => m.id === '10')
    const all = [...seen, ...second.messages.map((m) => Number(m.id))]
    expect(all).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10])
    expect(second.messages.every((m) => m.event === 'agent.state_changed')).toBe(true)
    const last = JSON.parse(second.messages.at(-1)!.data)
    expect(last).toMatchObject({ agentId: w.a.agents[0]!.id, from: 'available', to: 'paused' })
    // the query-string form works too
    const third = await openSse(`${base}/api/events?lastEventId=8`, auth('supA'))
    await third.waitFor((m) => m.id === '10')
    expect(third.messages.map((m) => m.id)).toEqual(['9', '10'])
    second.close()
    third.close()
  })

  it('an agent sees their own agent events only; a supervisor all of the tenant, none of another', async () => {
    const mine = await openSse(`${base}/api/events?lastEventId=0`, auth('agentA1'))
    const other = await openSse(`${base}/api/events?lastEventId=0`, auth('agentB0'))
    await json(w.request('agentA1', 'POST', '/api/agent/login', { campaignIds: [] }))
    await json(w.request('agentB0', 'POST', '/api/agent/login', { campaignIds: [] }))
    const own = await mine.waitFor((m) => m.event === 'agent.state_changed')
    expect(JSON.parse(own.data).agentId).toBe(w.a.agents[1]!.id)
    await other.waitFor((m) => m.event === 'agent.state_changed')
    await sleep(50)
    expect(mine.messages.filter((m) => m.event !== 'reset').map((m) => JSON.parse(m.data).agentId)).toEqual([
      w.a.agents[1]!.id,
    ])
    // tenant beta's ids start at 1 too, and carry nothing of acme
    expect(other.messages.map((m) => m.id)).toEqual(['1'])
    expect(JSON.parse(other.messages[0]!.data).agentId).toBe(w.b.agents[0]!.id)
    mine.close()
    other.close()
  })

  it('sends reset when the last id is no longer kept (or from before a restart), then goes live', async () => {
    for (let i = 0; i < 60; i++) await agentEvent()
    const old = await openSse(`${base}/api/events`, { ...auth('supA'), 'last-event-id': '3' })
    const reset = await old.waitFor((m) => m.event === 'reset')
    expect(old.messages[0]).toBe(reset)
    const restarted = await openSse(`${base}/api/events`, { ...auth('supA'), 'last-event-id': '999999' })
    await restarted.waitFor((m) => m.event === 'reset')
    await agentEvent()
    const live = await old.waitFor((m) => m.event === 'agent.state_changed')
    expect(Number(live.id)).toBeGreaterThan(Number(reset.id))
    old.close()
    restarted.close()
  })

  it('sends a heartbeat comment, 400 for a bad Last-Event-ID, and ends the streams on close()', async () => {
    const s = await openSse(`${base}/api/events`, auth('agentA0'))
    await sleep(200)
    expect(s.comments).toContain('ping')
    const bad = await fetch(`${base}/api/events`, { headers: { ...auth('agentA0'), 'last-event-id': 'abc' } })
    expect(bad.status).toBe(400)
    s.close()
    // close() ends the streams of that handler
    const handler = createSwitchboardHandler({
      sb: w.sb,
      runtime: w.runtime,
      authenticate: () => w.tokens.supA!,
    })
    const server = serve({ fetch: handler.fetch, port: 0, hostname: '127.0.0.1' })
    await new Promise((r) => server.once('listening', r))
    const { port } = server.address() as AddressInfo
    const open = await openSse(`http://127.0.0.1:${port}/api/events`, {})
    expect(open.status).toBe(200)
    let done = false
    void open.ended.then(() => {
      done = true
    })
    await sleep(50)
    expect(done).toBe(false)
    await handler.close()
    await open.ended
    expect(done).toBe(true)
    await new Promise((r) => server.close(r))
  })
})
