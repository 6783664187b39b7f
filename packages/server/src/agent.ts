import { AgentLogin } from '@switchboard/core'
import { Hono } from 'hono'
import { z } from 'zod'
import { type Env, ownAgent, supervisorOnly } from './auth.js'
import type { Deps } from './deps.js'
import { jsonBody } from './validate.js'

const PauseBody = z.strictObject({ reason: z.string().trim().min(1, 'say why').max(1000) })

/** The principal, their agent session, their current call; the supervisor's list of agents. */
export const agentRoutes = (d: Deps) =>
  new Hono<Env>()
    .get('/me', async (c) => {
      const p = c.get('principal')
      const t = c.get('t')
      const agent = p.agentId ? await t.agents.get(p.agentId) : undefined
      const session = p.agentId ? await t.sessions.current(p.agentId) : undefined
      return c.json({
        tenantId: p.tenantId,
        ...(p.agentId ? { agentId: p.agentId as string } : {}),
        roles: [...p.roles],
        ...(agent ? { agent } : {}),
        ...(session ? { session } : {}),
      })
    })
    .post('/agent/login', jsonBody('agent login', AgentLogin), async (c) => {
      const agentId = ownAgent(c.get('principal'))
      return c.json(await c.get('t').sessions.login(agentId, c.req.valid('json')))
    })
    .post('/agent/ready', async (c) => c.json(await c.get('t').sessions.ready(ownAgent(c.get('principal')))))
    .post('/agent/pause', jsonBody('pause', PauseBody), async (c) =>
      c.json(await c.get('t').sessions.pause(ownAgent(c.get('principal')), c.req.valid('json').reason)),
    )
    .post('/agent/logout', async (c) =>
      c.json(await c.get('t').sessions.logout(ownAgent(c.get('principal')))),
    )
    .get('/agent/call', async (c) => {
      const p = c.get('principal')
      const call = d.calls.ofAgent(p.tenantId, ownAgent(p))
      if (!call) return c.json({ offer: null, connected: false, recording: false })
      return c.json({
        offer: call.offer,
        connected: call.connected,
        recording: call.recording,
        ...(call.endedAt ? { endedAt: call.endedAt.toISOString() } : {}),
        ...(call.wrapUntil ? { wrapUntil: call.wrapUntil.toISOString() } : {}),
      })
    })
    .get('/agents', supervisorOnly, async (c) => {
      const t = c.get('t')
      const [agents, sessions] = await Promise.all([t.agents.list({ limit: 1000 }), t.sessions.open()])
      const byAgent = new Map(sessions.map((s) => [s.agentId as string, s]))
      return c.json(
        agents.map((agent) => {
          const session = byAgent.get(agent.id)
          return { agent, ...(session ? { session } : {}) }
        }),
      )
    })
