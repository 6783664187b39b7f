import { Context, Effect, Layer } from 'effect'
import { z } from 'zod'
import { Timestamp } from '../domain/common.js'
import type { Contact } from '../domain/contact.js'
import {
  type Conflict,
  conflict,
  type NotFound,
  notFound,
  type ValidationFailed,
  validationFailed,
} from '../domain/errors.js'
import { CampaignId, ContactId, newId, SegmentId, type TenantId } from '../domain/ids.js'
import {
  describeCondition,
  type ExplainedNode,
  isPluginField,
  type Segment,
  type SegmentChanges,
  type SegmentCondition,
  type SegmentExplanation,
  SegmentFilter,
  SegmentInput,
  SegmentPatch,
  type SegmentSnapshot,
  segmentConditions,
} from '../domain/segment.js'
import type { Page, SegmentScope } from '../plugins/storage.js'
import { segmentScope } from '../rules/engine.js'
import { Settings } from './config.js'
import {
  attempt,
  attemptAny,
  now,
  PageInput,
  parse,
  Storage,
  type StoreError,
  scopedStore,
} from './runtime.js'

/** A saved segment's id, or a filter given in place. */
export type SegmentRef = SegmentId | SegmentFilter

const Ref = z.union([SegmentId, SegmentFilter], {
  error: 'must be a segment id or a filter ({ field, op, ... } or { and | or | not })',
})
const At = z.strictObject({ at: Timestamp.optional() }).optional()
const PreviewInput = z
  .strictObject({
    limit: z.number().int().min(1).max(1000).optional(),
    after: ContactId.optional(),
    at: Timestamp.optional(),
  })
  .optional()
const IdsInput = z
  .strictObject({
    limit: z.number().int().min(1).max(10_000).optional(),
    after: ContactId.optional(),
    at: Timestamp.optional(),
  })
  .optional()
const ChangesInput = z.strictObject({ from: Timestamp, to: Timestamp })
const EnqueueInput = z
  .strictObject({
    priority: z.number().int().min(-1_000_000).max(1_000_000).optional(),
    notBefore: Timestamp.optional(),
    at: Timestamp.optional(),
    /** The list's name in reports (default: the saved segment's id). */
    listId: z.string().min(1).max(128).optional(),
  })
  .optional()

type E = ValidationFailed | NotFound | StoreError

/**
 * Segments: who the CRM means by "customers in Spain with an open balance
 * over 100 euros and no call in 30 days". A segment is the language's filter,
 * saved with a name; every question about it runs in the database.
 *
 * @example
 * ```ts
 * const quiet = await acme.segments.create({
 *   name: 'Debtors not called this month',
 *   filter: {
 *     and: [
 *       { field: 'openBalance', op: 'gt', value: 100_00 },
 *       { field: 'country', op: 'eq', value: 'ES' },
 *       { not: { field: 'interactions.count', op: 'gt', value: 0, channel: 'voice', withinDays: 30 } },
 *     ],
 *   },
 * })
 * console.log(await acme.segments.count(quiet.id))
 * const why = await acme.segments.explain(contact.id, quiet.id)
 * console.log(why.matched, why.tree)
 * ```
 */
export class Segments extends Context.Service<
  Segments,
  {
    create(tenant: TenantId, input: SegmentInput): Effect.Effect<Segment, E>
    get(tenant: TenantId, id: SegmentId): Effect.Effect<Segment, E>
    list(tenant: TenantId, page?: Page): Effect.Effect<Segment[], E>
    update(tenant: TenantId, id: SegmentId, patch: SegmentPatch): Effect.Effect<Segment, E>
    remove(tenant: TenantId, id: SegmentId): Effect.Effect<boolean, E>
    /** How many live contacts are in it (at `at`, default now). */
    count(tenant: TenantId, segment: SegmentRef, options?: { readonly at?: Date }): Effect.Effect<number, E>
    /** The first `limit` members (default 50) by id, or the next ones `after` a contact id. */
    preview(
      tenant: TenantId,
      segment: SegmentRef,
      options?: { readonly limit?: number; readonly after?: ContactId; readonly at?: Date },
    ): Effect.Effect<Contact[], E>
    /** A page of member ids, by id, after a cursor (see `members` for all of them). */
    ids(
      tenant: TenantId,
      segment: SegmentRef,
      options?: { readonly limit?: number; readonly after?: ContactId; readonly at?: Date },
    ): Effect.Effect<ContactId[], E>
    /** Which clauses the contact meets and which it fails. */
    explain(
      tenant: TenantId,
      contactId: ContactId,
      segment: SegmentRef,
      options?: { readonly at?: Date },
    ): Effect.Effect<SegmentExplanation, E>
    /** Evaluates a saved segment and records who entered and left since the last snapshot. */
    snapshot(
      tenant: TenantId,
      id: SegmentId,
      options?: { readonly at?: Date },
    ): Effect.Effect<SegmentSnapshot, E>
    snapshots(tenant: TenantId, id: SegmentId): Effect.Effect<SegmentSnapshot[], E>
    /** Who entered and left between two times (as recorded by snapshots). */
    changes(
      tenant: TenantId,
      id: SegmentId,
      window: { readonly from: Date; readonly to: Date },
    ): Effect.Effect<SegmentChanges, E>
    /** Fills a campaign's list from the segment, in the database; returns how many leads were added. */
    enqueue(
      tenant: TenantId,
      campaignId: CampaignId,
      segment: SegmentRef,
      options?: {
        readonly priority?: number
        readonly notBefore?: Date
        readonly at?: Date
        readonly listId?: string
      },
    ): Effect.Effect<number, E | Conflict>
  }
