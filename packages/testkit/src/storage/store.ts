import {
  Agent,
  type AgentId,
  Case,
  type CaseStatus,
  ConsentPurpose,
  Contact,
  type ContactId,
  Interaction,
  newId,
  type PluginMigration,
  type StorageBackend,
  type TenantId,
  type TenantStore,
} from '@switchboard/core'
import { matchKey } from '@switchboard/core/quality'
import { describe, expect, it } from 'vitest'

/**
 * Makes the next write of a backend wait on a lock another connection holds:
 * a backend on the same database whose writes give up quickly (SQLite: busy
 * timeout 0; PostgreSQL: a `lock_timeout` of a few ms), and a way to take that
 * lock (SQLite: the write lock; PostgreSQL: the contact's row).
 */
export interface StoreContention {
  readonly backend: StorageBackend
  lock(tenantId: TenantId, contactId: ContactId): Promise<() => Promise<void>>
}

export interface StoreConformanceOptions {
  readonly create: () => Promise<StorageBackend>
  /** When the backend can be contended from another connection (not an in-memory SQLite). */
  readonly contention?: () => Promise<StoreContention>
}

/** A kysely instance as far as these tests use it (`db` of the SQLite and PostgreSQL backends). */
interface RawDb {
  insertInto(table: string): { values(row: Record<string, unknown>): { execute(): Promise<unknown> } }
}

const T0 = Date.UTC(2026, 0, 1)
const at = (minutes: number) => new Date(T0 + minutes * 60_000)
const tenant = (id: string) => id as TenantId

const contact = (t: TenantId, fields: Record<string, unknown> = {}): Contact =>
  Contact.parse({
    id: newId('ContactId'),
    tenantId: t,
    kind: 'person',
    firstName: 'Ann',
    lastName: 'Store',
    displayName: 'Ann Store',
    phones: [],
    emails: [],
    lifecycle: 'lead',
    tags: [],
    attributes: {},
    createdAt: at(0),
    updatedAt: at(0),
    ...fields,
  })

const phone = (e164: string) => ({ e164, type: 'mobile', primary: true, verified: false })

const interaction = (t: TenantId, contactId: ContactId, startedAt: Date): Interaction =>
  Interaction.parse({
    id: newId('InteractionId'),
    tenantId: t,
    contactId,
    channel: 'voice',
    direction: 'inbound',
    startedAt,
    durations: { ringSec: 0, talkSec: 30, holdSec: 0, wrapSec: 0 },
    recordingIds: [],
    createdAt: startedAt,
    updatedAt: startedAt,
  })

const kase = (t: TenantId, contactId: ContactId, status: CaseStatus, createdAt: Date): Case =>
  Case.parse({
    id: newId('CaseId'),
    tenantId: t,
    contactId,
    subject: `A ${status} case`,
    priority: 'normal',
    status,
    skills: [],
    sla: {},
    history: [{ at: createdAt, type: 'created' }],
    createdAt,
    updatedAt: createdAt,
  })

const agent = (t: TenantId, name: string): Agent =>
  Agent.parse({
    id: newId('AgentId'),
    tenantId: t,
    name,
    state: 'offline',
    skills: [],
    createdAt: at(0),
    updatedAt: at(0),
  })

const purpose = (t: TenantId, name: string, requiresOptIn: boolean, stamp = at(0)): ConsentPurpose =>
  ConsentPurpose.parse({
    tenantId: t,
    key: name.toLowerCase(),
    name,
    requiresOptIn,
    createdAt: stamp,
    updatedAt: stamp,
  })

/** The error a promise rejected with; fails when it resolved. */
async function rejection(p: Promise<unknown>): Promise<Record<string, unknown>> {
  try {
    await p
  } catch (e) {
    return e as Record<string, unknown>
  }
  throw new Error('expected a rejection, the call succeeded')
}

const ids = (xs: ReadonlyArray<{ id: string }>) => xs.map((x) => x.id)
const sorted = (xs: ReadonlyArray<string>) => [...xs].sort()

