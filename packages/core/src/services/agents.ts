import { Context, Effect, Layer } from 'effect'
import type { z } from 'zod'
import { type Agent, AgentInput } from '../domain/agent.js'
import { type NotFound, notFound, type ValidationFailed } from '../domain/errors.js'
import { AgentId, newId, type TenantId } from '../domain/ids.js'
import type { Page } from '../plugins/storage.js'
import { EventLog, type WriteError } from './event-log.js'
import { attempt, now, PageInput, parse, Storage, type StoreError, scopedStore } from './runtime.js'

/**
 * The agents of a tenant: who owns contacts, takes cases and calls. (Their
 * sessions, states and skills routing come with the campaign runtime.)
 */
export class Agents extends Context.Service<
  Agents,
  {
    create(
      tenant: TenantId,
      input: z.input<typeof AgentInput>,
    ): Effect.Effect<Agent, ValidationFailed | WriteError>
    get(tenant: TenantId, id: AgentId): Effect.Effect<Agent, NotFound | ValidationFailed | StoreError>
    list(
      tenant: TenantId,
      page?: { limit?: number; after?: string },
    ): Effect.Effect<Agent[], ValidationFailed | StoreError>
  }
>()('@switchboard/core/Agents') {}

export const AgentsLive = Layer.effect(
  Agents,
  Effect.gen(function* () {
    const storage = yield* Storage
    const log = yield* EventLog
    return {
      create: (tenant, input) =>
        Effect.gen(function* () {
          const a = yield* parse('agent', AgentInput, input)
          const at = yield* now
          const agent: Agent = {
            ...a,
            id: newId('AgentId') as AgentId,
            tenantId: tenant,
            state: 'offline',
            createdAt: at,
            updatedAt: at,
          }
          yield* log.write(tenant, 'agents.insert', async (tx, emit) => {
            await tx.agents.insert(agent)
            await emit('agent.created', { tenantId: tenant, agent })
          }) as Effect.Effect<void, WriteError>
          return agent
        }),
      get: (tenant, id) =>
        Effect.gen(function* () {
          const aid = yield* parse('agent', AgentId, id, 'id')
          const a = yield* attempt('agents.get', () => scopedStore(storage, tenant).agents.get(aid))
          return a ?? (yield* Effect.fail(notFound('agent', aid)))
        }),
      list: (tenant, page) =>
        Effect.gen(function* () {
          const p = yield* parse('agent list', PageInput, page, 'page')
          return yield* attempt('agents.list', () =>
            scopedStore(storage, tenant).agents.list((p ?? {}) as Page),
          )
        }),
    }
  }),
)
