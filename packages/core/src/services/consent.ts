import { Clock, Context, Effect, Layer } from 'effect'
import { z } from 'zod'
import { publicHolidays } from '../calendar/holidays.js'
import type { Campaign } from '../domain/campaign.js'
import { Channel, Timestamp } from '../domain/common.js'
import {
  ALL_PURPOSES,
  ConsentInput,
  type ConsentRecord,
  type DoNotCallEntry,
  DoNotCallInput,
} from '../domain/consent.js'
import {
  ConsentAuditSettings,
  type ConsentDecisionLog,
  ConsentExportSelection,
} from '../domain/consent-audit.js'
import { type ContactDecision, type ContactQuestion, decide } from '../domain/consent-decision.js'
import type { Contact } from '../domain/contact.js'
import {
  type DncRegistry,
  type DncRegistryHit,
  DncRegistryInput,
  DncRegistryName,
  type DncRegistryVersion,
} from '../domain/dnc-registry.js'
import { type Conflict, type NotFound, notFound, type ValidationFailed } from '../domain/errors.js'
import {
  CampaignId,
  type ConsentDecisionId,
  type ConsentRecordId,
  ContactId,
  type DoNotCallId,
  newId,
  type TenantId,
} from '../domain/ids.js'
import { type ConsentPurpose, ConsentPurposeInput, PurposeName, purposeKey } from '../domain/purpose.js'
import type { Regime } from '../domain/regime.js'
import { Text } from '../domain/text.js'
import { normalizePhone } from '../quality/phone.js'
import { Settings } from './config.js'
import { correctionProblem } from './consent-correction.js'
import { csvHeader, csvLine, decisionRow, jsonLine, ledgerRow } from './consent-export.js'
import {
  importRegistry,
  type RegistryImportOptions,
  type RegistryImportProgress,
  type RegistryImportResult,
} from './dnc-import.js'
import { addDoNotCall } from './do-not-call.js'
import { EventLog, type WriteError } from './event-log.js'
import { attempt, attemptAny, invalid, now, parse, Storage, type StoreError, scopedStore } from './runtime.js'

type E = StoreError

export const ContactQuestionInput = z.strictObject({
  channel: Channel,
  purpose: PurposeName.optional(),
  at: Timestamp.optional(),
  phone: z.string().min(1).max(64).optional(),
  campaignId: CampaignId.optional(),
  audit: z.boolean().optional(),
  caller: Text.label.optional(),
})

const RegistryImportOptionsInput = z.strictObject({
  source: Text.label,
  listedAt: Timestamp.optional(),
  batchSize: z.number().int().min(1).max(100_000).optional(),
  onProgress: z
    .custom<(p: RegistryImportProgress) => void>((f) => typeof f === 'function', 'must be a function')
    .optional(),
  keepRejected: z.number().int().min(0).max(1_000_000).optional(),
  totalBytes: z.number().int().nonnegative().optional(),
})

/** What an export wrote. */
export interface ConsentExportResult {
  readonly format: 'csv' | 'jsonl'
  readonly ledgerEntries: number
  readonly decisions: number
  /** The whole export, when no sink was given. */
  readonly text?: string
}

/**
 * The regime with its place's public holidays added to its dates (the years
 * around `at`: a contact's local date may fall in the next or previous one).
 */
function withPublicHolidays(regime: Regime, at: Date): Regime {
  const place = regime.publicHolidays
  if (!place) return regime
  const year = at.getUTCFullYear()
  const dates = [year - 1, year, year + 1].flatMap((y) => publicHolidays(place, y).map((h) => h.date))
  return { ...regime, holidays: [...regime.holidays, ...dates] }
}

/** Rows per page an export reads. */
const EXPORT_PAGE = 1_000

