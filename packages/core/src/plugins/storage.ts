import type { BusinessCalendar } from '../desk/calendar.js'
import type { DeskKpis } from '../desk/kpis.js'
import type { SlaPolicy } from '../desk/sla.js'
import type { Agent } from '../domain/agent.js'
import type { AgentSession, AgentStateChange } from '../domain/agent-session.js'
import type { Callback, CallbackStatus } from '../domain/callback.js'
import type { Campaign } from '../domain/campaign.js'
import type { Case, EscalationTier } from '../domain/case.js'
import type { ConsentRecord, DoNotCallEntry } from '../domain/consent.js'
import type { ConsentAuditSettings, ConsentDecisionLog, TimeRange } from '../domain/consent-audit.js'
import type { Contact } from '../domain/contact.js'
import type { DispositionCategory, DispositionCode } from '../domain/disposition.js'
import type { DncRegistry, DncRegistryHit, DncRegistryVersion } from '../domain/dnc-registry.js'
import type { IdentityCheck } from '../domain/identity-check.js'
import type {
  AgentId,
  AgentSessionId,
  CallbackId,
  CampaignId,
  CaseId,
  ContactId,
  EventId,
  InteractionId,
  RecordingId,
  RuleFiringId,
  RuleId,
  SegmentId,
  TenantId,
} from '../domain/ids.js'
import type { Interaction } from '../domain/interaction.js'
import type { LockKind, SoftLock } from '../domain/lock.js'
import type { ConsentPurpose } from '../domain/purpose.js'
import type { Recording } from '../domain/recording.js'
import type { Rule, RuleFiring, StoredEvent } from '../domain/rule.js'
import type { Segment, SegmentChanges, SegmentFilter, SegmentSnapshot } from '../domain/segment.js'
import type { RecordedScriptRun, StoredScript } from '../scripts/stored.js'
import type { PluginMigration } from './migration.js'

/**
 * What differs between backends is described by flags, never by subclasses
 * (the kysely way): core and the conformance suite branch on these.
 */
export interface StorageCapabilities {
  /** Several processes may write at once (PostgreSQL); SQLite has a single writer. */
  readonly concurrentWriters: boolean
  /** Row locks that concurrent claimers skip (`FOR UPDATE SKIP LOCKED`). */
  readonly skipLocked: boolean
  /** How `contacts.insertMany` writes: batched multi-row inserts or a COPY stream. */
  readonly bulkInsert: 'batched-insert' | 'copy'
  /** Rows per `insertMany` call the backend handles best. */
  readonly preferredBatchSize: number
}

export interface Page {
  readonly limit?: number
  /** Keyset cursor: return rows whose id sorts after this one. */
  readonly after?: string
}

export interface ContactFilter extends Page {
  readonly lifecycle?: Contact['lifecycle']
  readonly includeMerged?: boolean
}

/**
 * A contact on a campaign's dialing list. `pending` leads are handed out by
 * `leads.claim`, which is atomic: concurrent claimers (dialer workers, on one
 * machine or many) never receive the same lead twice. A claimed lead becomes
 * `dialing` when its dial is permitted (`leads.permit`, atomic against
 * `suppressContact`), and `pending` again (a retry, a callback) or `done`
 * when the call is coded.
 */
export type LeadStatus = 'pending' | 'claimed' | 'dialing' | 'done' | 'suppressed'

export interface Lead {
  readonly campaignId: CampaignId
  readonly contactId: ContactId
  readonly status: LeadStatus
  /** Higher is claimed first; ties go by enqueue time, then contact id. */
  readonly priority: number
  /** How many times the lead was claimed. */
  readonly attempts: number
  /** Not claimable before this time (a retry delay, a callback). */
  readonly notBefore?: Date
  /** The worker holding (or that last held) the claim. */
  readonly claimedBy?: string
  readonly claimedAt?: Date
  /** Set by `complete`. */
  readonly outcome?: string
  /** Set by `suppressContact` (it paid, it opted out). */
  readonly suppressedReason?: string
  /** The call of the permitted dial (status `dialing`), or of the last one. */
  readonly callId?: string
  /** The list the lead came from (a saved segment's id, an import's name), for reports by list. */
  readonly listId?: string
  readonly enqueuedAt: Date
  readonly updatedAt: Date
}

