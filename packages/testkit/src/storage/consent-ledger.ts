import {
  type ConsentDecisionLog,
  type ContactDecision,
  createSwitchboard,
  dncPresets,
  newId,
  regimes,
  type StorageBackend,
  type Switchboard,
  type TenantId,
} from '@switchboard/core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'

// A Wednesday, 15:00 UTC: 16:00 in Madrid, inside every default window.
const WED_1500Z = new Date('2026-03-11T15:00:00Z')

/** Text chunks cut at odd places, as a file stream delivers them. */
async function* chunksOf(text: string, size = 7): AsyncGenerator<string> {
  for (let i = 0; i < text.length; i += size) yield text.slice(i, i + size)
}

/** Bytes, as fs.createReadStream yields them. */
async function* bytesOf(text: string, size = 64): AsyncGenerator<Uint8Array> {
  const b = new TextEncoder().encode(text)
  for (let i = 0; i < b.length; i += size) yield b.subarray(i, i + size)
}

/** Distinct valid Spanish mobile numbers: +34 6xx xxx xxx. */
const spanish = (from: number, n: number) =>
  Array.from({ length: n }, (_, i) => `+34${String(600_000_000 + from + i)}`)

const failure = (p: Promise<unknown>) =>
  p.then(
    () => undefined,
    (e: unknown) => e as { _tag?: string; issues?: { field: string }[]; message?: string },
  )

/**
 * The consent ledger: corrections, versioned do-not-call registries (with a
 * swap raced by checks), and the audit trail with its export, through the
 * public API on a real backend.
 */
