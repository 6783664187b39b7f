import { Context, Effect, Layer } from 'effect'
import { z } from 'zod'
import { type VerificationField, verificationQuestions } from '../desk/verification.js'
import type { Case } from '../domain/case.js'
import { CountryCode } from '../domain/common.js'
import { type Contact, type ContactInput, ContactPatch, LifecycleStage } from '../domain/contact.js'
import {
  type Conflict,
  conflict,
  isSwitchboardError,
  type NotFound,
  notFound,
  storageFailure,
  type ValidationFailed,
  validationFailed,
} from '../domain/errors.js'
import { ContactId, type TenantId } from '../domain/ids.js'
import type { Interaction } from '../domain/interaction.js'
import type { ImportOptions, ImportResult } from '../import/contacts.js'
import { importContacts } from '../import/contacts.js'
import type { ContactFilter } from '../plugins/storage.js'
import { derivedDisplayName, matchKey, prepareContact } from '../quality/contact.js'
import { type DuplicateScore, POSSIBLE_THRESHOLD, scoreDuplicate } from '../quality/dedupe.js'
import { mergeContacts, SurvivorshipRules } from '../quality/merge.js'
import { normalizePhone } from '../quality/phone.js'
import { EventLog } from './event-log.js'
import { attempt, invalid, now, parse, Storage, type StoreError, scopedStore } from './runtime.js'

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

const Limit = (max: number) => z.number().int().min(1).max(max)

export const ContactFilterInput = z.strictObject({
  limit: Limit(1000).optional(),
  after: z.string().min(1).max(128).optional(),
  lifecycle: LifecycleStage.optional(),
  includeMerged: z.boolean().optional(),
})

const CountFilter = ContactFilterInput.omit({ limit: true, after: true })
const PhoneNumber = z.string().max(64, 'must be at most 64 characters')
const MergedIds = z
  .array(ContactId, { error: 'must be an array of contact ids' })
  .min(1, 'name at least one contact to merge')
  .max(100)
  .refine((ids) => new Set(ids).size === ids.length, 'lists a contact twice')

export class Contacts extends Context.Service<
  Contacts,
  {
    /**
     * Creates a contact from what the host has (phones and e-mails as typed).
     * @example
     * ```ts
     * const c = await acme.contacts.create({ firstName: 'Ana', lastName: 'Ruiz', phones: ['+34 612 345 678'] })
     * ```
     */
    create(
      tenant: TenantId,
      input: ContactInput,
    ): Effect.Effect<Contact, ValidationFailed | NotFound | Conflict | E>
    get(tenant: TenantId, id: ContactId): Effect.Effect<Contact, NotFound | ValidationFailed | E>
    /** Replaces the given fields (`null` clears one); derived fields (display name, zone) follow. */
    update(
      tenant: TenantId,
      id: ContactId,
      patch: ContactPatch,
    ): Effect.Effect<Contact, NotFound | ValidationFailed | Conflict | E>
    list(tenant: TenantId, filter?: ContactFilter): Effect.Effect<Contact[], ValidationFailed | E>
    count(
      tenant: TenantId,
      filter?: Omit<ContactFilter, 'limit' | 'after'>,
    ): Effect.Effect<number, ValidationFailed | E>
    /** Live contacts having this number, however it is written. */
    findByPhone(
      tenant: TenantId,
      number: string,
      defaultCountry?: string,
    ): Effect.Effect<Contact[], ValidationFailed | E>
    /** The screen pop for a call from `number` (undefined or "anonymous": withheld). */
    screenPop(
      tenant: TenantId,
      number: string | undefined,
      defaultCountry?: string,
    ): Effect.Effect<ScreenPop, ValidationFailed | E>
    timeline(
      tenant: TenantId,
      id: ContactId,
      limit?: number,
    ): Effect.Effect<Interaction[], ValidationFailed | E>
    duplicatesOf(
      tenant: TenantId,
      id: ContactId,
    ): Effect.Effect<DuplicateCandidate[], NotFound | ValidationFailed | E>
    merge(
      tenant: TenantId,
      survivorId: ContactId,
      mergedIds: ReadonlyArray<ContactId>,
      rules?: SurvivorshipRules,
    ): Effect.Effect<Contact, NotFound | Conflict | ValidationFailed | E>
    importCsv(
      tenant: TenantId,
      source: AsyncIterable<string | Uint8Array>,
      options: ImportOptions,
    ): Effect.Effect<ImportResult, ValidationFailed | E>
  }
>()('@switchboard/core/Contacts') {}

const VERIFY = ['full name', 'postal code', 'account number'] as const
const ASK: Record<VerificationField, string> = {
  dateOfBirth: 'date of birth',
  postalCode: 'postal code',
  phoneLast4: 'last 4 digits of the phone',
  cardLast4: 'last 4 digits of the card',
  email: 'e-mail',
  account: 'account number',
}
/** For a shared number: what tells its contacts apart, from their data (see `tenant.contacts.verification`). */
const toAsk = (candidates: ReadonlyArray<Contact>): readonly string[] => {
  const all = verificationQuestions(candidates)
  const telling = all.filter((q) => q.distinct > 1 || q.known < candidates.length)
  const asked = (telling.length ? telling : all).map((q) => ASK[q.field])
  return asked.length ? asked : VERIFY
}
const WITHHELD = /^(anonymous|unknown|restricted|private|withheld|unavailable)$/i

