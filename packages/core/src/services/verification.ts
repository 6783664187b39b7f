import { Context, Effect, Layer } from 'effect'
import { z } from 'zod'
import {
  VERIFICATION_FIELDS,
  type VerificationQuestion,
  type VerificationResult,
  verificationQuestions,
  verifyCandidates,
} from '../desk/verification.js'
import type { Contact } from '../domain/contact.js'
import { type NotFound, notFound, type ValidationFailed } from '../domain/errors.js'
import type { IdentityCheck } from '../domain/identity-check.js'
import { AgentId, ContactId, IdentityCheckId, InteractionId, newId, type TenantId } from '../domain/ids.js'
import { EventLog, type WriteError } from './event-log.js'
import { attempt, invalid, now, parse, Storage, type StoreError, scopedStore } from './runtime.js'

/** Candidates by id, or the contacts themselves (a screen pop's `candidates`). */
const Candidates = z
  .array(z.union([ContactId, z.object({ id: ContactId }).transform((c) => c.id)]))
  .max(50, 'at most 50 candidates: narrow the search first')
export type VerificationCandidates = ReadonlyArray<ContactId | { readonly id: ContactId }>

const Answers = z
  .strictObject(
    Object.fromEntries(VERIFICATION_FIELDS.map((f) => [f, z.string().trim().min(1).max(200).optional()])) as {
      [K in (typeof VERIFICATION_FIELDS)[number]]: z.ZodOptional<z.ZodString>
    },
  )
  .refine((a) => Object.values(a).some((v) => v !== undefined), 'answer at least one question')

export const VerifyOptions = z
  .strictObject({
    /** Log the result on this interaction (it must exist in this tenant). */
    interactionId: InteractionId.optional(),
    /** And/or on this call (an unidentified caller's call may have no interaction yet). */
    callId: z.string().min(1).max(256).optional(),
    agentId: AgentId.optional(),
  })
  .optional()
export type VerifyOptions = z.input<typeof VerifyOptions>

/** `verify`'s answer: the result, and the logged check when it was logged. */
export type VerifyOutcome = VerificationResult & { readonly logged?: IdentityCheck }

export const ChecksFilter = z
  .strictObject({ interactionId: InteractionId.optional(), callId: z.string().min(1).max(256).optional() })
  .refine((f) => f.interactionId !== undefined || f.callId !== undefined, 'name an interactionId or a callId')

/**
 * Identity verification of a caller whose number is unknown, withheld or
 * shared: the questions over the candidates' data, the answers narrowing
 * them to one contact or none, and the result logged on the interaction (a
 * row of its own: an interaction may not exist yet for an unidentified
 * caller, a call may take several attempts, and the log keeps which fields
 * matched, not what the caller said).
 */
export class Verification extends Context.Service<
  Verification,
  {
    /**
     * What to ask to tell the candidates apart (fields they have on file, the
     * most telling first): date of birth, postcode, last four digits of a
     * phone or card, e-mail, account number.
     *
     * @example
     * ```ts
     * const pop = await acme.contacts.screenPop('+34 612 345 678')
     * if (pop.status === 'ambiguous') {
     *   const questions = await acme.contacts.verification(pop.candidates)
     *   const said = { [questions[0]!.field]: '13/04/1961' }
     *   const result = await acme.contacts.verify(pop.candidates, said, { callId: 'call-1' })
     *   if (result.status === 'verified') console.log(result.contact.displayName)
     * }
     * ```
     */
    verification(
      tenant: TenantId,
      candidates: VerificationCandidates,
    ): Effect.Effect<VerificationQuestion[], ValidationFailed | NotFound | StoreError>
    /**
     * Narrows the candidates with the caller's answers (compared normalised)
     * to one contact (`verified`), none (`failed`) or several still
     * (`ambiguous`, with the questions left). Logged when an interaction or a
     * call is named.
     */
    verify(
      tenant: TenantId,
      candidates: VerificationCandidates,
      answers: z.input<typeof Answers>,
      options?: VerifyOptions,
    ): Effect.Effect<VerifyOutcome, ValidationFailed | NotFound | WriteError>
    /** The logged checks of an interaction or a call, oldest first. */
    verifications(
      tenant: TenantId,
      filter: z.input<typeof ChecksFilter>,
    ): Effect.Effect<IdentityCheck[], ValidationFailed | StoreError>
  }
