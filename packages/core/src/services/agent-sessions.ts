import { Context, Effect, Layer } from 'effect'
import { z } from 'zod'
import {
  AGENT_TRANSITIONS,
  AgentLogin,
  type AgentSession,
  type AgentStateChange,
} from '../domain/agent-session.js'
import { AgentState } from '../domain/dialing.js'
import { type Conflict, conflict, type NotFound, notFound, type ValidationFailed } from '../domain/errors.js'
import { AgentId, AgentSessionId, CampaignId, newId, type TenantId } from '../domain/ids.js'
import { Text } from '../domain/text.js'
import type { TenantStore } from '../plugins/storage.js'
import { type Emit, EventLog, type WriteError } from './event-log.js'
import { attempt, invalid, now, parse, Storage, type StoreError, scopedStore } from './runtime.js'

const StateChangeInput = z
  .strictObject({
    reason: Text.short.optional(),
    callId: z.string().min(1).max(256).optional(),
  })
  .optional()

const StatesFilter = z
  .strictObject({
    agentId: AgentId.optional(),
    from: z.date().optional(),
    to: z.date().optional(),
    limit: z.number().int().min(1).max(10_000).optional(),
    after: z.strictObject({ sessionId: AgentSessionId, seq: z.number().int().positive() }).optional(),
  })
  .default({})

const OpenFilter = z.strictObject({ campaignId: CampaignId.optional() }).default({})

type SessionError = ValidationFailed | NotFound | Conflict | WriteError

/**
 * Agents' sessions: log in to campaigns and queues with skills, ready, pause
 * with a reason, reserved, on a call, wrap-up, log out. Every change is
 * validated against `AGENT_TRANSITIONS`, appended to the session's history
 * and recorded as an `agent.state_changed` event in one transaction; two
 * writers racing on one agent cannot both win (the history's sequence number
 * is a unique key: the loser gets a Conflict and may retry).
 */
export class AgentSessions extends Context.Service<
  AgentSessions,
  {
    /**
     * Opens a session. An agent already logged in gets a Conflict.
     * @example
     * ```ts
     * const ana = await acme.agents.create({ name: 'Ana' })
     * const s = await acme.sessions.login(ana.id, { campaignIds: [campaign.id] })
     * await acme.sessions.pause(ana.id, 'coffee')
     * await acme.sessions.ready(ana.id)
     * ```
     */
    login(tenant: TenantId, agentId: AgentId, input?: AgentLogin): Effect.Effect<AgentSession, SessionError>
    /** Back to `available`. */
    ready(tenant: TenantId, agentId: AgentId): Effect.Effect<AgentSession, SessionError>
    /** `paused`, with the reason (shown to supervisors, counted in reports). */
    pause(tenant: TenantId, agentId: AgentId, reason: string): Effect.Effect<AgentSession, SessionError>
    /** Any allowed change (the runner's `reserved`, `on_call`, `wrap_up`). */
    setState(
      tenant: TenantId,
      agentId: AgentId,
      to: AgentState,
      options?: { readonly reason?: string; readonly callId?: string },
    ): Effect.Effect<AgentSession, SessionError>
    /** Closes the session (`offline`). */
    logout(tenant: TenantId, agentId: AgentId): Effect.Effect<AgentSession, SessionError>
    /** The agent's open session, or undefined when logged out. */
    current(
      tenant: TenantId,
      agentId: AgentId,
    ): Effect.Effect<AgentSession | undefined, ValidationFailed | StoreError>
    /** Open sessions, optionally of one campaign. */
    open(
      tenant: TenantId,
      filter?: { readonly campaignId?: CampaignId },
    ): Effect.Effect<AgentSession[], ValidationFailed | StoreError>
    /** The history of state changes, oldest first. */
    states(
      tenant: TenantId,
      filter?: z.input<typeof StatesFilter>,
    ): Effect.Effect<AgentStateChange[], ValidationFailed | StoreError>
  }
>()('@switchboard/core/AgentSessions') {}

