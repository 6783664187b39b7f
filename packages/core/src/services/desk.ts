import { Context, Effect, Layer } from 'effect'
import { z } from 'zod'
import { BusinessCalendar, type BusinessCalendarInput } from '../desk/calendar.js'
import {
  DESK_ESCALATOR,
  type EscalationDue,
  escalationDue,
  type KnowledgeLookup,
} from '../desk/escalation.js'
import type { DeskKpis } from '../desk/kpis.js'
import { pickAgent } from '../desk/pick-agent.js'
import {
  orderQueue,
  QueueWeights,
  type QueueWeightsInput,
  type ScoredItem,
  type WorkItem,
} from '../desk/queue.js'
import { type SlaClocks, SlaPolicy, type SlaPolicyInput, slaClocks } from '../desk/sla.js'
import { type Case, DeskKey, EscalationTier } from '../domain/case.js'
import { currencyDigits, Timestamp } from '../domain/common.js'
import { type NotFound, notFound, type ValidationFailed } from '../domain/errors.js'
import { type AgentId, CaseId, newId, QueueId, SkillId, type TenantId } from '../domain/ids.js'
import { Text } from '../domain/text.js'
import type { TenantStore } from '../plugins/storage.js'
import { EventLog, type WriteError } from './event-log.js'
import { attempt, invalid, now, parse, Storage, type StoreError, scopedStore } from './runtime.js'

/** A tier as a host defines it; the same `code` again replaces that tier (its id stays). */
export const TierInput = z.strictObject({
  code: z.string().min(1).max(32),
  name: Text.requiredName,
  level: z.number().int().min(1).max(100),
  skills: z.array(SkillId).max(50).default([]),
  slaPolicy: DeskKey.optional(),
})
export type TierInput = z.input<typeof TierInput>

/** The policy a case with no tier policy runs on. */
export const DEFAULT_POLICY = 'default'

export const SweepInput = z
  .strictObject({
    /** Contacts with this tag are VIPs (default "vip"). */
    vipTag: z.string().min(1).max(64).default('vip'),
    /** The lowest tier level a VIP's case belongs at (default: one above where it is). */
    vipLevel: z.number().int().min(1).optional(),
  })
  .default({ vipTag: 'vip' })
export type SweepInput = z.input<typeof SweepInput>

export interface SweepResult {
  /** Open and pending cases looked at. */
  readonly checked: number
  /** The escalations made, each once. */
  readonly escalated: ReadonlyArray<{ readonly caseId: CaseId } & EscalationDue>
}

export interface CaseClocks {
  readonly policy: SlaPolicy
  readonly clocks: SlaClocks
}

/** A case in the queue, with the CRM's facts that scored it. */
export interface CaseWorkItem extends WorkItem {
  readonly kind: 'case'
  readonly case: Case
}

export const QueueInput = z
  .strictObject({
    queueId: QueueId.optional(),
    weights: QueueWeights.optional(),
    limit: z.number().int().min(1).max(1000).default(100),
  })
  .default({ limit: 100 })
export type QueueInput = z.input<typeof QueueInput> & { readonly weights?: QueueWeightsInput }

const PAGE = 500

export const AssignInput = z
  .strictObject({
    /** The most open cases an agent may hold (default 5). */
    capacity: z.number().int().min(1).max(1000).default(5),
    by: z.string().min(1).max(128).optional(),
  })
  .default({ capacity: 5 })
export type AssignInput = z.input<typeof AssignInput>

export interface AssignResult {
  /** The agent the case went to; none when nobody could take it. */
  readonly agentId?: string
  readonly why: string
  readonly case: Case
}

export const KpiRange = z
  .strictObject({
    from: Timestamp,
    to: Timestamp,
    /** A contact within this many days after another of the same customer is a repeat (default 7). */
    repeatWindowDays: z.number().int().min(1).max(366).default(7),
    /** How many customers `byCustomer` lists (default 20). */
    customers: z.number().int().min(0).max(1000).default(20),
  })
  .refine((r) => r.from < r.to, { message: '`from` must be before `to`', path: ['to'] })
export type KpiRange = z.input<typeof KpiRange>

