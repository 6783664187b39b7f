// Recording over HTTP: on a campaign recording on demand, the agent starts and
// stops the recording of their call; the events reach their stream, the
// current call says so, and the recording is linked in the contact's timeline.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { openSse, type SseReader } from './sse-reader.js'
import { BACKENDS, json, type ServerWorld, serverWorld } from './world.js'

describe.each(BACKENDS)('recording over HTTP (%s)', (backend) => {
  let w: ServerWorld
  let stream: SseReader
  beforeAll(async () => {
    w = await serverWorld({
      backend,
      campaign: { recording: 'on_demand' },
      scripts: () => ({ outcome: 'person', ringSec: 2, talkSec: 30 }),
    })
    const base = await w.listen()
    stream = await openSse(`${base}/api/events`, { authorization: 'Bearer agentA0' })
  })
  afterAll(async () => {
    stream?.close()
    await w?.close()
  })

  it('starts and stops the recording of the agent’s call; the timeline links it', async () => {
    const contact = w.a.contacts[0]!
    await json(w.request('agentA0', 'POST', '/api/agent/login', { campaignIds: [w.a.campaign.id] }))
    let done = false
    const placing = json<{ callId: string }>(
      w.request('agentA0', 'POST', '/api/click-to-call', {
        contactId: contact.id,
        campaignId: w.a.campaign.id,
      }),
    ).finally(() => {
      done = true
    })
    await w.advanceUntil(() => done, 30)
    const { callId } = await placing
    await w.advance(3)
    const on = await json<{ recording: boolean }>(
      w.request('agentA0', 'POST', `/api/calls/${encodeURIComponent(callId)}/recording`, { on: true }),
    )
    expect(on.recording).toBe(true)
    await stream.waitFor((m) => m.event === 'recording.started')
    const current = await json<{ connected: boolean; recording: boolean }>(
      w.request('agentA0', 'GET', '/api/agent/call'),
    )
    expect(current).toMatchObject({ connected: true, recording: true })
    await w.advance(5)
    const off = await json<{ recording: boolean }>(
      w.request('agentA0', 'POST', `/api/calls/${encodeURIComponent(callId)}/recording`, { on: false }),
    )
    expect(off.recording).toBe(false)
    await stream.waitFor((m) => m.event === 'recording.stopped')
    const timeline = await json<Array<{ recordings: Array<{ startedBy: string; durationSec?: number }> }>>(
      w.request('agentA0', 'GET', `/api/contacts/${contact.id}/timeline`),
    )
    const recordings = timeline.flatMap((i) => i.recordings)
    expect(recordings).toHaveLength(1)
    expect(recordings[0]).toMatchObject({ startedBy: 'agent' })
    expect(w.logged).toEqual([])
  })
})
