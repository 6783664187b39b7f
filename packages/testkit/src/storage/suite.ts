import {
  type Contact,
  type ContactId,
  createSwitchboard,
  definePlugin,
  type StorageBackend,
  type Switchboard,
} from '@switchboard/core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { boundaryConformance } from './boundary/index.js'
import { consentLedgerConformance } from './consent-ledger.js'
import { deskConformance } from './desk.js'
import { deskLocksConformance } from './desk-locks.js'
import { deskScriptsConformance } from './desk-scripts.js'
import { deskServiceKpisConformance } from './desk-service-kpis.js'
import { deskVerificationConformance } from './desk-verification.js'
import { chunked, sampleCsv, sampleMapping } from './fixtures.js'
import { hostileImportConformance } from './hostile-import.js'
import { keptConformance } from './kept.js'
import { leadConformance } from './leads.js'
import { rulesConformance } from './rules.js'
import { runtimeConformance } from './runtime.js'
import { segmentConformance } from './segments/index.js'
import { savedSegmentConformance } from './segments-saved.js'
import { type StoreConformanceOptions, storeConformance } from './store.js'

export interface StorageConformanceOptions extends StoreConformanceOptions {
  /** A fresh, empty backend for each call. */
  readonly create: () => Promise<StorageBackend>
  /**
   * A second backend on the same database as `backend` (one `create` made),
   * as another process would open it, already migrated: the races of the
   * campaign runtime run across the two. Absent for an in-memory database.
   */
  readonly peer?: (backend: StorageBackend) => Promise<StorageBackend>
}

const scoresPlugin = definePlugin({
  id: 'scores',
  migrations: [
    {
      id: '001_scores',
      createTables: [
        {
          name: 'scores_values',
          columns: [
            { name: 'contact_id', type: 'text' },
            { name: 'score', type: 'real' },
          ],
          primaryKey: ['contact_id'],
        },
      ],
    },
  ],
})

// A Wednesday, 15:00 UTC: 11:00 in New York, 08:00 in Los Angeles, 16:00 in Madrid.
const WED_1500Z = new Date('2026-03-11T15:00:00Z')

/**
 * The storage conformance suite. Every storage backend runs it unchanged;
 * it goes through the public Switchboard API so it checks what hosts rely on.
 */