export class Desk extends Context.Service<
  Desk,
  {
    /** Defines (or, by `code`, replaces) an escalation tier. */
    defineTier(
      tenant: TenantId,
      input: TierInput,
    ): Effect.Effect<EscalationTier, ValidationFailed | StoreError>
    /** The tiers, lowest level first. */
    tiers(tenant: TenantId): Effect.Effect<EscalationTier[], StoreError>
    /** Defines (or, by `key`, replaces) a business calendar. */
    defineCalendar(
      tenant: TenantId,
      input: BusinessCalendarInput,
    ): Effect.Effect<BusinessCalendar, ValidationFailed | StoreError>
    calendars(tenant: TenantId): Effect.Effect<BusinessCalendar[], StoreError>
    /** Defines (or, by `key`, replaces) an SLA policy; its calendar must exist. Key `default`: cases whose tier names none. */
    definePolicy(
      tenant: TenantId,
      input: SlaPolicyInput,
    ): Effect.Effect<SlaPolicy, ValidationFailed | StoreError>
    policies(tenant: TenantId): Effect.Effect<SlaPolicy[], StoreError>
    /** A case's SLA clocks now (or at `at`), or undefined when no policy applies to it. */
    clocks(
      tenant: TenantId,
      id: CaseId,
      at?: Date,
    ): Effect.Effect<CaseClocks | undefined, ValidationFailed | NotFound | StoreError>
    /** Records the case's first response (once: a later call keeps the first). */
    respond(
      tenant: TenantId,
      id: CaseId,
      by?: string,
    ): Effect.Effect<Case, ValidationFailed | NotFound | WriteError>
    /**
     * Escalates a case whose current tier does not know its fault (the lookup found nothing), once per case.
     * Returns the escalation, or undefined when none was due (found answers, already escalated, top tier).
     */
    unknownFault(
      tenant: TenantId,
      id: CaseId,
      lookup: KnowledgeLookup,
    ): Effect.Effect<EscalationDue | undefined, ValidationFailed | NotFound | WriteError>
    /**
     * Escalates every open or pending case that is due (SLA breached or
     * within its policy's lead time, VIP contact), each escalation once even
     * when sweeps overlap: history (from, to, why, who), `case.escalated`,
     * in one transaction per case. Run it every minute or so: it also
     * records a case's first breach (`sla.breachedAt`), which the KPIs read.
     *
     * @example
     * ```ts
     * const { checked, escalated } = await acme.desk.sweep({ vipTag: 'vip', vipLevel: 3 })
     * for (const e of escalated) console.log(e.caseId, `${e.fromTier} -> ${e.toTier}`, e.reason, e.note)
     * const order = await acme.desk.queue({ weights: { sla: 5 } })
     * console.log(checked, order[0]?.explanation) // 12 'score 6.2: sla 4.1 (600s left), value 2.1 (120)'
     * ```
     */
    sweep(tenant: TenantId, input?: SweepInput): Effect.Effect<SweepResult, ValidationFailed | WriteError>
    /**
     * The service KPIs over `[from, to)`, computed in the database: backlog by
     * tier, escalation rate, SLA attainment (of the breaches sweeps recorded), time per tier.
     */
    kpis(tenant: TenantId, range: KpiRange): Effect.Effect<DeskKpis, ValidationFailed | StoreError>
    /**
     * Hands an open case to an agent: among the agents logged in and not
     * paused who have every skill the case needs (their session's skills)
     * and hold fewer than `capacity` open cases, the least loaded (see
     * `pickAgent`). Returns the pick and why, or why nobody could take it.
     */
    assign(
      tenant: TenantId,
      id: CaseId,
      input?: AssignInput,
    ): Effect.Effect<AssignResult, ValidationFailed | NotFound | WriteError>
    /** The open cases (of a queue) in the order to work them, each with its score explained. */
    queue(
      tenant: TenantId,
      input?: QueueInput,
    ): Effect.Effect<ScoredItem<CaseWorkItem>[], ValidationFailed | StoreError>
  }
>()('@switchboard/core/Desk') {}

interface Settings {
  readonly tiers: EscalationTier[]
  readonly calendars: Map<string, BusinessCalendar>
  readonly policies: Map<string, SlaPolicy>
}

const settingsOf = (s: TenantStore) =>
  attempt('desk.settings', async (): Promise<Settings> => {
    const [tiers, calendars, policies] = await Promise.all([
      s.desk.tiers(),
      s.desk.calendars(),
      s.desk.policies(),
    ])
    return {
      tiers,
      calendars: new Map(calendars.map((c) => [c.key, c])),
      policies: new Map(policies.map((p) => [p.key, p])),
    }
  })

/** The case's policy and its clocks at `at`, when a policy (and its calendar) applies. */
const clocksOf = (settings: Settings, c: Case, at: Date): CaseClocks | undefined => {
  const tier = settings.tiers.find((t) => t.id === c.tierId)
  const policy = settings.policies.get(tier?.slaPolicy ?? DEFAULT_POLICY)
  const calendar = policy && settings.calendars.get(policy.calendar)
  return policy && calendar ? { policy, clocks: slaClocks(c, policy, calendar, at) } : undefined
}

