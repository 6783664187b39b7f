import type {
  Campaign,
  Case,
  ConsentRecord,
  Contact,
  ContactFilter,
  DoNotCallEntry,
  Interaction,
  PluginRow,
  TenantId,
  TenantStore,
} from '@switchboard/core'
import { matchKey } from '@switchboard/core'
import { type Kysely, type RawBuilder, type SqlBool, sql, type Transaction } from 'kysely'
import { decode, encode, iso } from './codec.js'
import { leadStore } from './leads.js'
import type { CoreTables } from './schema.js'

/** How a dialect writes many contacts at once (COPY on PostgreSQL, multi-row INSERT elsewhere). */
export type BulkContactWriter = (db: Kysely<CoreTables>, rows: ContactRows) => Promise<void>

export interface ContactRows {
  contacts: CoreTables['contacts'][]
  phones: CoreTables['contact_phones'][]
  emails: CoreTables['contact_emails'][]
}

/** Values per `IN (...)` list: well under every dialect's bound-parameter limit. */
const IN_CHUNK = 500
/** Values per array parameter (`= any($1)`), where the dialect binds arrays. */
const ARRAY_CHUNK = 10_000
const PLUGIN_NAME = /^[a-z][a-z0-9_]{0,62}$/

const chunks = <T>(xs: ReadonlyArray<T>, n: number): T[][] => {
  const out: T[][] = []
  for (let i = 0; i < xs.length; i += n) out.push(xs.slice(i, i + n))
  return out
}

export function contactRows(tenantId: string, list: ReadonlyArray<Contact>): ContactRows {
  const rows: ContactRows = { contacts: [], phones: [], emails: [] }
  for (const c of list) {
    rows.contacts.push({
      tenant_id: tenantId,
      id: c.id,
      display_name: c.displayName,
      match_key: matchKey(c),
      external_ref: c.externalRef ?? null,
      lifecycle: c.lifecycle,
      merged_into: c.mergedInto ?? null,
      created_at: iso(c.createdAt),
      updated_at: iso(c.updatedAt),
      data: encode(c),
    })
    for (const p of c.phones) rows.phones.push({ tenant_id: tenantId, e164: p.e164, contact_id: c.id })
    for (const e of c.emails) rows.emails.push({ tenant_id: tenantId, email: e.address, contact_id: c.id })
  }
  return rows
}

/** Multi-row INSERTs, sized to stay under every dialect's bound-parameter limit. */
export const batchedInsert: BulkContactWriter = async (db, rows) => {
  for (const part of chunks(rows.contacts, 300)) await db.insertInto('contacts').values(part).execute()
  for (const part of chunks(rows.phones, 1000)) {
    await db
      .insertInto('contact_phones')
      .values(part)
      .onConflict((oc) => oc.doNothing())
      .execute()
  }
  for (const part of chunks(rows.emails, 1000)) {
    await db
      .insertInto('contact_emails')
      .values(part)
      .onConflict((oc) => oc.doNothing())
      .execute()
  }
}

export interface StoreOptions {
  readonly bulkWriter: BulkContactWriter
  /** Capability `skipLocked`: lead claims use row locks instead of a write transaction. */
  readonly skipLocked: boolean
  /** Starts a transaction; dialects differ in how (SQLite: IMMEDIATE, one writer). */
  readonly transaction: <T>(
    db: Kysely<CoreTables>,
    fn: (trx: Transaction<CoreTables>) => Promise<T>,
  ) => Promise<T>
  /** Whether `db` is already inside a transaction. */
  readonly inTransaction?: boolean
  /** The dialect binds a list as one array parameter (`column = any($1)`); see MigrationDialect. */
  readonly arrayParameters?: boolean
  /** The dialect binds a list as one JSON parameter (`column in (select value from json_each(?))`). */
  readonly jsonListParameters?: boolean
  readonly analyze?: (db: Kysely<CoreTables>, table: keyof CoreTables) => Promise<void>
}

/**
 * The one implementation of core's TenantStore over any kysely dialect. The
 * tenant id is bound here and added to every statement: callers cannot pass
 * another one.
 */
