import { Context, Effect, Layer } from 'effect'
import { z } from 'zod'
import type { Contact, ContactPatch } from '../domain/contact.js'
import { type Conflict, conflict, type NotFound, notFound, type ValidationFailed } from '../domain/errors.js'
import { AgentId, InteractionId, newId, type TenantId } from '../domain/ids.js'
import { ScriptNodeId } from '../scripts/condition.js'
import type { ScriptAnswerRefused } from '../scripts/refused.js'
import { replayRun } from '../scripts/replay.js'
import { scriptRunRecord } from '../scripts/run.js'
import type { CallScriptInput } from '../scripts/script.js'
import type { RecordedScriptRun, StoredScript } from '../scripts/stored.js'
import { assertValidScript } from '../scripts/validate.js'
import { Contacts } from './contacts.js'
import { EventLog, type WriteError } from './event-log.js'
import { attempt, invalid, now, parse, Storage, type StoreError, scopedStore } from './runtime.js'

const ScriptId = z.string().min(1).max(128)
const Version = z.number().int().positive()

/** A script to save: `version`, when given, must be the next one (an edit of a stale copy is refused). */
export type ScriptSaveInput = Omit<CallScriptInput, 'version'> & { readonly version?: number }

export const ScriptRunInput = z.strictObject({
  scriptId: ScriptId,
  version: Version,
  /** The nodes visited, the start first. */
  path: z.array(ScriptNodeId).min(1, 'a path starts at the start node').max(10_000),
  /** Question id -> the answer given. */
  answers: z.record(ScriptNodeId, z.unknown()).default({}),
  agentId: AgentId.optional(),
})
export type ScriptRunInput = z.input<typeof ScriptRunInput>

/** What recording a run did: the row, the contact after the fields the outcome set, the disposition it suggests. */
export interface ScriptRecordResult {
  readonly run: RecordedScriptRun
  readonly contact: Contact
  /** The end node's disposition code, for the agent (or the bot) to code the call with. */
  readonly suggestedDisposition?: string
}

/** The contact patch an outcome's `setFields` make (names as given; `attributes.x` merged into the attributes). */
const patchOf = (contact: Contact, setFields: Readonly<Record<string, unknown>>): ContactPatch => {
  const patch: Record<string, unknown> = {}
  const attributes: Record<string, unknown> = {}
  for (const [field, value] of Object.entries(setFields)) {
    if (field.startsWith('attributes.')) attributes[field.slice('attributes.'.length)] = value
    else patch[field] = value
  }
  if (Object.keys(attributes).length) patch.attributes = { ...contact.attributes, ...attributes }
  return patch as ContactPatch
}

/**
 * Call scripts stored and versioned, and their runs recorded on interactions.
 * The same script runs guided (an agent's screen) and headless (a bot or an
 * IVR walks it with core's `startRun` / `answer`); either way the run is
 * recorded here, checked against the version it ran.
 */
export class Scripts extends Context.Service<
  Scripts,
  {
    /**
     * Validates the script (`assertValidScript`: no dead ends, no unreachable
     * nodes...; `ValidationFailed` naming `nodes.<id>.<where>`) and stores it
     * as its next version: versions are never edited. A `version` given that
     * is not the next one is a `Conflict` (someone saved in between).
     *
     * @example
     * ```ts
     * const v1 = await acme.scripts.save({
     *   id: 'renewal', name: 'Renewal call', start: 'hello',
     *   nodes: [
     *     { id: 'hello', kind: 'question', prompt: 'Hello {{contact.firstName}}, still interested?', answer: { type: 'yes_no' },
     *       branches: [{ when: { answer: 'hello', op: 'eq', value: true }, next: 'sold' }], next: 'bye' },
     *     { id: 'sold', kind: 'end', outcome: { disposition: 'SALE' } },
     *     { id: 'bye', kind: 'end', outcome: { disposition: 'NO_INTEREST' } },
     *   ],
     * })
     * console.log(v1.version, (await acme.scripts.get('renewal')).version) // 1 1
     * ```
     */
    save(
      tenant: TenantId,
      script: ScriptSaveInput,
    ): Effect.Effect<StoredScript, ValidationFailed | Conflict | StoreError>
    /** A version of a script, the newest when `version` is not given. */
    get(
      tenant: TenantId,
      id: string,
      version?: number,
    ): Effect.Effect<StoredScript, ValidationFailed | NotFound | StoreError>
    /** The newest version of each script, by id. */
    list(tenant: TenantId): Effect.Effect<StoredScript[], StoreError>
    /**
     * Records a run on the interaction after walking the script's version
     * again with the answers (`replayRun`: an answer a question does not take
     * is a `ScriptAnswerRefused`, a path the answers do not lead along a
     * `ValidationFailed`). A finished run's outcome sets the contact's fields
     * (`contact.updated`) and suggests its disposition code.
     *
     * @example
     * ```ts
     * import type { InteractionId } from '@switchboard/core'
     * declare const interactionId: InteractionId
     * const { run, suggestedDisposition } = await acme.scripts.record(interactionId, {
     *   scriptId: 'renewal', version: 1, path: ['hello', 'sold'], answers: { hello: true },
     * })
     * console.log(run.finished, suggestedDisposition) // true SALE
     * ```
     */
    record(
      tenant: TenantId,
      interactionId: InteractionId,
      input: ScriptRunInput,
    ): Effect.Effect<
      ScriptRecordResult,
      ValidationFailed | NotFound | Conflict | ScriptAnswerRefused | WriteError
    >
    /** The runs recorded on an interaction, oldest first. */
    runs(
      tenant: TenantId,
      interactionId: InteractionId,
    ): Effect.Effect<RecordedScriptRun[], ValidationFailed | StoreError>
  }