/** What a sweep or a fault report decided for a case: the case to write, and the escalation if there is one. */
interface Decision {
  readonly next: Case
  readonly due?: EscalationDue
}

const CLOCK_NAMES = { firstResponse: 'first response', resolution: 'resolution' } as const

/** The case with its first SLA breach recorded (`breachedAt`, an `sla_breached` entry), once. */
const withBreach = (c: Case, clocks: SlaClocks | undefined, at: Date): Case => {
  if (c.sla.breachedAt || !clocks) return c
  const k = clocks.firstResponse.breached
    ? 'firstResponse'
    : clocks.resolution.breached
      ? 'resolution'
      : undefined
  const breachedAt = k && clocks[k].breachedAt
  if (!k || !breachedAt) return c
  return {
    ...c,
    updatedAt: at,
    sla: { ...c.sla, breachedAt },
    history: [
      ...c.history,
      {
        at,
        type: 'sla_breached',
        reason: `${CLOCK_NAMES[k]} target passed at ${breachedAt.toISOString()}`,
        by: DESK_ESCALATOR,
      },
    ],
  }
}

/** The case after an escalation: new tier, the clocks' due times, an `escalated` entry. */
const escalated = (c: Case, due: EscalationDue, clocks: SlaClocks | undefined, at: Date): Case => ({
  ...c,
  tierId: due.toTier,
  updatedAt: at,
  sla: {
    ...c.sla,
    ...(clocks?.firstResponse.dueAt ? { firstResponseDueAt: clocks.firstResponse.dueAt } : {}),
    ...(clocks?.resolution.dueAt ? { resolutionDueAt: clocks.resolution.dueAt } : {}),
  },
  history: [
    ...c.history,
    {
      at,
      type: 'escalated',
      ...(due.fromTier ? { from: due.fromTier } : {}),
      to: due.toTier,
      reason: `${due.reason}: ${due.note}`,
      by: DESK_ESCALATOR,
    },
  ],
})