export const AgentSessionsLive = Layer.effect(
  AgentSessions,
  Effect.gen(function* () {
    const storage = yield* Storage
    const log = yield* EventLog

    const change = (
      tenant: TenantId,
      agentIdIn: unknown,
      toIn: unknown,
      optionsIn?: unknown,
    ): Effect.Effect<AgentSession, SessionError> =>
      Effect.gen(function* () {
        const agentId = yield* parse('agent session', AgentId, agentIdIn, 'agentId')
        const to = yield* parse('agent session', AgentState, toIn, 'state')
        const o = (yield* parse('agent session', StateChangeInput, optionsIn, 'options')) ?? {}
        if (to === 'paused' && !o.reason)
          return yield* invalid('agent session', 'reason', o.reason, 'say why the agent pauses')
        const at = yield* now
        return (yield* log.write(tenant, 'agentSessions.change', async (tx, emit) => {
          const session = await tx.agentSessions.current(agentId)
          if (!session) throw notFound('agent session', agentId, 'the agent is not logged in: log in first')
          if (to === 'offline') throw conflict('agent session', 'use logout to end a session')
          if (session.state !== to && !AGENT_TRANSITIONS[session.state].includes(to))
            throw conflict('agent session', `an agent cannot go from ${session.state} to ${to}`)
          return applyChange(tx, emit, session, to, at, o)
        })) as AgentSession
      }) as Effect.Effect<AgentSession, SessionError>

    return {
      login: (tenant, agentIdIn, input) =>
        Effect.gen(function* () {
          const agentId = yield* parse('agent session', AgentId, agentIdIn, 'agentId')
          const l = yield* parse('agent login', AgentLogin, input ?? {})
          const at = yield* now
          return (yield* log.write(tenant, 'agentSessions.login', async (tx, emit) => {
            const agent = await tx.agents.get(agentId)
            if (!agent) throw notFound('agent', agentId)
            const open = await tx.agentSessions.current(agentId)
            if (open)
              throw conflict(
                'agent session',
                `${agentId} is logged in since ${open.startedAt.toISOString()}: log out first`,
              )
            for (const id of l.campaignIds) if (!(await tx.campaigns.get(id))) throw notFound('campaign', id)
            const state = l.ready ? 'available' : 'paused'
            const session: AgentSession = {
              tenantId: tenant,
              id: newId('AgentSessionId') as AgentSessionId,
              agentId,
              campaignIds: l.campaignIds,
              queueIds: l.queueIds,
              skills: l.skills ?? agent.skills,
              startedAt: at,
              state,
              stateSince: at,
              seq: 1,
              ...(state === 'paused' ? { pauseReason: 'logged in paused' } : {}),
              createdAt: at,
              updatedAt: at,
            }
            await tx.agentSessions.insert(session)
            const first: AgentStateChange = {
              tenantId: tenant,
              sessionId: session.id,
              agentId,
              seq: 1,
              from: 'offline',
              to: state,
              at,
            }
            await tx.agentSessions.appendState(first)
            await tx.agents.update({ ...agent, state, updatedAt: at })
            await emit('agent.logged_in', { tenantId: tenant, session })
            await emit('agent.state_changed', { tenantId: tenant, session, change: first })
            return session
          })) as AgentSession
        }) as Effect.Effect<AgentSession, SessionError>,
      ready: (tenant, agentId) => change(tenant, agentId, 'available'),
      pause: (tenant, agentId, reason) => change(tenant, agentId, 'paused', { reason }),
      setState: (tenant, agentId, to, options) => change(tenant, agentId, to, options),
      logout: (tenant, agentIdIn) =>
        Effect.gen(function* () {
          const agentId = yield* parse('agent session', AgentId, agentIdIn, 'agentId')
          const at = yield* now
          return (yield* log.write(tenant, 'agentSessions.logout', async (tx, emit) => {
            const session = await tx.agentSessions.current(agentId)
            if (!session) throw notFound('agent session', agentId, 'the agent is not logged in')
            const ended = await applyChange(tx, emit, session, 'offline', at, {})
            const closed = { ...ended, endedAt: at }
            await tx.agentSessions.update(closed)
            await emit('agent.logged_out', { tenantId: tenant, session: closed })
            return closed
          })) as AgentSession
        }) as Effect.Effect<AgentSession, SessionError>,
      current: (tenant, agentIdIn) =>
        Effect.gen(function* () {
          const agentId = yield* parse('agent session', AgentId, agentIdIn, 'agentId')
          return yield* attempt('agentSessions.current', () =>
            scopedStore(storage, tenant).agentSessions.current(agentId),
          )
        }),
      open: (tenant, filter) =>
        Effect.gen(function* () {
          const f = yield* parse('agent sessions', OpenFilter, filter, 'filter')
          return yield* attempt('agentSessions.open', () =>
            scopedStore(storage, tenant).agentSessions.open(f as never),
          )
        }),
      states: (tenant, filter) =>
        Effect.gen(function* () {
          const f = yield* parse('agent states', StatesFilter, filter, 'filter')
          return yield* attempt('agentSessions.states', () =>
            scopedStore(storage, tenant).agentSessions.states(f as never),
          )
        }),
    }
  }),
)

/** One change inside the caller's transaction: the session, its history, the agent row and the event. */
async function applyChange(
  tx: TenantStore,
  emit: Emit,
  session: AgentSession,
  to: AgentState,
  at: Date,
  o: { readonly reason?: string | undefined; readonly callId?: string | undefined },
): Promise<AgentSession> {
  const seq = session.seq + 1
  const changeRow: AgentStateChange = {
    tenantId: session.tenantId,
    sessionId: session.id,
    agentId: session.agentId,
    seq,
    from: session.state,
    to,
    at,
    ...(o.reason ? { reason: o.reason } : {}),
    ...(o.callId ? { callId: o.callId } : {}),
  }
  // The history's (session, seq) key makes a concurrent change of the same agent fail here.
  await tx.agentSessions.appendState(changeRow)
  const { pauseReason: _p, callId: _c, ...rest } = session
  const next: AgentSession = {
    ...rest,
    state: to,
    stateSince: at,
    seq,
    updatedAt: at,
    ...(to === 'paused' && o.reason ? { pauseReason: o.reason } : {}),
    ...(o.callId && ['reserved', 'on_call', 'wrap_up'].includes(to) ? { callId: o.callId } : {}),
    ...(!o.callId && to === 'wrap_up' && session.callId ? { callId: session.callId } : {}),
    ...(!o.callId && to === 'on_call' && session.callId ? { callId: session.callId } : {}),
  }
  await tx.agentSessions.update(next)
  const agent = await tx.agents.get(session.agentId)
  if (agent) {
    const { pauseReason: _a, ...a } = agent
    await tx.agents.update({
      ...a,
      state: to,
      ...(next.pauseReason ? { pauseReason: next.pauseReason } : {}),
      updatedAt: at,
    })
  }
  await emit('agent.state_changed', { tenantId: session.tenantId, session: next, change: changeRow })
  return next
}