export function consentLedgerConformance(create: () => Promise<StorageBackend>): void {
  describe('consent ledger', () => {
    let sb: Switchboard
    let backend: StorageBackend
    beforeAll(async () => {
      backend = await create()
      sb = await createSwitchboard({ storage: backend })
    })
    afterAll(async () => {
      await sb?.close()
    })

    it('is append-only: a correction is a new entry that replaces the one it names', async () => {
      const t = sb.tenant('ledger-corrections')
      const c = await t.contacts.create({ firstName: 'Eva', phones: ['+34612000001'] })
      const q = { channel: 'voice', purpose: 'marketing', at: WED_1500Z } as const
      const wrong = await t.consent.record({
        contactId: c.id,
        channel: 'voice',
        purpose: 'marketing',
        status: 'opted_out',
        lawfulBasis: 'consent',
        source: 'call',
        evidence: { recordingId: 'rc_1' as never, textShown: 'Do you want offers by phone?' },
        capturedAt: new Date('2026-02-01T10:00:00Z'),
      })
      expect((await t.consent.canContact(c.id, q)).reasons.map((r) => r.code)).toEqual(['opted_out'])
      const fix = await t.consent.record({
        contactId: c.id,
        channel: 'voice',
        purpose: 'marketing',
        status: 'opted_in',
        lawfulBasis: 'consent',
        source: 'call (corrected by QA: the agent pressed the wrong key)',
        evidence: { recordingId: 'rc_1' as never },
        capturedAt: new Date('2026-02-01T10:00:00Z'),
        corrects: wrong.id,
      })
      const d = await t.consent.canContact(c.id, q)
      expect(d.allowed).toBe(true)
      expect(d.basis?.id).toBe(fix.id)
      // Both entries stay: nothing was edited.
      const ledger = await t.consent.history(c.id)
      expect(ledger.map((e) => [e.id, e.status, e.corrects])).toEqual([
        [wrong.id, 'opted_out', undefined],
        [fix.id, 'opted_in', wrong.id],
      ])
      expect(ledger[0]!.evidence).toEqual({
        recordingId: 'rc_1',
        textShown: 'Do you want offers by phone?',
      })

      const again = await failure(
        t.consent.record({
          contactId: c.id,
          channel: 'voice',
          purpose: 'marketing',
          status: 'opted_out',
          source: 'call',
          corrects: wrong.id,
        }),
      )
      expect(again?._tag).toBe('ValidationFailed')
      expect(again?.message).toMatch(/already corrected/)
      // Another tenant's entry (or any unknown id) cannot be corrected.
      const other = sb.tenant('ledger-corrections-other')
      const oc = await other.contacts.create({ firstName: 'Eva', phones: ['+34612000001'] })
      const cross = await failure(
        other.consent.record({
          contactId: oc.id,
          channel: 'voice',
          purpose: 'marketing',
          status: 'opted_out',
          source: 'call',
          corrects: fix.id,
        }),
      )
      expect(cross?.issues?.[0]?.field).toBe('corrects')
      const badIp = await failure(
        t.consent.record({
          contactId: c.id,
          channel: 'voice',
          purpose: 'marketing',
          status: 'opted_in',
          source: 'web form',
          evidence: { ip: '999.1.1.1' },
        }),
      )
      expect(badIp?._tag).toBe('ValidationFailed')
    })

    it('imports a registry file streamed, normalised, with bad lines by number, and canContact says which', async () => {
      const t = sb.tenant('ledger-registry')
      const ana = await t.contacts.create({ firstName: 'Ana', phones: ['+34612345601'] })
      const luis = await t.contacts.create({ firstName: 'Luis', phones: ['+34612345602'] })
      const reg = await t.consent.defineRegistry(dncPresets.ES_ROBINSON)
      expect(reg).toMatchObject({ name: 'lista-robinson', kind: 'national', country: 'ES' })
      expect(reg.activeVersion).toBeUndefined()

      const file = [
        '# Lista Robinson, December',
        '612345601', // national: the registry's country applies
        '+34 612 345 603',
        '',
        '0034612345604;2026-11-02',
        '12', // too short
        'hello',
        '612345601', // a duplicate
        '+34612345605\r',
      ].join('\n')
      const progress: number[] = []
      const r1 = await t.consent.importRegistry('lista-robinson', bytesOf(file, 5), {
        source: 'robinson-2026-12.txt',
        batchSize: 2,
        onProgress: (p) => progress.push(p.lines),
      })
      expect(r1).toMatchObject({ version: 1, lines: 9, imported: 4, duplicates: 1, rejected: 2 })
      expect(r1.replaced).toBeUndefined()
      expect(r1.rejectedLines.map((l) => [l.line, l.text])).toEqual([
        [6, '12'],
        [7, 'hello'],
      ])
      expect(r1.rejectedLines[0]!.message).toMatch(/digits/)
      expect(progress.length).toBeGreaterThan(1)
      expect(progress).toEqual([...progress].sort((a, b) => a - b))
      const [dated] = await backend.forTenant(t.tenantId).dncRegistries.find(['+34612345604'])
      expect(dated).toMatchObject({ version: 1, listedAt: new Date('2026-11-02') })

      const q = { channel: 'voice', purpose: 'service', at: WED_1500Z } as const
      const no = await t.consent.canContact(ana.id, q)
      expect(no.reasons.map((x) => x.code)).toEqual(['do_not_call'])
      expect(no.reasons[0]!.message).toMatch(
        /national do-not-call registry "lista-robinson" \(version 1 from robinson-2026-12\.txt/,
      )
      expect((await t.consent.canContact(luis.id, q)).allowed).toBe(true)

      // The next month's file: Ana left the list, Luis joined. The old version is retired.
      const r2 = await t.consent.importRegistry('lista-robinson', chunksOf('612345602\n612345603\n'), {
        source: 'robinson-2027-01.txt',
        listedAt: '2027-01-01T00:00:00Z',
      })
      expect(r2).toMatchObject({ version: 2, replaced: 1, imported: 2, rejected: 0 })
      expect((await t.consent.canContact(ana.id, q)).allowed).toBe(true)
      expect((await t.consent.canContact(luis.id, q)).reasons.map((x) => x.code)).toEqual(['do_not_call'])
      const versions = await t.consent.registryVersions('lista-robinson')
      expect(versions.map((v) => [v.version, v.status, v.numbers, v.rejected])).toEqual([
        [1, 'retired', 4, 2],
        [2, 'active', 2, 0],
      ])
      // A file that breaks off mid-way: that version is abandoned, the active one stays whole.
      async function* broken() {
        yield '612345601\n612345604\n'
        throw new Error('connection reset')
      }
      const cut = await failure(
        t.consent.importRegistry('lista-robinson', broken(), {
          source: 'robinson-2027-02.txt',
          batchSize: 1,
        }),
      )
      expect(cut?.message).toMatch(/connection reset/)
      expect((await t.consent.registryVersions('lista-robinson')).map((v) => v.status)).toEqual([
        'retired',
        'active',
        'abandoned',
      ])
      expect((await t.consent.canContact(ana.id, q)).allowed).toBe(true)
      const hits = await backend.forTenant(t.tenantId).dncRegistries.find(['+34612345602', '+34612345601'])
      expect(hits).toEqual([
        expect.objectContaining({
          phone: '+34612345602',
          registry: 'lista-robinson',
          version: 2,
          source: 'robinson-2027-01.txt',
          listedAt: new Date('2027-01-01T00:00:00Z'),
        }),
      ])
      // Another tenant does not see this tenant's registry.
      const other = sb.tenant('ledger-registry-other')
      const luis2 = await other.contacts.create({ firstName: 'Luis', phones: ['+34612345602'] })
      expect((await other.consent.canContact(luis2.id, q)).allowed).toBe(true)
    })

    it('applies a campaign registry only to its campaign; the US preset reads area code and number', async () => {
      const t = sb.tenant('ledger-campaign-registry')
      const c = await t.contacts.create({ firstName: 'Joe', phones: ['+12125550148'] })
      const campaign = await t.campaigns.create({
        name: 'Renewals',
        kind: 'telemarketing',
        dialMode: { mode: 'progressive' },
        regime: 'US',
        consentPurpose: 'sales',
      })
      const missing = await failure(t.consent.defineRegistry({ name: 'renewals-dnc', kind: 'campaign' }))
      expect(missing?.issues?.[0]?.field).toBe('campaignId')
      await t.consent.defineRegistry({ name: 'renewals-dnc', kind: 'campaign', campaignId: campaign.id })
      await t.consent.importRegistry('renewals-dnc', chunksOf('+1 212 555 0148\n'), {
        source: 'complaints.txt',
      })
      const inCampaign = await t.consent.canContact(c.id, {
        channel: 'voice',
        campaignId: campaign.id,
        at: WED_1500Z,
      })
      expect(inCampaign.reasons.map((r) => r.code)).toEqual(['do_not_call'])
      expect(
        (await t.consent.canContact(c.id, { channel: 'voice', purpose: 'sales', at: WED_1500Z })).allowed,
      ).toBe(true)

      await t.consent.defineRegistry(dncPresets.US_NATIONAL_DNC)
      const us = await t.consent.importRegistry('us-dnc', chunksOf('212,5550148\n212,555\n'), {
        source: 'dnc-212.txt',
      })
      expect(us).toMatchObject({ imported: 1, rejected: 1 })
      const national = await t.consent.canContact(c.id, { channel: 'voice', purpose: 'sales', at: WED_1500Z })
      expect(national.reasons.map((r) => r.message).join()).toMatch(/"us-dnc"/)
      const unknown = await failure(t.consent.importRegistry('no-such', chunksOf('1\n'), { source: 'x' }))
      expect(unknown?._tag).toBe('NotFound')
    })

    it('swaps versions atomically: checks racing an import see the old list or the new one, whole', async () => {
      const t = sb.tenant('ledger-race')
      const store = backend.forTenant(t.tenantId as TenantId)
      await t.consent.defineRegistry({ name: 'race', kind: 'internal', country: 'ES' })
      const A = spanish(0, 150)
      const B = spanish(10_000, 150)
      await t.consent.importRegistry('race', chunksOf(`${A.join('\n')}\n`, 500), { source: 'a.txt' })
      const probe = [...A.slice(0, 40), ...B.slice(0, 40), ...A.slice(-10), ...B.slice(-10)]
      const onA = probe.filter((p) => A.includes(p)).sort()
      const onB = probe.filter((p) => B.includes(p)).sort()
      const seen: string[] = []
      // Set once the import has resolved: each checker stops a few checks later.
      let stopAt: number | undefined
      const checker = async () => {
        // No sleeps: the checks alternate with the import's own awaits on an in-process
        // driver, and run beside it on a pool of connections.
        while (stopAt === undefined || seen.length < stopAt) {
          const hits = (await store.dncRegistries.find(probe)).map((h) => h.phone).sort()
          const same = (xs: string[]) => xs.length === hits.length && xs.every((x, i) => x === hits[i])
          seen.push(same(onA) ? 'A' : same(onB) ? 'B' : `mixed(${hits.length})`)
        }
      }
      const checkers = [checker(), checker(), checker()]
      // 15 batches of 10 numbers, each its own write: a list read in between would be half loaded.
      const result = await t.consent.importRegistry('race', chunksOf(`${B.join('\n')}\n`, 97), {
        source: 'b.txt',
        batchSize: 10,
      })
      stopAt = seen.length + 6
      await Promise.all(checkers)
      expect(result).toMatchObject({ version: 2, imported: 150 })
      expect(seen.filter((s) => s !== 'A' && s !== 'B')).toEqual([])
      // The checks did run during the load and after the swap.
      expect(seen.indexOf('A')).toBe(0)
      expect(seen.at(-1)).toBe('B')
      expect(seen.filter((s) => s === 'A').length).toBeGreaterThan(3)
    })

    it("keeps Spain's weekday and public-holiday rule out of the box, national or a community's", async () => {
      const t = sb.tenant('ledger-es-holidays')
      const c = await t.contacts.create({ firstName: 'Jordi', phones: ['+34612345670'] })
      await t.consent.record({
        contactId: c.id,
        channel: 'voice',
        purpose: 'marketing',
        status: 'opted_in',
        lawfulBasis: 'consent',
        source: 'web form',
        capturedAt: new Date('2026-01-10T00:00:00Z'),
      })
      const base = {
        kind: 'telemarketing',
        dialMode: { mode: 'progressive' },
        consentPurpose: 'marketing',
      } as const
      const es = await t.campaigns.create({ ...base, name: 'ES', regime: 'ES' })
      const ct = await t.campaigns.create({
        ...base,
        name: 'ES-CT',
        regime: { ...regimes.ES, name: 'ES-CT', publicHolidays: { country: 'ES', region: 'CT' } },
      })
      const codes = async (campaignId: string, at: string) =>
        (await t.consent.canContact(c.id, { channel: 'voice', campaignId, at })).reasons.map((r) => r.code)
      // 11:00 in Madrid: the Immaculate Conception (a Tuesday), the day after, a Saturday.
      expect(await codes(es.id, '2026-12-08T10:00:00Z')).toEqual(['holiday'])
      expect(await codes(es.id, '2026-12-09T10:00:00Z')).toEqual([])
      expect(await codes(es.id, '2026-12-12T10:00:00Z')).toEqual(['non_calling_day'])
      // La Diada (Friday 11 September) is Catalonia's, not Spain's.
      expect(await codes(es.id, '2026-09-11T10:00:00Z')).toEqual([])
      expect(await codes(ct.id, '2026-09-11T10:00:00Z')).toEqual(['holiday'])
    })

    it('refuses bad arguments with a ValidationFailed naming the field', async () => {
      const t = sb.tenant('ledger-boundary')
      await t.consent.defineRegistry({ name: 'own', kind: 'internal' })
      const field = async (p: Promise<unknown>) => {
        const e = await failure(p)
        return [e?._tag, e?.issues?.[0]?.field]
      }
      expect(await field(t.consent.defineRegistry({ name: 'Lista Robinson', kind: 'national' }))).toEqual([
        'ValidationFailed',
        'name',
      ])
      expect(await field(t.consent.defineRegistry({ name: 'x', kind: 'global' as never }))).toEqual([
        'ValidationFailed',
        'kind',
      ])
      expect(
        await field(t.consent.importRegistry('own', chunksOf('1\n'), { source: 'f', batch: 10 } as never)),
      ).toEqual(['ValidationFailed', 'batch'])
      expect(await field(t.consent.importRegistry('own', 'numbers.txt' as never, { source: 'f' }))).toEqual([
        'ValidationFailed',
        'source',
      ])
      expect(await field(t.consent.importRegistry('own', chunksOf('1\n'), {} as never))).toEqual([
        'ValidationFailed',
        'source',
      ])
      expect(await field(t.consent.configureAudit({ logDecisions: 'yes' } as never))).toEqual([
        'ValidationFailed',
        'logDecisions',
      ])
      expect(await field(t.consent.exportAudit({ from: WED_1500Z, format: 'xml' as never }))).toEqual([
        'ValidationFailed',
        'format',
      ])
      expect(await field(t.consent.exportAudit({ from: WED_1500Z, to: WED_1500Z }))).toEqual([
        'ValidationFailed',
        'to',
      ])
    })

    it('exports past one page, in order, with rows that share a time kept once each', async () => {
      const t = sb.tenant('ledger-export-pages')
      const store = backend.forTenant(t.tenantId)
      const c = await t.contacts.create({ firstName: 'Page', phones: ['+34612345680'] })
      const ids: string[] = []
      // 2,500 decisions over 5 distinct instants: the pages (1,000 rows) cut inside runs of equal times.
      await store.transaction(async (tx) => {
        for (let i = 0; i < 2_500; i++) {
          const id = newId('ConsentDecisionId')
          ids.push(id)
          await tx.consentAudit.append({
            id,
            tenantId: t.tenantId,
            contactId: c.id,
            decidedAt: new Date(Date.UTC(2026, 2, 11, 15, Math.floor(i / 500))),
            at: WED_1500Z,
            caller: 'api',
            channel: 'voice',
            purpose: 'marketing',
            requiresOptIn: false,
            ledgerIds: [],
            lists: [],
            localTimes: [],
            allowed: i % 3 !== 0,
            reasons: i % 3 === 0 ? [{ code: 'do_not_call', message: 'listed' }] : [],
          })
        }
      })
      const out = await t.consent.exportAudit({ contactId: c.id, include: ['decisions'] })
      const got = out
        .text!.trimEnd()
        .split('\n')
        .map((l) => (JSON.parse(l) as { id: string }).id)
      expect(out.decisions).toBe(2_500)
      expect(got).toEqual([...ids].sort())
      const part = await t.consent.exportAudit({
        contactId: c.id,
        include: ['decisions'],
        from: new Date(Date.UTC(2026, 2, 11, 15, 1)),
        to: new Date(Date.UTC(2026, 2, 11, 15, 3)),
      })
      expect(part.decisions).toBe(1_000)
    })

    it('logs decisions when the tenant or the question asks, and the export reconciles with them', async () => {
      const t = sb.tenant('ledger-audit')
      const c = await t.contacts.create({ firstName: 'Marta', phones: ['+34612345690'] })
      const other = await t.contacts.create({ firstName: 'Pau', phones: ['+34612345691'] })
      const q = { channel: 'voice', purpose: 'marketing', at: WED_1500Z } as const
      // Off by default: nothing is logged.
      await t.consent.canContact(c.id, q)
      expect((await t.consent.exportAudit({ contactId: c.id })).decisions).toBe(0)

      const given: ContactDecision[] = []
      const start = new Date(Date.now() - 1000)
      given.push(await t.consent.canContact(c.id, { ...q, audit: true, caller: 'agent-desktop' }))
      await t.consent.configureAudit({ logDecisions: true })
      await t.consent.record({
        contactId: c.id,
        channel: 'voice',
        purpose: 'marketing',
        status: 'opted_out',
        lawfulBasis: 'consent',
        source: 'call, "stop calling me"',
        evidence: { textShown: 'Quote "this", and, commas\nand a line break' },
        capturedAt: new Date('2026-03-01T09:00:00Z'),
      })
      given.push(await t.consent.canContact(c.id, q))
      given.push(await t.consent.canContact(c.id, { ...q, at: new Date('2026-03-11T23:30:00Z') }))
      given.push(await t.consent.canContact(c.id, { ...q, channel: 'email' }))
      await t.consent.canContact(other.id, q) // logged, but for another contact
      // A question may opt out of the tenant's logging only by asking explicitly.
      await t.consent.canContact(c.id, { ...q, audit: false })

      const jsonl = await t.consent.exportAudit({ contactId: c.id, format: 'jsonl' })
      const records = jsonl
        .text!.trimEnd()
        .split('\n')
        .map((l) => JSON.parse(l) as { record: string } & Record<string, unknown>)
      const decisions = records.filter((r) => r.record === 'decision') as unknown as (ConsentDecisionLog & {
        at: string
      })[]
      const ledger = records.filter((r) => r.record === 'ledger')
      expect(jsonl).toMatchObject({ format: 'jsonl', ledgerEntries: 1, decisions: 4 })
      expect(ledger.map((e) => e.id)).toEqual((await t.consent.history(c.id)).map((e) => e.id))
      // Every decision given, in order, with its answer, its reasons and what it rested on.
      expect(decisions.map((d) => [d.allowed, d.reasons.map((r) => r.code), d.basisId])).toEqual(
        given.map((d) => [d.allowed, d.reasons.map((r) => r.code), d.basis?.id]),
      )
      expect(decisions.map((d) => d.reasons.map((r) => r.message))).toEqual(
        given.map((d) => d.reasons.map((r) => r.message)),
      )
      expect(decisions.map((d) => d.localTimes)).toEqual(given.map((d) => d.localTimes))
      expect(decisions[0]).toMatchObject({
        caller: 'agent-desktop',
        phone: '+34612345690',
        purpose: 'marketing',
      })
      expect(decisions[1]!.ledgerIds).toEqual(ledger.map((e) => e.id))
      expect(decisions.every((d) => d.contactId === c.id)).toBe(true)

      // CSV: the same rows, one per line, quoted where the text needs it.
      const csv = await t.consent.exportAudit({ contactId: c.id, format: 'csv' })
      const lines: string[] = []
      await t.consent.exportAudit({ contactId: c.id, format: 'csv' }, (chunk) => {
        lines.push(chunk)
      })
      expect(lines.join('')).toBe(csv.text)
      expect(csv.text!.startsWith('record,id,contact_id,at,channel,purpose,status')).toBe(true)
      expect(csv.text).toContain('"call, ""stop calling me"""')
      const rows = csv.text!.split('\r\n').filter(Boolean)
      expect(rows.length).toBe(1 + 1 + 4)
      expect(rows.filter((r) => r.startsWith('decision,')).map((r) => r.split(',')[12])).toEqual(
        given.map((d) => String(d.allowed)),
      )

      // A date range covers every contact's decisions in it; another tenant's are not there.
      const range = await t.consent.exportAudit({ from: start, to: new Date(Date.now() + 1000) })
      expect(range).toMatchObject({ decisions: 5, ledgerEntries: 0 })
      const neighbour = await sb.tenant('ledger-audit-other').consent.exportAudit({ from: start })
      expect(neighbour).toMatchObject({ ledgerEntries: 0, decisions: 0 })
      const whole = await failure(t.consent.exportAudit({ format: 'csv' }))
      expect(whole?.issues?.[0]?.field).toBe('contactId')
    })
  })
}