export interface LeadCounts {
  readonly pending: number
  readonly claimed: number
  readonly dialing: number
  readonly done: number
  readonly suppressed: number
  readonly total: number
}

export interface LeadClaim {
  /** Who claims: a dialer worker's id, recorded on the lead. */
  readonly worker: string
  /** At most this many leads (a dialer claims in small batches). */
  readonly limit: number
  /** The clock, for `notBefore` (default: now). */
  readonly now?: Date
  /**
   * Within a priority, claim by this plugin column (highest first, leads
   * without a row last) instead of first-in, first-out: an expected value.
   */
  readonly order?: LeadOrder
}

/** A column of a plugin's table, keyed by contact, that orders a claim (see `LeadClaim.order`). */
export interface LeadOrder {
  /** A table a plugin migration created. */
  readonly table: string
  readonly column: string
  /** The column holding the contact id (default `contact_id`). */
  readonly contactColumn?: string
}

/** A filter over interactions; every given field must match. */
export interface InteractionFilter {
  readonly campaignId?: CampaignId
  readonly agentId?: AgentId
  readonly contactId?: ContactId
  readonly disposition?: string
  /** Started at or after. */
  readonly from?: Date
  /** Started before. */
  readonly to?: Date
  /** Talk time at most this many seconds. */
  readonly maxTalkSec?: number
  /** Only interactions not ended yet (`true`) or only ended ones (`false`). */
  readonly open?: boolean
  readonly channel?: Interaction['channel']
  readonly limit?: number
  /** Keyset cursor: an interaction id. */
  readonly after?: string
}

/** A filter over callbacks; every given field must match. */
export interface CallbackFilter {
  readonly campaignId?: CampaignId
  readonly contactId?: ContactId
  readonly agentId?: AgentId
  readonly status?: ReadonlyArray<CallbackStatus>
  /** Due at or before. */
  readonly dueBefore?: Date
  readonly limit?: number
}

/** Who runs a campaign until when. */
export interface CampaignLease {
  readonly campaignId: CampaignId
  readonly owner: string
  readonly until: Date
  /** Grows by one at each change of owner: a fencing token. */
  readonly fence: number
  readonly acquiredAt: Date
}

/** What a screen pop needs, read in one go: the live contacts with the number, and for a single match its timeline and open cases. */
export interface ScreenPopRead {
  /** Live (not merged) contacts with this number. */
  readonly contacts: Contact[]
  /** When exactly one contact matched: its newest interactions, newest first. Otherwise empty. */
  readonly timeline: Interaction[]
  /** When exactly one contact matched: its open and pending cases, newest first. Otherwise empty. */
  readonly openCases: Case[]
}

/** A field a feature plugin adds to the segment language: a column of one of its tables, keyed by contact. */
export interface PluginSegmentField {
  /** `<plugin id>.<name>`, as filters name it. */
  readonly name: string
  readonly type: 'string' | 'number' | 'boolean'
  /** The plugin's table (one row per contact of a tenant). */
  readonly table: string
  readonly column: string
  /** The column holding the contact id (default `contact_id`). */
  readonly contactColumn?: string
}

/** What a segment is evaluated against, besides the data. */
export interface SegmentScope {
  /** The evaluation time (time windows, days since last contact, expiry). */
  readonly now: Date
  /** Fields plugins declared, by name. */
  readonly fields: ReadonlyMap<string, PluginSegmentField>
  /** Disposition code -> category, for `interactions.lastDispositionCategory`. */
  readonly dispositionCategories: ReadonlyMap<string, DispositionCategory>
}

/** An outbox entry: one action of a rule firing that runs outside the event's transaction (a host handler). */
export interface OutboxItem {
  readonly tenantId: TenantId
  readonly firingId: RuleFiringId
  /** The action's index in the firing. */
  readonly action: number
  readonly handler: string
  readonly eventId: EventId
  readonly attempts: number
  readonly lastError?: string
  readonly runAfter: Date
}

