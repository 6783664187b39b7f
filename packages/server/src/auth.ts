import type { AgentId, TenantApi } from '@switchboard/core'
import { createMiddleware } from 'hono/factory'
import { z } from 'zod'
import { forbidden, unauthenticated } from './errors.js'

/** Who is calling, as the host's `authenticate` says: every request is scoped to `tenantId`. */
export interface Principal {
  readonly tenantId: string
  /** The agent this principal acts as; a supervisor may have none. */
  readonly agentId?: AgentId
  readonly roles: ReadonlyArray<'agent' | 'supervisor'>
}

/** The host's word is checked too: a malformed principal is a host bug, never a partial grant. */
const PrincipalShape = z.object({
  tenantId: z.string().min(1).max(128),
  agentId: z.string().min(1).max(128).optional(),
  roles: z.array(z.enum(['agent', 'supervisor'])).min(1),
})

export type Authenticate = (request: Request) => Promise<Principal | null> | Principal | null

/** What every authenticated route sees. */
export interface Env {
  Variables: { principal: Principal; t: TenantApi }
}

export const isSupervisor = (p: Principal) => p.roles.includes('supervisor')

/** Resolves the principal (401 when none) and binds the tenant's API to the request. */
export const authentication = (authenticate: Authenticate, tenant: (id: string) => TenantApi) =>
  createMiddleware<Env>(async (c, next) => {
    const principal = await authenticate(c.req.raw)
    if (principal == null) throw unauthenticated()
    const checked = PrincipalShape.safeParse(principal)
    if (!checked.success) throw new Error('authenticate returned a malformed principal')
    c.set('principal', principal)
    c.set('t', tenant(principal.tenantId))
    await next()
  })

/** Supervisor-only routes. */
export const supervisorOnly = createMiddleware<Env>(async (c, next) => {
  if (!isSupervisor(c.get('principal'))) throw forbidden('this needs the supervisor role')
  await next()
})

/** The agent the principal acts as (403 for a principal that is no agent). */
export function ownAgent(p: Principal): AgentId {
  if (!p.agentId) throw forbidden('this principal acts as no agent')
  return p.agentId
}

/**
 * Whether the principal may act on `agentId`'s call or session: their own,
 * or any agent of their tenant for a supervisor.
 */
export function mayActFor(p: Principal, agentId: string | undefined): boolean {
  return isSupervisor(p) || (agentId !== undefined && agentId === p.agentId)
}
