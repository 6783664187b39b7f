import { Context, Effect, Layer } from 'effect'
import { Case, type CaseInput } from '../domain/case.js'
import type { CaseId, ContactId, EscalationTierId, TenantId } from '../domain/ids.js'
import { newId } from '../domain/ids.js'
import { issuesFromZod, type NotFound, notFound, type ValidationFailed, validationFailed } from '../errors.js'
import { attempt, Events, Storage, type StoreError, scopedStore } from './runtime.js'

export interface EscalateInput {
  readonly toTier: EscalationTierId
  readonly reason: 'manual' | 'sla_breach' | 'vip' | 'unknown_fault'
  /** Why, in the agent's words (required for a manual escalation). */
  readonly note?: string
  readonly by?: string
}

export class Cases extends Context.Service<
  Cases,
  {
    open(tenant: TenantId, input: CaseInput): Effect.Effect<Case, ValidationFailed | NotFound | StoreError>
    get(tenant: TenantId, id: CaseId): Effect.Effect<Case, NotFound | StoreError>
    forContact(tenant: TenantId, contactId: ContactId, openOnly?: boolean): Effect.Effect<Case[], StoreError>
    escalate(
      tenant: TenantId,
      id: CaseId,
      input: EscalateInput,
    ): Effect.Effect<Case, ValidationFailed | NotFound | StoreError>
    setStatus(
      tenant: TenantId,
      id: CaseId,
      status: Case['status'],
      by?: string,
    ): Effect.Effect<Case, NotFound | StoreError>
  }
>()('@switchboard/core/Cases') {}

export const CasesLive = Layer.effect(
  Cases,
  Effect.gen(function* () {
    const storage = yield* Storage
    const events = yield* Events
    const get = (tenant: TenantId, id: CaseId) =>
      Effect.flatMap(
        attempt('cases.get', () => scopedStore(storage, tenant).cases.get(id)),
        (c) => (c ? Effect.succeed(c) : Effect.fail(notFound('case', id))),
      )
    const save = (tenant: TenantId, c: Case) =>
      attempt('cases.update', () => scopedStore(storage, tenant).cases.update(c))
    return {
      open: (tenant, input) =>
        Effect.gen(function* () {
          const now = new Date()
          const candidate = {
            priority: 'normal',
            skills: [],
            ...input,
            id: newId('CaseId'),
            tenantId: tenant,
            status: 'open',
            sla: {},
            history: [{ at: now, type: 'created' }],
            createdAt: now,
            updatedAt: now,
          }
          const parsed = Case.safeParse(candidate)
          if (!parsed.success)
            return yield* Effect.fail(validationFailed('case', issuesFromZod(candidate, parsed.error.issues)))
          const s = scopedStore(storage, tenant)
          if (!(yield* attempt('contacts.get', () => s.contacts.get(parsed.data.contactId)))) {
            return yield* Effect.fail(notFound('contact', parsed.data.contactId))
          }
          yield* attempt('cases.insert', () => s.cases.insert(parsed.data))
          events.emit('case.created', { tenantId: tenant, case: parsed.data })
          return parsed.data
        }),
      get,
      forContact: (tenant, contactId, openOnly = false) =>
        attempt('cases.listByContact', () =>
          scopedStore(storage, tenant).cases.listByContact(contactId, { openOnly }),
        ),
      escalate: (tenant, id, input) =>
        Effect.gen(function* () {
          if (input.reason === 'manual' && !input.note?.trim()) {
            return yield* Effect.fail(
              validationFailed('escalation', [
                { field: 'note', value: input.note ?? null, message: 'a manual escalation needs a reason' },
              ]),
            )
          }
          const current = yield* get(tenant, id)
          const now = new Date()
          const next: Case = {
            ...current,
            tierId: input.toTier,
            updatedAt: now,
            history: [
              ...current.history,
              {
                at: now,
                type: 'escalated',
                ...(current.tierId ? { from: current.tierId } : {}),
                to: input.toTier,
                reason: input.note ? `${input.reason}: ${input.note}` : input.reason,
                ...(input.by ? { by: input.by } : {}),
              },
            ],
          }
          yield* save(tenant, next)
          events.emit('case.escalated', { tenantId: tenant, case: next, reason: input.reason })
          return next
        }),
      setStatus: (tenant, id, status, by) =>
        Effect.gen(function* () {
          const current = yield* get(tenant, id)
          const now = new Date()
          const next: Case = {
            ...current,
            status,
            updatedAt: now,
            history: [
              ...current.history,
              { at: now, type: 'status_changed', from: current.status, to: status, ...(by ? { by } : {}) },
            ],
          }
          yield* save(tenant, next)
          return next
        }),
    }
  }),
)
