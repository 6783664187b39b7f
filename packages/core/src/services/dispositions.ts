import { Context, Effect, Layer } from 'effect'
import { z } from 'zod'
import type { Callback } from '../domain/callback.js'
import type { Campaign } from '../domain/campaign.js'
import { Money } from '../domain/common.js'
import type { DoNotCallEntry } from '../domain/consent.js'
import { retryDelayFor } from '../domain/dialing.js'
import {
  type DispositionCategory,
  type DispositionCode,
  DispositionCodeInput,
  DispositionCodeName,
  type DispositionFlags,
  defaultFlags,
  SYSTEM_DISPOSITIONS,
} from '../domain/disposition.js'
import {
  type Conflict,
  closest,
  conflict,
  type NotFound,
  notFound,
  type ValidationFailed,
  validationFailed,
} from '../domain/errors.js'
import {
  CampaignId,
  type DispositionCodeId,
  type DoNotCallId,
  InteractionId,
  newId,
  type TenantId,
} from '../domain/ids.js'
import type { Interaction } from '../domain/interaction.js'
import { Text } from '../domain/text.js'
import { Seconds } from '../domain/time.js'
import type { TenantStore } from '../plugins/storage.js'
import { bookInTransaction, CALLBACK_PRIORITY, CallbackTime } from './callbacks.js'
import { Settings } from './config.js'
import { addDoNotCall } from './do-not-call.js'
import { type Emit, EventLog, type WriteError } from './event-log.js'
import { attempt, now, parse, Storage, type StoreError, scopedStore } from './runtime.js'

/** A code as the runtime uses it: its category and flags (stored, a plugin's, or a system code). */
export type ResolvedDisposition = Pick<DispositionCode, 'code' | 'label' | 'category' | 'flags'> & {
  readonly source: 'tenant' | 'plugin' | 'system'
}

/** What coding a call takes: the code, and what the agent noted, sold, or booked. */
export const DispositionInput = z.strictObject({
  code: DispositionCodeName,
  /** The agent's notes, kept as typed. */
  note: Text.long.optional(),
  outcomeValue: Money.optional(),
  /** Wrap-up time the agent took, in seconds. */
  wrapSec: Seconds.optional(),
  /** Books a callback with the code (a `callback` code needs one unless one is booked already). */
  callback: CallbackTime.optional(),
})
export type DispositionInput = z.input<typeof DispositionInput>

/** What a disposition did. */
export interface DispositionResult {
  readonly interaction: Interaction
  readonly code: ResolvedDisposition
  /** What became of the contact's lead on the campaign. */
  readonly lead: 'done' | 'retry' | 'callback' | 'none'
  readonly retryAt?: Date
  readonly callback?: Callback
  /** The phones put on the do-not-call list (a do-not-call code). */
  readonly doNotCall: ReadonlyArray<string>
}

/**
 * Disposition codes: the tenant's catalogue, each campaign's set, and the
 * one write that codes a call. Coding drives the contact center in the same
 * transaction: the lead is retried (spacing per code or category), completed
 * (a final code, the attempt limit), or rescheduled for a callback; a
 * do-not-call code adds the contact's phones to the internal list and
 * suppresses them everywhere. When it resolves, all of that has committed.
 */
export class Dispositions extends Context.Service<
  Dispositions,
  {
    /**
     * Defines (or redefines) a code of the tenant's catalogue.
     * @example
     * ```ts
     * await acme.dispositions.define({ code: 'SALE', label: 'Sale', category: 'sale' })
     * await acme.dispositions.define({ code: 'DNC', label: 'Do not call me', category: 'do_not_call' })
     * ```
     */
    define(
      tenant: TenantId,
      input: DispositionCodeInput,
    ): Effect.Effect<DispositionCode, ValidationFailed | WriteError>
    /** The tenant's codes, the plugins' and the system codes. */
    list(tenant: TenantId): Effect.Effect<ResolvedDisposition[], StoreError>
    /** The campaign's set, resolved (its codes, then the system codes). */
    forCampaign(
      tenant: TenantId,
      campaignId: CampaignId,
    ): Effect.Effect<ResolvedDisposition[], NotFound | ValidationFailed | StoreError>
    /**
     * Codes a call (an interaction), once: a second code for the same
     * interaction is a Conflict.
     * @example
     * ```ts
     * const [attempt] = await acme.interactions.find({ campaignId, contactId, open: false })
     * if (attempt) await acme.dispositions.apply(attempt.id, { code: 'CALLBACK', callback: { localTime: '2026-03-12T10:00' } })
     * ```
     */
    apply(
      tenant: TenantId,
      interactionId: InteractionId,
      input: DispositionInput,
    ): Effect.Effect<DispositionResult, ValidationFailed | NotFound | Conflict | WriteError>
  }
>()('@switchboard/core/Dispositions') {}

