import type { Campaign } from '../domain/campaign.js'
import type { Case } from '../domain/case.js'
import type { ConsentRecord, DoNotCallEntry } from '../domain/consent.js'
import type { Contact } from '../domain/contact.js'
import type { CampaignId, CaseId, ContactId, InteractionId, TenantId } from '../domain/ids.js'
import type { Interaction } from '../domain/interaction.js'
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

/** A row of a plugin's own table: plain JSON-compatible columns. */
export type PluginRow = Record<string, string | number | boolean | null>

/**
 * Every read and write of one tenant. A backend hands these out from
 * `forTenant`, and every statement it runs is filtered by that tenant:
 * there is no method that takes a tenant id, so none can cross tenants.
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
    /** Contacts whose blocking key (see quality/dedupe) is one of these. */
    findByMatchKeys(keys: ReadonlyArray<string>): Promise<Contact[]>
    findByExternalRefs(refs: ReadonlyArray<string>): Promise<Contact[]>
    list(filter?: ContactFilter): Promise<Contact[]>
    count(filter?: Omit<ContactFilter, keyof Page>): Promise<number>
  }
  readonly interactions: {
    insert(interaction: Interaction): Promise<void>
    update(interaction: Interaction): Promise<void>
    get(id: InteractionId): Promise<Interaction | undefined>
    /** Newest first. */
    listByContact(contactId: ContactId, page?: { limit?: number }): Promise<Interaction[]>
    reassign(from: ContactId, to: ContactId): Promise<number>
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
  }
  /** Rows of a feature plugin's table, scoped to this tenant like everything else. */
  rows(table: string): {
    insert(row: PluginRow): Promise<void>
    find(where?: PluginRow): Promise<PluginRow[]>
    delete(where: PluginRow): Promise<number>
  }
  /** Runs `fn` in one transaction: all of its writes commit, or none. */
  transaction<T>(fn: (tx: TenantStore) => Promise<T>): Promise<T>
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
  migrate(plugins?: ReadonlyArray<{ id: string; migrations: ReadonlyArray<PluginMigration> }>): Promise<MigrationReport>
  forTenant(tenantId: TenantId): TenantStore
  close(): Promise<void>
}
