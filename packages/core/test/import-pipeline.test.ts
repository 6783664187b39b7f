import { describe, expect, it } from 'vitest'
import { type ImportOptions, type ImportResult, importContacts } from '../src/import/index.js'
import { type Contact, conflict, type TenantId, type TenantStore } from '../src/index.js'

/** Just what the import uses of a tenant store, in memory, with a unique externalRef like the real backends. */
function memoryStore(seed: Contact[] = []) {
  const contacts: Contact[] = [...seed]
  const calls = { findByPhones: 0, findByEmails: 0, findByExternalRefs: 0, looked: 0 }
  const live = () => contacts.filter((c) => !c.mergedInto)
  const store = {
    tenantId: 't1' as TenantId,
    contacts: {
      async count(filter: { includeMerged?: boolean } = {}) {
        return (filter.includeMerged ? contacts : live()).length
      },
      async findByPhones(e164: readonly string[]) {
        calls.findByPhones++
        calls.looked += e164.length
        return live().filter((c) => c.phones.some((p) => e164.includes(p.e164)))
      },
      async findByEmails(emails: readonly string[]) {
        calls.findByEmails++
        calls.looked += emails.length
        return live().filter((c) => c.emails.some((e) => emails.includes(e.address)))
      },
      async findByExternalRefs(refs: readonly string[]) {
        calls.findByExternalRefs++
        calls.looked += refs.length
        return contacts.filter((c) => c.externalRef && refs.includes(c.externalRef))
      },
      async insertMany(batch: readonly Contact[]) {
        const refs = new Set(contacts.map((c) => c.externalRef).filter(Boolean))
        for (const c of batch) {
          if (c.externalRef && refs.has(c.externalRef))
            throw conflict('contact', 'externalRef is already used')
          refs.add(c.externalRef)
        }
        contacts.push(...batch)
      },
    },
  }
  return { store: store as unknown as TenantStore, contacts, calls }
}

async function* chunks(input: string | Uint8Array, size = 7) {
  for (let i = 0; i < input.length; i += size) yield input.slice(i, i + size)
}

const NOW = new Date('2026-03-01T10:00:00Z')
const run = (store: TenantStore, input: string | Uint8Array, options: ImportOptions, size = 7, now = NOW) =>
  importContacts(store, chunks(input, size), options, { now })
const fails = (p: Promise<unknown>) =>
  p.then(
    () => undefined,
    (e) => e,
  )
const lines = (r: ImportResult) => r.rejected.map((x) => x.line)
const reasonOf = (r: ImportResult, line: number) => r.rejected.find((x) => x.line === line)?.reasons

const mapping = {
  externalRef: 'id',
  firstName: 'first',
  lastName: 'last',
  phones: 'phone',
  emails: 'email',
} as const

describe('rejected rows carry the physical line where they start', () => {
  it('counts the lines of quoted line breaks (CRLF too) before the bad row', async () => {
    const csv = [
      'id,first,last,phone,email,notes',
      'A1,Ann,"Lee\r\nJr",+14155550101,ann@example.com,"three\r\nline\r\nnote"', // lines 2-5
      'A2,Bob,Stone,12345,,', // line 6: bad phone
      '',
      'A3,"Car\nla",Diaz,+14155550102,carla@example,x', // line 8: bad email (record spans 8-9)
      'A4,Dan,Ruiz,+14155550103,,', // line 10: ok
    ].join('\r\n')
    const { store } = memoryStore()
    const r = await run(store, csv, { mapping: { ...mapping, attributes: { notes: 'notes' } } })
    expect(lines(r)).toEqual([6, 8])
    expect(reasonOf(r, 6)).toMatchObject([{ field: 'phones[0]', value: '12345', column: 'phone' }])
    expect(reasonOf(r, 8)).toMatchObject([{ field: 'emails[0]', column: 'email' }])
    expect(r.imported).toBe(2)
  })
})