/** Reads time-ordered pages until the last one, handing each to `emit`. Returns the row count. */
const exportPages = <R>(
  read: (after?: { at: Date; id: string }) => Promise<R[]>,
  key: (row: R) => { at: Date; id: string },
  emit: (rows: R[]) => Effect.Effect<unknown, StoreError>,
): Effect.Effect<number, StoreError> =>
  Effect.gen(function* () {
    let count = 0
    let after: { at: Date; id: string } | undefined
    for (;;) {
      const cursor = after
      const rows = yield* attempt('consent export', () => read(cursor))
      if (rows.length) yield* emit(rows)
      count += rows.length
      if (rows.length < EXPORT_PAGE) return count
      after = key(rows[rows.length - 1]!)
    }
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
    /**
     * Defines (or updates the settings of) a do-not-call registry: internal,
     * one campaign's, or national (`dncPresets.ES_ROBINSON`, `US_NATIONAL_DNC`, `UK_TPS`).
     * @example
     * ```ts
     * import { dncPresets } from '@switchboard/core'
     * await acme.consent.defineRegistry(dncPresets.UK_TPS)
     * await acme.consent.defineRegistry({ name: 'spring-sale', kind: 'campaign', campaignId: campaign.id })
     * ```
     */
    defineRegistry(
      tenant: TenantId,
      input: DncRegistryInput,
    ): Effect.Effect<DncRegistry, ValidationFailed | NotFound | E>
    registries(tenant: TenantId): Effect.Effect<DncRegistry[], E>
    registryVersions(
      tenant: TenantId,
      name: string,
    ): Effect.Effect<DncRegistryVersion[], ValidationFailed | NotFound | E>
    /**
     * Streams a file of numbers (one a line; millions) into a new version of
     * the registry, normalised to E.164, and swaps it in atomically: a check
     * sees the old list or the new one, never part of it. Bad lines are
     * reported with their line number.
     * @example
     * ```ts
     * import { createReadStream } from 'node:fs'
     * import { dncPresets } from '@switchboard/core'
     * await acme.consent.defineRegistry(dncPresets.ES_ROBINSON)
     * const r = await acme.consent.importRegistry('lista-robinson', createReadStream('robinson.txt'), {
     *   source: 'robinson-2026-12.txt',
     *   onProgress: (p) => console.log(`${p.lines} lines`),
     * })
     * console.log(r.imported, r.rejectedLines) // [{ line: 7, text: '12', message: '...' }]
     * ```
     */
    importRegistry(
      tenant: TenantId,
      name: string,
      source: AsyncIterable<string | Uint8Array>,
      options: RegistryImportOptions,
    ): Effect.Effect<RegistryImportResult, ValidationFailed | NotFound | Conflict | E>
    /**
     * Turns the logging of every `canContact` answer of the tenant on or off (off by default).
     * @example
     * ```ts
     * await acme.consent.configureAudit({ logDecisions: true })
     * await acme.consent.canContact(contactId, { channel: 'voice', purpose: 'marketing' }) // logged
     * ```
     */
    configureAudit(
      tenant: TenantId,
      settings: ConsentAuditSettings,
    ): Effect.Effect<ConsentAuditSettings, ValidationFailed | E>
    /**
     * Exports the ledger and the logged decisions of one contact or a date
     * range, as CSV or JSON Lines (for a subject access request or a
     * regulator). With `sink`, the text goes there page by page; without, it is returned.
     * @example
     * ```ts
     * import { createWriteStream } from 'node:fs'
     * const out = createWriteStream('subject-access.jsonl')
     * const r = await acme.consent.exportAudit({ contactId, format: 'jsonl' }, (chunk) => {
     *   out.write(chunk)
     * })
     * out.end()
     * console.log(r.ledgerEntries, r.decisions)
     * ```
     */
    exportAudit(
      tenant: TenantId,
      selection: ConsentExportSelection,
      sink?: (chunk: string) => void | Promise<void>,
    ): Effect.Effect<ConsentExportResult, ValidationFailed | E>
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
          const campaignId = campaign?.id
          const [history, dnc, registryHits, settings] = yield* Effect.all(
            [
              attempt('consent.history', () => s.consent.history(contact.id)),
              dialled
                ? attempt('dnc.find', () => s.dnc.find([dialled]))
                : Effect.succeed([] as DoNotCallEntry[]),
              dialled
                ? attempt('dncRegistries.find', () =>
                    s.dncRegistries.find([dialled], campaignId ? { campaignId } : {}),
                  )
                : Effect.succeed([] as DncRegistryHit[]),
              q.audit === undefined
                ? attempt('consentAudit.settings', () => s.consentAudit.settings())
                : Effect.succeed(undefined),
            ],
            { concurrency: 'unbounded' },
          )
          const regime = campaign
            ? yield* Effect.try({
                try: () => withPublicHolidays(campaign.regime, at),
                // An unknown place is the ValidationFailed publicHolidays names it with.
                catch: (e) => e as ValidationFailed,
              })
            : undefined
          const decision = decide({
            contact,
            history,
            dnc,
            registryHits,
            channel: q.channel,
            purpose,
            at,
            ...(phone ? { phone } : {}),
            ...(regime ? { regime } : {}),
          })
          if (q.audit ?? settings?.logDecisions ?? false) {
            const usesPhone = decision.localTimes.length > 0 || q.channel === 'sms' || q.channel === 'voice'
            const log: ConsentDecisionLog = {
              id: newId('ConsentDecisionId') as ConsentDecisionId,
              tenantId: tenant,
              contactId: contact.id,
              decidedAt: yield* now,
              at,
              caller: q.caller ?? 'api',
              channel: q.channel,
              purpose: purpose.key,
              requiresOptIn: purpose.requiresOptIn || (campaign?.regime.requiresOptIn ?? false),
              ledgerIds: history.map((h) => h.id),
              lists: [
                ...dnc.filter((e) => !e.expiresAt || e.expiresAt > at).map((e) => e.list),
                ...registryHits.map((h) => `${h.registry}@${h.version}`),
              ],
              localTimes: decision.localTimes,
              allowed: decision.allowed,
              reasons: decision.reasons,
              ...(campaign ? { campaignId: campaign.id, regime: campaign.regime.name } : {}),
              ...(usesPhone && dialled ? { phone: dialled } : {}),
              ...(decision.basis ? { basisId: decision.basis.id } : {}),
            }
            yield* attempt('consentAudit.append', () => s.consentAudit.append(log))
          }
          return decision
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
      defineRegistry: (tenant, input) =>
        Effect.gen(function* () {
          const r = yield* parse('do-not-call registry', DncRegistryInput, input)
          const s = store(tenant)
          if (r.campaignId) {
            const cid = r.campaignId
            const campaign = yield* attempt('campaigns.get', () => s.campaigns.get(cid))
            if (!campaign) return yield* Effect.fail(notFound('campaign', cid))
          }
          const at = yield* now
          const existing = yield* attempt('dncRegistries.get', () => s.dncRegistries.get(r.name))
          const registry: DncRegistry = {
            tenantId: tenant,
            name: r.name,
            kind: r.kind,
            lineFormat: r.lineFormat,
            createdAt: existing?.createdAt ?? at,
            updatedAt: at,
            ...(r.campaignId ? { campaignId: r.campaignId } : {}),
            ...(r.country ? { country: r.country } : {}),
            ...(r.publisher ? { publisher: r.publisher } : {}),
            ...(r.refreshEveryDays ? { refreshEveryDays: r.refreshEveryDays } : {}),
            ...(r.description ? { description: r.description } : {}),
          }
          yield* attempt('dncRegistries.save', () => s.dncRegistries.save(registry))
          return existing?.activeVersion ? { ...registry, activeVersion: existing.activeVersion } : registry
        }),
      registries: (tenant) => attempt('dncRegistries.list', () => store(tenant).dncRegistries.list()),
      registryVersions: (tenant, name) =>
        Effect.gen(function* () {
          const n = yield* parse('do-not-call registry', DncRegistryName, name, 'name')
          const s = store(tenant)
          if (!(yield* attempt('dncRegistries.get', () => s.dncRegistries.get(n))))
            return yield* Effect.fail(notFound('do-not-call registry', n))
          return yield* attempt('dncRegistries.versions', () => s.dncRegistries.versions(n))
        }),
      importRegistry: (tenant, name, source, options) =>
        Effect.gen(function* () {
          const n = yield* parse('registry import', DncRegistryName, name, 'name')
          const o = yield* parse('registry import', RegistryImportOptionsInput, options)
          if (
            source == null ||
            typeof (source as AsyncIterable<unknown>)[Symbol.asyncIterator] !== 'function'
          ) {
            return yield* invalid(
              'registry import',
              'source',
              source,
              'must be an async iterable of text or bytes (a file stream: fs.createReadStream(path))',
            )
          }
          const s = store(tenant)
          const registry = yield* attempt('dncRegistries.get', () => s.dncRegistries.get(n))
          if (!registry)
            return yield* Effect.fail(
              notFound('do-not-call registry', n, 'define it first with consent.defineRegistry'),
            )
          const clock = yield* Clock.clockWith((c) => Effect.succeed(c))
          return yield* attemptAny('dncRegistries.import', () =>
            importRegistry(
              s,
              registry,
              source,
              o as RegistryImportOptions,
              () => new Date(clock.currentTimeMillisUnsafe()),
            ),
          ) as Effect.Effect<RegistryImportResult, Conflict | E>
        }),
      configureAudit: (tenant, settings) =>
        Effect.gen(function* () {
          const a = yield* parse('consent audit settings', ConsentAuditSettings, settings)
          yield* attempt('consentAudit.saveSettings', () => store(tenant).consentAudit.saveSettings(a))
          return a
        }),
      exportAudit: (tenant, selection, sink) =>
        Effect.gen(function* () {
          const sel = yield* parse('consent export', ConsentExportSelection, selection)
          if (sink !== undefined && typeof sink !== 'function')
            return yield* invalid('consent export', 'sink', sink, 'must be a function (chunk) => void')
          const s = store(tenant)
          const parts: string[] = []
          const write = (chunk: string) =>
            sink
              ? attempt('consent export sink', async () => sink(chunk))
              : Effect.sync(() => parts.push(chunk))
          const range = {
            ...(sel.contactId ? { contactId: sel.contactId } : {}),
            ...(sel.from ? { from: sel.from } : {}),
            ...(sel.to ? { to: sel.to } : {}),
            limit: EXPORT_PAGE,
          }
          if (sel.format === 'csv') yield* write(csvHeader())
          const ledgerEntries = sel.include.includes('ledger')
            ? yield* exportPages(
                (after) => s.consentLedger.list(after ? { ...range, after } : range),
                (r) => ({ at: r.capturedAt, id: r.id }),
                (rows) =>
                  write(
                    rows
                      .map((r) => (sel.format === 'csv' ? csvLine(ledgerRow(r)) : jsonLine('ledger', r)))
                      .join(''),
                  ),
              )
            : 0
          const decisions = sel.include.includes('decisions')
            ? yield* exportPages(
                (after) => s.consentAudit.list(after ? { ...range, after } : range),
                (d) => ({ at: d.decidedAt, id: d.id }),
                (rows) =>
                  write(
                    rows
                      .map((d) => (sel.format === 'csv' ? csvLine(decisionRow(d)) : jsonLine('decision', d)))
                      .join(''),
                  ),
              )
            : 0
          return { format: sel.format, ledgerEntries, decisions, ...(sink ? {} : { text: parts.join('') }) }
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