>()('@switchboard/core/Segments') {}

export const SegmentsLive = Layer.effect(
  Segments,
  Effect.gen(function* () {
    const storage = yield* Storage
    const settings = yield* Settings
    const store = (tenant: TenantId) => scopedStore(storage, tenant)

    /** Plugin fields must be declared by a plugin of this instance. */
    const checkFields = (filter: SegmentFilter, field: string) => {
      const issues = segmentConditions(filter)
        .filter((c) => isPluginField(c.field) && !settings.segmentFields.has(c.field))
        .map((c) => ({
          field,
          value: c.field,
          message: `no plugin of this instance declares the segment field ${c.field} (declared: ${[...settings.segmentFields.keys()].join(', ') || 'none'})`,
        }))
      return issues.length ? Effect.fail(validationFailed('segment', issues)) : Effect.void
    }
    const get = (tenant: TenantId, id: unknown) =>
      Effect.gen(function* () {
        const sid = yield* parse('segment', SegmentId, id, 'id')
        const s = yield* attempt('segments.get', () => store(tenant).segments.get(sid))
        return s ?? (yield* Effect.fail(notFound('segment', sid)))
      })
    const resolve = (tenant: TenantId, ref: unknown) =>
      Effect.gen(function* () {
        const r = yield* parse('segment', Ref, ref, 'segment')
        if (typeof r === 'string') return (yield* get(tenant, r)).filter
        yield* checkFields(r, 'segment')
        return r
      })
    const scopeAt = (at: Date | undefined) =>
      Effect.map(now, (n): SegmentScope => segmentScope(settings, at ?? n))

    return {
      create: (tenant, input) =>
        Effect.gen(function* () {
          const s = yield* parse('segment', SegmentInput, input)
          yield* checkFields(s.filter, 'filter')
          const at = yield* now
          const segment: Segment = {
            ...s,
            id: newId('SegmentId') as SegmentId,
            tenantId: tenant,
            createdAt: at,
            updatedAt: at,
          }
          if (
            segment.ownerId &&
            !(yield* attempt('agents.get', () => store(tenant).agents.get(segment.ownerId!)))
          )
            return yield* Effect.fail(
              validationFailed('segment', [
                { field: 'ownerId', value: segment.ownerId, message: 'no agent with this id in this tenant' },
              ]),
            )
          yield* attempt('segments.insert', () => store(tenant).segments.insert(segment))
          return segment
        }),
      get,
      list: (tenant, page) =>
        Effect.gen(function* () {
          const p = yield* parse('segment list', PageInput, page, 'page')
          return yield* attempt('segments.list', () => store(tenant).segments.list((p ?? {}) as Page))
        }),
      update: (tenant, id, patch) =>
        Effect.gen(function* () {
          const current = yield* get(tenant, id)
          const p = yield* parse('segment', SegmentPatch, patch)
          if (p.filter) yield* checkFields(p.filter, 'filter')
          const next: Segment = { ...current, ...p, updatedAt: yield* now } as Segment
          yield* attempt('segments.update', () => store(tenant).segments.update(next))
          return next
        }),
      remove: (tenant, id) =>
        Effect.gen(function* () {
          const sid = yield* parse('segment', SegmentId, id, 'id')
          return yield* attempt('segments.delete', () => store(tenant).segments.delete(sid))
        }),
      count: (tenant, segment, options) =>
        Effect.gen(function* () {
          const filter = yield* resolve(tenant, segment)
          const o = yield* parse('segment count', At, options, 'options')
          const scope = yield* scopeAt(o?.at)
          return yield* attemptAny('segments.count', () =>
            store(tenant).segments.count(filter, scope),
          ) as Effect.Effect<number, E>
        }),
      preview: (tenant, segment, options) =>
        Effect.gen(function* () {
          const filter = yield* resolve(tenant, segment)
          const o = yield* parse('segment preview', PreviewInput, options, 'options')
          const scope = yield* scopeAt(o?.at)
          return yield* attemptAny('segments.page', () =>
            store(tenant).segments.page(filter, scope, {
              limit: o?.limit ?? 50,
              ...(o?.after ? { after: o.after } : {}),
            }),
          ) as Effect.Effect<Contact[], E>
        }),
      ids: (tenant, segment, options) =>
        Effect.gen(function* () {
          const filter = yield* resolve(tenant, segment)
          const o = yield* parse('segment members', IdsInput, options, 'options')
          const scope = yield* scopeAt(o?.at)
          return yield* attemptAny('segments.ids', () =>
            store(tenant).segments.ids(filter, scope, {
              limit: o?.limit ?? 1000,
              ...(o?.after ? { after: o.after } : {}),
            }),
          ) as Effect.Effect<ContactId[], E>
        }),
      explain: (tenant, contactId, segment, options) =>
        Effect.gen(function* () {
          const id = yield* parse('segment explanation', ContactId, contactId, 'contactId')
          const filter = yield* resolve(tenant, segment)
          const o = yield* parse('segment explanation', At, options, 'options')
          const scope = yield* scopeAt(o?.at)
          const s = store(tenant)
          const contact = yield* attempt('contacts.get', () => s.contacts.get(id))
          if (!contact) return yield* Effect.fail(notFound('contact', id))
          const hits = yield* attemptAny('segments.explain', () =>
            s.segments.explain(filter, scope, id),
          ) as Effect.Effect<boolean[] | undefined, E>
          if (!hits) return yield* Effect.fail(notFound('contact', id))
          const tree = explainTree(filter, hits)
          // A merged contact is never a member, whatever its fields say.
          return { contactId: id, matched: tree.matched && !contact.mergedInto, tree }
        }),
      snapshot: (tenant, id, options) =>
        Effect.gen(function* () {
          const segment = yield* get(tenant, id)
          const o = yield* parse('segment snapshot', At, options, 'options')
          const scope = yield* scopeAt(o?.at)
          return yield* attemptAny('segments.snapshot', () =>
            store(tenant).segments.snapshot(segment, scope),
          ) as Effect.Effect<SegmentSnapshot, E>
        }),
      snapshots: (tenant, id) =>
        Effect.gen(function* () {
          const segment = yield* get(tenant, id)
          return yield* attempt('segments.snapshots', () => store(tenant).segments.snapshots(segment.id))
        }),
      changes: (tenant, id, window) =>
        Effect.gen(function* () {
          const segment = yield* get(tenant, id)
          const w = yield* parse('segment changes', ChangesInput, window, 'window')
          if (w.to < w.from)
            return yield* Effect.fail(
              validationFailed('segment changes', [
                { field: 'window.to', value: w.to, message: 'must not be before from' },
              ]),
            )
          return yield* attempt('segments.changes', () =>
            store(tenant).segments.changes(segment.id, w.from, w.to),
          )
        }),
      enqueue: (tenant, campaignId, segment, options) =>
        Effect.gen(function* () {
          const cid = yield* parse('dialing list', CampaignId, campaignId, 'campaignId')
          const campaign = yield* attempt('campaigns.get', () => store(tenant).campaigns.get(cid))
          if (!campaign) return yield* Effect.fail(notFound('campaign', cid))
          if (!['draft', 'active', 'paused'].includes(campaign.status))
            return yield* Effect.fail(
              conflict('campaign', `${campaign.id} is ${campaign.status}: cannot add leads`),
            )
          const filter = yield* resolve(tenant, segment)
          const o = yield* parse('dialing list', EnqueueInput, options, 'options')
          const at = yield* now
          const scope = segmentScope(settings, o?.at ?? at)
          return yield* attemptAny('segments.enqueue', () =>
            store(tenant).segments.enqueue(filter, scope, cid, {
              priority: o?.priority ?? 0,
              now: at,
              ...(o?.notBefore ? { notBefore: o.notBefore } : {}),
              ...(o?.listId || typeof segment === 'string'
                ? { listId: o?.listId ?? (segment as string) }
                : {}),
            }),
          ) as Effect.Effect<number, E>
        }),
    }
  }),
)

/** The filter as a tree of matched / failed nodes, from each condition's result (depth-first order). */
export function explainTree(filter: SegmentFilter, hits: ReadonlyArray<boolean>): ExplainedNode {
  let i = 0
  const walk = (f: SegmentFilter): ExplainedNode => {
    if ('and' in f) {
      const children = f.and.map(walk)
      return { kind: 'and', matched: children.every((c) => c.matched), children }
    }
    if ('or' in f) {
      const children = f.or.map(walk)
      return { kind: 'or', matched: children.some((c) => c.matched), children }
    }
    if ('not' in f) {
      const child = walk(f.not)
      return { kind: 'not', matched: !child.matched, child }
    }
    const condition = f as SegmentCondition
    return { kind: 'condition', condition, matched: hits[i++] === true, text: describeCondition(condition) }
  }
  return walk(filter)
}