describe('an unterminated quote', () => {
  it('is a rejected row with its line and reason, and the rows after it are imported', async () => {
    const csv = [
      'id,first,last,phone',
      'A1,Ann,Lee,+14155550101',
      'A2,"Bob,Stone,+14155550102', // never closed
      'A3,Carla,Diaz,+14155550103',
      'A4,"Dan, Jr",Ruiz,+14155550104', // its opening quote closes A2's
      'A5,Eve,Stone,+14155550105',
    ].join('\n')
    const { store } = memoryStore()
    const r = await run(store, csv, {
      mapping: { externalRef: 'id', firstName: 'first', lastName: 'last', phones: 'phone' },
    })
    expect(lines(r)).toEqual([3])
    expect(reasonOf(r, 3)![0]).toMatchObject({ field: '(row)', value: 'A2,"Bob,Stone,+14155550102' })
    expect(reasonOf(r, 3)![0]!.message).toMatch(/quoted field is not closed|never closed/)
    expect(r.imported).toBe(4)
    expect(r.rows).toBe(5)
  })

  it('at the end of the file costs only its own line', async () => {
    const csv =
      'id,first,last,phone\nA1,Ann,Lee,+14155550101\nA2,Bob,"Stone,+14155550102\nA3,Carla,Diaz,+14155550103\n'
    const { store } = memoryStore()
    const r = await run(store, csv, {
      mapping: { externalRef: 'id', firstName: 'first', lastName: 'last', phones: 'phone' },
    })
    expect(lines(r)).toEqual([3])
    expect(reasonOf(r, 3)![0]!.message).toMatch(/never closed/)
    expect(r.imported).toBe(2)
  })
})

describe('ragged rows', () => {
  const m = { externalRef: 'id', firstName: 'first', lastName: 'last', phones: 'phone' } as const
  it('tolerates empty extra fields and rows short only of unmapped trailing columns', async () => {
    const csv = [
      'id,first,last,phone,unused1,unused2',
      'A1,Ann,Lee,+14155550101,,,', // trailing comma
      'A2,Bob,Stone,+14155550102', // short of two unmapped columns
      'A3,Carla,Diaz,+14155550103,x,y,,', // two empty extras
    ].join('\n')
    const { store } = memoryStore()
    const r = await run(store, csv, { mapping: m })
    expect(r.rejected).toEqual([])
    expect(r.imported).toBe(3)
  })

  it('refuses extra non-empty fields and rows missing mapped columns, saying which', async () => {
    const csv = [
      'id,first,last,phone,notes',
      'A1,Ann,Lee,+14155550101,,surprise',
      'A2,Bob,Stone',
      'A3,Carla',
    ].join('\n')
    const { store } = memoryStore()
    const r = await run(store, csv, { mapping: m })
    expect(lines(r)).toEqual([2, 3, 4])
    expect(reasonOf(r, 2)![0]).toMatchObject({ field: '(row)', value: 6 })
    expect(reasonOf(r, 2)![0]!.message).toBe(
      'expected 5 fields, found 6 (the extra ones are not empty: a value with the delimiter in it must be quoted)',
    )
    expect(reasonOf(r, 3)![0]!.message).toBe('expected 5 fields, found 3 (missing the mapped phone)')
    expect(reasonOf(r, 4)![0]).toMatchObject({
      value: 2,
      message: 'expected 5 fields, found 2 (missing the mapped last, phone)',
    })
  })
})