>()('@switchboard/core/Scripts') {}

export const ScriptsLive = Layer.effect(
  Scripts,
  Effect.gen(function* () {
    const storage = yield* Storage
    const log = yield* EventLog
    const contacts = yield* Contacts
    const store = (tenant: TenantId) => scopedStore(storage, tenant)
    const get = (tenant: TenantId, id: unknown, version?: unknown) =>
      Effect.gen(function* () {
        const sid = yield* parse('call script', ScriptId, id, 'id')
        const v = yield* parse('call script', Version.optional(), version, 'version')
        const found = yield* attempt('scripts.get', () => store(tenant).scripts.get(sid, v))
        return found ?? (yield* Effect.fail(notFound('call script', v ? `${sid} version ${v}` : sid)))
      })
    return {
      save: (tenant, input) =>
        Effect.gen(function* () {
          if (typeof input !== 'object' || input === null)
            return yield* invalid('call script', '', input, 'must be a call script object')
          const sid = yield* parse('call script', ScriptId, input.id, 'id')
          const given = yield* parse('call script', Version.optional(), input.version, 'version')
          const latest = yield* attempt('scripts.get', () => store(tenant).scripts.get(sid))
          const next = (latest?.version ?? 0) + 1
          if (given !== undefined && given !== next)
            return yield* Effect.fail(
              conflict(
                'call script',
                `${sid} is at version ${latest?.version ?? 0}; version ${given} cannot be saved (the next is ${next}): read the newest and save again`,
              ),
            )
          const script = yield* Effect.try({
            try: () => assertValidScript({ ...input, version: next }),
            catch: (e) => e as ValidationFailed,
          })
          const stored: StoredScript = { ...script, tenantId: tenant, savedAt: yield* now }
          // Two saves racing for one version: the unique key makes the second a Conflict.
          yield* attempt('scripts.insert', () => store(tenant).scripts.insert(stored))
          return stored
        }),
      get,
      list: (tenant) => attempt('scripts.list', () => store(tenant).scripts.list()),
      record: (tenant, interactionId, input) =>
        Effect.gen(function* () {
          const iid = yield* parse('script run', InteractionId, interactionId, 'interactionId')
          const o = yield* parse('script run', ScriptRunInput, input)
          const s = store(tenant)
          const interaction = yield* attempt('interactions.get', () => s.interactions.get(iid))
          if (!interaction) return yield* Effect.fail(notFound('interaction', iid))
          if (o.agentId) {
            const agentId = o.agentId
            if (!(yield* attempt('agents.get', () => s.agents.get(agentId))))
              return yield* invalid('script run', 'agentId', agentId, 'no agent with this id in this tenant')
          }
          const { tenantId: _t, savedAt: _s, ...script } = yield* get(tenant, o.scriptId, o.version)
          const contact = yield* contacts.get(tenant, interaction.contactId)
          const run = yield* Effect.try({
            try: () => replayRun(script, contact, o.path, o.answers),
            catch: (e) => e as ValidationFailed | ScriptAnswerRefused,
          })
          const record = scriptRunRecord(run)
          // The fields first: a value the contact refuses (too long a name) fails before anything is recorded.
          const setFields = record.outcome?.setFields ?? {}
          const updated = Object.keys(setFields).length
            ? yield* contacts.update(tenant, contact.mergedInto ?? contact.id, patchOf(contact, setFields))
            : contact
          const row: RecordedScriptRun = {
            tenantId: tenant,
            id: newId('ScriptRunId'),
            interactionId: iid,
            contactId: interaction.contactId,
            ...((o.agentId ?? interaction.agentId) ? { agentId: (o.agentId ?? interaction.agentId)! } : {}),
            scriptId: record.scriptId,
            scriptVersion: record.scriptVersion,
            path: [...record.path],
            answers: { ...record.answers },
            finished: record.finished,
            ...(record.outcome
              ? {
                  outcome: {
                    endNode: record.outcome.endNode,
                    setFields: { ...record.outcome.setFields },
                    ...(record.outcome.disposition ? { disposition: record.outcome.disposition } : {}),
                  },
                }
              : {}),
            recordedAt: yield* now,
          }
          yield* log.write(tenant, 'scripts.recordRun', (tx) => tx.scripts.recordRun(row)) as Effect.Effect<
            void,
            WriteError
          >
          return {
            run: row,
            contact: updated,
            ...(record.outcome?.disposition ? { suggestedDisposition: record.outcome.disposition } : {}),
          }
        }),
      runs: (tenant, interactionId) =>
        Effect.gen(function* () {
          const iid = yield* parse('script runs', InteractionId, interactionId, 'interactionId')
          return yield* attempt('scripts.runs', () => store(tenant).scripts.runs(iid))
        }),
    }
  }),
)
