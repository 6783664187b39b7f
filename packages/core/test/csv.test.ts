import { describe, expect, it } from 'vitest'
import { type CsvItem, CsvParser, parseAmount, parseCsv, textChunks } from '../src/import/index.js'

type Chunk = string | Uint8Array

async function* from(chunks: Chunk[]) {
  for (const c of chunks) yield c
}

/** The bytes of `input` in chunks of `size` (so every split point is tried somewhere). */
function split(input: string | Uint8Array, size: number): Uint8Array[] {
  const bytes = typeof input === 'string' ? new TextEncoder().encode(input) : input
  const out: Uint8Array[] = []
  for (let i = 0; i < bytes.length; i += size) out.push(bytes.subarray(i, i + size))
  return out
}

async function collect(input: string | Uint8Array | Chunk[], size = 1_000_000, options = {}) {
  const chunks = Array.isArray(input) ? input : split(input, size)
  const out: CsvItem[] = []
  for await (const r of parseCsv(from(chunks), options)) out.push(r)
  return out
}

const SIZES = [1, 2, 3, 5, 7, 64, 1_000_000]

describe('streaming CSV parser', () => {
  const text = '\uFEFFa,b,c\r\n1,"two, with comma","say ""hi"""\r\n\r\n3,"multi\nline",x\n4,,\n5,last,"end"'
  it.each(SIZES)('gives the same records for chunks of %i bytes', async (size) => {
    expect(await collect(text, size)).toEqual([
      { line: 1, fields: ['a', 'b', 'c'] },
      { line: 2, fields: ['1', 'two, with comma', 'say "hi"'] },
      { line: 4, fields: ['3', 'multi\nline', 'x'] },
      { line: 6, fields: ['4', '', ''] },
      { line: 7, fields: ['5', 'last', 'end'] },
    ])
  })

  it('handles multi-byte characters split across chunks', async () => {
    const recs = await collect('n\nJosé Núñez 山田 🎉\n', 1)
    expect(recs[1]).toEqual({ line: 2, fields: ['José Núñez 山田 🎉'] })
  })

  it.each(SIZES)(
    'counts physical lines: CRLF inside quotes, lone CR, mixed line ends (chunks of %i)',
    async (size) => {
      const csv = 'h1,h2\r\n"a\r\nb\r\nc",x\r\nnext,y\nlf,z\rcr,w\r\n\r\n"q""\n",end\n'
      expect(await collect(csv, size)).toEqual([
        { line: 1, fields: ['h1', 'h2'] },
        { line: 2, fields: ['a\r\nb\r\nc', 'x'] },
        { line: 5, fields: ['next', 'y'] },
        { line: 6, fields: ['lf', 'z'] },
        { line: 7, fields: ['cr', 'w'] },
        { line: 9, fields: ['q"\n', 'end'] },
      ])
    },
  )

  it.each(SIZES)(
    'reports an unterminated quote at the end and loses nothing before it (chunks of %i)',
    async (size) => {
      const csv = 'a,b\n1,ok\n2,"never closed\n3,fine\n4,also fine\n'
      const out = await collect(csv, size)
      expect(out.slice(0, 2)).toEqual([
        { line: 1, fields: ['a', 'b'] },
        { line: 2, fields: ['1', 'ok'] },
      ])
      expect(out[2]).toMatchObject({ line: 3, defect: 'unterminated_quote', excerpt: '2,"never closed' })
      expect(out.slice(3)).toEqual([
        { line: 4, fields: ['3', 'fine'] },
        { line: 5, fields: ['4', 'also fine'] },
      ])
    },
  )

  it.each(SIZES)(
    'resumes at the next line when an unterminated quote meets a later quoted field (chunks of %i)',
    async (size) => {
      const csv = 'a,b,c\n1,"Smith, John,x\n2,Mary,y\n3,"O\'Brien, Pat",z\n4,Li,w\n'
      const out = await collect(csv, size)
      expect(out).toEqual([
        { line: 1, fields: ['a', 'b', 'c'] },
        expect.objectContaining({ line: 2, defect: 'unterminated_quote' }),
        { line: 3, fields: ['2', 'Mary', 'y'] },
        { line: 4, fields: ['3', "O'Brien, Pat", 'z'] },
        { line: 5, fields: ['4', 'Li', 'w'] },
      ])
    },
  )

  it('stops an unterminated quote at maxRecordLength, then resumes at the next line', async () => {
    const rows = Array.from({ length: 200 }, (_, i) => `${i},row ${i}`)
    const csv = `a,b\nx,"open\n${rows.join('\n')}\n`
    const out = await collect(csv, 256, { maxRecordLength: 512 })
    expect(out[1]).toMatchObject({ line: 2, defect: 'record_too_large' })
    const records = out.filter((r) => 'fields' in r)
    expect(records).toHaveLength(201)
    expect(records.at(-1)).toEqual({ line: 202, fields: ['199', 'row 199'] })
  })

  it('keeps a quote inside an unquoted field as a character, and spaces after a closing quote are ignored', async () => {
    expect(await collect('a,b\n1,5\'10" tall\n"x"  ,"y"\t\n')).toEqual([
      { line: 1, fields: ['a', 'b'] },
      { line: 2, fields: ['1', '5\'10" tall'] },
      { line: 3, fields: ['x', 'y'] },
    ])
  })

  it('reports text after a closing quote on the first line, and resumes on the next one across chunks', async () => {
    for (const size of SIZES) {
      expect(await collect('a,b\n"x"y,1\r\n2,ok\n', size)).toEqual([
        { line: 1, fields: ['a', 'b'] },
        expect.objectContaining({
          line: 2,
          defect: 'unterminated_quote',
          excerpt: expect.stringMatching(/^"x"y/),
        }),
        { line: 3, fields: ['2', 'ok'] },
      ])
    }
  })

  it('parses text pushed synchronously (CsvParser)', () => {
    const p = new CsvParser()
    expect([...p.push('a,b\r'), ...p.push('\n1,"x'), ...p.push('"'), ...p.end()]).toEqual([
      { line: 1, fields: ['a', 'b'] },
      { line: 2, fields: ['1', 'x'] },
    ])
  })

  it('keeps ragged rows as they are (the importer decides)', async () => {
    expect(await collect('a,b,c\n1,2,3,\n1,2\n')).toEqual([
      { line: 1, fields: ['a', 'b', 'c'] },
      { line: 2, fields: ['1', '2', '3', ''] },
      { line: 3, fields: ['1', '2'] },
    ])
  })

  it('uses another delimiter', async () => {
    expect(await collect('a;b\n"x;y";2\n', 1_000_000, { delimiter: ';' })).toEqual([
      { line: 1, fields: ['a', 'b'] },
      { line: 2, fields: ['x;y', '2'] },
    ])
  })

  it('keeps NUL characters and lone surrogates of a string source in their field (for the schemas to refuse)', async () => {
    const out = await collect(['a,b\n', '1,x\u0000y\n2,Jos\uD800\n3,"\uDC00\uFFFD",ok\n'])
    expect(out.slice(1)).toEqual([
      { line: 2, fields: ['1', 'x\u0000y'] },
      { line: 3, fields: ['2', 'Jos\uD800'] },
      { line: 4, fields: ['3', '\uDC00\uFFFD', 'ok'] },
    ])
  })
})

