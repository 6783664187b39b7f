import { Context, Effect, Layer } from 'effect'
import { z } from 'zod'
import type { Campaign } from '../domain/campaign.js'
import { Channel, Timestamp } from '../domain/common.js'
import {
  ALL_PURPOSES,
  ConsentInput,
  type ConsentRecord,
  type DoNotCallEntry,
  DoNotCallInput,
} from '../domain/consent.js'
import { type ContactDecision, type ContactQuestion, decide } from '../domain/consent-decision.js'
import type { Contact } from '../domain/contact.js'
import { type NotFound, notFound, type ValidationFailed } from '../domain/errors.js'
import {
  CampaignId,
  type ConsentRecordId,
  ContactId,
  type DoNotCallId,
  newId,
  type TenantId,
} from '../domain/ids.js'
import { type ConsentPurpose, ConsentPurposeInput, PurposeName, purposeKey } from '../domain/purpose.js'
import { Text } from '../domain/text.js'
import { normalizePhone } from '../quality/phone.js'
import { Settings } from './config.js'
import { correctionProblem } from './consent-correction.js'
import { addDoNotCall } from './do-not-call.js'
import { EventLog, type WriteError } from './event-log.js'
import { attempt, invalid, now, parse, Storage, type StoreError, scopedStore } from './runtime.js'

type E = StoreError

export const ContactQuestionInput = z.strictObject({
  channel: Channel,
  purpose: PurposeName.optional(),
  at: Timestamp.optional(),
  phone: z.string().min(1).max(64).optional(),
  campaignId: CampaignId.optional(),
})

const PhoneArg = z.string().min(1, 'must not be empty').max(64)
const ListArg = Text.requiredName.optional()

export class Consent extends Context.Service<
  Consent,
  {
    /** Declares (or re-declares) a consent purpose of the tenant; identity is case-insensitive. */
    declarePurpose(
      tenant: TenantId,
      input: z.input<typeof ConsentPurposeInput>,
    ): Effect.Effect<ConsentPurpose, ValidationFailed | WriteError>
    /** The tenant's purposes: the instance's defaults and its own. */
    purposes(tenant: TenantId): Effect.Effect<ConsentPurpose[], E>
    /** Appends to the contact's consent history (nothing is ever overwritten); an opt-out of every purpose by phone suppresses the contact's leads in the same transaction. */
    record(
      tenant: TenantId,
      input: ConsentInput,
    ): Effect.Effect<ConsentRecord, ValidationFailed | NotFound | WriteError>
    history(
      tenant: TenantId,
      contactId: ContactId,
    ): Effect.Effect<ConsentRecord[], ValidationFailed | NotFound | E>
    /**
     * May we contact this person, on this channel, for this purpose, now? Says why not.
     * With `campaignId`, the campaign's purpose and regime (windows, holidays, opt-in) apply.
     * @example
     * ```ts
     * const d = await acme.consent.canContact(contact.id, { channel: 'voice', campaignId: campaign.id })
     * if (!d.allowed) console.log(d.reasons) // [{ code: 'opted_out', message: '...' }]
     * ```
     */
    canContact(
      tenant: TenantId,
      contactId: ContactId,
      q: ContactQuestion,
    ): Effect.Effect<ContactDecision, ValidationFailed | NotFound | E>
    /** Adds a number to a do-not-call list and takes its owners off every dialing list, in one transaction. */
    addToDoNotCall(
      tenant: TenantId,
      input: DoNotCallInput,
    ): Effect.Effect<DoNotCallEntry, ValidationFailed | WriteError>
    removeFromDoNotCall(
      tenant: TenantId,
      phone: string,
      list?: string,
    ): Effect.Effect<number, ValidationFailed | WriteError>
    /** The entries in force for this number. */
    isOnDoNotCall(tenant: TenantId, phone: string): Effect.Effect<DoNotCallEntry[], ValidationFailed | E>
  }
>()('@switchboard/core/Consent') {}