describe('header and options', () => {
  it('matches headers ignoring case and spaces', async () => {
    const csv = ' First Name ,LAST NAME,Phone Number\nAnn,Lee,+14155550101\n'
    const { store, contacts } = memoryStore()
    const r = await run(store, csv, {
      mapping: { firstName: 'first name', lastName: 'lastname', phones: 'phone number' },
    })
    expect(r.imported).toBe(1)
    expect(contacts[0]).toMatchObject({ firstName: 'Ann', lastName: 'Lee' })
  })

  it('refuses duplicate header names (after folding), naming them', async () => {
    const csv = 'first,Email,last,E Mail\nAnn,a@example.com,Lee,b@example.com\n'
    const err = await fails(
      run(memoryStore().store, csv, { mapping: { firstName: 'first', emails: 'email' } }),
    )
    expect(err).toMatchObject({
      _tag: 'ValidationFailed',
      issues: [{ field: 'header', value: ['Email', 'E Mail'] }],
    })
    expect(err.message).toContain('columns 2 and 4')
  })

  it('refuses a mapping column the file lacks, suggesting the closest', async () => {
    const err = await fails(
      run(memoryStore().store, 'first,last\nA,B\n', { mapping: { firstName: 'frist' } }),
    )
    expect(err.issues[0]).toMatchObject({ field: 'mapping.firstName', value: 'frist' })
    expect(err.issues[0].message).toContain('did you mean "first"?')
  })

  it.each([
    [undefined, '(root)', /must be an object with a mapping/],
    [{}, 'mapping', /is required: say which column feeds which contact field/],
    [{ mapping: {} }, 'mapping', /maps no column/],
    [{ mapping: { phones: [] } }, 'mapping.phones', /at least one column/],
    [
      { mapping: { firstName: 'a' }, defaultcountry: 'ES' },
      'defaultcountry',
      /unknown key; did you mean "defaultCountry"\?/,
    ],
    [{ mapping: { fristName: 'a' } }, 'mapping.fristName', /did you mean "firstName"\?/],
    [{ mapping: { firstName: 'a' }, defaultCountry: 'XX' }, 'defaultCountry', /ISO 3166-1 alpha-2/],
    [{ mapping: { firstName: 'a' }, defaultCountry: 'es' }, 'defaultCountry', /ISO 3166-1 alpha-2/],
    [{ mapping: { firstName: 'a' }, currency: 'EURO' }, 'currency', /ISO 4217/],
    [{ mapping: { firstName: 'a' }, locale: 'xx-nope-123456789' }, 'locale', /BCP 47 locale/],
    [{ mapping: { firstName: 'a' }, encoding: 'utf8mb4' }, 'encoding', /utf-8/],
    [{ mapping: { firstName: 'a' }, delimiter: ';;' }, 'delimiter', /one character/],
  ])('refuses options %j (field %s)', async (options, field, message) => {
    const err = await fails(run(memoryStore().store, 'a\nx\n', options as never))
    expect(err).toMatchObject({ _tag: 'ValidationFailed', entity: 'import options' })
    expect(err.issues[0].field).toBe(field)
    expect(err.issues[0].message).toMatch(message)
  })

  it('refuses an empty file', async () => {
    const err = await fails(run(memoryStore().store, '', { mapping: { firstName: 'a' } }))
    expect(err.issues[0]).toMatchObject({ field: 'source', message: 'is empty: no header row' })
  })
})

describe('encodings', () => {
  const latin1 = Buffer.from('first,last,phone\nJos\xe9,N\xfa\xf1ez,+34612345678\n', 'latin1')
  const m = { firstName: 'first', lastName: 'last', phones: 'phone' } as const
  it('refuses a file that is not UTF-8 without encoding, and writes nothing', async () => {
    const { store, contacts } = memoryStore()
    const err = await fails(run(store, new Uint8Array(latin1), { mapping: m }))
    expect(err._tag).toBe('ValidationFailed')
    expect(err.message).toMatch(
      /not valid UTF-8 at byte 20.*declare encoding: 'windows-1252' \(or 'latin1'\)/,
    )
    expect(contacts).toEqual([])
  })
  it.each(['latin1', 'windows-1252'] as const)('imports José with encoding: %s', async (encoding) => {
    const { store, contacts } = memoryStore()
    await run(store, new Uint8Array(latin1), { mapping: m, encoding })
    expect(contacts.map((c) => [c.firstName, c.lastName])).toEqual([['José', 'Núñez']])
    expect(JSON.stringify(contacts)).not.toContain('\uFFFD')
  })
  it('decodes UTF-16 with a BOM', async () => {
    const { store, contacts } = memoryStore()
    await run(
      store,
      new Uint8Array(Buffer.from('\uFEFFfirst,last,phone\r\nJosé,山田,+34612345678\r\n', 'utf16le')),
      { mapping: m },
    )
    expect(contacts[0]).toMatchObject({ firstName: 'José', lastName: '山田' })
  })
})