describe('encodings', () => {
  const latin1 = Uint8Array.from(
    [...'name\nJos', 0xe9, ...' N', 0xfa, 0xf1, 0x65, 0x7a, 0x0a].map((c) =>
      typeof c === 'string' ? c.charCodeAt(0) : c,
    ),
  )
  const utf16 = (text: string, be: boolean) => {
    const le = Buffer.from(`\uFEFF${text}`, 'utf16le')
    if (be) for (let i = 0; i < le.length; i += 2) [le[i], le[i + 1]] = [le[i + 1]!, le[i]!]
    return new Uint8Array(le)
  }

  it('refuses bytes that are not UTF-8, saying where and what to declare', async () => {
    const err = await collect(latin1).catch((e) => e)
    expect(err._tag).toBe('ValidationFailed')
    expect(err.issues[0]).toMatchObject({ field: 'encoding', value: 8 })
    expect(err.message).toContain('not valid UTF-8 at byte 8')
    expect(err.message).toContain("declare encoding: 'windows-1252' (or 'latin1')")
    expect(err.message).toContain('José')
  })

  it.each(['latin1', 'windows-1252'] as const)('decodes as declared: %s', async (encoding) => {
    for (const size of [1, 3, 1000]) {
      const out = await collect(latin1, size, { encoding })
      expect(out[1]).toEqual({ line: 2, fields: ['José Núñez'] })
    }
  })

  it.each([false, true])(
    'decodes UTF-16 with a byte order mark without being told (big endian: %s)',
    async (be) => {
      for (const size of [1, 2, 3, 1000]) {
        const out = await collect(utf16('name,city\r\n"Núñez, 山田 🎉",x\r\n', be), size)
        expect(out).toEqual([
          { line: 1, fields: ['name', 'city'] },
          { line: 2, fields: ['Núñez, 山田 🎉', 'x'] },
        ])
      }
    },
  )

  it('refuses UTF-16 without a byte order mark, saying what to declare, and decodes it when declared', async () => {
    const bytes = utf16('name,city\nAna,Madrid\n', false).subarray(2)
    const err = await collect(bytes).catch((e) => e)
    expect(err.message).toContain("declare encoding: 'utf-16le'")
    expect((await collect(bytes, 5, { encoding: 'utf-16le' }))[1]).toEqual({
      line: 2,
      fields: ['Ana', 'Madrid'],
    })
  })

  it('refuses a UTF-16 file declared as UTF-8, and a broken UTF-8 sequence cut by the end of the file', async () => {
    expect(
      (await collect(utf16('a\n', false), 1000, { encoding: 'utf-8' }).catch((e) => e)).message,
    ).toContain('UTF-16LE byte order mark')
    const cut = new TextEncoder().encode('a\nJosé')
    const err = await collect(cut.subarray(0, cut.length - 1), 2).catch((e) => e)
    expect(err.message).toContain(`not valid UTF-8 at byte ${cut.length - 2}`)
  })

  it('strips a UTF-8 BOM from bytes and from a string source', async () => {
    expect((await collect('\uFEFFid\n1\n', 1))[0]).toEqual({ line: 1, fields: ['id'] })
    expect((await collect(['\uFEFFid\n1\n']))[0]).toEqual({ line: 1, fields: ['id'] })
  })

  it('reports the exact byte of an invalid sequence in a later chunk', async () => {
    const good = 'x'.repeat(70_000)
    const bytes = new Uint8Array([...new TextEncoder().encode(`h\n${good}\n`), 0xc3, 0x28, 0x0a])
    const err = await collect(bytes, 65_536).catch((e) => e)
    expect(err.issues[0].value).toBe(good.length + 3)
  })

  it('decodes UTF-8 split at every byte', async () => {
    let text = ''
    for await (const t of textChunks(from(split('ñ🎉山', 1)))) text += t
    expect(text).toBe('ñ🎉山')
  })
})