export function storageConformance(name: string, options: StorageConformanceOptions): void {
  describe(`storage conformance: ${name}`, () => {
    let sb: Switchboard
    let backend: StorageBackend
    beforeAll(async () => {
      backend = await options.create()
      sb = await createSwitchboard({ storage: backend, plugins: [scoresPlugin] })
    })
    afterAll(async () => {
      await sb?.close()
    })

    describe('migrations', () => {
      it('are tracked per plugin and applied once', async () => {
        const again = await backend.migrate([{ id: 'scores', migrations: scoresPlugin.migrations }])
        expect(again.applied).toEqual([])
        const more = await backend.migrate([
          {
            id: 'scores',
            migrations: [
              ...scoresPlugin.migrations,
              {
                id: '002_reason',
                addColumns: [
                  { table: 'scores_values', column: { name: 'reason', type: 'text', nullable: true } },
                ],
              },
            ],
          },
        ])
        expect(more.applied).toEqual(['scores:002_reason'])
      })
    })

    describe('contacts', () => {
      it('normalises phones and e-mails, keeps names as typed, and round-trips a contact', async () => {
        const t = sb.tenant('acme')
        const c = await t.contacts.create({
          firstName: '  JANE  ',
          lastName: 'DOE',
          phones: ['(212) 555-0101', { number: '+1 212 555 0101' }],
          emails: ['Jane.Doe@Example.COM'],
          defaultCountry: 'US',
          attributes: { plan: 'gold', seats: 3 },
          openBalance: { amountMinor: 12050, currency: 'USD' },
        })
        expect(c.firstName).toBe('JANE')
        expect(c.displayName).toBe('JANE DOE')
        expect(c.phones).toHaveLength(1)
        expect(c.phones[0]).toMatchObject({ e164: '+12125550101', primary: true, country: 'US' })
        expect(c.emails[0]?.address).toBe('jane.doe@example.com')
        expect(c.timeZone).toBe('America/New_York')
        expect(c.timeZoneSource).toBe('phone')
        const read = await t.contacts.get(c.id)
        expect(read).toEqual(c)
        expect(read.createdAt).toBeInstanceOf(Date)
      })

      it('rejects bad input naming the field and the value', async () => {
        const err = await sb
          .tenant('acme')
          .contacts.create({ firstName: 'X', phones: ['12'], emails: ['nope'] })
          .catch((e) => e)
        expect(err._tag).toBe('ValidationFailed')
        expect(err.reason).toBe('validation_failed')
        expect(err.issues.map((i: { field: string }) => i.field)).toEqual(['phones[0]', 'emails[0]'])
        expect(err.issues[0].value).toBe('12')
        expect(err.message).toContain('phones[0] = "12"')
      })

      it('reports a missing contact as NotFound', async () => {
        const err = await sb
          .tenant('acme')
          .contacts.get('ct_missing' as ContactId)
          .catch((e) => e)
        expect(err._tag).toBe('NotFound')
        expect(err.message).toContain('ct_missing')
      })

      it('updates with re-normalisation and keeps createdAt', async () => {
        const t = sb.tenant('acme')
        const c = await t.contacts.create({ firstName: 'Up', lastName: 'Date', phones: ['+442079460000'] })
        const u = await t.contacts.update(c.id, { phones: ['+14155550100'], lifecycle: 'customer' })
        expect(u.phones.map((p) => p.e164)).toEqual(['+14155550100'])
        expect(u.timeZone).toBe('America/Los_Angeles')
        expect(u.lifecycle).toBe('customer')
        expect(u.createdAt).toEqual(c.createdAt)
        expect(await t.contacts.findByPhone('+442079460000')).toEqual([])
        expect((await t.contacts.findByPhone('(415) 555-0100', 'US')).map((x) => x.id)).toEqual([c.id])
      })

      it('lists with keyset pagination and counts', async () => {
        const t = sb.tenant('pages')
        for (let i = 0; i < 5; i++) await t.contacts.create({ firstName: `P${i}`, lastName: 'Page' })
        const first = await t.contacts.list({ limit: 3 })
        const rest = await t.contacts.list({ limit: 3, after: first[2]!.id })
        expect(first).toHaveLength(3)
        expect(rest).toHaveLength(2)
        expect(new Set([...first, ...rest].map((c) => c.id)).size).toBe(5)
        expect(await t.contacts.count()).toBe(5)
      })
    })

    describe('screen pop', () => {
      it('identifies the caller with timeline and open cases, newest first', async () => {
        const t = sb.tenant('pop')
        const c = await t.contacts.create({
          firstName: 'Caller',
          lastName: 'One',
          phones: ['+34 612 000 111'],
        })
        for (let i = 0; i < 25; i++) {
          await t.interactions.log({
            contactId: c.id,
            channel: 'voice',
            direction: 'inbound',
            startedAt: new Date(Date.UTC(2026, 0, 1, 0, i)),
          })
        }
        const open = await t.cases.open({ contactId: c.id, subject: 'Broken router' })
        const solved = await t.cases.open({ contactId: c.id, subject: 'Old' })
        await t.cases.setStatus(solved.id, 'solved')
        const pop = await t.contacts.screenPop('0034612000111')
        expect(pop.status).toBe('identified')
        if (pop.status !== 'identified') return
        expect(pop.contact.id).toBe(c.id)
        expect(pop.timeline).toHaveLength(20)
        expect(pop.timeline[0]!.startedAt.getTime()).toBeGreaterThan(pop.timeline[19]!.startedAt.getTime())
        expect(pop.openCases.map((x) => x.id)).toEqual([open.id])
      })

      it('does not guess for shared, unknown or withheld numbers', async () => {
        const t = sb.tenant('pop')
        await t.contacts.create({ firstName: 'Shared', lastName: 'A', phones: ['+14155550177'] })
        await t.contacts.create({ firstName: 'Shared', lastName: 'B', phones: ['+14155550177'] })
        expect((await t.contacts.screenPop('+14155550177')).status).toBe('ambiguous')
        expect((await t.contacts.screenPop('+14155550999')).status).toBe('unknown')
        expect((await t.contacts.screenPop('anonymous')).status).toBe('withheld')
        expect((await t.contacts.screenPop(undefined)).status).toBe('withheld')
      })
    })

    describe('consent', () => {
      it('keeps an append-only history and answers canContact with every reason', async () => {
        const t = sb.tenant('consent')
        const c = await t.contacts.create({ firstName: 'Ana', lastName: 'Ruiz', phones: ['+34 612 345 600'] })
        const q = { channel: 'voice', purpose: 'marketing', at: WED_1500Z } as const
        expect(await t.consent.canContact(c.id, q)).toMatchObject({ allowed: true, reasons: [] })

        // Spain's regime needs an opt-in: asked for an ES campaign, the campaign's regime applies.
        const es = await t.campaigns.create({
          name: 'ES outbound',
          kind: 'telemarketing',
          dialMode: { mode: 'progressive' },
          regime: 'ES',
          consentPurpose: 'Marketing',
        })
        const inCampaign = { channel: 'voice', campaignId: es.id, at: WED_1500Z } as const
        const optIn = await t.consent.canContact(c.id, inCampaign)
        expect(optIn.reasons.map((r) => r.code)).toEqual(['no_opt_in'])

        await t.consent.record({
          contactId: c.id,
          channel: 'voice',
          purpose: 'marketing',
          status: 'opted_in',
          lawfulBasis: 'consent',
          source: 'web form',
          evidence: 'form#123',
          capturedAt: new Date('2026-01-01T00:00:00Z'),
        })
        expect((await t.consent.canContact(c.id, inCampaign)).allowed).toBe(true)

        await t.consent.record({
          contactId: c.id,
          channel: 'voice',
          purpose: '*',
          status: 'opted_out',
          source: 'call',
          capturedAt: new Date('2026-02-01T00:00:00Z'),
        })
        await t.consent.addToDoNotCall({ phone: '+34612345600', source: 'agent', reason: 'asked on call' })
        const late = await t.consent.canContact(c.id, { ...q, at: new Date('2026-03-11T21:30:00Z') })
        expect(late.allowed).toBe(false)
        expect(late.reasons.map((r) => r.code)).toEqual(['opted_out', 'do_not_call', 'outside_calling_hours'])
        expect(late.localTimes).toEqual(['2026-03-11 22:30 Europe/Madrid'])

        const history = await t.consent.history(c.id)
        expect(history.map((h) => h.status)).toEqual(['opted_in', 'opted_out'])
        expect(history[0]!.evidence).toBe('form#123')
      })

      it('checks every possible zone when the zone is not known for sure', async () => {
        const t = sb.tenant('consent')
        // 888 is toll-free: no area-code zone, so every US zone must be inside 08:00-21:00.
        const c = await t.contacts.create({ firstName: 'Zone', lastName: 'Less', phones: ['+18885550123'] })
        expect(c.timeZone).toBeUndefined()
        expect(c.timeZoneCandidates).toEqual(expect.arrayContaining(['America/New_York', 'Pacific/Honolulu']))
        const at13 = await t.consent.canContact(c.id, {
          channel: 'voice',
          purpose: 'service',
          at: new Date('2026-03-11T13:00:00Z'),
        })
        expect(at13.reasons.map((r) => r.code)).toEqual(['outside_calling_hours'])
        const at20 = await t.consent.canContact(c.id, {
          channel: 'voice',
          purpose: 'service',
          at: new Date('2026-03-11T20:00:00Z'),
        })
        expect(at20.allowed).toBe(true)
      })
    })

    describe('duplicates and merge', () => {
      it('explains a duplicate and merges with lineage, moving the timeline, consent and cases', async () => {
        const t = sb.tenant('merge')
        const a = await t.contacts.create({
          firstName: 'John',
          lastName: 'Smith',
          phones: ['+14155550132'],
          tags: ['vip'],
        })
        const b = await t.contacts.create({
          firstName: 'Jon',
          lastName: 'Smiht',
          phones: ['+14155550132', '+14155550133'],
          emails: ['jon@example.com'],
          company: 'Acme',
        })
        const dups = await t.contacts.duplicatesOf(a.id)
        expect(dups[0]?.contact.id).toBe(b.id)
        expect(dups[0]?.score.verdict).toBe('duplicate')
        expect(dups[0]?.score.evidence.map((e) => e.field)).toEqual(['phone', 'name'])

        await t.interactions.log({ contactId: b.id, channel: 'email', direction: 'inbound' })
        await t.consent.record({
          contactId: b.id,
          channel: 'email',
          purpose: 'marketing',
          status: 'opted_out',
          source: 'unsubscribe link',
        })
        await t.cases.open({ contactId: b.id, subject: 'Refund' })

        const merged = await t.contacts.merge(a.id, [b.id])
        expect(merged.phones.map((p) => p.e164)).toEqual(['+14155550132', '+14155550133'])
        expect(merged.emails.map((e) => e.address)).toEqual(['jon@example.com'])
        expect(merged.company).toBe('Acme')
        expect(merged.displayName).toBe('John Smith')
        expect((await t.contacts.get(b.id)).mergedInto).toBe(a.id)
        expect(await t.contacts.timeline(a.id)).toHaveLength(1)
        expect(await t.cases.forContact(a.id)).toHaveLength(1)
        const viaLoser = await t.consent.canContact(b.id, { channel: 'email', purpose: 'marketing' })
        expect(viaLoser.reasons.map((r) => r.code)).toEqual(['opted_out'])
        expect((await t.contacts.findByPhone('+14155550133')).map((c) => c.id)).toEqual([a.id])
        const again = await t.contacts.merge(a.id, [b.id]).catch((e) => e)
        expect(again._tag).toBe('Conflict')
      })
    })

    describe('cases', () => {
      it('escalates with a reason and keeps the history', async () => {
        const t = sb.tenant('cases')
        const c = await t.contacts.create({ firstName: 'Case', lastName: 'Owner' })
        const k = await t.cases.open({ contactId: c.id, subject: 'No dial tone', priority: 'high' })
        const noReason = await t.cases
          .escalate(k.id, { toTier: 'tr_l2' as never, reason: 'manual' })
          .catch((e) => e)
        expect(noReason._tag).toBe('ValidationFailed')
        const up = await t.cases.escalate(k.id, {
          toTier: 'tr_l2' as never,
          reason: 'manual',
          note: 'needs line test',
        })
        expect(up.tierId).toBe('tr_l2')
        expect(up.history.map((h) => h.type)).toEqual(['created', 'escalated'])
        expect((await t.cases.get(k.id)).history[1]!.at).toBeInstanceOf(Date)
      })
    })

    describe('tenant isolation', () => {
      it("one tenant can neither read nor change another tenant's rows", async () => {
        const a = sb.tenant('tenant-a')
        const b = sb.tenant('tenant-b')
        const secret = await a.contacts.create({
          firstName: 'Secret',
          lastName: 'Person',
          phones: ['+14155550150'],
          emails: ['s@example.com'],
        })
        await a.interactions.log({
          contactId: secret.id,
          channel: 'note',
          direction: 'internal',
          body: 'private',
        })
        const k = await a.cases.open({ contactId: secret.id, subject: 'Private case' })
        const camp = await a.campaigns.create({
          name: 'A only',
          kind: 'telemarketing',
          dialMode: { mode: 'progressive' },
          regime: 'US',
          consentPurpose: 'marketing',
        })
        await a.consent.addToDoNotCall({ phone: '+14155550151', source: 'test' })

        expect((await b.contacts.get(secret.id).catch((e) => e))._tag).toBe('NotFound')
        expect(await b.contacts.findByPhone('+14155550150')).toEqual([])
        expect((await b.contacts.screenPop('+14155550150')).status).toBe('unknown')
        expect(await b.contacts.list()).toEqual([])
        expect(await b.contacts.count()).toBe(0)
        expect(await b.contacts.timeline(secret.id)).toEqual([])
        expect((await b.cases.get(k.id).catch((e) => e))._tag).toBe('NotFound')
        expect((await b.campaigns.get(camp.id).catch((e) => e))._tag).toBe('NotFound')
        expect(await b.consent.isOnDoNotCall('+14155550151')).toEqual([])
        // Writes through another tenant fail and leave the row untouched.
        expect((await b.contacts.update(secret.id, { firstName: 'Hacked' }).catch((e) => e))._tag).toBe(
          'NotFound',
        )
        expect(
          (
            await b.interactions
              .log({ contactId: secret.id, channel: 'note', direction: 'internal' })
              .catch((e) => e)
          )._tag,
        ).toBe('NotFound')
        expect(
          (
            await b.consent
              .record({
                contactId: secret.id,
                channel: 'voice',
                purpose: '*',
                status: 'opted_out',
                source: 'x',
              })
              .catch((e) => e)
          )._tag,
        ).toBe('NotFound')
        const other = await b.contacts.create({ firstName: 'Other', lastName: 'Tenant' })
        expect((await b.contacts.merge(other.id, [secret.id]).catch((e) => e))._tag).toBe('NotFound')
        expect((await a.contacts.get(secret.id)).firstName).toBe('Secret')
        expect(await a.contacts.timeline(secret.id)).toHaveLength(1)

        // Plugin tables are tenant-scoped too.
        await backend
          .forTenant(a.tenantId)
          .rows('scores_values')
          .insert({ contact_id: secret.id, score: 0.9, reason: null })
        expect(await backend.forTenant(b.tenantId).rows('scores_values').find()).toEqual([])
        expect(
          await backend.forTenant(b.tenantId).rows('scores_values').delete({ contact_id: secret.id }),
        ).toBe(0)
        expect(
          await backend.forTenant(a.tenantId).rows('scores_values').find({ contact_id: secret.id }),
        ).toEqual([{ contact_id: secret.id, score: 0.9, reason: null }])
      })

      it('rejects an invalid tenant id', () => {
        expect(() => sb.tenant('')).toThrow(/tenant/)
      })
    })

    describe('transactions', () => {
      it('roll back every write when the work fails', async () => {
        const store = backend.forTenant(sb.tenant('tx').tenantId)
        const c = await sb.tenant('tx').contacts.create({ firstName: 'Tx', lastName: 'Test' })
        await expect(
          store.transaction(async (tx) => {
            await tx.contacts.update({ ...c, displayName: 'Changed', updatedAt: new Date() } as Contact)
            throw new Error('boom')
          }),
        ).rejects.toThrow('boom')
        expect((await store.contacts.get(c.id))?.displayName).toBe('Tx Test')
      })
    })

    leadConformance({ backend: () => backend, tenant: (id) => sb.tenant(id).tenantId })
    runtimeConformance({
      backend: () => backend,
      tenant: (id) => sb.tenant(id).tenantId,
      ...(options.peer ? { peer: () => options.peer!(backend) } : {}),
    })
    storeConformance(() => backend, options)

    boundaryConformance(() => sb)
    keptConformance(() => sb)
    hostileImportConformance(() => sb)
    rulesConformance(options.create)
    savedSegmentConformance(options.create)
    segmentConformance(name, options.create)
    consentLedgerConformance(options.create)
    deskConformance(options.create, options.peer)
    deskLocksConformance(options.create, options.peer)
    deskScriptsConformance(options.create, options.peer)
    deskVerificationConformance(options.create)
    deskServiceKpisConformance(options.create)

    describe('CSV import', () => {
      it('imports good rows, reports each bad row with its line and reason, and finds duplicates', async () => {
        const t = sb.tenant('import')
        const progress: number[] = []
        const r = await t.contacts.import(chunked(sampleCsv), {
          mapping: sampleMapping,
          defaultCountry: 'US',
          batchSize: 2,
          onProgress: (p) => progress.push(p.rows),
        })
        expect(r.rows).toBe(9)
        expect(r.imported).toBe(4)
        expect(r.rejected.map((x) => x.line)).toEqual([5, 6, 8, 10])
        const byLine = new Map(
          r.rejected.map((x) => [x.line, x.reasons.map((i) => `${i.field}=${String(i.value)}`)]),
        )
        expect(byLine.get(5)).toEqual(['phones[0]=12345', 'emails[0]=ann@example'])
        expect(byLine.get(6)).toEqual(['openBalance=abc'])
        expect(byLine.get(8)).toEqual(['(row)=4'])
        expect(r.rejected.find((x) => x.line === 8)!.reasons[0]!.message).toMatch(
          /^expected 10 fields, found 4 \(missing the mapped /,
        )
        // Each reason also names the file's column to fix.
        const columns = (line: number) =>
          r.rejected.find((x) => x.line === line)!.reasons.map((i) => i.column)
        expect(columns(5)).toEqual(['phone', 'email'])
        expect(columns(6)).toEqual(['balance'])
        expect(columns(8)).toEqual([undefined])
        expect(r.duplicates).toHaveLength(1)
        expect(r.duplicates[0]).toMatchObject({ line: 4, within: 'file' })
        expect(r.duplicates[0]!.evidence.map((e) => e.field)).toEqual(['phone', 'name'])
        expect(progress.length).toBeGreaterThan(1)
        expect(progress.at(-1)).toBe(9)

        const pat = (await t.contacts.findByPhone('+442079460018'))[0]!
        expect(pat.firstName).toBe("O'Brien, Pat")
        expect(pat.timeZone).toBe('Europe/London')
        const john = (await t.contacts.findByPhone('+14155550132'))[0]!
        expect(john.openBalance).toEqual({ amountMinor: 12050, currency: 'USD' })
        expect(john.externalRef).toBe('A1')
        const li = (await t.contacts.list({ limit: 100 })).find((c) => c.firstName === 'Li')!
        expect(li.timeZone).toBe('America/Los_Angeles')
        expect(li.timeZoneSource).toBe('address')
      })

      it('creates no duplicates when the same file is imported again', async () => {
        const t = sb.tenant('import')
        const before = await t.contacts.count()
        const r = await t.contacts.import(chunked(sampleCsv, 1000), {
          mapping: sampleMapping,
          defaultCountry: 'US',
        })
        expect(r.imported).toBe(0)
        expect(r.duplicates).toHaveLength(5)
        expect(r.duplicates.every((d) => d.within === 'existing')).toBe(true)
        expect(await t.contacts.count()).toBe(before)
      })

      it('refuses a mapping that names a column the file lacks', async () => {
        const err = await sb
          .tenant('import')
          .contacts.import(chunked(sampleCsv), { mapping: { firstName: 'Vorname' } })
          .catch((e) => e)
        expect(err._tag).toBe('ValidationFailed')
        expect(err.issues[0]).toMatchObject({ field: 'mapping.firstName', value: 'Vorname' })
        expect(err.issues[0].message).toContain("column not in the file's header")
      })
    })
  })
}