/**
 * The store contract itself, below the services: what core relies on a
 * backend for (screen pop reads, unique keys, typed errors, decoded rows,
 * plugin-table boundaries). Runs through `StorageBackend` / `TenantStore`
 * only, except where a test must write a row no store method would write.
 */
export function storeConformance(backend: () => StorageBackend, options: StoreConformanceOptions): void {
  const store = (id: string): TenantStore => backend().forTenant(tenant(id))

  describe('store contract', () => {
    describe('purposes', () => {
      it('upserts by key and lists ordered by key, per tenant', async () => {
        const t = tenant('store-purposes')
        const s = store(t)
        await s.purposes.upsert(purpose(t, 'Sales', false))
        await s.purposes.upsert(purpose(t, 'Marketing', false))
        await s.purposes.upsert(purpose(t, 'Marketing', true, at(5)))
        const list = await s.purposes.list()
        expect(list.map((p) => [p.key, p.requiresOptIn])).toEqual([
          ['marketing', true],
          ['sales', false],
        ])
        expect(list[0]).toEqual(purpose(t, 'Marketing', true, at(5)))
        expect(list[0]!.updatedAt).toBeInstanceOf(Date)
        expect(await store('store-purposes-other').purposes.list()).toEqual([])
      })
    })

    describe('agents', () => {
      it('round-trips, updates, pages by id, and stays in its tenant', async () => {
        const t = tenant('store-agents')
        const s = store(t)
        const a = agent(t, 'Alice')
        const b = agent(t, 'Bob')
        await s.agents.insert(a)
        await s.agents.insert(b)
        expect(await s.agents.get(a.id)).toEqual(a)
        const paused = { ...a, state: 'paused' as const, pauseReason: 'lunch', updatedAt: at(9) }
        await s.agents.update(paused)
        expect(await s.agents.get(a.id)).toEqual(paused)
        const unknown = 'ag_unknown' as AgentId
        expect(sorted(ids(await s.agents.getMany([a.id, b.id, unknown])))).toEqual(sorted([a.id, b.id]))
        const first = await s.agents.list({ limit: 1 })
        expect(ids(first)).toEqual([sorted([a.id, b.id])[0]])
        expect(ids(await s.agents.list({ after: first[0]!.id }))).toEqual([sorted([a.id, b.id])[1]])

        const other = store('store-agents-other')
        expect(await other.agents.get(a.id)).toBeUndefined()
        expect(await other.agents.getMany([a.id, b.id])).toEqual([])
        expect(await other.agents.list()).toEqual([])
        await other.agents.update({ ...b, name: 'Mallory' })
        expect((await s.agents.get(b.id))?.name).toBe('Bob')
      })

      it('refuses an id taken twice as a Conflict', async () => {
        const t = tenant('store-agents')
        const a = agent(t, 'Carol')
        await store(t).agents.insert(a)
        const e = await rejection(store(t).agents.insert(a))
        expect(e._tag).toBe('Conflict')
        expect(e.retryable).toBe(false)
      })
    })

    describe('screenPop', () => {
      it('reads nothing for an unknown number', async () => {
        expect(await store('store-pop').contacts.screenPop('+14155550000', { timelineLimit: 5 })).toEqual({
          contacts: [],
          timeline: [],
          openCases: [],
        })
      })

      it('for one match: its newest interactions (limited) and its open and pending cases, newest first', async () => {
        const t = tenant('store-pop')
        const s = store(t)
        const c = contact(t, { phones: [phone('+14155550101')], firstName: 'Pop', displayName: 'Pop Store' })
        const someoneElse = contact(t, { phones: [phone('+14155550102')] })
        await s.contacts.insertMany([c, someoneElse])
        for (const m of [3, 1, 5, 2, 4]) await s.interactions.insert(interaction(t, c.id, at(m)))
        await s.interactions.insert(interaction(t, someoneElse.id, at(60)))
        const open = kase(t, c.id, 'open', at(1))
        const pending = kase(t, c.id, 'pending', at(2))
        await s.cases.insert(open)
        await s.cases.insert(pending)
        await s.cases.insert(kase(t, c.id, 'solved', at(3)))
        await s.cases.insert(kase(t, c.id, 'closed', at(4)))
        await s.cases.insert(kase(t, someoneElse.id, 'open', at(5)))

        const pop = await s.contacts.screenPop('+14155550101', { timelineLimit: 3 })
        expect(pop.contacts).toEqual([c])
        expect(pop.timeline.map((i) => i.startedAt.getTime())).toEqual(
          [at(5), at(4), at(3)].map((d) => d.getTime()),
        )
        expect(pop.timeline.every((i) => i.contactId === c.id)).toBe(true)
        expect(pop.timeline[0]!.createdAt).toBeInstanceOf(Date)
        expect(ids(pop.openCases)).toEqual([pending.id, open.id])
        expect(pop.openCases[0]).toEqual(pending)

        // Another tenant with the same number sees nothing of it.
        expect(
          (await store('store-pop-other').contacts.screenPop('+14155550101', { timelineLimit: 3 })).contacts,
        ).toEqual([])
      })

      it('for two matches: both contacts, no timeline and no cases', async () => {
        const t = tenant('store-pop')
        const s = store(t)
        const a = contact(t, { phones: [phone('+14155550111')] })
        const b = contact(t, { phones: [phone('+14155550111')] })
        await s.contacts.insertMany([a, b])
        await s.interactions.insert(interaction(t, a.id, at(1)))
        await s.cases.insert(kase(t, b.id, 'open', at(1)))
        const pop = await s.contacts.screenPop('+14155550111', { timelineLimit: 20 })
        expect(sorted(ids(pop.contacts))).toEqual(sorted([a.id, b.id]))
        expect(pop.timeline).toEqual([])
        expect(pop.openCases).toEqual([])
      })

      it('leaves merged contacts out', async () => {
        const t = tenant('store-pop')
        const s = store(t)
        const survivor = contact(t, { phones: [phone('+14155550121')] })
        const merged = contact(t, { phones: [phone('+14155550121')], mergedInto: survivor.id })
        await s.contacts.insertMany([survivor, merged])
        const pop = await s.contacts.screenPop('+14155550121', { timelineLimit: 20 })
        expect(ids(pop.contacts)).toEqual([survivor.id])
        const gone = contact(t, { phones: [phone('+14155550122')], mergedInto: survivor.id })
        await s.contacts.insert(gone)
        expect((await s.contacts.screenPop('+14155550122', { timelineLimit: 20 })).contacts).toEqual([])
      })
    })

    describe('externalRef', () => {
      it('is unique per tenant: insert, insertMany and update reject a taken one with a Conflict', async () => {
        const t = tenant('store-refs')
        const s = store(t)
        const first = contact(t, { externalRef: 'ERP-7' })
        await s.contacts.insert(first)

        const single = await rejection(s.contacts.insert(contact(t, { externalRef: 'ERP-7' })))
        expect(single._tag).toBe('Conflict')
        expect(single.retryable).toBe(false)
        expect(String(single.message)).toContain('externalRef')

        const fresh = contact(t, { externalRef: 'ERP-8' })
        const batch = await rejection(s.contacts.insertMany([fresh, contact(t, { externalRef: 'ERP-7' })]))
        expect(batch._tag).toBe('Conflict')
        expect(await s.contacts.get(fresh.id)).toBeUndefined() // the batch is one transaction
        const within = await rejection(
          s.contacts.insertMany([contact(t, { externalRef: 'ERP-9' }), contact(t, { externalRef: 'ERP-9' })]),
        )
        expect(within._tag).toBe('Conflict')

        const other = contact(t, { externalRef: 'ERP-10' })
        await s.contacts.insert(other)
        const update = await rejection(
          s.contacts.update({ ...other, externalRef: 'ERP-7', updatedAt: at(1) }),
        )
        expect(update._tag).toBe('Conflict')
        expect((await s.contacts.get(other.id))?.externalRef).toBe('ERP-10')

        // Contacts without a ref are not constrained; another tenant may use the same ref.
        await s.contacts.insertMany([contact(t), contact(t)])
        const elsewhere = contact(tenant('store-refs-other'), { externalRef: 'ERP-7' })
        await store('store-refs-other').contacts.insert(elsewhere)
        expect(ids(await store('store-refs-other').contacts.findByExternalRefs(['ERP-7']))).toEqual([
          elsewhere.id,
        ])
        expect(ids(await s.contacts.findByExternalRefs(['ERP-7']))).toEqual([first.id])
      })
    })

    describe('findByMatchKeys', () => {
      it('returns every match, never a truncated list', async () => {
        const t = tenant('store-matchkeys')
        const s = store(t)
        const many = Array.from({ length: 1_205 }, (_, i) =>
          contact(t, {
            firstName: 'John',
            lastName: 'Smith',
            displayName: 'John Smith',
            externalRef: `MK-${i}`,
          }),
        )
        await s.contacts.insertMany(many)
        await s.contacts.insert(contact(t, { firstName: 'Zed', lastName: 'Other', displayName: 'Zed Other' }))
        const found = await s.contacts.findByMatchKeys([matchKey(many[0]!)])
        expect(found).toHaveLength(1_205)
        expect(new Set(ids(found))).toEqual(new Set(ids(many)))
      })
    })

    describe('plugin tables', () => {
      it('rows() refuses core tables and tables no plugin declared, naming the table', async () => {
        for (const table of [
          'contacts',
          'contact_phones',
          'campaign_leads',
          'switchboard_migrations',
          'nobody_table',
        ]) {
          const e = await rejection(store('store-rows').rows(table).find())
          expect(e._tag, table).toBe('ValidationFailed')
          expect(String(e.message)).toContain(table)
          expect((e.issues as Array<{ value: unknown }>)[0]?.value).toBe(table)
          expect((await rejection(store('store-rows').rows(table).insert({ id: 'x' })))._tag).toBe(
            'ValidationFailed',
          )
          expect((await rejection(store('store-rows').rows(table).delete({ id: 'x' })))._tag).toBe(
            'ValidationFailed',
          )
        }
      })

      it('a plugin migration may only touch tables named with its prefix, and created by it', async () => {
        const columns = [{ name: 'contact_id', type: 'text' as const }]
        const column = { name: 'x', type: 'text' as const, nullable: true }
        const attempts: ReadonlyArray<[plugin: string, m: PluginMigration, field: string, value: string]> = [
          [
            'shadow',
            { id: '001', createTables: [{ name: 'contacts_shadow', columns }] },
            'createTables[0].name',
            'contacts_shadow',
          ],
          [
            'shadow',
            { id: '001', addColumns: [{ table: 'contacts', column }] },
            'addColumns[0].table',
            'contacts',
          ],
          [
            'shadow',
            { id: '001', createIndexes: [{ table: 'contacts', name: 'shadow_ix', columns: ['id'] }] },
            'createIndexes[0].table',
            'contacts',
          ],
          // A prefix that happens to match a core table is still refused.
          [
            'contact',
            { id: '001', addColumns: [{ table: 'contact_phones', column }] },
            'addColumns[0].table',
            'contact_phones',
          ],
        ]
        for (const [plugin, m, field, value] of attempts) {
          const e = await rejection(backend().migrate([{ id: plugin, migrations: [m] }]))
          expect(e._tag, `${plugin} ${field}`).toBe('ValidationFailed')
          expect(e.issues).toEqual(expect.arrayContaining([expect.objectContaining({ field, value })]))
          expect(String(e.message)).toContain(value)
        }
        // Nothing of the refused migrations was applied or recorded.
        expect((await rejection(store('store-rows').rows('contacts_shadow').find()))._tag).toBe(
          'ValidationFailed',
        )

        // Plugin "lead" may create lead_score_values; plugin "lead-score" (prefix lead_score_) may not alter it.
        const lead = {
          id: 'lead',
          migrations: [{ id: '001', createTables: [{ name: 'lead_score_values', columns }] }],
        }
        expect((await backend().migrate([lead])).applied).toEqual(['lead:001'])
        await store('store-rows').rows('lead_score_values').insert({ contact_id: 'ct_1' })
        expect(await store('store-rows').rows('lead_score_values').find()).toEqual([{ contact_id: 'ct_1' }])
        const e = await rejection(
          backend().migrate([
            {
              id: 'lead-score',
              migrations: [
                {
                  id: '001',
                  addColumns: [{ table: 'lead_score_values', column }],
                },
              ],
            },
          ]),
        )
        expect(e._tag).toBe('ValidationFailed')
        expect(String(e.message)).toContain('lead_score_values')
      })
    })

    describe('typed errors', () => {
      it('a stored row that does not match the domain schema is a non-retryable StorageFailure naming the table and id', async (ctx) => {
        const db = (backend() as { db?: RawDb }).db
        if (!db) return ctx.skip()
        const t = tenant('store-decode')
        const id = 'ct_undecodable'
        const stamp = at(0).toISOString()
        await db
          .insertInto('contacts')
          .values({
            tenant_id: t,
            id,
            display_name: 'Broken',
            match_key: 'P:B000:',
            external_ref: null,
            lifecycle: 'lead',
            merged_into: null,
            created_at: stamp,
            updated_at: stamp,
            data: JSON.stringify({ id, tenantId: t, displayName: 42, createdAt: 'yesterday' }),
          })
          .execute()
        // A valid row written elsewhere, with a timestamp in another offset: decoded by the schema to the same instant.
        const fine = contact(t)
        await db
          .insertInto('contacts')
          .values({
            tenant_id: t,
            id: fine.id,
            display_name: fine.displayName,
            match_key: matchKey(fine),
            external_ref: null,
            lifecycle: fine.lifecycle,
            merged_into: null,
            created_at: stamp,
            updated_at: stamp,
            data: JSON.stringify({ ...fine, createdAt: '2026-01-01T01:00:00+01:00' }),
          })
          .execute()
        expect((await store(t).contacts.get(fine.id))?.createdAt).toEqual(at(0))
        for (const read of [() => store(t).contacts.get(id as ContactId), () => store(t).contacts.list()]) {
          const e = await rejection(read())
          expect(e._tag).toBe('StorageFailure')
          expect(e.retryable).toBe(false)
          expect(String(e.message)).toContain('contacts')
          expect(String(e.message)).toContain(id)
        }
      })

      it('a driver error is a StorageFailure (not retryable for a bad column); a caller error inside a transaction passes untouched', async () => {
        const e = await rejection(store('store-errors').rows('scores_values').insert({ no_such_column: 1 }))
        expect(e._tag).toBe('StorageFailure')
        expect(e.retryable).toBe(false)
        expect(e.operation).toBe('rows(scores_values).insert')

        const mine = new Error('my own failure')
        const s = store('store-errors')
        const c = contact(tenant('store-errors'))
        const thrown = await rejection(
          s.transaction(async (tx) => {
            await tx.contacts.insert(c)
            throw mine
          }),
        )
        expect(thrown).toBe(mine)
        expect(await s.contacts.get(c.id)).toBeUndefined()
      })

      it('a lock held by another connection past the timeout is a retryable StorageFailure', async (ctx) => {
        if (!options.contention) return ctx.skip()
        const { backend: contended, lock } = await options.contention()
        try {
          await contended.migrate()
          const t = tenant('store-locks')
          const s = contended.forTenant(t)
          const c = contact(t)
          await s.contacts.insert(c)
          const release = await lock(t, c.id)
          let e: Record<string, unknown>
          try {
            e = await rejection(s.contacts.update({ ...c, displayName: 'Waited', updatedAt: at(1) }))
          } finally {
            await release()
          }
          expect(e._tag).toBe('StorageFailure')
          expect(e.retryable).toBe(true)
          expect(e.operation).toBe('contacts.update')
          // Once the lock is gone the same call succeeds.
          await s.contacts.update({ ...c, displayName: 'Waited', updatedAt: at(1) })
          expect((await s.contacts.get(c.id))?.displayName).toBe('Waited')
        } finally {
          await contended.close()
        }
      })
    })
  })
}
