import type { Contact, Switchboard } from '@switchboard/core'
import { describe, expect, it } from 'vitest'
import { type HostileFile, hostileCsv, hostileMapping, latin1Csv } from './fixtures/hostile-contacts.js'

/** The bytes in chunks of `size`, as a file stream would deliver them (every split point is met somewhere). */
async function* bytesOf(bytes: Uint8Array, size: number): AsyncGenerator<Uint8Array> {
  for (let i = 0; i < bytes.length; i += size) yield bytes.subarray(i, i + size)
}

const utf8 = (s: string | undefined) => Buffer.from(s ?? '', 'utf8')

/**
 * The import against a hostile file, on a real backend: every good row's
 * values come back byte for byte as the file holds them, every bad row is
 * reported with its physical line and reason (nothing aborts the import: a
 * NUL byte once stopped a PostgreSQL import part way), a re-import adds
 * nothing, and a Latin-1 file is refused until its encoding is declared,
 * then imported as José (never Jos\uFFFD).
 */
export function hostileImportConformance(switchboard: () => Switchboard): void {
  describe('CSV import of a hostile file', () => {
    const file: HostileFile = hostileCsv()
    const options = { mapping: hostileMapping, defaultCountry: 'US', batchSize: 4 } as const
    // Several imports each (a worker thread starts for every one): generous on a loaded CI machine.
    const timeout = 60_000

    const readBack = async (tenant: string, refs: readonly string[]) => {
      const sb = switchboard()
      const found = await sb.storage.forTenant(sb.tenant(tenant).tenantId).contacts.findByExternalRefs(refs)
      return new Map<string, Contact>(found.map((c) => [c.externalRef!, c]))
    }

    it(
      'stores every good row byte for byte and reports every bad row with its line and reason',
      async () => {
        const t = switchboard().tenant('hostile')
        const r = await t.contacts.import(bytesOf(file.bytes, 777), options)
        expect(r.rows).toBe(file.rows)
        expect(r.rejected.map((x) => x.line)).toEqual(file.bad.map((b) => b.line))
        for (const b of file.bad) {
          const reasons = r.rejected.find((x) => x.line === b.line)!.reasons
          expect(reasons, `line ${b.line}`).toHaveLength(1)
          expect(reasons[0]!.field, `line ${b.line}`).toBe(b.field)
          expect(reasons[0]!.message, `line ${b.line}`).toMatch(b.message)
          if (b.column) expect(reasons[0]!.column).toBe(b.column)
        }
        expect(r.duplicates.map((d) => [d.line, d.within])).toEqual(
          file.duplicateLines.map((l) => [l, 'file']),
        )
        expect(r.imported).toBe(file.good.length)

        const stored = await readBack(
          'hostile',
          file.good.map((g) => g.externalRef),
        )
        expect(stored.size).toBe(file.good.length)
        for (const g of file.good) {
          const c = stored.get(g.externalRef)!
          const where = `line ${g.line} (${g.externalRef})`
          expect(
            utf8(c.firstName).equals(utf8(g.firstName)),
            `${where} firstName ${JSON.stringify(c.firstName)}`,
          ).toBe(true)
          expect(
            utf8(c.lastName).equals(utf8(g.lastName)),
            `${where} lastName ${JSON.stringify(c.lastName)}`,
          ).toBe(true)
          const notes = c.attributes.notes as string | undefined
          expect(utf8(notes).equals(utf8(g.notes)), `${where} notes`).toBe(true)
          expect(
            c.phones.map((p) => p.e164),
            where,
          ).toEqual([g.e164])
          expect(
            c.emails.map((e) => e.address),
            where,
          ).toEqual(g.email ? [g.email] : [])
          expect(c.address?.country, where).toBe(g.country)
          if (g.openBalanceMinor !== undefined)
            expect(c.openBalance, where).toEqual({ amountMinor: g.openBalanceMinor, currency: 'USD' })
        }
        expect((stored.get('H006')!.attributes.notes as string).length).toBe(10_000)
      },
      timeout,
    )

    it(
      'adds nothing when the same file is imported again',
      async () => {
        const t = switchboard().tenant('hostile')
        const before = await t.contacts.count()
        const r = await t.contacts.import(bytesOf(file.bytes, 4096), options)
        expect(r.imported).toBe(0)
        expect(r.duplicates).toHaveLength(file.good.length + file.duplicateLines.length)
        expect(r.rejected.map((x) => x.line)).toEqual(file.bad.map((b) => b.line))
        expect(await t.contacts.count()).toBe(before)
      },
      timeout,
    )

    it(
      'goes on past a NUL byte deep in a large file (it once aborted a PostgreSQL import at row 5,000 of 12,000)',
      async () => {
        const t = switchboard().tenant('nul-deep')
        const lines = ['Customer ID,First Name,Last Name,Phone,Notes']
        for (let i = 0; i < 12_000; i++) {
          const notes = i === 5_000 ? 'before\u0000after' : i % 1000 === 0 ? '"a, quoted\r\nnote"' : 'plain'
          lines.push(`N${i},First${i},Last${i},+1212${String(2_000_000 + i)},${notes}`)
        }
        const bytes = new TextEncoder().encode(lines.join('\r\n'))
        const r = await t.contacts.import(bytesOf(bytes, 1 << 16), {
          mapping: {
            externalRef: 'Customer ID',
            firstName: 'First Name',
            lastName: 'Last Name',
            phones: 'Phone',
            attributes: { notes: 'Notes' },
          },
        })
        // Rows 0..4999 sit on lines 2..5001, plus one extra line for each earlier quoted note (rows 0, 1000, ..., 5000 exclusive).
        expect(r.rejected).toEqual([
          {
            line: 5_002 + 5,
            reasons: [
              expect.objectContaining({
                field: 'attributes.notes',
                column: 'Notes',
                message: expect.stringContaining('NUL'),
              }),
            ],
          },
        ])
        expect(r.imported).toBe(11_999)
        expect(await t.contacts.count()).toBe(11_999)
      },
      timeout,
    )

    it(
      'refuses a Latin-1 file without `encoding`, and imports it as written with encoding: latin1',
      async () => {
        const { bytes, names } = latin1Csv()
        const t = switchboard().tenant('latin1')
        const mapping = {
          externalRef: 'Customer ID',
          firstName: 'First Name',
          lastName: 'Last Name',
          phones: 'Phone',
          address: { country: 'Country' },
        }
        const err = await t.contacts.import(bytesOf(bytes, 16), { mapping }).catch((e) => e)
        expect(err._tag).toBe('ValidationFailed')
        expect(err.issues[0].field).toBe('encoding')
        expect(err.message).toMatch(
          /not valid UTF-8 at byte \d+.*declare encoding: 'windows-1252' \(or 'latin1'\)/,
        )
        expect(await t.contacts.count()).toBe(0)

        const r = await t.contacts.import(bytesOf(bytes, 16), { mapping, encoding: 'latin1' })
        expect(r.rejected).toEqual([])
        expect(r.imported).toBe(names.length)
        const stored = await readBack(
          'latin1',
          names.map((_, i) => `L${i}`),
        )
        expect(names.map((_, i) => [stored.get(`L${i}`)!.firstName, stored.get(`L${i}`)!.lastName])).toEqual(
          names,
        )
        expect(JSON.stringify([...stored.values()])).not.toContain('\uFFFD')
      },
      timeout,
    )
  })
}