describe('amounts, by locale and currency', () => {
  it.each([
    // text, currency, locale, minor units
    ['1 234,5', 'EUR', 'fr-FR', 123450],
    ['1\u202F234,50', 'EUR', 'fr-FR', 123450],
    ['1.234,50', 'EUR', 'es-ES', 123450],
    ['1.234,50', 'EUR', 'de-DE', 123450],
    ['1234,50', 'EUR', 'es-ES', 123450],
    ['1,234.50', 'USD', 'en-US', 123450],
    ['$1,234.50', 'USD', 'en-US', 123450],
    ['1,234.5 USD', 'USD', 'en-US', 123450],
    ['(1,234.50)', 'USD', 'en-US', -123450],
    ['-12', 'USD', 'en-US', -1200],
    ['1’234.50', 'CHF', 'de-CH', 123450],
    ["1'234.50", 'CHF', 'de-CH', 123450],
    ['1,234', 'JPY', 'en-US', 1234],
    ['¥1,234', 'JPY', 'ja-JP', 1234],
    ['1.234', 'KWD', 'en-US', 1234],
    ['1,234.567', 'KWD', 'en-US', 1234567],
    ['12,34,567.00', 'INR', 'en-IN', 123456700],
    // Without a locale: only what every convention reads the same.
    ['1,234.50', 'USD', undefined, 123450],
    ['1234,50', 'EUR', undefined, 123450],
    ['1.234,50', 'EUR', undefined, 123450],
    ['1 234,5', 'EUR', undefined, 123450],
    ['$99', 'USD', undefined, 9900],
    ['0.5', 'USD', undefined, 50],
    ['12.345.678', 'USD', undefined, 1234567800],
  ])('%j in %s (%s) -> %i', (text, currency, locale, minor) => {
    expect(parseAmount(text, { currency, ...(locale ? { locale } : {}) })).toEqual({
      ok: true,
      amountMinor: minor,
    })
  })

  it.each([
    ['1,234', 'USD', undefined, /ambiguous without a locale.*declare `locale`/],
    ['1.234', 'EUR', undefined, /ambiguous.*declare `locale`/],
    ['1,234.567', 'USD', 'en-US', /has more decimals than USD has \(2\)/],
    ['1 234,567', 'EUR', 'fr-FR', /has more decimals than EUR has \(2\)/],
    ['12.5', 'JPY', 'en-US', /has more decimals than JPY has \(0\)/],
    ['1234.5', 'EUR', 'fr-FR', /^is not an amount as written in fr-FR, such as 1\s234,50$/u],
    ['1,234.50', 'EUR', 'de-DE', /not an amount as written in de-DE/],
    ['12,34', 'USD', 'en-US', /not an amount/],
    ['abc', 'USD', undefined, /^is not an amount such as 1234.50$/],
  ])('%j in %s (%s) is refused', (text, currency, locale, message) => {
    const r = parseAmount(text, { currency, ...(locale ? { locale } : {}) })
    expect(r?.ok).toBe(false)
    expect(r && !r.ok && r.message).toMatch(message)
  })

  it('an empty cell is no amount', () => expect(parseAmount('  ')).toBeUndefined())
})