export const ConsentLive = Layer.effect(
  Consent,
  Effect.gen(function* () {
    const storage = yield* Storage
    const log = yield* EventLog
    const settings = yield* Settings
    const store = (tenant: TenantId) => scopedStore(storage, tenant)

    const purposes = (tenant: TenantId) =>
      Effect.gen(function* () {
        const own = yield* attempt('purposes.list', () => store(tenant).purposes.list())
        const byKey = new Map<string, ConsentPurpose>()
        const epoch = new Date(0)
        for (const p of settings.purposes) {
          const key = purposeKey(p.name)
          byKey.set(key, {
            tenantId: tenant,
            key,
            name: p.name,
            requiresOptIn: p.requiresOptIn ?? false,
            ...(p.description ? { description: p.description } : {}),
            createdAt: epoch,
            updatedAt: epoch,
          })
        }
        for (const p of own) byKey.set(p.key, p)
        return [...byKey.values()]
      })

    /** The declared purpose for a name, or a ValidationFailed that lists the declared ones. */
    const resolvePurpose = (tenant: TenantId, name: string, field: string) =>
      Effect.gen(function* () {
        const all = yield* purposes(tenant)
        const found = all.find((p) => p.key === purposeKey(name))
        if (found) return found
        return yield* invalid(
          'consent question',
          field,
          name,
          `is not a declared purpose of this tenant (declared: ${all.map((p) => p.name).join(', ')}); declare it with consent.declarePurpose({ name })`,
        )
      })

    /** The contact, or the survivor it was merged into. */
    const liveContact = (tenant: TenantId, id: ContactId) =>
      Effect.gen(function* () {
        const s = store(tenant)
        let contact = yield* attempt('contacts.get', () => s.contacts.get(id))
        if (contact?.mergedInto) {
          const survivorId = contact.mergedInto
          contact = yield* attempt('contacts.get', () => s.contacts.get(survivorId))
        }
        return contact
      })

    const phoneArg = (entity: string, raw: unknown, defaultCountry?: string) =>
      Effect.gen(function* () {
        const text = yield* parse(entity, PhoneArg, raw, 'phone')
        const check = normalizePhone(text, defaultCountry)
        if (!check.ok) return yield* invalid(entity, 'phone', text, check.message)
        return check.e164
      })

    return {
      declarePurpose: (tenant, input) =>
        Effect.gen(function* () {
          const p = yield* parse('consent purpose', ConsentPurposeInput, input)
          const at = yield* now
          const key = purposeKey(p.name)
          const existing = (yield* attempt('purposes.list', () => store(tenant).purposes.list())).find(
            (x) => x.key === key,
          )
          const purpose: ConsentPurpose = {
            tenantId: tenant,
            key,
            name: p.name.trim(),
            requiresOptIn: p.requiresOptIn,
            ...(p.description ? { description: p.description } : {}),
            createdAt: existing?.createdAt ?? at,
            updatedAt: at,
          }
          yield* log.write(tenant, 'purposes.upsert', async (tx, emit) => {
            await tx.purposes.upsert(purpose)
            await emit('consent.purpose_declared', { tenantId: tenant, purpose })
          }) as Effect.Effect<void, WriteError>
          return purpose
        }),
      purposes,
      record: (tenant, input) =>
        Effect.gen(function* () {
          const r = yield* parse('consent', ConsentInput, input)
          const at = yield* now
          const purpose =
            r.purpose === ALL_PURPOSES
              ? ALL_PURPOSES
              : (yield* resolvePurpose(tenant, r.purpose, 'purpose')).key
          const capturedAt = r.capturedAt ?? at
          if (capturedAt.getTime() > at.getTime() + settings.maxClockSkewSec * 1000) {
            return yield* invalid(
              'consent',
              'capturedAt',
              r.capturedAt,
              `is in the future (now is ${at.toISOString()})`,
            )
          }
          if (r.expiresAt && r.expiresAt <= capturedAt) {
            return yield* invalid('consent', 'expiresAt', r.expiresAt, 'must be after capturedAt')
          }
          const contact = yield* liveContact(tenant, r.contactId)
          if (!contact) return yield* Effect.fail(notFound('contact', r.contactId))
          if (r.corrects) {
            const ledger = yield* attempt('consent.history', () => store(tenant).consent.history(contact.id))
            const why = correctionProblem(ledger, r.corrects, r.channel, purpose)
            if (why) return yield* invalid('consent', 'corrects', r.corrects, why)
          }
          const record: ConsentRecord = {
            id: newId('ConsentRecordId') as ConsentRecordId,
            tenantId: tenant,
            contactId: contact.id,
            channel: r.channel,
            purpose,
            status: r.status,
            source: r.source,
            capturedAt,
            createdAt: at,
            updatedAt: at,
            ...(r.lawfulBasis ? { lawfulBasis: r.lawfulBasis } : {}),
            ...(r.evidence !== undefined ? { evidence: r.evidence } : {}),
            ...(r.expiresAt ? { expiresAt: r.expiresAt } : {}),
            ...(r.corrects ? { corrects: r.corrects } : {}),
          }
          // An opt-out of every purpose by phone takes the contact off every dialing list
          // in the same transaction; purpose-specific opt-outs are refused per campaign by
          // canContact at dial time.
          const suppress =
            record.status === 'opted_out' &&
            record.purpose === ALL_PURPOSES &&
            (record.channel === 'voice' || record.channel === 'sms')
          yield* log.write(tenant, 'consent.record', async (tx, emit) => {
            await tx.consent.append(record)
            const suppressedLeads = suppress
              ? await tx.leads.suppressContact(record.contactId, `opted out (${record.source})`)
              : 0
            await emit('consent.changed', { tenantId: tenant, record, suppressedLeads })
          }) as Effect.Effect<void, WriteError>
          return record
        }),
      history: (tenant, contactId) =>
        Effect.gen(function* () {
          const id = yield* parse('consent history', ContactId, contactId, 'contactId')
          const contact = yield* liveContact(tenant, id)
          if (!contact) return yield* Effect.fail(notFound('contact', id))
          return yield* attempt('consent.history', () => store(tenant).consent.history(contact.id))
        }),
      canContact: (tenant, contactId, question) =>
        Effect.gen(function* () {
          const id = yield* parse('consent question', ContactId, contactId, 'contactId')
          const q = yield* parse('consent question', ContactQuestionInput, question)
          const s = store(tenant)
          let campaign: Campaign | undefined
          if (q.campaignId) {
            const cid = q.campaignId
            campaign = yield* attempt('campaigns.get', () => s.campaigns.get(cid))
            if (!campaign) return yield* Effect.fail(notFound('campaign', cid))
          }
          const purposeName = q.purpose ?? campaign?.consentPurpose
          if (!purposeName) {
            return yield* invalid(
              'consent question',
              'purpose',
              undefined,
              'is required (or give campaignId, whose purpose applies)',
            )
          }
          if (campaign && q.purpose && purposeKey(q.purpose) !== purposeKey(campaign.consentPurpose)) {
            return yield* invalid(
              'consent question',
              'purpose',
              q.purpose,
              `differs from the campaign's purpose "${campaign.consentPurpose}"; leave it out to use the campaign's`,
            )
          }
          const purpose = yield* resolvePurpose(tenant, purposeName, 'purpose')
          const at = q.at ?? (yield* now)
          const contact: Contact | undefined = yield* liveContact(tenant, id)
          if (!contact) {
            return decide({ contact: undefined, history: [], dnc: [], channel: q.channel, purpose, at })
          }
          let phone: string | undefined
          if (q.phone !== undefined) {
            const home = contact.phones.find((p) => p.primary)?.country ?? contact.address?.country
            phone = yield* phoneArg('consent question', q.phone, home)
          }
          const dialled = phone ?? (contact.phones.find((p) => p.primary) ?? contact.phones[0])?.e164
          const [history, dnc] = yield* Effect.all([
            attempt('consent.history', () => s.consent.history(contact.id)),
            dialled
              ? attempt('dnc.find', () => s.dnc.find([dialled]))
              : Effect.succeed([] as DoNotCallEntry[]),
          ])
          return decide({
            contact,
            history,
            dnc,
            channel: q.channel,
            purpose,
            at,
            ...(phone ? { phone } : {}),
            ...(campaign ? { regime: campaign.regime } : {}),
          })
        }),
      addToDoNotCall: (tenant, input) =>
        Effect.gen(function* () {
          const d = yield* parse('do-not-call entry', DoNotCallInput, input)
          const phone = yield* phoneArg('do-not-call entry', d.phone, d.defaultCountry)
          const at = yield* now
          if (d.expiresAt && d.expiresAt <= at) {
            return yield* invalid('do-not-call entry', 'expiresAt', d.expiresAt, 'is already past')
          }
          const entry: DoNotCallEntry = {
            id: newId('DoNotCallId') as DoNotCallId,
            tenantId: tenant,
            phone: phone,
            list: d.list ?? 'internal',
            source: d.source,
            createdAt: at,
            updatedAt: at,
            ...(d.reason ? { reason: d.reason } : {}),
            ...(d.expiresAt ? { expiresAt: d.expiresAt } : {}),
          }
          // A do-not-call request taken during a call takes effect before the next claim:
          // the entry and the suppression of its owners' leads commit together.
          yield* log.write(tenant, 'dnc.add', (tx, emit) => addDoNotCall(tx, entry, emit)) as Effect.Effect<
            number,
            WriteError
          >
          return entry
        }),
      removeFromDoNotCall: (tenant, phone, list) =>
        Effect.gen(function* () {
          const e164 = yield* phoneArg('do-not-call removal', phone)
          const name = (yield* parse('do-not-call removal', ListArg, list, 'list')) ?? 'internal'
          const removed = yield* log.write(tenant, 'dnc.remove', async (tx, emit) => {
            const n = await tx.dnc.remove(e164, name)
            if (n) await emit('dnc.removed', { tenantId: tenant, phone: e164, list: name, removed: n })
            return n
          }) as Effect.Effect<number, WriteError>
          return removed
        }),
      isOnDoNotCall: (tenant, phone) =>
        Effect.gen(function* () {
          const e164 = yield* phoneArg('do-not-call lookup', phone)
          const at = yield* now
          const entries = yield* attempt('dnc.find', () => store(tenant).dnc.find([e164]))
          return entries.filter((e) => !e.expiresAt || e.expiresAt > at)
        }),
    }
  }),
)
