// Input at the boundary: a 400 names each field and the value given (core's
// ValidationFailed), 413 over the body limit, 401 without a principal, and a
// 500 that says nothing of the failure (it goes to `log`).

import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createSwitchboardHandler } from '../src/index.js'
import { json, type ServerWorld, serverWorld } from './world.js'

type ErrorBody = {
  error: {
    reason: string
    message: string
    issues?: Array<{ field: string; value: unknown; message: string }>
  }
}

describe('validation, limits and errors', () => {
  let w: ServerWorld
  beforeAll(async () => {
    w = await serverWorld({ backend: 'sqlite', handler: { limits: { bodyBytes: 4096 } } })
  })
  afterAll(() => w?.close())

  it('400 names the field and the value: a code that is a number', async () => {
    const r = await json<ErrorBody>(w.request('agentA0', 'POST', '/api/calls/any/dispose', { code: 42 }), 400)
    expect(r.error.reason).toBe('validation_failed')
    expect(r.error.issues).toEqual([expect.objectContaining({ field: 'code', value: 42 })])
    expect(r.error.message).toContain('code = 42')
  })

  it('400 for an unknown key, suggesting the known one', async () => {
    const r = await json<ErrorBody>(
      w.request('agentA0', 'POST', '/api/calls/any/dispose', { code: 'SALE', notes: 'typo' }),
      400,
    )
    expect(r.error.issues).toEqual([
      { field: 'notes', value: 'typo', message: 'unknown key; did you mean "note"?' },
    ])
  })

  it('400 for a bad query value, and for a body that is not JSON', async () => {
    const q = await json<ErrorBody>(
      w.request(
        'supA',
        'GET',
        '/api/reports/campaign?from=2026-01-01T00:00:00Z&to=2026-01-02T00:00:00Z&groupBy=week',
      ),
      400,
    )
    expect(q.error.issues).toEqual([expect.objectContaining({ field: 'groupBy', value: 'week' })])
    const bad = await json<ErrorBody>(w.request('agentA0', 'POST', '/api/agent/pause', '{"reason": '), 400)
    expect(bad.error.reason).toBe('validation_failed')
    // consent: the path names the contact, a contactId in the body is refused
    const contact = w.a.contacts[0]!
    const c = await json<ErrorBody>(
      w.request('agentA0', 'POST', `/api/contacts/${contact.id}/consent`, {
        contactId: contact.id,
        channel: 'voice',
        purpose: 'marketing',
        status: 'opted_in',
        source: 'web form',
      }),
      400,
    )
    expect(c.error.issues?.[0]).toMatchObject({ field: 'contactId', value: contact.id })
  })

  it('413 for a body over the limit (handler.fetch and over HTTP)', async () => {
    const big = { reason: 'x'.repeat(10_000) }
    const r = await json<ErrorBody>(w.request('agentA0', 'POST', '/api/agent/pause', big), 413)
    expect(r.error.reason).toBe('payload_too_large')
    const base = await w.listen()
    const res = await fetch(`${base}/api/agent/pause`, {
      method: 'POST',
      headers: { authorization: 'Bearer agentA0', 'content-type': 'application/json' },
      body: JSON.stringify(big),
    })
    expect(res.status).toBe(413)
    expect(((await res.json()) as ErrorBody).error.reason).toBe('payload_too_large')
  })

  it('401 without a principal, 404 for an unknown route', async () => {
    expect((await json<ErrorBody>(w.request(undefined, 'GET', '/api/contacts'), 401)).error.reason).toBe(
      'unauthenticated',
    )
    expect((await json<ErrorBody>(w.request('agentA0', 'GET', '/api/nothing-here'), 404)).error.reason).toBe(
      'not_found',
    )
  })

  it('500 says "internal error", with no stack; the error goes to log', async () => {
    const logged: unknown[] = []
    const handler = createSwitchboardHandler({
      sb: w.sb,
      runtime: w.runtime,
      authenticate: () => {
        throw new Error('connection to /var/secret/db refused')
      },
      log: (_m, e) => logged.push(e),
    })
    const res = await handler.fetch(new Request('http://localhost/api/me'))
    expect(res.status).toBe(500)
    const text = await res.text()
    expect(JSON.parse(text)).toEqual({ error: { reason: 'internal', message: 'internal error' } })
    expect(text).not.toMatch(/secret|at |stack/)
    expect(logged).toHaveLength(1)
    await handler.close()
  })
})