const SYSTEM: ReadonlyMap<string, ResolvedDisposition> = new Map(
  SYSTEM_DISPOSITIONS.map((d) => [
    d.code,
    { ...d, flags: { ...defaultFlags(d.category), final: false }, source: 'system' as const },
  ]),
)

/** Every code the tenant can use: system codes win (they cannot be redefined), then the tenant's, then plugins'. */
export async function catalogue(
  tx: TenantStore,
  plugin: ReadonlyMap<string, ResolvedDisposition>,
): Promise<Map<string, ResolvedDisposition>> {
  const out = new Map<string, ResolvedDisposition>(plugin)
  for (const d of await tx.dispositions.list())
    out.set(d.code, { code: d.code, label: d.label, category: d.category, flags: d.flags, source: 'tenant' })
  for (const [k, v] of SYSTEM) out.set(k, v)
  return out
}

/** The codes a campaign may end a call with: its set (all codes when it names none) and the system codes. */
export function campaignSet(
  campaign: Campaign,
  all: ReadonlyMap<string, ResolvedDisposition>,
): ResolvedDisposition[] {
  const own = campaign.dispositionCodes.length
    ? campaign.dispositionCodes.map((c) => all.get(c)).filter((d): d is ResolvedDisposition => !!d)
    : [...all.values()].filter((d) => d.source !== 'system')
  return [...own, ...SYSTEM.values()]
}

export const DispositionsLive = Layer.effect(
  Dispositions,
  Effect.gen(function* () {
    const storage = yield* Storage
    const log = yield* EventLog
    const settings = yield* Settings
    const plugin = new Map<string, ResolvedDisposition>(
      [...settings.dispositionCodes].map(([k, d]) => [k, { ...d, source: 'plugin' as const }]),
    )
    return {
      define: (tenant, input) =>
        Effect.gen(function* () {
          const d = yield* parse('disposition code', DispositionCodeInput, input)
          if (SYSTEM.has(d.code))
            return yield* Effect.fail(
              validationFailed('disposition code', [
                {
                  field: 'code',
                  value: d.code,
                  message: 'is a system code of the runner; pick another name',
                },
              ]),
            )
          const at = yield* now
          const s = scopedStore(storage, tenant)
          const existing = yield* attempt('dispositions.get', () => s.dispositions.get(d.code))
          const code: DispositionCode = {
            tenantId: tenant,
            id: existing?.id ?? (newId('DispositionCodeId') as DispositionCodeId),
            code: d.code,
            label: d.label,
            category: d.category,
            flags: { ...defaultFlags(d.category), ...d.flags } as DispositionFlags,
            createdAt: existing?.createdAt ?? at,
            updatedAt: at,
          }
          yield* log.write(tenant, 'dispositions.upsert', async (tx, emit) => {
            await tx.dispositions.upsert(code)
            await emit('disposition.defined', { tenantId: tenant, code })
          }) as Effect.Effect<void, WriteError>
          return code
        }),
      list: (tenant) =>
        attempt('dispositions.list', async () => [
          ...(await catalogue(scopedStore(storage, tenant), plugin)).values(),
        ]),
      forCampaign: (tenant, campaignIdIn) =>
        Effect.gen(function* () {
          const campaignId = yield* parse('campaign', CampaignId, campaignIdIn, 'campaignId')
          const s = scopedStore(storage, tenant)
          const campaign = yield* attempt('campaigns.get', () => s.campaigns.get(campaignId))
          if (!campaign) return yield* Effect.fail(notFound('campaign', campaignId))
          const all = yield* attempt('dispositions.list', () => catalogue(s, plugin))
          return campaignSet(campaign, all)
        }),
      apply: (tenant, idIn, input) =>
        Effect.gen(function* () {
          const id = yield* parse('disposition', InteractionId, idIn, 'interactionId')
          const d = yield* parse('disposition', DispositionInput, input)
          const at = yield* now
          return (yield* log.write(tenant, 'dispositions.apply', (tx, emit) =>
            applyDisposition(tx, emit, { tenant, id, input: d, at, plugin }),
          )) as DispositionResult
        }) as Effect.Effect<DispositionResult, ValidationFailed | NotFound | Conflict | WriteError>,
    }
  }),
)

/**
 * Codes a call inside the caller's transaction (the runner's automatic codes
 * go through here too): the interaction, the lead, the callback, the
 * do-not-call entries and the `interaction.disposed` event commit together.
 */
