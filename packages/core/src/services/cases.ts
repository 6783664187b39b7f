import { Context, Effect, Layer } from 'effect'
import { z } from 'zod'
import { type Case, CaseInput, CaseStatus, EscalateInput, newCase } from '../domain/case.js'
import { type Conflict, conflict, type NotFound, notFound, type ValidationFailed } from '../domain/errors.js'
import { CaseId, ContactId, type TenantId } from '../domain/ids.js'
import { type Emit, EventLog, type WriteError } from './event-log.js'
import { attempt, invalid, now, parse, Storage, type StoreError, scopedStore } from './runtime.js'

export type { EscalateInput } from '../domain/case.js'

/** Which case status may follow which: `closed` is final (reopen a solved case instead). */
export const CASE_TRANSITIONS: Readonly<Record<CaseStatus, ReadonlyArray<CaseStatus>>> = {
  open: ['pending', 'solved', 'closed'],
  pending: ['open', 'solved', 'closed'],
  solved: ['open', 'closed'],
  closed: [],
}

const By = z.string().min(1).max(128).optional()

export class Cases extends Context.Service<
  Cases,
  {
    open(tenant: TenantId, input: CaseInput): Effect.Effect<Case, ValidationFailed | NotFound | WriteError>
    get(tenant: TenantId, id: CaseId): Effect.Effect<Case, NotFound | ValidationFailed | StoreError>
    forContact(
      tenant: TenantId,
      contactId: ContactId,
      openOnly?: boolean,
    ): Effect.Effect<Case[], ValidationFailed | StoreError>
    /** Moves the case to another tier, keeping who, why and when in its history. */
    escalate(
      tenant: TenantId,
      id: CaseId,
      input: EscalateInput,
    ): Effect.Effect<Case, ValidationFailed | NotFound | WriteError>
    setStatus(
      tenant: TenantId,
      id: CaseId,
      status: Case['status'],
      by?: string,
    ): Effect.Effect<Case, NotFound | ValidationFailed | Conflict | StoreError>
  }
>()('@switchboard/core/Cases') {}

export const CasesLive = Layer.effect(
  Cases,
  Effect.gen(function* () {
    const storage = yield* Storage
    const log = yield* EventLog
    const store = (tenant: TenantId) => scopedStore(storage, tenant)
    const get = (tenant: TenantId, id: unknown) =>
      Effect.gen(function* () {
        const cid = yield* parse('case', CaseId, id, 'id')
        const c = yield* attempt('cases.get', () => store(tenant).cases.get(cid))
        return c ?? (yield* Effect.fail(notFound('case', cid)))
      })
    const save = (tenant: TenantId, c: Case, event: (emit: Emit) => Promise<unknown>) =>
      log.write(tenant, 'cases.update', async (tx, emit) => {
        await tx.cases.update(c)
        await event(emit)
      }) as Effect.Effect<void, WriteError>
    return {
      open: (tenant, input) =>
        Effect.gen(function* () {
          const c = yield* parse('case', CaseInput, input)
          const s = store(tenant)
          let contact = yield* attempt('contacts.get', () => s.contacts.get(c.contactId))
          if (contact?.mergedInto) {
            const survivor = contact.mergedInto
            contact = yield* attempt('contacts.get', () => s.contacts.get(survivor))
          }
          if (!contact) return yield* Effect.fail(notFound('contact', c.contactId))
          if (c.assigneeId) {
            const assignee = c.assigneeId
            if (!(yield* attempt('agents.get', () => s.agents.get(assignee)))) {
              return yield* invalid('case', 'assigneeId', assignee, 'no agent with this id in this tenant')
            }
          }
          const at = yield* now
          const created = newCase({ ...c, contactId: contact.id }, tenant, at)
          yield* log.write(tenant, 'cases.insert', async (tx, emit) => {
            await tx.cases.insert(created)
            await emit('case.created', { tenantId: tenant, case: created })
          }) as Effect.Effect<void, WriteError>
          return created
        }),
      get,
      forContact: (tenant, contactId, openOnly) =>
        Effect.gen(function* () {
          const id = yield* parse('case list', ContactId, contactId, 'contactId')
          const only = yield* parse('case list', z.boolean().optional(), openOnly, 'openOnly')
          return yield* attempt('cases.listByContact', () =>
            store(tenant).cases.listByContact(id, { openOnly: only ?? false }),
          )
        }),
      escalate: (tenant, id, input) =>
        Effect.gen(function* () {
          const current = yield* get(tenant, id)
          const e = yield* parse('escalation', EscalateInput, input)
          if (e.toTier === current.tierId) {
            return yield* invalid('escalation', 'toTier', e.toTier, 'the case is already at this tier')
          }
          const at = yield* now
          const next: Case = {
            ...current,
            tierId: e.toTier,
            updatedAt: at,
            history: [
              ...current.history,
              {
                at,
                type: 'escalated',
                ...(current.tierId ? { from: current.tierId } : {}),
                to: e.toTier,
                reason: e.note ? `${e.reason}: ${e.note}` : e.reason,
                ...(e.by ? { by: e.by } : {}),
              },
            ],
          }
          yield* save(tenant, next, (emit) =>
            emit('case.escalated', { tenantId: tenant, case: next, reason: e.reason }),
          )
          return next
        }),
      setStatus: (tenant, id, status, by) =>
        Effect.gen(function* () {
          const current = yield* get(tenant, id)
          const to = yield* parse('case status', CaseStatus, status, 'status')
          const who = yield* parse('case status', By, by, 'by')
          if (to === current.status) return current
          if (!CASE_TRANSITIONS[current.status].includes(to)) {
            return yield* Effect.fail(
              conflict(
                'case',
                `${current.id} is ${current.status} and cannot become ${to} (closed is final)`,
              ),
            )
          }
          const at = yield* now
          const next: Case = {
            ...current,
            status: to,
            updatedAt: at,
            history: [
              ...current.history,
              { at, type: 'status_changed', from: current.status, to, ...(who ? { by: who } : {}) },
            ],
          }
          yield* save(tenant, next, (emit) =>
            emit('case.status_changed', { tenantId: tenant, case: next, from: current.status, to }),
          )
          return next
        }),
    }
  }),
)
