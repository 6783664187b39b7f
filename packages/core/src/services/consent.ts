import { Context, Effect, Layer } from 'effect'
import { type ContactDecision, type ContactQuestion, decide } from '../consent/decide.js'
import { E164 } from '../domain/common.js'
import { ALL_PURPOSES, type ConsentInput, ConsentRecord, type DoNotCallEntry } from '../domain/consent.js'
import type { ConsentRecordId, ContactId, DoNotCallId, TenantId } from '../domain/ids.js'
import { newId } from '../domain/ids.js'
import { issuesFromZod, type NotFound, notFound, type ValidationFailed, validationFailed } from '../errors.js'
import { normalizePhone } from '../quality/phone.js'
import { attempt, Events, Storage, type StoreError, scopedStore } from './runtime.js'

type E = StoreError

export interface DncInput {
  readonly phone: string
  /** "internal" for the tenant's own list, or the registry's name. */
  readonly list?: string
  readonly reason?: string
  readonly source: string
  readonly expiresAt?: Date
  readonly defaultCountry?: string
}

export class Consent extends Context.Service<
  Consent,
  {
    /** Appends to the contact's consent history (nothing is ever overwritten). */
    record(
      tenant: TenantId,
      input: ConsentInput,
    ): Effect.Effect<ConsentRecord, ValidationFailed | NotFound | E>
    history(tenant: TenantId, contactId: ContactId): Effect.Effect<ConsentRecord[], E>
    /** May we contact this person, on this channel, for this purpose, now? Says why not. */
    canContact(tenant: TenantId, contactId: ContactId, q: ContactQuestion): Effect.Effect<ContactDecision, E>
    addToDoNotCall(tenant: TenantId, input: DncInput): Effect.Effect<DoNotCallEntry, ValidationFailed | E>
    removeFromDoNotCall(tenant: TenantId, phone: string, list?: string): Effect.Effect<number, E>
    isOnDoNotCall(tenant: TenantId, phone: string): Effect.Effect<DoNotCallEntry[], E>
  }
>()('@switchboard/core/Consent') {}

export const ConsentLive = Layer.effect(
  Consent,
  Effect.gen(function* () {
    const storage = yield* Storage
    const events = yield* Events
    const store = (tenant: TenantId) => scopedStore(storage, tenant)
    return {
      record: (tenant, input) =>
        Effect.gen(function* () {
          const now = new Date()
          const candidate = {
            ...input,
            capturedAt: input.capturedAt ?? now,
            id: newId('ConsentRecordId') as ConsentRecordId,
            tenantId: tenant,
            createdAt: now,
            updatedAt: now,
          }
          const parsed = ConsentRecord.safeParse(candidate)
          if (!parsed.success)
            return yield* Effect.fail(
              validationFailed('consent', issuesFromZod(candidate, parsed.error.issues)),
            )
          const s = store(tenant)
          const contact = yield* attempt('contacts.get', () => s.contacts.get(parsed.data.contactId))
          if (!contact) return yield* Effect.fail(notFound('contact', parsed.data.contactId))
          yield* attempt('consent.append', () => s.consent.append(parsed.data))
          // An opt-out of every purpose by phone takes the contact off every dialing list at once;
          // purpose-specific opt-outs are refused per campaign by canContact at dial time.
          const r = parsed.data
          if (
            r.status === 'opted_out' &&
            r.purpose === ALL_PURPOSES &&
            (r.channel === 'voice' || r.channel === 'sms')
          ) {
            yield* attempt('leads.suppressContact', () =>
              s.leads.suppressContact(r.contactId, `opted out (${r.source})`),
            )
          }
          events.emit('consent.changed', { tenantId: tenant, record: parsed.data })
          return parsed.data
        }),
      history: (tenant, contactId) =>
        attempt('consent.history', () => store(tenant).consent.history(contactId)),
      canContact: (tenant, contactId, q) =>
        Effect.gen(function* () {
          const s = store(tenant)
          let contact = yield* attempt('contacts.get', () => s.contacts.get(contactId))
          // A merged record answers for its survivor, which holds the moved consent.
          if (contact?.mergedInto) {
            const survivorId = contact.mergedInto
            contact = yield* attempt('contacts.get', () => s.contacts.get(survivorId))
          }
          if (!contact) return decide(undefined, [], [], q)
          const c = contact
          const [history, dnc] = yield* Effect.all([
            attempt('consent.history', () => s.consent.history(c.id)),
            attempt('dnc.find', () => s.dnc.find(c.phones.map((p) => p.e164))),
          ])
          return decide(c, history, dnc, q)
        }),
      addToDoNotCall: (tenant, input) =>
        Effect.gen(function* () {
          const check = normalizePhone(input.phone, input.defaultCountry)
          const phone = check.ok ? check.e164 : undefined
          const parsedPhone = E164.safeParse(phone)
          if (!parsedPhone.success) {
            return yield* Effect.fail(
              validationFailed('do-not-call entry', [
                { field: 'phone', value: input.phone, message: check.ok ? 'not E.164' : check.message },
              ]),
            )
          }
          const now = new Date()
          const entry: DoNotCallEntry = {
            id: newId('DoNotCallId') as DoNotCallId,
            tenantId: tenant,
            phone: parsedPhone.data,
            list: input.list ?? 'internal',
            source: input.source,
            createdAt: now,
            updatedAt: now,
            ...(input.reason ? { reason: input.reason } : {}),
            ...(input.expiresAt ? { expiresAt: input.expiresAt } : {}),
          }
          const s = store(tenant)
          yield* attempt('dnc.add', () => s.dnc.add(entry))
          // A do-not-call request taken during a call takes effect before the next claim.
          const owners = yield* attempt('contacts.findByPhones', () => s.contacts.findByPhones([entry.phone]))
          for (const c of owners) {
            yield* attempt('leads.suppressContact', () =>
              s.leads.suppressContact(c.id, `do-not-call (${entry.list})`),
            )
          }
          events.emit('dnc.added', { tenantId: tenant, entry })
          return entry
        }),
      removeFromDoNotCall: (tenant, phone, list = 'internal') => {
        const check = normalizePhone(phone)
        return attempt('dnc.remove', () => store(tenant).dnc.remove(check.ok ? check.e164 : phone, list))
      },
      isOnDoNotCall: (tenant, phone) => {
        const check = normalizePhone(phone)
        return check.ok ? attempt('dnc.find', () => store(tenant).dnc.find([check.e164])) : Effect.succeed([])
      },
    }
  }),
)
