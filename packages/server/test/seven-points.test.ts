// The integration points over HTTP, on the simulated network (virtual clock):
// a campaign started by a supervisor dials, the agent's event stream gets the
// screen pop, coding the call with a callback code over HTTP books the
// callback, a click-to-call to an opted-out contact is refused with the
// reasons, a suppression takes a lead off the list, and the report's rows move.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { openSse, type SseReader } from './sse-reader.js'
import { BACKENDS, json, type ServerWorld, START, serverWorld } from './world.js'

const TALK_SEC = 20

describe.each(BACKENDS)('the seven points over HTTP (%s)', (backend) => {
  let w: ServerWorld
  let base: string
  let agentStream: SseReader
  let supStream: SseReader
  const auth = (token: string) => ({ authorization: `Bearer ${token}` })

  beforeAll(async () => {
    w = await serverWorld({
      backend,
      contacts: 3,
      scripts: () => ({ outcome: 'person', ringSec: 3, talkSec: TALK_SEC }),
    })
    base = await w.listen()
    await w.a.t.dispositions.define({ code: 'CALLBACK', label: 'Call me back', category: 'callback' })
    await w.a.t.lists.enqueue(
      w.a.campaign.id,
      w.a.contacts.map((c) => c.id),
    )
    agentStream = await openSse(`${base}/api/events`, auth('agentA0'))
    supStream = await openSse(`${base}/api/events`, auth('supA'))
  })
  afterAll(async () => {
    agentStream?.close()
    supStream?.close()
    await w?.close()
  })

  const report = async () =>
    json<{ rows: Array<{ key: string; dials: number; connects: number }>; total: { dials: number } }>(
      w.request(
        'supA',
        'GET',
        `/api/reports/campaign?from=${new Date(START - 3600_000).toISOString()}&to=${new Date(START + 86_400_000).toISOString()}&groupBy=campaign`,
      ),
    )

  it('runs a campaign, pops the screen over SSE, codes a callback over HTTP, refuses an opted-out click-to-call', async () => {
    expect(agentStream.status).toBe(200)
    const before = await report()
    expect(before.total.dials).toBe(0)

    // suppression (point 5): the third contact opts out before anything is dialled
    const optedOut = w.a.contacts[2]!
    await json(
      w.request('agentA0', 'POST', `/api/contacts/${optedOut.id}/consent`, {
        channel: 'voice',
        purpose: 'marketing',
        status: 'opted_out',
        source: 'call',
      }),
    )
    await supStream.waitFor((m) => m.event === 'consent.changed')

    await json(w.request('agentA0', 'POST', '/api/agent/login', { campaignIds: [w.a.campaign.id] }))
    await agentStream.waitFor((m) => m.event === 'agent.state_changed')
    // an agent cannot start a campaign; the supervisor can
    const refused = await json<{ error: { reason: string } }>(
      w.request('agentA0', 'POST', `/api/campaigns/${w.a.campaign.id}/start`),
      403,
    )
    expect(refused.error.reason).toBe('forbidden')
    const started = await json<{ state: string }>(
      w.request('supA', 'POST', `/api/campaigns/${w.a.campaign.id}/start`),
    )
    expect(started.state).toBe('running')

    // the screen pop reaches the agent's stream
    const seen = (stream: SseReader, event: string) => () => stream.messages.some((m) => m.event === event)
    await w.advanceUntil(seen(agentStream, 'call.offered'))
    const offered = await agentStream.waitFor((m) => m.event === 'call.offered')
    const offer = JSON.parse(offered.data) as {
      callId: string
      agentId: string
      contact: { id: string; displayName: string }
    }
    expect(offer.agentId).toBe(w.a.agents[0]!.id)
    expect(w.a.contacts.slice(0, 2).map((c) => c.id)).toContain(offer.contact.id)
    // a reload gets the same screen pop back
    const current = await json<{ offer: { callId: string } | null }>(
      w.request('agentA0', 'GET', '/api/agent/call'),
    )
    expect(current.offer?.callId).toBe(offer.callId)
    await w.advanceUntil(seen(agentStream, 'call.connected'))

    // the supervisor sees pacing figures for the running campaign
    const pacing = await supStream.waitFor((m) => m.event === 'campaign.pacing')
    const figures = JSON.parse(pacing.data) as { campaignId: string; abandonment: { target: number } }
    expect(figures.campaignId).toBe(w.a.campaign.id)
    expect(figures.abandonment.target).toBe(0.03)
    // agents get no pacing events
    expect(agentStream.messages.some((m) => m.event === 'campaign.pacing')).toBe(false)

    await w.advanceUntil(seen(agentStream, 'call.ended'), TALK_SEC + 10)
    const coded = await json<{ lead: string }>(
      w.request('agentA0', 'POST', `/api/calls/${offer.callId}/dispose`, {
        code: 'CALLBACK',
        callback: { localTime: '2026-01-06T16:30' },
      }),
    )
    expect(coded.lead).toBe('callback')
    const booked = await agentStream.waitFor((m) => m.event === 'callback.booked')
    expect(JSON.parse(booked.data).callback.contactId).toBe(offer.contact.id)
    const callbacks = await json<Array<{ contactId: string; dueAt: string }>>(
      w.request('agentA0', 'GET', `/api/callbacks?contactId=${offer.contact.id}`),
    )
    expect(callbacks).toHaveLength(1)
    expect(callbacks[0]!.dueAt).toBe('2026-01-06T21:30:00.000Z')
    // coded: the screen pop is gone
    const after = await json<{ offer: unknown }>(w.request('agentA0', 'GET', '/api/agent/call'))
    expect(after.offer).toBeNull()

    // click-to-call to the opted-out contact: 422 with the reasons
    await json(w.request('supA', 'POST', `/api/campaigns/${w.a.campaign.id}/pause`))
    await w.advance(1)
    const c2c = await json<{ error: { reason: string; reasons: Array<{ code: string }> } }>(
      w.request('agentA0', 'POST', '/api/click-to-call', {
        contactId: optedOut.id,
        campaignId: w.a.campaign.id,
      }),
      422,
    )
    expect(c2c.error.reason).toBe('click_to_call_refused')
    expect(c2c.error.reasons.map((r) => r.code)).toContain('opted_out')

    // the report's rows moved
    const later = await report()
    expect(later.total.dials).toBeGreaterThanOrEqual(1)
    expect(later.rows.find((r) => r.key === w.a.campaign.id)?.connects).toBeGreaterThanOrEqual(1)

    // the opted-out contact was never dialled
    const timeline = await json<unknown[]>(w.request('supA', 'GET', `/api/contacts/${optedOut.id}/timeline`))
    expect(timeline).toEqual([])
    expect(w.logged).toEqual([])
  })
})
