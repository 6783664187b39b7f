import { type CaseId, CaseStatus, EscalateInput } from '@switchboard/core'
import { Hono } from 'hono'
import { z } from 'zod'
import type { Env } from './auth.js'
import { jsonBody } from './validate.js'

const StatusBody = z.strictObject({ status: CaseStatus })

/** A case, its escalation to another tier, its status. */
export const caseRoutes = () =>
  new Hono<Env>()
    .get('/cases/:id', async (c) => c.json(await c.get('t').cases.get(c.req.param('id') as CaseId)))
    .post('/cases/:id/escalate', jsonBody('escalation', EscalateInput), async (c) => {
      const p = c.get('principal')
      const input = c.req.valid('json')
      // Who escalated is the principal, never what the body claims.
      const by = p.agentId ?? 'supervisor'
      return c.json(await c.get('t').cases.escalate(c.req.param('id') as CaseId, { ...input, by }))
    })
    .post('/cases/:id/status', jsonBody('case status', StatusBody), async (c) => {
      const p = c.get('principal')
      return c.json(
        await c
          .get('t')
          .cases.setStatus(
            c.req.param('id') as CaseId,
            c.req.valid('json').status,
            p.agentId ?? 'supervisor',
          ),
      )
    })
