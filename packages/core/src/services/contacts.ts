import { Context, Effect, Layer } from 'effect'
import type { Case } from '../domain/case.js'
import type { Contact, ContactInput, ContactPatch } from '../domain/contact.js'
import type { ContactId, TenantId } from '../domain/ids.js'
import type { Interaction } from '../domain/interaction.js'
import {
  type Conflict,
  conflict,
  type NotFound,
  notFound,
  storageFailure,
  ValidationFailed,
  validationFailed,
} from '../errors.js'
import { type ImportOptions, type ImportResult, importContacts } from '../import/contacts.js'
import type { ContactFilter } from '../plugins/storage.js'
import { matchKey, prepareContact } from '../quality/contact.js'
import { type DuplicateScore, POSSIBLE_THRESHOLD, scoreDuplicate } from '../quality/dedupe.js'
import { mergeContacts, type SurvivorshipRules } from '../quality/merge.js'
import { normalizePhone } from '../quality/phone.js'
import { attempt, Events, Storage, type StoreError, scopedStore, TRANSIENT } from './runtime.js'

/** What the agent's screen shows when a call reaches them. */
export type ScreenPop =
  | {
      readonly status: 'identified'
      readonly contact: Contact
      readonly timeline: Interaction[]
      readonly openCases: Case[]
    }
  /** Several contacts share the number (a household, a switchboard): verify who is calling. */
  | { readonly status: 'ambiguous'; readonly candidates: Contact[]; readonly verify: readonly string[] }
  | { readonly status: 'unknown'; readonly number: string; readonly verify: readonly string[] }
  | { readonly status: 'withheld'; readonly verify: readonly string[] }

export interface DuplicateCandidate {
  readonly contact: Contact
  readonly score: DuplicateScore
}

type E = StoreError

export class Contacts extends Context.Service<
  Contacts,
  {
    create(tenant: TenantId, input: ContactInput): Effect.Effect<Contact, ValidationFailed | E>
    get(tenant: TenantId, id: ContactId): Effect.Effect<Contact, NotFound | E>
    update(
      tenant: TenantId,
      id: ContactId,
      patch: ContactPatch,
    ): Effect.Effect<Contact, NotFound | ValidationFailed | Conflict | E>
    list(tenant: TenantId, filter?: ContactFilter): Effect.Effect<Contact[], E>
    count(tenant: TenantId): Effect.Effect<number, E>
    /** Live contacts having this number, however it is written. */
    findByPhone(tenant: TenantId, number: string, defaultCountry?: string): Effect.Effect<Contact[], E>
    /** The screen pop for a call from `number` (undefined or "anonymous": withheld). */
    screenPop(
      tenant: TenantId,
      number: string | undefined,
      defaultCountry?: string,
    ): Effect.Effect<ScreenPop, E>
    timeline(tenant: TenantId, id: ContactId, limit?: number): Effect.Effect<Interaction[], E>
    duplicatesOf(tenant: TenantId, id: ContactId): Effect.Effect<DuplicateCandidate[], NotFound | E>
    merge(
      tenant: TenantId,
      survivorId: ContactId,
      mergedIds: ReadonlyArray<ContactId>,
      rules?: SurvivorshipRules,
    ): Effect.Effect<Contact, NotFound | Conflict | E>
    importCsv(
      tenant: TenantId,
      source: AsyncIterable<string | Uint8Array>,
      options: ImportOptions,
    ): Effect.Effect<ImportResult, ValidationFailed | E>
  }
>()('@switchboard/core/Contacts') {}

const VERIFY = ['full name', 'postal code', 'account number'] as const

