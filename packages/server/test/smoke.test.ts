import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { json, type ServerWorld, serverWorld } from './world.js'

describe('handler smoke (sqlite)', () => {
  let w: ServerWorld
  beforeAll(async () => {
    w = await serverWorld({ backend: 'sqlite' })
  })
  afterAll(() => w?.close())

  it('answers /api/me for a principal and 401 without one', async () => {
    const me = await json<{ tenantId: string; agentId: string; agent: { name: string } }>(
      w.request('agentA0', 'GET', '/api/me'),
    )
    expect(me.tenantId).toBe('acme')
    expect(me.agentId).toBe(w.a.agents[0]!.id)
    expect(me.agent.name).toBe('Agent 1-0')
    const none = await json<{ error: { reason: string } }>(w.request(undefined, 'GET', '/api/me'), 401)
    expect(none.error.reason).toBe('unauthenticated')
  })

  it('lists the route table under /api', () => {
    expect(w.handler.routes).toContain('POST /api/calls/:callId/dispose')
    expect(w.handler.routes).toContain('GET /api/events')
  })
})