export function tenantStore(db: Kysely<CoreTables>, tenantId: TenantId, options: StoreOptions): TenantStore {
  const t = tenantId as string
  const listChunk = options.arrayParameters || options.jsonListParameters ? ARRAY_CHUNK : IN_CHUNK
  /**
   * `column` is one of `values`, bound as one parameter where the dialect can
   * (an array, or JSON text): the statement text then never changes, so it is
   * compiled and prepared once, not per list length.
   */
  const oneOf = (column: string, values: ReadonlyArray<string>): RawBuilder<SqlBool> =>
    options.arrayParameters
      ? sql<SqlBool>`${sql.ref(column)} = any(${values})`
      : options.jsonListParameters
        ? sql<SqlBool>`${sql.ref(column)} in (select value from json_each(${JSON.stringify(values)}))`
        : sql<SqlBool>`${sql.ref(column)} in (${sql.join(values)})`
  const contactsWhere = (ids: ReadonlyArray<string>) =>
    db.selectFrom('contacts').select('data').where('tenant_id', '=', t).where(oneOf('id', ids))

  const liveByIds = async (ids: string[]): Promise<Contact[]> => {
    const out: Contact[] = []
    for (const part of chunks([...new Set(ids)], listChunk)) {
      const rows = await contactsWhere(part).where('merged_into', 'is', null).execute()
      for (const r of rows) out.push(decode.contact(r.data))
    }
    return out
  }

  const writeContacts = async (list: ReadonlyArray<Contact>) => {
    if (!list.length) return
    const rows = contactRows(t, list)
    if (options.inTransaction) await options.bulkWriter(db, rows)
    else await options.transaction(db, (trx) => options.bulkWriter(trx, rows))
  }

  const replaceContact = async (trx: Kysely<CoreTables>, c: Contact) => {
    const rows = contactRows(t, [c])
    await trx
      .updateTable('contacts')
      .set({
        display_name: c.displayName,
        match_key: rows.contacts[0]!.match_key,
        external_ref: c.externalRef ?? null,
        lifecycle: c.lifecycle,
        merged_into: c.mergedInto ?? null,
        updated_at: iso(c.updatedAt),
        data: encode(c),
      })
      .where('tenant_id', '=', t)
      .where('id', '=', c.id)
      .execute()
    await trx.deleteFrom('contact_phones').where('tenant_id', '=', t).where('contact_id', '=', c.id).execute()
    await trx.deleteFrom('contact_emails').where('tenant_id', '=', t).where('contact_id', '=', c.id).execute()
    if (rows.phones.length)
      await trx
        .insertInto('contact_phones')
        .values(rows.phones)
        .onConflict((oc) => oc.doNothing())
        .execute()
    if (rows.emails.length)
      await trx
        .insertInto('contact_emails')
        .values(rows.emails)
        .onConflict((oc) => oc.doNothing())
        .execute()
  }

  const store: TenantStore = {
    tenantId,
    contacts: {
      insert: (c) => writeContacts([c]),
      insertMany: writeContacts,
      update: (c) =>
        options.inTransaction
          ? replaceContact(db, c)
          : options.transaction(db, (trx) => replaceContact(trx, c)),
      async get(id) {
        const row = await db
          .selectFrom('contacts')
          .select('data')
          .where('tenant_id', '=', t)
          .where('id', '=', id)
          .executeTakeFirst()
        return row ? decode.contact(row.data) : undefined
      },
      async getMany(ids) {
        const out: Contact[] = []
        for (const part of chunks(ids, listChunk))
          out.push(...(await contactsWhere(part).execute()).map((r) => decode.contact(r.data)))
        return out
      },
      async findByPhones(phones) {
        const ids: string[] = []
        for (const part of chunks([...new Set(phones)], listChunk)) {
          const rows = await db
            .selectFrom('contact_phones')
            .select('contact_id')
            .where('tenant_id', '=', t)
            .where(oneOf('e164', part))
            .execute()
          for (const r of rows) ids.push(r.contact_id)
        }
        return ids.length ? liveByIds(ids) : []
      },
      async findByEmails(emails) {
        const ids: string[] = []
        for (const part of chunks([...new Set(emails)], listChunk)) {
          const rows = await db
            .selectFrom('contact_emails')
            .select('contact_id')
            .where('tenant_id', '=', t)
            .where(oneOf('email', part))
            .execute()
          for (const r of rows) ids.push(r.contact_id)
        }
        return ids.length ? liveByIds(ids) : []
      },
      async findByMatchKeys(keys) {
        const out: Contact[] = []
        for (const part of chunks([...new Set(keys)], listChunk)) {
          const rows = await db
            .selectFrom('contacts')
            .select('data')
            .where('tenant_id', '=', t)
            .where(oneOf('match_key', part))
            .where('merged_into', 'is', null)
            .limit(1000)
            .execute()
          for (const r of rows) out.push(decode.contact(r.data))
        }
        return out
      },
      async findByExternalRefs(refs) {
        const out: Contact[] = []
        for (const part of chunks([...new Set(refs)], listChunk)) {
          const rows = await db
            .selectFrom('contacts')
            .select('data')
            .where('tenant_id', '=', t)
            .where(oneOf('external_ref', part))
            .execute()
          for (const r of rows) out.push(decode.contact(r.data))
        }
        return out
      },
      async list(filter: ContactFilter = {}) {
        let q = db.selectFrom('contacts').select('data').where('tenant_id', '=', t)
        if (!filter.includeMerged) q = q.where('merged_into', 'is', null)
        if (filter.lifecycle) q = q.where('lifecycle', '=', filter.lifecycle)
        if (filter.after) q = q.where('id', '>', filter.after)
        const rows = await q
          .orderBy('id')
          .limit(filter.limit ?? 100)
          .execute()
        return rows.map((r) => decode.contact(r.data))
      },
      async count(filter = {}) {
        let q = db
          .selectFrom('contacts')
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .where('tenant_id', '=', t)
        if (!filter.includeMerged) q = q.where('merged_into', 'is', null)
        if (filter.lifecycle) q = q.where('lifecycle', '=', filter.lifecycle)
        const row = await q.executeTakeFirstOrThrow()
        return Number(row.n)
      },
    },
    interactions: {
      async insert(i: Interaction) {
        await db.insertInto('interactions').values(interactionRow(t, i)).execute()
      },
      async update(i: Interaction) {
        const { tenant_id: _t, id: _i, ...set } = interactionRow(t, i)
        await db
          .updateTable('interactions')
          .set(set)
          .where('tenant_id', '=', t)
          .where('id', '=', i.id)
          .execute()
      },
      async get(id) {
        const row = await db
          .selectFrom('interactions')
          .select('data')
          .where('tenant_id', '=', t)
          .where('id', '=', id)
          .executeTakeFirst()
        return row ? decode.interaction(row.data) : undefined
      },
      async listByContact(contactId, page = {}) {
        const rows = await db
          .selectFrom('interactions')
          .select('data')
          .where('tenant_id', '=', t)
          .where('contact_id', '=', contactId)
          .orderBy('started_at', 'desc')
          .limit(page.limit ?? 50)
          .execute()
        return rows.map((r) => decode.interaction(r.data))
      },
      reassign: (from, to) =>
        reassign('interactions', from, to, (d) => ({ ...decode.interaction(d), contactId: to })),
    },
    consent: {
      async append(r: ConsentRecord) {
        await db
          .insertInto('consent_records')
          .values({
            tenant_id: t,
            id: r.id,
            contact_id: r.contactId,
            channel: r.channel,
            purpose: r.purpose,
            status: r.status,
            captured_at: iso(r.capturedAt),
            created_at: iso(r.createdAt),
            data: encode(r),
          })
          .execute()
      },
      async history(contactId) {
        const rows = await db
          .selectFrom('consent_records')
          .select('data')
          .where('tenant_id', '=', t)
          .where('contact_id', '=', contactId)
          .orderBy('captured_at')
          .orderBy('id')
          .execute()
        return rows.map((r) => decode.consent(r.data))
      },
      reassign: (from, to) =>
        reassign('consent_records', from, to, (d) => ({ ...decode.consent(d), contactId: to })),
    },
    dnc: {
      async add(e: DoNotCallEntry) {
        await db
          .insertInto('dnc_entries')
          .values({
            tenant_id: t,
            id: e.id,
            phone: e.phone,
            list: e.list,
            created_at: iso(e.createdAt),
            data: encode(e),
          })
          .execute()
      },
      async find(phones) {
        const out: DoNotCallEntry[] = []
        for (const part of chunks([...new Set(phones)], listChunk)) {
          const rows = await db
            .selectFrom('dnc_entries')
            .select('data')
            .where('tenant_id', '=', t)
            .where(oneOf('phone', part))
            .execute()
          for (const r of rows) out.push(decode.dnc(r.data))
        }
        return out
      },
      async remove(phone, list) {
        const res = await db
          .deleteFrom('dnc_entries')
          .where('tenant_id', '=', t)
          .where('phone', '=', phone)
          .where('list', '=', list)
          .executeTakeFirst()
        return Number(res.numDeletedRows)
      },
    },
    campaigns: {
      async insert(c: Campaign) {
        await db
          .insertInto('campaigns')
          .values({
            tenant_id: t,
            id: c.id,
            status: c.status,
            created_at: iso(c.createdAt),
            updated_at: iso(c.updatedAt),
            data: encode(c),
          })
          .execute()
      },
      async update(c: Campaign) {
        await db
          .updateTable('campaigns')
          .set({ status: c.status, updated_at: iso(c.updatedAt), data: encode(c) })
          .where('tenant_id', '=', t)
          .where('id', '=', c.id)
          .execute()
      },
      async get(id) {
        const row = await db
          .selectFrom('campaigns')
          .select('data')
          .where('tenant_id', '=', t)
          .where('id', '=', id)
          .executeTakeFirst()
        return row ? decode.campaign(row.data) : undefined
      },
      async list(page = {}) {
        let q = db.selectFrom('campaigns').select('data').where('tenant_id', '=', t)
        if (page.after) q = q.where('id', '>', page.after)
        return (
          await q
            .orderBy('id')
            .limit(page.limit ?? 100)
            .execute()
        ).map((r) => decode.campaign(r.data))
      },
    },
    cases: {
      async insert(c: Case) {
        await db.insertInto('cases').values(caseRow(t, c)).execute()
      },
      async update(c: Case) {
        const { tenant_id: _t, id: _i, ...set } = caseRow(t, c)
        await db.updateTable('cases').set(set).where('tenant_id', '=', t).where('id', '=', c.id).execute()
      },
      async get(id) {
        const row = await db
          .selectFrom('cases')
          .select('data')
          .where('tenant_id', '=', t)
          .where('id', '=', id)
          .executeTakeFirst()
        return row ? decode.case(row.data) : undefined
      },
      async listByContact(contactId, filter = {}) {
        let q = db
          .selectFrom('cases')
          .select('data')
          .where('tenant_id', '=', t)
          .where('contact_id', '=', contactId)
        if (filter.openOnly) q = q.where('status', 'in', ['open', 'pending'])
        return (await q.orderBy('created_at', 'desc').execute()).map((r) => decode.case(r.data))
      },
      reassign: (from, to) => reassign('cases', from, to, (d) => ({ ...decode.case(d), contactId: to })),
    },
    leads: leadStore(db, t, options),
    rows(table) {
      if (!PLUGIN_NAME.test(table))
        throw new Error(`plugin table name ${JSON.stringify(table)} must match ${PLUGIN_NAME}`)
      // biome-ignore lint/suspicious/noExplicitAny: plugin tables are declared at run time
      const pdb = db as unknown as Kysely<any>
      // biome-ignore lint/suspicious/noExplicitAny: kysely's where() overloads, on a run-time table
      const where = <Q extends { where: (...a: any[]) => Q }>(q: Q, w: PluginRow = {}) => {
        let out = q.where('tenant_id', '=', t)
        for (const [k, v] of Object.entries(w)) out = out.where(k, v === null ? 'is' : '=', v)
        return out
      }
      return {
        async insert(row) {
          await pdb
            .insertInto(table)
            .values({ ...row, tenant_id: t })
            .execute()
        },
        async find(w) {
          const rows = await where(pdb.selectFrom(table).selectAll(), w).execute()
          return rows.map(({ tenant_id: _t, ...rest }: Record<string, unknown>) => rest as PluginRow)
        },
        async delete(w) {
          const res = await where(pdb.deleteFrom(table), w).executeTakeFirst()
          return Number(res.numDeletedRows)
        },
      }
    },
    transaction(fn) {
      if (options.inTransaction) return fn(store)
      return options.transaction(db, (trx) =>
        fn(tenantStore(trx, tenantId, { ...options, inTransaction: true })),
      )
    },
  }

  async function reassign(
    table: 'interactions' | 'consent_records' | 'cases',
    from: string,
    to: string,
    rewrite: (data: unknown) => object,
  ): Promise<number> {
    const rows = await db
      .selectFrom(table)
      .select(['id', 'data'])
      .where('tenant_id', '=', t)
      .where('contact_id', '=', from)
      .execute()
    for (const r of rows) {
      await db
        .updateTable(table)
        .set({ contact_id: to, data: encode(rewrite(r.data)) })
        .where('tenant_id', '=', t)
        .where('id', '=', r.id)
        .execute()
    }
    return rows.length
  }

  return store
}

function interactionRow(t: string, i: Interaction): CoreTables['interactions'] {
  return {
    tenant_id: t,
    id: i.id,
    contact_id: i.contactId,
    channel: i.channel,
    direction: i.direction,
    agent_id: i.agentId ?? null,
    campaign_id: i.campaignId ?? null,
    disposition: i.disposition ?? null,
    started_at: iso(i.startedAt),
    talk_sec: i.durations.talkSec,
    created_at: iso(i.createdAt),
    updated_at: iso(i.updatedAt),
    data: encode(i),
  }
}

function caseRow(t: string, c: Case): CoreTables['cases'] {
  return {
    tenant_id: t,
    id: c.id,
    contact_id: c.contactId,
    status: c.status,
    priority: c.priority,
    created_at: iso(c.createdAt),
    updated_at: iso(c.updatedAt),
    data: encode(c),
  }
}
