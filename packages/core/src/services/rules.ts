import { Context, Effect, Layer } from 'effect'
import { z } from 'zod'
import {
  type FieldIssue,
  type NotFound,
  notFound,
  type ValidationFailed,
  validationFailed,
} from '../domain/errors.js'
import { ContactId, newId, RuleId, type TenantId } from '../domain/ids.js'
import { Rule, type RuleFiring, RuleInput } from '../domain/rule.js'
import { isPluginField, segmentConditions } from '../domain/segment.js'
import type { Page } from '../plugins/storage.js'
import { Settings } from './config.js'
import { CORE_EVENTS } from './event-log.js'
import { attempt, now, PageInput, parse, Storage, type StoreError, scopedStore } from './runtime.js'

type E = ValidationFailed | NotFound | StoreError

const RulePatch = RuleInput.partial()
const FiringQuery = z
  .strictObject({
    contactId: ContactId.optional(),
    ruleId: RuleId.optional(),
    limit: z.number().int().min(1).max(1000).optional(),
  })
  .optional()

/**
 * Event rules: when an event happens (a payment, an opt-out, a new case) and
 * the rule's conditions hold, its actions run, in the event's own
 * transaction (host handlers through the outbox). Every firing is recorded:
 * `firings({ contactId })` answers "why was this contact suppressed?".
 *
 * @example
 * ```ts
 * await acme.rules.create({
 *   name: 'opted out: off the lists, and a case to confirm it',
 *   on: 'consent.changed',
 *   when: { payload: [{ path: 'record.status', op: 'eq', value: 'opted_out' }] },
 *   actions: [
 *     { type: 'suppress', reason: 'opted out' },
 *     { type: 'openCase', subject: 'Confirm the opt-out in writing' },
 *   ],
 * })
 * const [firing] = await acme.rules.firings({ contactId: contact.id })
 * console.log(firing?.ruleName, firing?.actions)
 * ```
 */
export class Rules extends Context.Service<
  Rules,
  {
    create(tenant: TenantId, input: RuleInput): Effect.Effect<Rule, E>
    get(tenant: TenantId, id: RuleId): Effect.Effect<Rule, E>
    list(tenant: TenantId, page?: Page): Effect.Effect<Rule[], E>
    update(tenant: TenantId, id: RuleId, patch: Partial<RuleInput>): Effect.Effect<Rule, E>
    remove(tenant: TenantId, id: RuleId): Effect.Effect<boolean, E>
    /** Recorded firings, newest first: of a contact, of a rule, or all. */
    firings(
      tenant: TenantId,
      query?: { readonly contactId?: ContactId; readonly ruleId?: RuleId; readonly limit?: number },
    ): Effect.Effect<RuleFiring[], E>
  }
>()('@switchboard/core/Rules') {}

export const RulesLive = Layer.effect(
  Rules,
  Effect.gen(function* () {
    const storage = yield* Storage
    const settings = yield* Settings
    const store = (tenant: TenantId) => scopedStore(storage, tenant)

    /** What a rule names must exist: its event type, plugin fields and actions, campaigns, agents. */
    const check = (tenant: TenantId, r: z.output<typeof RuleInput>) =>
      Effect.gen(function* () {
        const issues: FieldIssue[] = []
        if (!CORE_EVENTS.has(r.on) && !settings.eventSchemas.has(r.on))
          issues.push({
            field: 'on',
            value: r.on,
            message: `is neither a core event nor one a plugin declared (plugins declared: ${[...settings.eventSchemas.keys()].join(', ') || 'none'})`,
          })
        for (const c of r.when.contact ? segmentConditions(r.when.contact) : [])
          if (isPluginField(c.field) && !settings.segmentFields.has(c.field))
            issues.push({
              field: 'when.contact',
              value: c.field,
              message: 'no plugin of this instance declares this segment field',
            })
        const s = store(tenant)
        for (const [i, a] of r.actions.entries()) {
          const at = `actions[${i}]`
          const plugin = settings.ruleActions.get(a.type)
          if (plugin) {
            const p = plugin.params.safeParse((a as { params?: unknown }).params)
            if (!p.success)
              issues.push({
                field: `${at}.params`,
                value: (a as { params?: unknown }).params,
                message: p.error.issues[0]?.message ?? 'invalid',
              })
            continue
          }
          if ('params' in a) {
            issues.push({
              field: `${at}.type`,
              value: a.type,
              message: 'no plugin of this instance supplies this action',
            })
            continue
          }
          const campaignId = (a as { campaignId?: string }).campaignId
          if (campaignId && !(yield* attempt('campaigns.get', () => s.campaigns.get(campaignId as never))))
            issues.push({
              field: `${at}.campaignId`,
              value: campaignId,
              message: 'no campaign with this id in this tenant',
            })
          if (a.type === 'setField' && a.field === 'ownerId' && a.value) {
            const owner = a.value
            if (!(yield* attempt('agents.get', () => s.agents.get(owner))))
              issues.push({
                field: `${at}.value`,
                value: owner,
                message: 'no agent with this id in this tenant',
              })
          }
        }
        if (issues.length) return yield* Effect.fail(validationFailed('rule', issues))
      })

    const get = (tenant: TenantId, id: unknown) =>
      Effect.gen(function* () {
        const rid = yield* parse('rule', RuleId, id, 'id')
        const r = yield* attempt('rules.get', () => store(tenant).rules.get(rid))
        return r ?? (yield* Effect.fail(notFound('rule', rid)))
      })

    return {
      create: (tenant, input) =>
        Effect.gen(function* () {
          const r = yield* parse('rule', RuleInput, input)
          yield* check(tenant, r)
          const at = yield* now
          const rule = yield* parse('rule', Rule, {
            ...r,
            id: newId('RuleId'),
            tenantId: tenant,
            createdAt: at,
            updatedAt: at,
          })
          yield* attempt('rules.insert', () => store(tenant).rules.insert(rule))
          return rule
        }),
      get,
      list: (tenant, page) =>
        Effect.gen(function* () {
          const p = yield* parse('rule list', PageInput, page, 'page')
          return yield* attempt('rules.list', () => store(tenant).rules.list((p ?? {}) as Page))
        }),
      update: (tenant, id, patch) =>
        Effect.gen(function* () {
          const current = yield* get(tenant, id)
          const p = yield* parse('rule', RulePatch, patch)
          const merged = { ...current, ...p }
          yield* check(tenant, merged as z.output<typeof RuleInput>)
          const next = yield* parse('rule', Rule, { ...merged, updatedAt: yield* now })
          yield* attempt('rules.update', () => store(tenant).rules.update(next))
          return next
        }),
      remove: (tenant, id) =>
        Effect.gen(function* () {
          const rid = yield* parse('rule', RuleId, id, 'id')
          return yield* attempt('rules.delete', () => store(tenant).rules.delete(rid))
        }),
      firings: (tenant, query) =>
        Effect.gen(function* () {
          const q = yield* parse('rule firings', FiringQuery, query, 'query')
          return yield* attempt('firings.list', () =>
            store(tenant).firings.list({
              ...(q?.contactId ? { contactId: q.contactId } : {}),
              ...(q?.ruleId ? { ruleId: q.ruleId } : {}),
              ...(q?.limit ? { limit: q.limit } : {}),
            }),
          )
        }),
    }
  }),
)
