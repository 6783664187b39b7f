// Hanging up over HTTP: the agent ends their connected call before the
// customer would have (the customer talks 60 s here); the call ends with the
// talk time so far, the agent wraps up, and a second hang-up is refused.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { openSse, type SseReader } from './sse-reader.js'
import { BACKENDS, json, type ServerWorld, serverWorld } from './world.js'

describe.each(BACKENDS)('hang-up over HTTP (%s)', (backend) => {
  let w: ServerWorld
  let stream: SseReader
  beforeAll(async () => {
    w = await serverWorld({ backend, scripts: () => ({ outcome: 'person', ringSec: 2, talkSec: 60 }) })
    const base = await w.listen()
    stream = await openSse(`${base}/api/events`, { authorization: 'Bearer agentA0' })
  })
  afterAll(async () => {
    stream?.close()
    await w?.close()
  })

  it('ends the agent’s call at once; the agent is in wrap-up; hanging up again is a 400', async () => {
    await json(w.request('agentA0', 'POST', '/api/agent/login', { campaignIds: [w.a.campaign.id] }))
    let done = false
    const placing = json<{ callId: string }>(
      w.request('agentA0', 'POST', '/api/click-to-call', {
        contactId: w.a.contacts[0]!.id,
        campaignId: w.a.campaign.id,
      }),
    ).finally(() => {
      done = true
    })
    await w.advanceUntil(() => done, 30)
    const { callId } = await placing
    await w.advance(10)
    const path = `/api/calls/${encodeURIComponent(callId)}/hangup`
    expect(await json<{ ended: boolean }>(w.request('agentA0', 'POST', path))).toEqual({ ended: true })
    await w.advance(1)
    const ended = await stream.waitFor((m) => m.event === 'call.ended')
    const talkSec = (JSON.parse(ended.data) as { talkSec: number }).talkSec
    expect(talkSec).toBeGreaterThan(5)
    expect(talkSec).toBeLessThan(30) // the customer would have talked 60 s
    const me = await json<{ session?: { state: string } }>(w.request('agentA0', 'GET', '/api/me'))
    expect(me.session?.state).toBe('wrap_up')
    const again = await json<{ error: { reason: string; issues: Array<{ field: string }> } }>(
      w.request('agentA0', 'POST', path),
      400,
    )
    expect(again.error.reason).toBe('validation_failed')
    expect(again.error.issues[0]?.field).toBe('agentId')
    expect(w.logged).toEqual([])
  })
})
