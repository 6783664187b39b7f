// Tenant isolation through the HTTP API: a principal of tenant acme reads and
// changes nothing of tenant beta. Every route is walked (the table below must
// name every route of the handler, so a new route without a case fails):
// with beta's ids it answers 404 (never revealing that they exist), lists
// hold none of beta's rows, the event stream carries none of beta's events;
// supervisor routes are 403 for an agent; an agent cannot act on another
// agent's call. At the end, beta's data is checked unchanged.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { openSse, type SseReader } from './sse-reader.js'
import { BACKENDS, json, type ServerWorld, START, serverWorld } from './world.js'

type ErrorBody = { error: { reason: string; message: string } }

describe.each(BACKENDS)('tenant isolation over HTTP (%s)', (backend) => {
  let w: ServerWorld
  let base: string
  let bCall: string
  let aCall: string
  let bCase: string
  let aCase: string
  let bIds: string[]
  const streams: Record<string, SseReader> = {}

  beforeAll(async () => {
    w = await serverWorld({ backend, scripts: () => ({ outcome: 'person', ringSec: 2, talkSec: 30 }) })
    base = await w.listen()
    for (const token of ['agentA0', 'supA', 'supB'])
      streams[token] = await openSse(`${base}/api/events?lastEventId=0`, {
        authorization: `Bearer ${token}`,
      })
    const bContact = w.b.contacts[0]!
    bCase = (await w.b.t.cases.open({ contactId: bContact.id, subject: 'Broken router' })).id
    aCase = (await w.a.t.cases.open({ contactId: w.a.contacts[0]!.id, subject: 'Billing' })).id
    await w.b.t.callbacks.book({
      contactId: bContact.id,
      campaignId: w.b.campaign.id,
      localTime: '2026-01-06T15:00',
    })
    // a call in each tenant, by click-to-call over HTTP
    await json(w.request('agentB0', 'POST', '/api/agent/login', { campaignIds: [w.b.campaign.id] }))
    await json(w.request('agentA0', 'POST', '/api/agent/login', { campaignIds: [w.a.campaign.id] }))
    // the agent's leg rings first: virtual time runs while the request waits
    const placed = async (token: string, body: unknown) => {
      let done = false
      const call = json<{ callId: string }>(w.request(token, 'POST', '/api/click-to-call', body)).finally(
        () => {
          done = true
        },
      )
      await w.advanceUntil(() => done, 30)
      return (await call).callId
    }
    bCall = await placed('agentB0', { contactId: bContact.id, campaignId: w.b.campaign.id })
    aCall = await placed('agentA0', { contactId: w.a.contacts[0]!.id, campaignId: w.a.campaign.id })
    await w.advance(4)
    bIds = [bContact.id, w.b.agents[0]!.id, w.b.campaign.id, bCall, bCase]
  })
  afterAll(async () => {
    for (const s of Object.values(streams)) s.close()
    await w?.close()
  })

  const req = (token: string, method: string, path: string, body?: unknown) =>
    w.request(token, method, path, body)
  const notFound = async (token: string, method: string, path: string, body?: unknown) => {
    const r = await json<ErrorBody>(req(token, method, path, body), 404)
    expect(r.error.reason).toBe('not_found')
  }
  const forbidden = async (token: string, method: string, path: string, body?: unknown) => {
    const r = await json<ErrorBody>(req(token, method, path, body), 403)
    expect(r.error.reason).toBe('forbidden')
  }
  /** A body (or list) that mentions none of beta's ids. */
  const noneOfB = (value: unknown) => {
    const text = JSON.stringify(value)
    for (const id of bIds) expect(text).not.toContain(id)
  }
  const range = `from=${new Date(START - 86_400_000).toISOString()}&to=${new Date(START + 86_400_000).toISOString()}`
  const bContactId = () => w.b.contacts[0]!.id

  const routes: Record<string, () => Promise<void>> = {
    'GET /api/me': async () => {
      const me = await json<{ tenantId: string }>(req('agentA0', 'GET', '/api/me'))
      expect(me.tenantId).toBe('acme')
      noneOfB(me)
    },
    'POST /api/agent/login': async () => {
      await notFound('agentA1', 'POST', '/api/agent/login', { campaignIds: [w.b.campaign.id] })
      await json(req('agentA1', 'POST', '/api/agent/login', { campaignIds: [w.a.campaign.id] }))
    },
    'POST /api/agent/ready': async () => {
      // acts on the principal's own agent only; a supervisor with no agent is refused
      await forbidden('supA', 'POST', '/api/agent/ready')
    },
    'POST /api/agent/pause': async () => {
      await forbidden('supA', 'POST', '/api/agent/pause', { reason: 'x' })
    },
    'POST /api/agent/logout': async () => {
      await forbidden('supA', 'POST', '/api/agent/logout')
    },
    'GET /api/agent/call': async () => {
      const mine = await json<{ offer: { callId: string } | null }>(req('agentA1', 'GET', '/api/agent/call'))
      expect(mine.offer).toBeNull()
      const a0 = await json<{ offer: { callId: string } | null }>(req('agentA0', 'GET', '/api/agent/call'))
      expect(a0.offer?.callId).toBe(aCall)
      noneOfB(a0)
    },
    'POST /api/calls/:callId/dispose': async () => {
      await notFound('agentA0', 'POST', `/api/calls/${bCall}/dispose`, { code: 'NOINT' })
      await notFound('supA', 'POST', `/api/calls/${bCall}/dispose`, { code: 'NOINT' })
      // another agent's call of the same tenant
      await forbidden('agentA1', 'POST', `/api/calls/${aCall}/dispose`, { code: 'NOINT' })
    },
    'POST /api/calls/:callId/identify': async () => {
      await notFound('agentA0', 'POST', `/api/calls/${bCall}/identify`, { contactId: w.a.contacts[1]!.id })
      await forbidden('agentA1', 'POST', `/api/calls/${aCall}/identify`, { contactId: w.a.contacts[1]!.id })
      // the agent's own call with another tenant's contact
      await notFound('agentA0', 'POST', `/api/calls/${aCall}/identify`, { contactId: bContactId() })
    },
    'POST /api/calls/:callId/recording': async () => {
      await notFound('agentA0', 'POST', `/api/calls/${bCall}/recording`, { on: true })
      await forbidden('agentA1', 'POST', `/api/calls/${aCall}/recording`, { on: true })
    },
    'POST /api/click-to-call': async () => {
      await notFound('agentA1', 'POST', '/api/click-to-call', {
        contactId: bContactId(),
        campaignId: w.a.campaign.id,
      })
      await notFound('agentA1', 'POST', '/api/click-to-call', {
        contactId: w.a.contacts[1]!.id,
        campaignId: w.b.campaign.id,
      })
    },
    'GET /api/contacts': async () => {
      const all = await json<unknown[]>(req('agentA0', 'GET', '/api/contacts?limit=100'))
      expect(all).toHaveLength(w.a.contacts.length)
      noneOfB(all)
      const byName = await json<unknown[]>(
        req('agentA0', 'GET', `/api/contacts?q=${w.b.contacts[0]!.firstName}`),
      )
      expect(byName).toEqual([])
      const byPhone = await json<unknown[]>(
        req('agentA0', 'GET', `/api/contacts?q=${encodeURIComponent(w.b.contacts[0]!.phones[0]!.e164)}`),
      )
      expect(byPhone).toEqual([])
      // the same searches find beta's contact for beta
      const own = await json<unknown[]>(req('supB', 'GET', `/api/contacts?q=${w.b.contacts[0]!.firstName}`))
      expect(own).toHaveLength(1)
    },
    'GET /api/contacts/:id': async () => notFound('agentA0', 'GET', `/api/contacts/${bContactId()}`),
    'GET /api/contacts/:id/timeline': async () =>
      notFound('supA', 'GET', `/api/contacts/${bContactId()}/timeline`),
    'GET /api/contacts/:id/consent': async () =>
      notFound('agentA0', 'GET', `/api/contacts/${bContactId()}/consent?channel=voice&purpose=marketing`),
    'POST /api/contacts/:id/consent': async () =>
      notFound('agentA0', 'POST', `/api/contacts/${bContactId()}/consent`, {
        channel: 'voice',
        purpose: 'marketing',
        status: 'opted_out',
        source: 'call',
      }),
    'GET /api/contacts/:id/cases': async () =>
      notFound('agentA0', 'GET', `/api/contacts/${bContactId()}/cases`),
    'GET /api/cases/:id': async () => {
      await notFound('agentA0', 'GET', `/api/cases/${bCase}`)
      await json(req('agentA0', 'GET', `/api/cases/${aCase}`))
    },
    'POST /api/cases/:id/escalate': async () =>
      notFound('supA', 'POST', `/api/cases/${bCase}/escalate`, {
        toTier: 'tier2',
        reason: 'manual',
        note: 'angry',
      }),
    'POST /api/cases/:id/status': async () =>
      notFound('agentA0', 'POST', `/api/cases/${bCase}/status`, { status: 'solved' }),
    'GET /api/campaigns': async () => {
      const list = await json<Array<{ id: string }>>(req('agentA0', 'GET', '/api/campaigns'))
      expect(list.map((c) => c.id)).toEqual([w.a.campaign.id])
    },
    'GET /api/campaigns/:id': async () => notFound('agentA0', 'GET', `/api/campaigns/${w.b.campaign.id}`),
    'GET /api/campaigns/:id/dispositions': async () =>
      notFound('agentA0', 'GET', `/api/campaigns/${w.b.campaign.id}/dispositions`),
    'GET /api/callbacks': async () => {
      expect(await json(req('agentA0', 'GET', `/api/callbacks?contactId=${bContactId()}`))).toEqual([])
      expect(await json(req('supA', 'GET', `/api/callbacks?campaignId=${w.b.campaign.id}`))).toEqual([])
      expect(
        await json<unknown[]>(req('supB', 'GET', `/api/callbacks?contactId=${bContactId()}`)),
      ).toHaveLength(1)
    },
    'GET /api/agents': async () => {
      await forbidden('agentA0', 'GET', '/api/agents')
      const list = await json<Array<{ agent: { id: string } }>>(req('supA', 'GET', '/api/agents'))
      expect(list.map((a) => a.agent.id).sort()).toEqual(w.a.agents.map((a) => a.id).sort())
      noneOfB(list)
    },
    'GET /api/reports/campaign': async () => {
      await forbidden('agentA0', 'GET', `/api/reports/campaign?${range}&groupBy=campaign`)
      const mine = await json<{ rows: Array<{ key: string }> }>(
        req('supA', 'GET', `/api/reports/campaign?${range}&groupBy=campaign`),
      )
      noneOfB(mine)
      const filtered = await json<{ rows: unknown[]; total: { dials: number } }>(
        req('supA', 'GET', `/api/reports/campaign?${range}&groupBy=campaign&campaignId=${w.b.campaign.id}`),
      )
      expect(filtered.rows).toEqual([])
      expect(filtered.total.dials).toBe(0)
      // beta's own supervisor sees beta's campaign
      const theirs = await json<{ rows: Array<{ key: string }> }>(
        req('supB', 'GET', `/api/reports/campaign?${range}&groupBy=campaign`),
      )
      expect(theirs.rows.map((r) => r.key)).toContain(w.b.campaign.id)
    },
    'GET /api/reports/campaign.csv': async () => {
      await forbidden('agentA0', 'GET', `/api/reports/campaign.csv?${range}&groupBy=campaign`)
      const res = await req('supA', 'GET', `/api/reports/campaign.csv?${range}&groupBy=campaign`)
      expect(res.status).toBe(200)
      expect(res.headers.get('content-disposition')).toMatch(/^attachment/)
      const csv = await res.text()
      expect(csv).toContain(w.a.campaign.id)
      for (const id of bIds) expect(csv).not.toContain(id)
    },
    'GET /api/events': async () => {
      await w.advance(2)
      // beta's stream did carry beta's events: the check below can fail
      await streams.supB!.waitFor((m) => m.event === 'call.offered')
      expect(JSON.stringify(streams.supB!.messages)).toContain(bCall)
      for (const token of ['agentA0', 'supA']) {
        const s = streams[token]!
        await s.waitFor((m) => m.event === 'call.offered')
        noneOfB(s.messages)
      }
      // agentA0 sees only their own calls
      const offers = streams.agentA0!.messages.filter((m) => m.event === 'call.offered')
      expect(offers.map((m) => JSON.parse(m.data).agentId)).toEqual([w.a.agents[0]!.id])
    },
  }

  // Running a campaign: an agent is refused, a supervisor of acme finds no campaign of beta.
  for (const [method, action] of [
    ['POST', 'start'],
    ['POST', 'pause'],
    ['POST', 'resume'],
    ['POST', 'stop'],
    ['GET', 'status'],
  ] as const) {
    routes[`${method} /api/campaigns/:id/${action}`] = async () => {
      await forbidden('agentA0', method, `/api/campaigns/${w.a.campaign.id}/${action}`)
      await notFound('supA', method, `/api/campaigns/${w.b.campaign.id}/${action}`)
    }
  }

  it('the table names every route of the handler', () => {
    expect(Object.keys(routes).sort()).toEqual([...w.handler.routes].sort())
  })

  it.each(Object.keys(routes))('%s', async (route) => {
    await routes[route]!()
  })

  it("leaves beta's data as it was", async () => {
    expect(await w.b.t.consent.history(w.b.contacts[0]!.id)).toEqual([])
    expect((await w.b.t.cases.get(bCase as never)).status).toBe('open')
    expect(w.runtime.status('beta', w.b.campaign.id)).toBeUndefined()
    const bCallNow = await json<{ offer: { callId: string } | null }>(
      req('agentB0', 'GET', '/api/agent/call'),
    )
    expect(bCallNow.offer?.callId).toBe(bCall)
    expect(w.logged).toEqual([])
  })
})