export async function applyDisposition(
  tx: TenantStore,
  emit: Emit,
  o: {
    readonly tenant: TenantId
    readonly id: InteractionId
    readonly input: z.output<typeof DispositionInput>
    readonly at: Date
    readonly plugin?: ReadonlyMap<string, ResolvedDisposition>
  },
): Promise<DispositionResult> {
  const { tenant, id, input, at } = o
  const interaction = await tx.interactions.get(id)
  if (!interaction) throw notFound('interaction', id)
  if (interaction.disposition)
    throw conflict('disposition', `interaction ${id} is already coded ${interaction.disposition}`)
  const campaign = interaction.campaignId ? await tx.campaigns.get(interaction.campaignId) : undefined
  const all = await catalogue(tx, o.plugin ?? new Map())
  const allowed = campaign ? campaignSet(campaign, all) : [...all.values()]
  const code = allowed.find((c) => c.code === input.code)
  if (!code) {
    const hint = closest(
      input.code,
      allowed.map((c) => c.code),
    )
    throw validationFailed('disposition', [
      {
        field: 'code',
        value: input.code,
        message: `is not a code of ${campaign ? `campaign ${campaign.name}` : 'this tenant'}${hint ? ` (did you mean ${hint}?)` : ''}; codes: ${allowed.map((c) => c.code).join(', ')}`,
      },
    ])
  }
  const coded: Interaction = {
    ...interaction,
    disposition: code.code,
    durations: {
      ...interaction.durations,
      ...(input.wrapSec !== undefined ? { wrapSec: input.wrapSec } : {}),
    },
    ...(input.outcomeValue ? { outcomeValue: input.outcomeValue } : {}),
    ...(input.note ? { body: interaction.body ? `${interaction.body}\n${input.note}` : input.note } : {}),
    updatedAt: at,
  }
  await tx.interactions.update(coded)

  const doNotCall: string[] = []
  if (code.flags.addsToDnc) {
    const contact = await tx.contacts.get(interaction.contactId)
    for (const p of contact?.phones ?? []) {
      const entry: DoNotCallEntry = {
        tenantId: tenant,
        id: newId('DoNotCallId') as DoNotCallId,
        phone: p.e164,
        list: 'internal',
        reason: `coded ${code.code} on a call`,
        source: 'disposition',
        createdAt: at,
        updatedAt: at,
      } as DoNotCallEntry
      await addDoNotCall(tx, entry, emit)
      doNotCall.push(p.e164)
    }
  }

  let lead: DispositionResult['lead'] = 'none'
  let retryAt: Date | undefined
  let callback: Callback | undefined
  if (campaign) {
    const active = await tx.callbacks.active(campaign.id, interaction.contactId)
    if (active?.status === 'dialing') {
      const done = { ...active, status: 'done' as const, updatedAt: at }
      await tx.callbacks.update(done)
      await emit('callback.done', { tenantId: tenant, callback: done })
    }
    if (input.callback) {
      callback = await bookInTransaction(tx, emit, {
        tenant,
        at,
        input: {
          contactId: interaction.contactId,
          campaignId: campaign.id,
          ...input.callback,
          ...(input.callback.agentId === undefined && interaction.agentId
            ? { agentId: interaction.agentId }
            : {}),
        },
      })
    }
    const pendingCallback = callback ?? (active?.status === 'scheduled' ? active : undefined)
    const contact = interaction.contactId
    if (code.flags.final && !pendingCallback) {
      if (await tx.leads.settle(campaign.id, contact, { status: 'done', outcome: code.code })) lead = 'done'
    } else if (pendingCallback) {
      // bookInTransaction scheduled the lead; settle a claimed or dialing one to the callback's time
      await tx.leads.settle(campaign.id, contact, {
        status: 'pending',
        outcome: code.code,
        notBefore: pendingCallback.dueAt,
      })
      await tx.leads.schedule(campaign.id, contact, {
        notBefore: pendingCallback.dueAt,
        priority: CALLBACK_PRIORITY,
      })
      lead = 'callback'
      retryAt = pendingCallback.dueAt
    } else if (code.category === 'callback') {
      throw validationFailed('disposition', [
        {
          field: 'callback',
          value: undefined,
          message: `${code.code} books a callback: give its time (localTime or dueAt)`,
        },
      ])
    } else {
      const current = await tx.leads.get(campaign.id, contact)
      const attempts = current?.attempts ?? 0
      if (attempts >= campaign.attempts.max) {
        if (
          await tx.leads.settle(campaign.id, contact, {
            status: 'done',
            outcome: `${code.code} (attempt limit)`,
          })
        )
          lead = 'done'
      } else {
        const delaySec = retryDelayFor(campaign.attempts, code.code, code.category)
        retryAt = new Date(at.getTime() + delaySec * 1000)
        if (
          await tx.leads.settle(campaign.id, contact, {
            status: 'pending',
            outcome: code.code,
            notBefore: retryAt,
          })
        )
          lead = 'retry'
        else retryAt = undefined
      }
    }
  }
  await emit('interaction.disposed', {
    tenantId: tenant,
    interaction: coded,
    code: code.code,
    category: code.category as DispositionCategory,
    lead,
    ...(retryAt ? { retryAt } : {}),
    doNotCall: doNotCall.length > 0,
  })
  return {
    interaction: coded,
    code,
    lead,
    ...(retryAt ? { retryAt } : {}),
    ...(callback ? { callback } : {}),
    doNotCall,
  }
}
