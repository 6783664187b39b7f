// The typed client against a real handler over HTTP: return types inferred
// from the server's routes (a wrong body shape does not compile), errors as
// SwitchboardHttpError with the server's reason, issues and reasons.
import { afterAll, beforeAll, describe, expect, expectTypeOf, it } from 'vitest'
import { type ServerWorld, serverWorld } from '../../server/test/world.js'
import { createSwitchboardClient, type SwitchboardClient, SwitchboardHttpError } from '../src/index.js'

describe('typed client over HTTP', () => {
  let w: ServerWorld
  let agent: SwitchboardClient
  let sup: SwitchboardClient
  beforeAll(async () => {
    w = await serverWorld({ backend: 'sqlite' })
    const baseUrl = await w.listen()
    agent = createSwitchboardClient({ baseUrl, headers: () => ({ authorization: 'Bearer agentA0' }) })
    sup = createSwitchboardClient({
      baseUrl: `${baseUrl}/`,
      headers: () => ({ authorization: 'Bearer supA' }),
    })
  })
  afterAll(() => w?.close())

  it('returns the routes’ JSON with inferred types', async () => {
    const me = await agent.me()
    expectTypeOf(me.roles).toEqualTypeOf<('agent' | 'supervisor')[]>()
    expect(me).toMatchObject({ tenantId: 'acme', agentId: w.a.agents[0]!.id, roles: ['agent'] })
    const session = await agent.agent.login({ campaignIds: [w.a.campaign.id] })
    expectTypeOf(session.stateSince).toEqualTypeOf<string>() // dates arrive as ISO strings
    expect(session.state).toBe('available')
    const paused = await agent.agent.pause('coffee')
    expect(paused.pauseReason).toBe('coffee')
    const [contact] = await agent.contacts.search('Lead1x2')
    expect(contact?.id).toBe(w.a.contacts[2]!.id)
    const card = await agent.contacts.get(contact!.id)
    expectTypeOf(card.displayName).toEqualTypeOf<string>()
    const consent = await agent.contacts.consent(card.id, { channel: 'voice', purpose: 'marketing' })
    expect(consent.decision.allowed).toBe(true) // US telemarketing: allowed until the person opts out
    expect(consent.history).toEqual([])
    const recorded = await agent.contacts.recordConsent(card.id, {
      channel: 'voice',
      purpose: 'marketing',
      status: 'opted_out',
      source: 'call',
    })
    expect(recorded.status).toBe('opted_out')
    const after = await agent.contacts.consent(card.id, { channel: 'voice', purpose: 'marketing' })
    expect(after.decision.allowed).toBe(false)
    expect(after.history.map((r) => r.id)).toEqual([recorded.id])
    const campaigns = await agent.campaigns.list()
    expect(campaigns.map((c) => c.id)).toEqual([w.a.campaign.id])
    const codes = await agent.campaigns.dispositions(w.a.campaign.id)
    expect(codes.length).toBeGreaterThan(0)
    const agents = await sup.agents.list()
    expect(agents.find((a) => a.agent.id === w.a.agents[0]!.id)?.session?.state).toBe('paused')
    const report = await sup.reports.campaign({
      from: '2026-01-06T00:00:00Z',
      to: '2026-01-07T00:00:00Z',
      groupBy: 'campaign',
    })
    expectTypeOf(report.total.dials).toEqualTypeOf<number>()
    const csv = await sup.reports.campaignCsv({
      from: '2026-01-06T00:00:00Z',
      to: '2026-01-07T00:00:00Z',
      groupBy: 'agent',
    })
    expect(csv.split('\n')[0]).toMatch(/^agent,dials,/)
    expect(
      sup.reports.campaignCsvUrl({
        from: '2026-01-06T00:00:00Z',
        to: '2026-01-07T00:00:00Z',
        groupBy: 'hour',
      }),
    ).toMatch(/\/api\/reports\/campaign\.csv\?from=2026-01-06T00%3A00%3A00Z&to=.*&groupBy=hour$/)
  })

  it('rejects a wrong body shape at compile time, and the server says which field at run time', async () => {
    // @ts-expect-error code must be a string
    const bad = agent.calls.dispose('call-1', { code: 42 })
    const e = await bad.catch((x: unknown) => x)
    expect(e).toBeInstanceOf(SwitchboardHttpError)
    expect(e).toMatchObject({ status: 400, reason: 'validation_failed' })
    expect((e as SwitchboardHttpError).issues).toEqual([
      expect.objectContaining({ field: 'code', value: 42 }),
    ])
    // @ts-expect-error status is one of open | pending | solved | closed
    await expect(agent.cases.setStatus('cs_1', 'done')).rejects.toMatchObject({ status: 400 })
  })

  it('throws the server’s reason: 404 for an unknown id, 403 for a supervisor route, 422 with the reasons', async () => {
    await expect(agent.contacts.get(w.b.contacts[0]!.id)).rejects.toMatchObject({
      status: 404,
      reason: 'not_found',
    })
    await expect(agent.campaigns.start(w.a.campaign.id)).rejects.toMatchObject({
      status: 403,
      reason: 'forbidden',
    })
    await agent.agent.ready()
    const refused = await agent
      .clickToCall({ contactId: w.a.contacts[2]!.id, campaignId: w.a.campaign.id })
      .then(
        () => undefined,
        (x: unknown) => x as SwitchboardHttpError,
      )
    expect(refused).toMatchObject({ status: 422, reason: 'click_to_call_refused' })
    expect(refused?.reasons?.map((r) => r.code)).toContain('opted_out')
  })
})