>()('@switchboard/core/Verification') {}

export const VerificationLive = Layer.effect(
  Verification,
  Effect.gen(function* () {
    const storage = yield* Storage
    const log = yield* EventLog
    const store = (tenant: TenantId) => scopedStore(storage, tenant)
    /** The candidates of this tenant, a merged one as its survivor, each once. */
    const load = (tenant: TenantId, input: unknown) =>
      Effect.gen(function* () {
        const ids = yield* parse('verification', Candidates, input, 'candidates')
        const s = store(tenant)
        const found = yield* attempt('contacts.getMany', () => s.contacts.getMany([...new Set(ids)]))
        const missing = ids.find((id) => !found.some((c) => c.id === id))
        if (missing) return yield* Effect.fail(notFound('contact', missing))
        const survivors = found.flatMap((c) => (c.mergedInto ? [c.mergedInto] : []))
        const more = survivors.length
          ? yield* attempt('contacts.getMany', () => s.contacts.getMany(survivors))
          : []
        const out = new Map<string, Contact>()
        for (const c of [...found.filter((c) => !c.mergedInto), ...more]) out.set(c.id, c)
        return [...out.values()]
      })
    return {
      verification: (tenant, candidates) =>
        Effect.map(load(tenant, candidates), (contacts) => verificationQuestions(contacts)),
      verify: (tenant, candidates, answers, options) =>
        Effect.gen(function* () {
          const contacts = yield* load(tenant, candidates)
          const given = yield* parse('verification', Answers, answers, 'answers')
          const o = (yield* parse('verification', VerifyOptions, options, 'options')) ?? {}
          if (o.interactionId) {
            const iid = o.interactionId
            const i = yield* attempt('interactions.get', () => store(tenant).interactions.get(iid))
            if (!i)
              return yield* invalid(
                'verification',
                'options.interactionId',
                iid,
                'no interaction with this id in this tenant',
              )
          }
          if (o.agentId) {
            const agentId = o.agentId
            if (!(yield* attempt('agents.get', () => store(tenant).agents.get(agentId))))
              return yield* invalid(
                'verification',
                'options.agentId',
                agentId,
                'no agent with this id in this tenant',
              )
          }
          const result = verifyCandidates(contacts, given)
          if (!o.interactionId && !o.callId) return result
          const logged: IdentityCheck = {
            tenantId: tenant,
            id: IdentityCheckId.parse(newId('IdentityCheckId')),
            ...(o.interactionId ? { interactionId: o.interactionId } : {}),
            ...(o.callId ? { callId: o.callId } : {}),
            ...(o.agentId ? { agentId: o.agentId } : {}),
            candidates: contacts.map((c) => c.id),
            asked: VERIFICATION_FIELDS.filter((f) => given[f] !== undefined),
            status: result.status,
            ...(result.status === 'verified' ? { contactId: result.contact.id } : {}),
            checks: result.checks,
            checkedAt: yield* now,
          }
          yield* log.write(tenant, 'identityChecks.append', (tx) =>
            tx.identityChecks.append(logged),
          ) as Effect.Effect<void, WriteError>
          return { ...result, logged }
        }),
      verifications: (tenant, filter) =>
        Effect.gen(function* () {
          const f = yield* parse('verifications', ChecksFilter, filter, 'filter')
          return yield* attempt('identityChecks.list', () =>
            store(tenant).identityChecks.list({
              ...(f.interactionId ? { interactionId: f.interactionId } : {}),
              ...(f.callId ? { callId: f.callId } : {}),
            }),
          )
        }),
    }
  }),
)