export const ContactsLive = Layer.effect(
  Contacts,
  Effect.gen(function* () {
    const storage = yield* Storage
    const events = yield* Events
    const store = (tenant: TenantId) => scopedStore(storage, tenant)

    const get = (tenant: TenantId, id: ContactId) =>
      Effect.flatMap(
        attempt('contacts.get', () => store(tenant).contacts.get(id)),
        (c) => (c ? Effect.succeed(c) : Effect.fail(notFound('contact', id))),
      )

    const findByPhone = (tenant: TenantId, number: string, defaultCountry?: string) => {
      const check = normalizePhone(number, defaultCountry)
      if (!check.ok) return Effect.succeed([] as Contact[])
      return attempt('contacts.findByPhones', () => store(tenant).contacts.findByPhones([check.e164]))
    }

    return {
      create: (tenant, input) =>
        Effect.gen(function* () {
          const prepared = prepareContact(input, { tenantId: tenant, now: new Date() })
          if (!prepared.ok) return yield* Effect.fail(validationFailed('contact', prepared.issues))
          yield* attempt('contacts.insert', () => store(tenant).contacts.insert(prepared.contact))
          events.emit('contact.created', { tenantId: tenant, contact: prepared.contact })
          return prepared.contact
        }),
      get,
      update: (tenant, id, patch) =>
        Effect.gen(function* () {
          const current = yield* get(tenant, id)
          if (current.mergedInto) {
            return yield* Effect.fail(
              conflict('contact', `${id} was merged into ${current.mergedInto}; update that one`),
            )
          }
          const base = {
            ...current,
            phones: current.phones.map((p) => ({
              number: p.e164,
              type: p.type,
              primary: p.primary,
              verified: p.verified,
            })),
            emails: current.emails.map((e) => ({ address: e.address, verified: e.verified })),
            ...(current.timeZoneSource === 'given' ? {} : { timeZone: undefined }),
          }
          const prepared = prepareContact(
            { ...stripStored(base), ...patch },
            { tenantId: tenant, now: new Date(), id },
          )
          if (!prepared.ok) return yield* Effect.fail(validationFailed('contact', prepared.issues))
          const next = { ...prepared.contact, createdAt: current.createdAt }
          yield* attempt('contacts.update', () => store(tenant).contacts.update(next))
          events.emit('contact.updated', { tenantId: tenant, contact: next })
          return next
        }),
      list: (tenant, filter) => attempt('contacts.list', () => store(tenant).contacts.list(filter)),
      count: (tenant) => attempt('contacts.count', () => store(tenant).contacts.count()),
      findByPhone,
      screenPop: (tenant, number, defaultCountry) =>
        Effect.gen(function* () {
          if (
            !number ||
            /^(anonymous|unknown|restricted|private)$/i.test(number.replace(/^sip:|@.*$/g, ''))
          ) {
            return { status: 'withheld', verify: VERIFY } as const
          }
          const matches = yield* findByPhone(tenant, number, defaultCountry)
          if (matches.length === 0) return { status: 'unknown', number, verify: VERIFY } as const
          if (matches.length > 1) return { status: 'ambiguous', candidates: matches, verify: VERIFY } as const
          const contact = matches[0]!
          const s = store(tenant)
          const [timeline, openCases] = yield* Effect.all([
            attempt('interactions.listByContact', () =>
              s.interactions.listByContact(contact.id, { limit: 20 }),
            ),
            attempt('cases.listByContact', () => s.cases.listByContact(contact.id, { openOnly: true })),
          ])
          return { status: 'identified', contact, timeline, openCases } as const
        }),
      timeline: (tenant, id, limit = 50) =>
        attempt('interactions.listByContact', () => store(tenant).interactions.listByContact(id, { limit })),
      duplicatesOf: (tenant, id) =>
        Effect.gen(function* () {
          const contact = yield* get(tenant, id)
          const s = store(tenant)
          const found = yield* Effect.all([
            attempt('contacts.findByPhones', () =>
              s.contacts.findByPhones(contact.phones.map((p) => p.e164)),
            ),
            attempt('contacts.findByEmails', () =>
              s.contacts.findByEmails(contact.emails.map((e) => e.address)),
            ),
            attempt('contacts.findByMatchKeys', () => s.contacts.findByMatchKeys([matchKey(contact)])),
          ])
          const pool = new Map(found.flat().map((c) => [c.id, c]))
          pool.delete(contact.id)
          return [...pool.values()]
            .map((c) => ({ contact: c, score: scoreDuplicate(contact, c) }))
            .filter((d) => d.score.score >= POSSIBLE_THRESHOLD)
            .sort((a, b) => b.score.score - a.score.score)
        }),
      merge: (tenant, survivorId, mergedIds, rules) =>
        Effect.gen(function* () {
          if (mergedIds.includes(survivorId)) {
            return yield* Effect.fail(
              conflict('contact', `survivor ${survivorId} is also listed among the contacts to merge`),
            )
          }
          const survivor = yield* get(tenant, survivorId)
          const others: Contact[] = []
          for (const id of mergedIds) {
            const c = yield* get(tenant, id)
            if (c.mergedInto)
              return yield* Effect.fail(conflict('contact', `${id} was already merged into ${c.mergedInto}`))
            others.push(c)
          }
          if (survivor.mergedInto) {
            return yield* Effect.fail(
              conflict(
                'contact',
                `${survivorId} was merged into ${survivor.mergedInto}; merge into that one`,
              ),
            )
          }
          const now = new Date()
          const merged = mergeContacts(survivor, others, rules, now)
          yield* attempt('contacts.merge', () =>
            store(tenant).transaction(async (tx) => {
              await tx.contacts.update(merged)
              for (const o of others) {
                await tx.interactions.reassign(o.id, survivor.id)
                await tx.consent.reassign(o.id, survivor.id)
                await tx.cases.reassign(o.id, survivor.id)
                await tx.contacts.update({ ...o, mergedInto: survivor.id, updatedAt: now })
              }
            }),
          )
          events.emit('contact.merged', { tenantId: tenant, survivor: merged, merged: [...mergedIds] })
          return merged
        }),
      importCsv: (tenant, source, options) =>
        Effect.tryPromise({
          try: () =>
            importContacts(store(tenant), source, {
              batchSize: storage.capabilities.preferredBatchSize,
              ...options,
            }),
          catch: (e) =>
            e instanceof ValidationFailed
              ? e
              : storageFailure('contacts.import', e, TRANSIENT.test(String(e))),
        }).pipe(
          Effect.tap((r) =>
            Effect.sync(() =>
              events.emit('import.completed', {
                tenantId: tenant,
                imported: r.imported,
                rejected: r.rejected.length,
                duplicates: r.duplicates.length,
              }),
            ),
          ),
        ),
    }
  }),
)

/** Drops the stored-only fields before re-validating a contact as input. */
function stripStored(c: Record<string, unknown>): Record<string, unknown> {
  const {
    id: _i,
    tenantId: _t,
    createdAt: _c,
    updatedAt: _u,
    mergedInto: _m,
    timeZoneSource: _z,
    ...rest
  } = c
  for (const k of Object.keys(rest)) if (rest[k] === undefined) delete rest[k]
  return rest
}
