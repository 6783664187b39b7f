import { Context, Effect, Layer } from 'effect'
import { z } from 'zod'
import { type Conflict, conflict, type NotFound, notFound, type ValidationFailed } from '../domain/errors.js'
import { AgentId, CaseId, ContactId, type TenantId } from '../domain/ids.js'
import { LOCK_TTL_SEC, LockInput, LockKind, type LockResult, type SoftLock } from '../domain/lock.js'
import { EventLog, type WriteError } from './event-log.js'
import { attempt, now, parse, Storage, type StoreError, scopedStore } from './runtime.js'

const Target = z.strictObject({ kind: LockKind, id: z.string().min(1).max(128), agentId: AgentId })
const RenewInput = Target.extend({
  ttlSec: z.number().int().min(1).max(LOCK_TTL_SEC.max).default(LOCK_TTL_SEC.default),
})
export type LockTarget = z.input<typeof Target>
export type RenewInput = z.input<typeof RenewInput>

const result = (lock: SoftLock, agentId: string): LockResult =>
  lock.agentId === agentId
    ? { acquired: true, ...lock }
    : { acquired: false, heldBy: lock.agentId, since: lock.since, expiresAt: lock.expiresAt }

/**
 * Collision avoidance: an agent about to work a contact or a case takes a
 * soft lock on it, and another agent opening it sees who has it and since
 * when. Locks expire by the instance's clock (renew them while working).
 */
export class Locks extends Context.Service<
  Locks,
  {
    /**
     * Takes the lock for `ttlSec` (default 300) when it is free, expired or
     * already this agent's (a renewal: `since` stays). Otherwise says who
     * holds it, since when and until when. Of two agents racing for a free
     * lock, exactly one gets it. `lock.acquired` is emitted when it changes hands.
     *
     * @example
     * ```ts
     * import type { AgentId, CaseId } from '@switchboard/core'
     * declare const kase: { id: CaseId }
     * declare const ana: { id: AgentId }
     * declare const bob: { id: AgentId }
     * const mine = await acme.locks.acquire({ kind: 'case', id: kase.id, agentId: ana.id, ttlSec: 120 })
     * const theirs = await acme.locks.acquire({ kind: 'case', id: kase.id, agentId: bob.id })
     * if (!theirs.acquired) console.log(`${theirs.heldBy} has it since ${theirs.since.toISOString()}`)
     * ```
     */
    acquire(
      tenant: TenantId,
      input: LockInput,
    ): Effect.Effect<LockResult, ValidationFailed | NotFound | WriteError>
    /** Extends the agent's lock by `ttlSec` from now; a `Conflict` when the agent no longer holds it. */
    renew(
      tenant: TenantId,
      input: RenewInput,
    ): Effect.Effect<SoftLock, ValidationFailed | Conflict | StoreError>
    /** Gives the agent's lock up (`lock.released`); false when the agent held none. */
    release(tenant: TenantId, input: LockTarget): Effect.Effect<boolean, ValidationFailed | WriteError>
    /** Who holds a lock on the contact or case now (at most one). */
    holders(
      tenant: TenantId,
      kind: LockKind,
      id: string,
    ): Effect.Effect<SoftLock[], ValidationFailed | StoreError>
  }
>()('@switchboard/core/Locks') {}

export const LocksLive = Layer.effect(
  Locks,
  Effect.gen(function* () {
    const storage = yield* Storage
    const log = yield* EventLog
    const store = (tenant: TenantId) => scopedStore(storage, tenant)
    /** The contact or case and the agent must be this tenant's. */
    const checkTarget = (tenant: TenantId, kind: LockKind, id: string, agentId: AgentId) =>
      Effect.gen(function* () {
        const s = store(tenant)
        const [target, agent] = yield* Effect.all([
          kind === 'contact'
            ? Effect.flatMap(parse('lock', ContactId, id, 'id'), (cid) =>
                attempt('contacts.get', () => s.contacts.get(cid)),
              )
            : Effect.flatMap(parse('lock', CaseId, id, 'id'), (cid) =>
                attempt('cases.get', () => s.cases.get(cid)),
              ),
          attempt('agents.get', () => s.agents.get(agentId)),
        ])
        if (!target) return yield* Effect.fail(notFound(kind, id))
        if (!agent) return yield* Effect.fail(notFound('agent', agentId))
      })
    return {
      acquire: (tenant, input) =>
        Effect.gen(function* () {
          const o = yield* parse('lock', LockInput, input)
          yield* checkTarget(tenant, o.kind, o.id, o.agentId)
          const at = yield* now
          const wanted: SoftLock = {
            tenantId: tenant,
            kind: o.kind,
            id: o.id,
            agentId: o.agentId,
            since: at,
            expiresAt: new Date(at.getTime() + o.ttlSec * 1000),
          }
          const held = yield* log.write(tenant, 'locks.acquire', async (tx, emit) => {
            const lock = await tx.locks.acquire(wanted, at)
            // A renewal by the holder keeps `since`: only a lock changing hands is news.
            if (lock.agentId === o.agentId && lock.since.getTime() === at.getTime())
              await emit('lock.acquired', { tenantId: tenant, lock })
            return lock
          }) as Effect.Effect<SoftLock, WriteError>
          return result(held, o.agentId)
        }),
      renew: (tenant, input) =>
        Effect.gen(function* () {
          const o = yield* parse('lock', RenewInput, input)
          const at = yield* now
          const lock = yield* attempt('locks.renew', () =>
            store(tenant).locks.renew(o.kind, o.id, {
              agentId: o.agentId,
              now: at,
              expiresAt: new Date(at.getTime() + o.ttlSec * 1000),
            }),
          )
          if (lock) return lock
          const [holder] = yield* attempt('locks.holders', () =>
            store(tenant).locks.holders(o.kind, o.id, at),
          )
          return yield* Effect.fail(
            conflict(
              'lock',
              holder
                ? `${o.kind} ${o.id} is held by ${holder.agentId} since ${holder.since.toISOString()}; ${o.agentId} no longer holds it`
                : `${o.agentId} does not hold a lock on ${o.kind} ${o.id} (it expired or was released); acquire it again`,
            ),
          )
        }),
      release: (tenant, input) =>
        Effect.gen(function* () {
          const o = yield* parse('lock', Target, input)
          return yield* log.write(tenant, 'locks.release', async (tx, emit) => {
            const lock = await tx.locks.release(o.kind, o.id, o.agentId)
            if (lock) await emit('lock.released', { tenantId: tenant, lock })
            return lock !== undefined
          }) as Effect.Effect<boolean, WriteError>
        }),
      holders: (tenant, kind, id) =>
        Effect.gen(function* () {
          const k = yield* parse('lock', LockKind, kind, 'kind')
          const i = yield* parse('lock', z.string().min(1).max(128), id, 'id')
          const at = yield* now
          return yield* attempt('locks.holders', () => store(tenant).locks.holders(k, i, at))
        }),
    }
  }),
)