export const ContactsLive = Layer.effect(
  Contacts,
  Effect.gen(function* () {
    const storage = yield* Storage
    const log = yield* EventLog
    const store = (tenant: TenantId) => scopedStore(storage, tenant)

    const load = (tenant: TenantId, id: ContactId) =>
      Effect.flatMap(
        attempt('contacts.get', () => store(tenant).contacts.get(id)),
        (c) => (c ? Effect.succeed(c) : Effect.fail(notFound('contact', id))),
      )
    const get = (tenant: TenantId, id: unknown) =>
      Effect.flatMap(parse('contact', ContactId, id, 'id'), (cid) => load(tenant, cid))

    /** The owner must be an agent of this tenant; the external ref must be free. */
    const checkReferences = (tenant: TenantId, c: Contact, previous?: Contact) =>
      Effect.gen(function* () {
        const s = store(tenant)
        if (c.ownerId && c.ownerId !== previous?.ownerId) {
          const owner = c.ownerId
          if (!(yield* attempt('agents.get', () => s.agents.get(owner)))) {
            return yield* invalid('contact', 'ownerId', owner, 'no agent with this id in this tenant')
          }
        }
        if (c.externalRef && c.externalRef !== previous?.externalRef) {
          const ref = c.externalRef
          const taken = (yield* attempt('contacts.findByExternalRefs', () =>
            s.contacts.findByExternalRefs([ref]),
          )).filter((o) => o.id !== c.id)
          if (taken.length) {
            return yield* Effect.fail(
              conflict(
                'contact',
                `externalRef ${JSON.stringify(ref)} is already used by contact ${taken[0]!.id}`,
              ),
            )
          }
        }
      })

    const findByPhone = (tenant: TenantId, number: unknown, defaultCountry?: unknown) =>
      Effect.gen(function* () {
        const raw = yield* parse('phone lookup', PhoneNumber, number, 'number')
        const country = yield* parse('phone lookup', CountryCode.optional(), defaultCountry, 'defaultCountry')
        const check = normalizePhone(raw, country)
        if (!check.ok) return [] as Contact[]
        return yield* attempt('contacts.findByPhones', () =>
          store(tenant).contacts.findByPhones([check.e164]),
        )
      })

    return {
      create: (tenant, input) =>
        Effect.gen(function* () {
          const at = yield* now
          const prepared = prepareContact(input, { tenantId: tenant, now: at })
          if (!prepared.ok) return yield* Effect.fail(validationFailed('contact', prepared.issues))
          yield* checkReferences(tenant, prepared.contact)
          yield* log.write(tenant, 'contacts.insert', async (tx, emit) => {
            await tx.contacts.insert(prepared.contact)
            await emit('contact.created', { tenantId: tenant, contact: prepared.contact })
          }) as Effect.Effect<void, Conflict | E>
          return prepared.contact
        }),
      get,
      update: (tenant, id, patch) =>
        Effect.gen(function* () {
          const current = yield* get(tenant, id)
          const change = yield* parse('contact', ContactPatch, patch)
          if (current.mergedInto) {
            return yield* Effect.fail(
              conflict('contact', `${current.id} was merged into ${current.mergedInto}; update that one`),
            )
          }
          const base: Record<string, unknown> = {
            kind: current.kind,
            firstName: current.firstName,
            lastName: current.lastName,
            company: current.company,
            account: current.account,
            phones: current.phones.map((p) => ({
              number: p.e164,
              type: p.type,
              primary: p.primary,
              verified: p.verified,
            })),
            emails: current.emails.map((e) => ({ address: e.address, verified: e.verified })),
            address: current.address,
            lifecycle: current.lifecycle,
            ownerId: current.ownerId,
            tags: current.tags,
            attributes: current.attributes,
            lifetimeValue: current.lifetimeValue,
            openBalance: current.openBalance,
            externalRef: current.externalRef,
            // A derived display name is derived again from the new names; one the host gave is kept.
            ...(current.displayName !== derivedDisplayName(current)
              ? { displayName: current.displayName }
              : {}),
            ...(current.timeZoneSource === 'given' ? { timeZone: current.timeZone } : {}),
          }
          for (const [k, v] of Object.entries(change)) base[k] = v === null ? undefined : v
          for (const k of Object.keys(base)) if (base[k] === undefined) delete base[k]
          const prepared = prepareContact(base, { tenantId: tenant, now: yield* now, id: current.id })
          if (!prepared.ok) return yield* Effect.fail(validationFailed('contact', prepared.issues))
          const next: Contact = { ...prepared.contact, createdAt: current.createdAt }
          yield* checkReferences(tenant, next, current)
          yield* log.write(tenant, 'contacts.update', async (tx, emit) => {
            await tx.contacts.update(next)
            await emit('contact.updated', { tenantId: tenant, contact: next, previous: current })
          }) as Effect.Effect<void, Conflict | E>
          return next
        }),
      list: (tenant, filter) =>
        Effect.gen(function* () {
          const f = yield* parse('contact filter', ContactFilterInput.optional(), filter, 'filter')
          return yield* attempt('contacts.list', () => store(tenant).contacts.list(f as ContactFilter))
        }),
      count: (tenant, filter) =>
        Effect.gen(function* () {
          const f = yield* parse('contact filter', CountFilter.optional(), filter, 'filter')
          return yield* attempt('contacts.count', () => store(tenant).contacts.count(f as ContactFilter))
        }),
      findByPhone,
      screenPop: (tenant, number, defaultCountry) =>
        Effect.gen(function* () {
          const raw = yield* parse('screen pop', PhoneNumber.optional(), number, 'number')
          const country = yield* parse('screen pop', CountryCode.optional(), defaultCountry, 'defaultCountry')
          if (!raw?.trim() || WITHHELD.test(raw.trim().replace(/^sips?:|@.*$/g, ''))) {
            return { status: 'withheld', verify: VERIFY } as const
          }
          const check = normalizePhone(raw.replace(/^sips?:|@.*$/g, ''), country)
          if (!check.ok) return { status: 'unknown', number: raw, verify: VERIFY } as const
          const read = yield* attempt('contacts.screenPop', () =>
            store(tenant).contacts.screenPop(check.e164, { timelineLimit: 20 }),
          )
          if (read.contacts.length === 0) return { status: 'unknown', number: raw, verify: VERIFY } as const
          if (read.contacts.length > 1) {
            return { status: 'ambiguous', candidates: read.contacts, verify: toAsk(read.contacts) } as const
          }
          return {
            status: 'identified',
            contact: read.contacts[0]!,
            timeline: read.timeline,
            openCases: read.openCases,
          } as const
        }),
      timeline: (tenant, id, limit) =>
        Effect.gen(function* () {
          const cid = yield* parse('timeline', ContactId, id, 'id')
          const n = yield* parse('timeline', Limit(1000).optional(), limit, 'limit')
          return yield* attempt('interactions.listByContact', () =>
            store(tenant).interactions.listByContact(cid, { limit: n ?? 50 }),
          )
        }),
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
          const sid = yield* parse('merge', ContactId, survivorId, 'survivorId')
          const ids = yield* parse('merge', MergedIds, mergedIds, 'mergedIds')
          const how = yield* parse('merge', SurvivorshipRules.optional(), rules, 'rules')
          const at = ids.indexOf(sid)
          if (at >= 0) return yield* invalid('merge', `mergedIds[${at}]`, sid, 'is the survivor itself')
          const survivor = yield* load(tenant, sid)
          if (survivor.mergedInto) {
            return yield* Effect.fail(
              conflict('contact', `${sid} was merged into ${survivor.mergedInto}; merge into that one`),
            )
          }
          const others: Contact[] = []
          for (const id of ids) {
            const c = yield* load(tenant, id)
            if (c.mergedInto)
              return yield* Effect.fail(conflict('contact', `${id} was already merged into ${c.mergedInto}`))
            others.push(c)
          }
          const stamp = yield* now
          const merged = mergeContacts(survivor, others, how, stamp)
          yield* log.write(tenant, 'contacts.merge', async (tx, emit) => {
            // The merged ones first: an externalRef the survivor takes over leaves its old holder before
            // the survivor's row claims it (the key is unique per tenant).
            for (const o of others) {
              await tx.interactions.reassign(o.id, survivor.id)
              await tx.consent.reassign(o.id, survivor.id)
              await tx.cases.reassign(o.id, survivor.id)
              await tx.callbacks.reassign(o.id, survivor.id)
              await tx.recordings.reassign(o.id, survivor.id)
              const { externalRef, ...rest } = o
              const keeps = externalRef !== undefined && externalRef !== merged.externalRef
              await tx.contacts.update({
                ...rest,
                ...(keeps ? { externalRef } : {}),
                mergedInto: survivor.id,
                updatedAt: stamp,
              })
            }
            await tx.contacts.update(merged)
            await emit('contact.merged', { tenantId: tenant, survivor: merged, merged: [...ids] })
          }) as Effect.Effect<void, Conflict | E>
          return merged
        }),
      importCsv: (tenant, source, options) =>
        Effect.gen(function* () {
          const at = yield* now
          const result = yield* Effect.tryPromise({
            try: () =>
              importContacts(
                store(tenant),
                source,
                {
                  batchSize: storage.capabilities.preferredBatchSize,
                  ...options,
                },
                { now: at },
              ),
            catch: (e) => (isSwitchboardError(e) ? e : storageFailure('contacts.import', e, false)),
          }) as Effect.Effect<ImportResult, ValidationFailed | E>
          yield* log.write(tenant, 'import.completed', (_tx, emit) =>
            emit('import.completed', {
              tenantId: tenant,
              imported: result.imported,
              rejected: result.rejected.length,
              duplicates: result.duplicates.length,
            }),
          ) as Effect.Effect<unknown, E>
          return result
        }),
    }
  }),
)