/** A row of a plugin's own table: plain JSON-compatible columns. */
export type PluginRow = Record<string, string | number | boolean | null>

/**
 * Every read and write of one tenant. A backend hands these out from
 * `forTenant`, and every statement it runs is filtered by that tenant:
 * there is no method that takes a tenant id, so none can cross tenants.
 *
 * Errors: every method rejects with core's typed errors only. A unique key
 * taken (an `externalRef` already used by another contact of the tenant) is a
 * `Conflict`; anything else is a `StorageFailure` whose `retryable` the
 * backend decides from its driver's error codes (a lock timeout, a
 * serialization failure, a dropped connection: retryable; a constraint or a
 * syntax error: not).
 *
 * Rows come back decoded through the domain's zod schemas, so a row that
 * does not match them is a `StorageFailure`, never a wrongly typed object.
 */
export interface TenantStore {
  readonly tenantId: TenantId
  readonly contacts: {
    insert(contact: Contact): Promise<void>
    /** Many new contacts in one transaction (imports). */
    insertMany(contacts: ReadonlyArray<Contact>): Promise<void>
    update(contact: Contact): Promise<void>
    get(id: ContactId): Promise<Contact | undefined>
    getMany(ids: ReadonlyArray<ContactId>): Promise<Contact[]>
    /** Live (not merged) contacts with any of these E.164 numbers. */
    findByPhones(e164: ReadonlyArray<string>): Promise<Contact[]>
    findByEmails(emails: ReadonlyArray<string>): Promise<Contact[]>
    /** Live contacts whose blocking key (see quality/dedupe) is one of these: all of them, never a truncated list. */
    findByMatchKeys(keys: ReadonlyArray<string>): Promise<Contact[]>
    findByExternalRefs(refs: ReadonlyArray<string>): Promise<Contact[]>
    list(filter?: ContactFilter): Promise<Contact[]>
    count(filter?: Omit<ContactFilter, keyof Page>): Promise<number>
    /**
     * The screen pop's reads for an E.164 number, in as few round trips as
     * the backend can (PostgreSQL: one statement).
     */
    screenPop(e164: string, options: { readonly timelineLimit: number }): Promise<ScreenPopRead>
  }
  /** The consent purposes the tenant declared (identity: `key`, the lower-cased name). */
  readonly purposes: {
    /** Inserts or replaces the purpose with this key. */
    upsert(purpose: ConsentPurpose): Promise<void>
    list(): Promise<ConsentPurpose[]>
  }
  readonly agents: {
    insert(agent: Agent): Promise<void>
    update(agent: Agent): Promise<void>
    get(id: AgentId): Promise<Agent | undefined>
    /** The agents of this tenant among `ids` (unknown ids are left out). */
    getMany(ids: ReadonlyArray<AgentId>): Promise<Agent[]>
    /** Ordered by id. */
    list(page?: Page): Promise<Agent[]>
  }
  readonly interactions: {
    insert(interaction: Interaction): Promise<void>
    update(interaction: Interaction): Promise<void>
    get(id: InteractionId): Promise<Interaction | undefined>
    /** Newest first. */
    listByContact(contactId: ContactId, page?: { limit?: number }): Promise<Interaction[]>
    /** The interaction of a telephony call (the newest, when a call id was reused). */
    findByCall(callId: string): Promise<Interaction | undefined>
    /**
     * Interactions matching every given filter, oldest first (by `startedAt`,
     * then id), keyset-paginated on id. `open` selects those without `endedAt`.
     */
    find(filter: InteractionFilter): Promise<Interaction[]>
    reassign(from: ContactId, to: ContactId): Promise<number>
  }
  /** The tenant's catalogue of disposition codes (a campaign's set names codes of it). */
  readonly dispositions: {
    /** Inserts or replaces the code with this `code`. */
    upsert(code: DispositionCode): Promise<void>
    get(code: string): Promise<DispositionCode | undefined>
    /** Ordered by code. */
    list(): Promise<DispositionCode[]>
  }
  /** Booked calls. At most one `scheduled` or `dialing` callback per contact and campaign (a unique key: a second is a Conflict). */
  readonly callbacks: {
    insert(callback: Callback): Promise<void>
    update(callback: Callback): Promise<void>
    get(id: CallbackId): Promise<Callback | undefined>
    /** The contact's scheduled or dialing callback on the campaign. */
    active(campaignId: CampaignId, contactId: ContactId): Promise<Callback | undefined>
    /** Callbacks matching every given filter, by due time then id. */
    list(filter: CallbackFilter): Promise<Callback[]>
    /**
     * Atomically moves a `scheduled` callback to `dialing`: true for exactly
     * one caller (two runners never take one callback).
     */
    take(id: CallbackId, at: Date): Promise<boolean>
    reassign(from: ContactId, to: ContactId): Promise<number>
  }
  readonly recordings: {
    insert(recording: Recording): Promise<void>
    update(recording: Recording): Promise<void>
    get(id: RecordingId): Promise<Recording | undefined>
    /** The recordings of these interactions, oldest first. */
    forInteractions(ids: ReadonlyArray<InteractionId>): Promise<Recording[]>
    /** Newest first. */
    listByContact(contactId: ContactId, page?: { limit?: number }): Promise<Recording[]>
    reassign(from: ContactId, to: ContactId): Promise<number>
  }
  /** Agents' sessions (log-in to log-out) and the append-only history of their states. */
  readonly agentSessions: {
    insert(session: AgentSession): Promise<void>
    update(session: AgentSession): Promise<void>
    get(id: AgentSessionId): Promise<AgentSession | undefined>
    /** The agent's open session (no `endedAt`), if any. */
    current(agentId: AgentId): Promise<AgentSession | undefined>
    /** Open sessions, optionally of one campaign, ordered by agent id. */
    open(filter?: { readonly campaignId?: CampaignId }): Promise<AgentSession[]>
    appendState(change: AgentStateChange): Promise<void>
    /** State changes in `[from, to)`, optionally of one agent, oldest first. */
    states(filter: {
      readonly agentId?: AgentId
      readonly from?: Date
      readonly to?: Date
      readonly limit?: number
      readonly after?: { readonly sessionId: AgentSessionId; readonly seq: number }
    }): Promise<AgentStateChange[]>
  }
  /**
   * Who runs a campaign: one owner at a time, for a lease it renews (a
   * heartbeat). Another process takes over once the lease has run out.
   */
  readonly campaignLeases: {
    /**
     * Takes or renews the lease until `until` when it is free, expired (at
     * `now`) or already `owner`'s. Returns the lease held after the call
     * (compare its `owner`), with a `fence` that grows at each new owner.
     */
    acquire(
      campaignId: CampaignId,
      options: { readonly owner: string; readonly now: Date; readonly until: Date },
    ): Promise<CampaignLease>
    /** Gives the lease up when `owner` holds it. */
    release(campaignId: CampaignId, owner: string): Promise<boolean>
    get(campaignId: CampaignId): Promise<CampaignLease | undefined>
  }
  readonly consent: {
    append(record: ConsentRecord): Promise<void>
    /** Oldest first. */
    history(contactId: ContactId): Promise<ConsentRecord[]>
    reassign(from: ContactId, to: ContactId): Promise<number>
  }
  readonly dnc: {
    add(entry: DoNotCallEntry): Promise<void>
    find(phones: ReadonlyArray<string>): Promise<DoNotCallEntry[]>
    remove(phone: string, list: string): Promise<number>
  }
  readonly campaigns: {
    insert(campaign: Campaign): Promise<void>
    update(campaign: Campaign): Promise<void>
    get(id: CampaignId): Promise<Campaign | undefined>
    list(page?: Page): Promise<Campaign[]>
  }
  readonly cases: {
    insert(c: Case): Promise<void>
    update(c: Case): Promise<void>
    get(id: CaseId): Promise<Case | undefined>
    listByContact(contactId: ContactId, filter?: { openOnly?: boolean }): Promise<Case[]>
    reassign(from: ContactId, to: ContactId): Promise<number>
    /** Open and pending cases by id, keyset-paginated (`after` an id): what the desk's sweep and queue scan. */
    listOpen(page?: { readonly after?: CaseId; readonly limit?: number }): Promise<Case[]>
    /**
     * Writes `c` only when the stored case still has `expectedUpdatedAt`
     * (compare-and-set): false when another writer changed it first, so a
     * change decided on a stale read (two sweeps escalating one case) is made once.
     */
    replace(c: Case, expectedUpdatedAt: Date): Promise<boolean>
  }
  /**
   * Campaign dialing lists and the atomic hand-out of their leads to dialer
   * workers. Backends with row locks claim with `FOR UPDATE SKIP LOCKED`
   * (capability `skipLocked`); single-writer backends in one write transaction.
   */
  readonly leads: {
    /**
     * Puts contacts on a campaign's list as pending leads. A contact already on
     * that list is left as it is. Returns how many leads were added.
     */
    enqueue(
      campaignId: CampaignId,
      contactIds: ReadonlyArray<ContactId>,
      options?: { readonly priority?: number; readonly notBefore?: Date; readonly listId?: string },
    ): Promise<number>
    /**
     * Atomically claims up to `limit` pending leads whose `notBefore` has
     * passed, highest priority first (then by `order` when given, else
     * first in, first out): each lead goes to exactly one claimer.
     * A suppressed lead is never returned once its suppression has committed.
     */
    claim(campaignId: CampaignId, claim: LeadClaim): Promise<Lead[]>
    /** Marks the worker's claimed leads done. Returns how many changed (not others' claims, not suppressed ones). */
    complete(
      campaignId: CampaignId,
      contactIds: ReadonlyArray<ContactId>,
      options: { readonly worker: string; readonly outcome?: string },
    ): Promise<number>
    /** Hands the worker's claimed leads back as pending (to retry, optionally not before a time). */
    release(
      campaignId: CampaignId,
      contactIds: ReadonlyArray<ContactId>,
      options: { readonly worker: string; readonly notBefore?: Date },
    ): Promise<number>
    /** Claims taken before `claimedBefore` (a worker that died) go back to pending. Returns how many. */
    requeueStale(campaignId: CampaignId, claimedBefore: Date): Promise<number>
    /**
     * Removes the contact from every campaign's list before it is dialed: its
     * pending and claimed leads become `suppressed`. Once this resolves, no
     * `claim` returns the contact. Returns how many leads it suppressed.
     */
    suppressContact(
      contactId: ContactId,
      reason: string,
      options?: { readonly campaignId?: CampaignId },
    ): Promise<number>
    /**
     * Puts the contact on the campaign's list to be called no earlier than
     * `notBefore` (a callback): a new lead, or a pending or done one made
     * pending again. A claimed or suppressed lead is left alone. Returns
     * whether the lead is now scheduled.
     */
    schedule(
      campaignId: CampaignId,
      contactId: ContactId,
      options: { readonly notBefore: Date; readonly priority?: number },
    ): Promise<boolean>
    /**
     * The dial permit: turns the worker's `claimed` lead into `dialing` with
     * the call's id, in one statement that row-locks (or, on a single writer,
     * serialises) against `suppressContact`. False when the lead is no longer
     * the worker's claim (suppressed, taken over): then it must not be dialled.
     */
    permit(
      campaignId: CampaignId,
      contactId: ContactId,
      options: { readonly worker: string; readonly callId: string },
    ): Promise<boolean>
    /**
     * Ends a `claimed` or `dialing` lead whoever holds it (a call was coded):
     * `done`, or `pending` again not before `notBefore` (a retry, a callback).
     * A suppressed lead stays suppressed. Returns whether it changed.
     */
    settle(
      campaignId: CampaignId,
      contactId: ContactId,
      options: { readonly status: 'done' | 'pending'; readonly outcome: string; readonly notBefore?: Date },
    ): Promise<boolean>
    /**
     * A new owner takes over the campaign: leads `claimed` by any other
     * worker go back to pending, and the `dialing` ones of other workers
     * (calls that were in flight when their runner died) are returned, still
     * dialing, for the new owner to close. Atomic.
     */
    takeOver(campaignId: CampaignId, worker: string): Promise<Lead[]>
    /** Leads in one status (ordered by contact id), e.g. the ones `dialing`. */
    list(
      campaignId: CampaignId,
      filter: { readonly status: LeadStatus; readonly limit?: number },
    ): Promise<Lead[]>
    get(campaignId: CampaignId, contactId: ContactId): Promise<Lead | undefined>
    counts(campaignId: CampaignId): Promise<LeadCounts>
  }
  /** Saved segments, and the segment language run in the database. */
  readonly segments: {
    insert(segment: Segment): Promise<void>
    update(segment: Segment): Promise<void>
    get(id: SegmentId): Promise<Segment | undefined>
    list(page?: Page): Promise<Segment[]>
    /** Deletes the segment with its snapshots and memberships. Returns whether it existed. */
    delete(id: SegmentId): Promise<boolean>
    /** How many live contacts match. */
    count(filter: SegmentFilter, scope: SegmentScope): Promise<number>
    /** The matching live contacts, ordered by id, keyset-paginated. */
    page(filter: SegmentFilter, scope: SegmentScope, page: Page): Promise<Contact[]>
    /** The ids of the matching live contacts, ordered by id, keyset-paginated. */
    ids(filter: SegmentFilter, scope: SegmentScope, page: Page): Promise<ContactId[]>
    /** Which of these contacts match. */
    matching(
      filter: SegmentFilter,
      scope: SegmentScope,
      contactIds: ReadonlyArray<ContactId>,
    ): Promise<ContactId[]>
    /** Whether each condition (depth-first order) holds for the contact; undefined when it does not exist. */
    explain(filter: SegmentFilter, scope: SegmentScope, contactId: ContactId): Promise<boolean[] | undefined>
    /** Evaluates the saved segment now and records who entered and who left since the last snapshot, atomically. */
    snapshot(segment: Segment, scope: SegmentScope): Promise<SegmentSnapshot>
    /** Newest first. */
    snapshots(id: SegmentId, page?: { limit?: number }): Promise<SegmentSnapshot[]>
    /** Who was a member at `to` and not at `from` (entered), and the other way round (left). */
    changes(id: SegmentId, from: Date, to: Date): Promise<SegmentChanges>
    /** Puts the matching contacts on a campaign's list in one statement; returns how many were added. */
    enqueue(
      filter: SegmentFilter,
      scope: SegmentScope,
      campaignId: CampaignId,
      options: {
        readonly priority: number
        readonly notBefore?: Date
        readonly now: Date
        readonly listId?: string
      },
    ): Promise<number>
  }
  readonly rules: {
    insert(rule: Rule): Promise<void>
    update(rule: Rule): Promise<void>
    get(id: RuleId): Promise<Rule | undefined>
    list(page?: Page): Promise<Rule[]>
    /** The enabled rules for an event type. */
    forEvent(type: string): Promise<Rule[]>
    delete(id: RuleId): Promise<boolean>
  }
  /** The durable event log (the outbox other processes follow). */
  readonly events: {
    append(event: StoredEvent): Promise<void>
    get(id: EventId): Promise<StoredEvent | undefined>
    /** Events recorded after `after` (an event id; ids sort by time), oldest first. */
    list(options: {
      readonly after?: EventId
      readonly since?: Date
      readonly types?: ReadonlyArray<string>
      readonly limit: number
    }): Promise<StoredEvent[]>
  }
  readonly firings: {
    insert(firing: RuleFiring): Promise<void>
    update(firing: RuleFiring): Promise<void>
    get(id: RuleFiringId): Promise<RuleFiring | undefined>
    /** Whether this rule already fired for this event (idempotency). */
    find(ruleId: RuleId, eventId: EventId): Promise<RuleFiring | undefined>
    /** Newest first. */
    list(filter: {
      readonly contactId?: ContactId
      readonly ruleId?: RuleId
      readonly limit?: number
    }): Promise<RuleFiring[]>
  }
  readonly outbox: {
    add(item: Omit<OutboxItem, 'tenantId'>): Promise<void>
    /** Marks the item done (removes it). Returns whether it was still there. */
    done(firingId: RuleFiringId, action: number): Promise<boolean>
    /** Records a failed attempt and when to try again. */
    retry(firingId: RuleFiringId, action: number, error: string, runAfter: Date): Promise<void>
    pending(): Promise<OutboxItem[]>
  }
  /** The service desk's settings (a handful of rows per tenant, each replaced whole by its key). */
  readonly desk: {
    /** Inserts or replaces the tier with this id. */
    putTier(tier: EscalationTier): Promise<void>
    /** By level, then code. */
    tiers(): Promise<EscalationTier[]>
    /** Inserts or replaces the calendar with this key. */
    putCalendar(calendar: BusinessCalendar, at: Date): Promise<void>
    /** By key. */
    calendars(): Promise<BusinessCalendar[]>
    /** Inserts or replaces the policy with this key. */
    putPolicy(policy: SlaPolicy, at: Date): Promise<void>
    /** By key. */
    policies(): Promise<SlaPolicy[]>
    /** The KPIs over `[from, to)`, computed in the database (see DeskKpis). */
    kpis(range: {
      readonly from: Date
      readonly to: Date
      /** Default 7. */
      readonly repeatWindowDays?: number
      /** How many customers `byCustomer` lists (default 20). */
      readonly customers?: number
    }): Promise<DeskKpis>
  }
  /**
   * Rows of a feature plugin's own table, scoped to this tenant like
   * everything else. Only tables created by a plugin migration can be reached
   * this way: a core table name (or any undeclared one) is refused with a
   * ValidationFailed, so a plugin cannot read or write core data behind the
   * domain's back.
   */
  rows(table: string): {
    insert(row: PluginRow): Promise<void>
    find(where?: PluginRow): Promise<PluginRow[]>
    delete(where: PluginRow): Promise<number>
  }
  /** Runs `fn` in one transaction: all of its writes commit, or none. */
  transaction<T>(fn: (tx: TenantStore) => Promise<T>): Promise<T>
  /**
   * Versioned do-not-call registries. A new version is loaded beside the
   * active one and `activate` swaps it in in one statement's worth of
   * atomicity: `find` reads the active version in a single statement, so no
   * check ever sees a half-loaded list.
   */
  readonly dncRegistries: {
    /** Creates or updates the registry's settings; its active version is kept. */
    save(registry: Omit<DncRegistry, 'activeVersion'>): Promise<void>
    get(name: string): Promise<DncRegistry | undefined>
    list(): Promise<DncRegistry[]>
    /** Opens the next version, `loading` (invisible to `find`). Returns its number. */
    beginVersion(name: string, meta: { readonly source: string; readonly startedAt: Date }): Promise<number>
    /** Adds numbers to a loading version; a number already in it is skipped. Returns how many were added. */
    addNumbers(
      name: string,
      version: number,
      entries: ReadonlyArray<{ readonly phone: string; readonly listedAt?: Date }>,
    ): Promise<number>
    /**
     * Makes the loading version the active one, atomically, and retires the
     * previous one (whose numbers are then deleted). False when the version is
     * not loading or an older one than the active (a stale import).
     */
    activate(
      name: string,
      version: number,
      meta: { readonly at: Date; readonly numbers: number; readonly rejected: number },
    ): Promise<boolean>
    /** Drops a loading version that failed (its numbers are deleted). */
    abandon(name: string, version: number): Promise<void>
    versions(name: string): Promise<DncRegistryVersion[]>
    /** The numbers on the active version of every registry that applies (campaign registries: only `campaignId`'s). */
    find(phones: ReadonlyArray<string>, options?: { readonly campaignId?: string }): Promise<DncRegistryHit[]>
  }
  /** The consent ledger across contacts, for exports: oldest capture first. */
  readonly consentLedger: {
    list(range: TimeRange): Promise<ConsentRecord[]>
  }
  /**
   * Soft locks on contacts and cases: one holder per (kind, id), by a unique
   * key, so of two agents racing for a free lock exactly one gets it.
   * Expiry is by the caller's clock (`now`): an expired lock is free.
   */
  readonly locks: {
    /**
     * Takes the lock when it is free, expired at `now`, or already
     * `lock.agentId`'s (then its `since` stays and `expiresAt` moves), in one
     * statement. Returns the lock held after the call: compare its `agentId`.
     */
    acquire(lock: SoftLock, now: Date): Promise<SoftLock>
    /** Moves the expiry of `agentId`'s lock if it has not expired at `now`; undefined when the agent does not hold it. */
    renew(
      kind: LockKind,
      id: string,
      options: { readonly agentId: string; readonly now: Date; readonly expiresAt: Date },
    ): Promise<SoftLock | undefined>
    /** Drops `agentId`'s lock (expired or not) and returns it; undefined when the agent had none. */
    release(kind: LockKind, id: string, agentId: string): Promise<SoftLock | undefined>
    /** Who holds the lock at `now` (at most one). */
    holders(kind: LockKind, id: string, now: Date): Promise<SoftLock[]>
  }
  /** Call scripts by version (never edited), and the runs recorded on interactions (append-only). */
  readonly scripts: {
    /** Stores a version; the same id and version again is a Conflict (two saves racing). */
    insert(script: StoredScript): Promise<void>
    /** That version, or the newest when `version` is not given. */
    get(id: string, version?: number): Promise<StoredScript | undefined>
    /** The newest version of each script, by id. */
    list(): Promise<StoredScript[]>
    recordRun(run: RecordedScriptRun): Promise<void>
    /** The runs recorded on an interaction, oldest first. */
    runs(interactionId: InteractionId): Promise<RecordedScriptRun[]>
  }
  /** Identity verifications of callers, append-only. */
  readonly identityChecks: {
    append(check: IdentityCheck): Promise<void>
    /** The checks of an interaction or of a call (every given filter must match), oldest first. */
    list(filter: {
      readonly interactionId?: InteractionId
      readonly callId?: string
    }): Promise<IdentityCheck[]>
  }
  /** Logged consent decisions (append-only) and the tenant's audit settings. */
  readonly consentAudit: {
    append(decision: ConsentDecisionLog): Promise<void>
    /** Oldest decision first. */
    list(range: TimeRange): Promise<ConsentDecisionLog[]>
    settings(): Promise<ConsentAuditSettings | undefined>
    saveSettings(settings: ConsentAuditSettings): Promise<void>
  }
}

export interface MigrationReport {
  /** `plugin:migration` names applied by this call, in order. */
  readonly applied: string[]
}

/** The storage contract. A backend package exports a factory returning one. */
export interface StorageBackend {
  readonly name: string
  readonly capabilities: StorageCapabilities
  /** Applies core's migrations and then each feature plugin's, tracked per plugin. */
  migrate(
    plugins?: ReadonlyArray<{ id: string; migrations: ReadonlyArray<PluginMigration> }>,
  ): Promise<MigrationReport>
  forTenant(tenantId: TenantId): TenantStore
  /**
   * The outbox across tenants, for the processor that runs queued actions:
   * leases up to `limit` items whose time has come (until `leaseUntil`), so
   * that two processors never run one item at once; an item whose lease ran
   * out (its processor died) is leased again. The only cross-tenant read:
   * each item names its tenant, and everything after goes through `forTenant`.
   */
  leaseOutbox(options: {
    readonly now: Date
    readonly leaseUntil: Date
    readonly limit: number
  }): Promise<OutboxItem[]>
  close(): Promise<void>
}