export const DeskLive = Layer.effect(
  Desk,
  Effect.gen(function* () {
    const storage = yield* Storage
    const log = yield* EventLog
    const store = (tenant: TenantId) => scopedStore(storage, tenant)
    const getCase = (tenant: TenantId, id: unknown) =>
      Effect.gen(function* () {
        const cid = yield* parse('case', CaseId, id, 'id')
        const c = yield* attempt('cases.get', () => store(tenant).cases.get(cid))
        return c ?? (yield* Effect.fail(notFound('case', cid)))
      })
    /**
     * Decides on the stored case inside the write and writes only if nobody
     * changed it since (compare-and-set): overlapping sweeps escalate once.
     */
    const escalateIfDue = (
      tenant: TenantId,
      id: CaseId,
      decide: (c: Case, at: Date) => Decision | undefined,
    ) =>
      Effect.gen(function* () {
        const at = yield* now
        return yield* log.write(tenant, 'desk.escalate', async (tx, emit) => {
          const c = await tx.cases.get(id)
          const d = c && decide(c, at)
          if (!c || !d) return undefined
          if (!(await tx.cases.replace(d.next, c.updatedAt))) return undefined
          if (d.due) await emit('case.escalated', { tenantId: tenant, case: d.next, reason: d.due.reason })
          return d.due
        }) as Effect.Effect<EscalationDue | undefined, WriteError>
      })
    return {
      defineTier: (tenant, input) =>
        Effect.gen(function* () {
          const t = yield* parse('escalation tier', TierInput, input)
          const s = store(tenant)
          const existing = (yield* attempt('desk.tiers', () => s.desk.tiers())).find((x) => x.code === t.code)
          const at = yield* now
          const tier = EscalationTier.parse({
            ...t,
            id: existing?.id ?? newId('EscalationTierId'),
            tenantId: tenant,
            createdAt: existing?.createdAt ?? at,
            updatedAt: at,
          })
          yield* attempt('desk.putTier', () => s.desk.putTier(tier))
          return tier
        }),
      tiers: (tenant) => attempt('desk.tiers', () => store(tenant).desk.tiers()),
      defineCalendar: (tenant, input) =>
        Effect.gen(function* () {
          const c = yield* parse('business calendar', BusinessCalendar, input)
          const at = yield* now
          yield* attempt('desk.putCalendar', () => store(tenant).desk.putCalendar(c, at))
          return c
        }),
      calendars: (tenant) => attempt('desk.calendars', () => store(tenant).desk.calendars()),
      definePolicy: (tenant, input) =>
        Effect.gen(function* () {
          const p = yield* parse('SLA policy', SlaPolicy, input)
          const s = store(tenant)
          const calendars = yield* attempt('desk.calendars', () => s.desk.calendars())
          if (!calendars.some((c) => c.key === p.calendar)) {
            return yield* invalid(
              'SLA policy',
              'calendar',
              p.calendar,
              'no business calendar with this key in this tenant',
            )
          }
          const at = yield* now
          yield* attempt('desk.putPolicy', () => s.desk.putPolicy(p, at))
          return p
        }),
      policies: (tenant) => attempt('desk.policies', () => store(tenant).desk.policies()),
      clocks: (tenant, id, at) =>
        Effect.gen(function* () {
          const when = at === undefined ? yield* now : yield* parse('SLA clocks', z.date(), at, 'at')
          const c = yield* getCase(tenant, id)
          return clocksOf(yield* settingsOf(store(tenant)), c, when)
        }),
      respond: (tenant, id, by) =>
        Effect.gen(function* () {
          const c = yield* getCase(tenant, id)
          const who = yield* parse('first response', z.string().min(1).max(128).optional(), by, 'by')
          if (c.sla.firstRespondedAt) return c
          const at = yield* now
          const next: Case = {
            ...c,
            updatedAt: at,
            sla: { ...c.sla, firstRespondedAt: at },
            history: [...c.history, { at, type: 'responded', ...(who ? { by: who } : {}) }],
          }
          yield* log.write(tenant, 'desk.respond', (tx) => tx.cases.update(next)) as Effect.Effect<
            void,
            WriteError
          >
          return next
        }),
      unknownFault: (tenant, id, lookup) =>
        Effect.gen(function* () {
          const c = yield* getCase(tenant, id)
          const k = yield* parse(
            'knowledge lookup',
            z.strictObject({ query: Text.label, found: z.number().int().min(0) }),
            lookup,
          )
          const settings = yield* settingsOf(store(tenant))
          return yield* escalateIfDue(tenant, c.id, (fresh, at) => {
            const due = escalationDue({ case: fresh, tiers: settings.tiers, knowledge: k })
            return due?.reason === 'unknown_fault'
              ? { next: escalated(fresh, due, undefined, at), due }
              : undefined
          })
        }),
      sweep: (tenant, input) =>
        Effect.gen(function* () {
          const o = yield* parse('sweep', SweepInput, input)
          const s = store(tenant)
          const out: Array<{ caseId: CaseId } & EscalationDue> = []
          let checked = 0
          const settings = yield* settingsOf(s)
          const started = yield* now
          let after: CaseId | undefined
          for (;;) {
            const page = yield* attempt('cases.listOpen', () =>
              s.cases.listOpen({ limit: PAGE, ...(after ? { after } : {}) }),
            )
            if (!page.length) break
            after = page.at(-1)!.id
            checked += page.length
            const contacts = yield* attempt('contacts.getMany', () =>
              s.contacts.getMany([...new Set(page.map((c) => c.contactId))]),
            )
            const vips = new Set(contacts.filter((c) => c.tags.includes(o.vipTag)).map((c) => c.id))
            const decide = (fresh: Case, at: Date): Decision | undefined => {
              const measured = clocksOf(settings, fresh, at)
              const base = withBreach(fresh, measured?.clocks, at)
              const due = escalationDue({
                case: base,
                tiers: settings.tiers,
                ...(measured ? { clocks: measured.clocks, leadSec: measured.policy.escalateLeadSec } : {}),
                vip: vips.has(fresh.contactId),
                ...(o.vipLevel ? { vipLevel: o.vipLevel } : {}),
              })
              if (due) return { next: escalated(base, due, measured?.clocks, at), due }
              return base === fresh ? undefined : { next: base }
            }
            for (const c of page) {
              // Only a case due something is written (and decided again on its fresh row).
              if (!decide(c, started)) continue
              const result = yield* escalateIfDue(tenant, c.id, decide)
              if (result) out.push({ caseId: c.id, ...result })
            }
            if (page.length < PAGE) break
          }
          return { checked, escalated: out }
        }),
      assign: (tenant, id, input) =>
        Effect.gen(function* () {
          const o = yield* parse('assignment', AssignInput, input)
          const c = yield* getCase(tenant, id)
          if (c.status !== 'open' && c.status !== 'pending') {
            return yield* invalid('assignment', 'id', c.id, `the case is ${c.status}; reopen it first`)
          }
          const s = store(tenant)
          const sessions = yield* attempt('agentSessions.open', () => s.agentSessions.open())
          const load = new Map<string, number>()
          for (let after: CaseId | undefined; ; ) {
            const page = yield* attempt('cases.listOpen', () =>
              s.cases.listOpen({ limit: PAGE, ...(after ? { after } : {}) }),
            )
            for (const x of page) if (x.assigneeId) load.set(x.assigneeId, (load.get(x.assigneeId) ?? 0) + 1)
            if (page.length < PAGE) break
            after = page.at(-1)!.id
          }
          const pick = pickAgent(
            c,
            sessions.map((x) => ({
              id: x.agentId,
              skills: new Map(x.skills.map((k) => [k.skillId as string, k.level])),
              available: x.state !== 'paused' && x.state !== 'offline',
              load: load.get(x.agentId) ?? 0,
              capacity: o.capacity,
            })),
          )
          if (!pick.agentId) return { why: pick.why, case: c }
          const agentId = pick.agentId as AgentId
          const at = yield* now
          const next: Case = {
            ...c,
            assigneeId: agentId,
            updatedAt: at,
            history: [
              ...c.history,
              {
                at,
                type: 'assigned',
                ...(c.assigneeId ? { from: c.assigneeId } : {}),
                to: agentId,
                reason: pick.why,
                by: o.by ?? DESK_ESCALATOR,
              },
            ],
          }
          const written = yield* log.write(tenant, 'desk.assign', (tx) => tx.cases.replace(next, c.updatedAt))
          if (!written) {
            return {
              why: 'the case changed while it was being assigned; try again',
              case: yield* getCase(tenant, c.id),
            }
          }
          return { agentId, why: pick.why, case: next }
        }),
      kpis: (tenant, range) =>
        Effect.gen(function* () {
          const r = yield* parse('desk KPIs', KpiRange, range)
          return yield* attempt('desk.kpis', () => store(tenant).desk.kpis(r))
        }),
      queue: (tenant, input) =>
        Effect.gen(function* () {
          const o = yield* parse('queue', QueueInput, input)
          const w = QueueWeights.parse(o.weights ?? {})
          const s = store(tenant)
          const at = yield* now
          const settings = yield* settingsOf(s)
          const open: Case[] = []
          for (let after: CaseId | undefined; ; ) {
            const page = yield* attempt('cases.listOpen', () =>
              s.cases.listOpen({ limit: PAGE, ...(after ? { after } : {}) }),
            )
            open.push(...page)
            if (page.length < PAGE) break
            after = page.at(-1)!.id
          }
          const perContact = new Map<string, number>()
          const perAgent = new Map<string, number>()
          for (const c of open) {
            perContact.set(c.contactId, (perContact.get(c.contactId) ?? 0) + 1)
            if (c.assigneeId) perAgent.set(c.assigneeId, (perAgent.get(c.assigneeId) ?? 0) + 1)
          }
          const inQueue = open.filter((c) => !o.queueId || c.queueId === o.queueId)
          const contactIds = [...new Set(inQueue.map((c) => c.contactId))]
          const contacts = new Map(
            (yield* attempt('contacts.getMany', () => s.contacts.getMany(contactIds))).map((c) => [c.id, c]),
          )
          const since = new Date(at.getTime() - w.repeatWindowDays * 86_400_000)
          const repeats = new Map<string, number>()
          for (const id of contactIds) {
            const recent = yield* attempt('interactions.find', () =>
              s.interactions.find({ contactId: id as Case['contactId'], from: since, limit: 1000 }),
            )
            repeats.set(id, recent.length)
          }
          const items: CaseWorkItem[] = inQueue.map((c) => {
            const measured = clocksOf(settings, c, at)
            const running = measured
              ? [measured.clocks.firstResponse, measured.clocks.resolution].filter(
                  (k) => k.state === 'running',
                )
              : []
            const ltv = contacts.get(c.contactId)?.lifetimeValue
            return {
              id: c.id,
              kind: 'case',
              case: c,
              enqueuedAt: c.createdAt,
              customerValue: ltv ? ltv.amountMinor / 10 ** (currencyDigits(ltv.currency) ?? 2) : 0,
              openCases: (perContact.get(c.contactId) ?? 1) - 1,
              repeatContacts: repeats.get(c.contactId) ?? 0,
              ...(running.length ? { slaLeftSec: Math.min(...running.map((k) => k.leftSec)) } : {}),
              ownerLoad: c.assigneeId ? (perAgent.get(c.assigneeId) ?? 0) : 0,
              skills: c.skills,
            }
          })
          return orderQueue(items, w).slice(0, o.limit)
        }),
    }
  }),
)