describe('NUL characters and lone surrogates', () => {
  it('reject their row with its line and reason; every other row is imported', async () => {
    const rows = ['id,first,last,phone,email']
    for (let i = 0; i < 120; i++) {
      const last = i === 40 ? 'Nu\u0000ll' : i === 80 ? 'Sur\uD800' : `Last${i}`
      const phone = i === 100 ? '+1415555\u00000199' : `+1415555${String(1000 + i).padStart(4, '0')}`
      rows.push(`R${i},First${i},${last},${phone},`)
    }
    const { store, contacts } = memoryStore()
    const r = await run(store, rows.join('\n'), { mapping, batchSize: 16 }, 101)
    expect(lines(r)).toEqual([42, 82, 102])
    expect(reasonOf(r, 42)).toMatchObject([
      { field: 'lastName', column: 'last', message: expect.stringContaining('NUL') },
    ])
    expect(reasonOf(r, 82)).toMatchObject([
      { field: 'lastName', column: 'last', message: expect.stringContaining('surrogate') },
    ])
    expect(reasonOf(r, 102)).toMatchObject([
      { field: 'phones[0]', column: 'phone', message: expect.stringContaining('NUL') },
    ])
    expect(r.imported).toBe(117)
    expect(contacts.some((c) => JSON.stringify(c).includes('\\u0000'))).toBe(false)
  })
})

describe("a row's own country", () => {
  it('reads its national numbers, before the file-wide defaultCountry', async () => {
    const csv =
      'first,last,phone,country\nAna,Ruiz,612 345 678,es\nJohn,Smith,(415) 555-0132,\nPat,Lee,020 7946 0018,GB\n'
    const { store, contacts } = memoryStore()
    const r = await run(store, csv, {
      mapping: { firstName: 'first', lastName: 'last', phones: 'phone', address: { country: 'Country' } },
      defaultCountry: 'US',
    })
    expect(r.rejected).toEqual([])
    expect(contacts.map((c) => [c.phones[0]!.e164, c.address?.country])).toEqual([
      ['+34612345678', 'ES'],
      ['+14155550132', undefined],
      ['+442079460018', 'GB'],
    ])
  })
})

describe('amounts in the file', () => {
  const csv = 'first,last,balance\nAna,Ruiz,"1.234,50"\nBea,Soto,"1,234"\nCam,Vela,12\n'
  const m = { firstName: 'first', lastName: 'last', openBalance: 'balance' } as const
  it('are read in the declared locale and currency', async () => {
    const { store, contacts } = memoryStore()
    const r = await run(store, csv, { mapping: m, currency: 'EUR', locale: 'es-ES' })
    expect(lines(r)).toEqual([3])
    expect(reasonOf(r, 3)![0]).toMatchObject({ field: 'openBalance', column: 'balance' })
    expect(reasonOf(r, 3)![0]!.message).toMatch(/more decimals than EUR has \(2\)/)
    expect(contacts.map((c) => c.openBalance)).toEqual([
      { amountMinor: 123450, currency: 'EUR' },
      { amountMinor: 1200, currency: 'EUR' },
    ])
  })
  it('that are ambiguous without a locale are refused, saying to declare it', async () => {
    const { store } = memoryStore()
    const r = await run(store, csv, { mapping: m, currency: 'EUR' })
    expect(lines(r)).toEqual([3])
    expect(reasonOf(r, 3)![0]!.message).toMatch(/ambiguous without a locale.*declare `locale`/)
  })
})

describe('duplicates', () => {
  // 300 people, each row i % 7 === 6 repeating an earlier one (same phone, similar name), and ref R5 used twice.
  const people = ['id,first,last,phone,email']
  for (let i = 0; i < 300; i++) {
    const j = i % 7 === 6 ? i - 5 : i
    const last = i % 7 === 6 ? `Smiht${j}` : `Smith${j}`
    people.push(`${i === 250 ? 'R5' : `R${i}`},John,${last},+1415555${String(1000 + j)},`)
  }
  const csv = people.join('\n')
  const summary = (r: ImportResult) => ({
    imported: r.imported,
    duplicates: r.duplicates.map((d) => [d.line, d.within, d.score]),
    rejected: r.rejected,
  })

  it('on an empty tenant finds the same ones in memory as with database lookups, with far fewer lookups', async () => {
    const fast = memoryStore()
    const a = await run(fast.store, csv, { mapping, batchSize: 50 }, 1000)
    // The same file into a tenant that already has an unrelated contact: the per-batch lookup path.
    const other = await (async () => {
      const s = memoryStore()
      await run(s.store, 'first,last,phone\nZed,Other,+12125550199\n', {
        mapping: { firstName: 'first', lastName: 'last', phones: 'phone' },
      })
      return s.contacts
    })()
    const slow = memoryStore(other)
    const b = await run(slow.store, csv, { mapping, batchSize: 50 }, 1000)
    expect(a.dedupe).toBe('memory')
    expect(b.dedupe).toBe('lookup')
    expect(summary(a)).toEqual(summary(b))
    expect(a.duplicates.length).toBe(43)
    expect(a.duplicates.find((d) => d.line === 252)?.evidence.map((e) => e.field)).toContain('externalRef')
    expect(fast.calls.looked).toBeLessThan(slow.calls.looked / 5)
  })

  it('a re-import adds nothing, and a ref taken in the database or twice in the file is a duplicate', async () => {
    const { store, contacts } = memoryStore()
    const first = await run(store, csv, { mapping, batchSize: 64 }, 1000)
    const again = await run(store, csv, { mapping, batchSize: 64 }, 1000, new Date('2026-03-02T10:00:00Z'))
    expect(again.imported).toBe(0)
    expect(again.duplicates.length).toBe(300)
    expect(again.duplicates.every((d) => d.within === 'existing' || d.line === 252)).toBe(true)
    expect(contacts.length).toBe(first.imported)
    // A different person under a taken ref: still a duplicate by ref, not a storage error.
    const taken = await run(
      store,
      'id,first,last,phone\nR7,Someone,Else,+12125550100\n',
      { mapping: { externalRef: 'id', firstName: 'first', lastName: 'last', phones: 'phone' } },
      7,
      new Date('2026-03-03T10:00:00Z'),
    )
    expect(taken.imported).toBe(0)
    expect(taken.duplicates[0]).toMatchObject({ line: 2, within: 'existing', score: 1 })
  })
})

describe('progress', () => {
  it('is reported after every batch, with the bytes read', async () => {
    const csv = ['first,last', ...Array.from({ length: 50 }, (_, i) => `F${i},L${i}`)].join('\n')
    const seen: number[] = []
    let bytes = 0
    await run(memoryStore().store, csv, {
      mapping: { firstName: 'first', lastName: 'last' },
      batchSize: 10,
      totalBytes: csv.length,
      onProgress: (p) => {
        seen.push(p.rows)
        bytes = p.bytes
        expect(p.totalBytes).toBe(csv.length)
      },
    })
    expect(seen.at(-1)).toBe(50)
    expect(new Set(seen).size).toBeGreaterThanOrEqual(5)
    expect(bytes).toBe(csv.length)
  })
})
