import { describe, expect, it } from 'vitest'
import { parseAmount, parseCsv } from '../src/index.js'

async function collect(text: string, chunk: number) {
  async function* src() {
    for (let i = 0; i < text.length; i += chunk) yield new TextEncoder().encode(text.slice(i, i + chunk))
  }
  const out = []
  for await (const r of parseCsv(src())) out.push(r)
  return out
}

describe('streaming CSV parser', () => {
  const text = '\uFEFFa,b,c\r\n1,"two, with comma","say ""hi"""\r\n\r\n3,"multi\nline",x\n4,,\n5,last,"end"'
  it.each([1, 2, 3, 5, 1000])('gives the same records for chunks of %i bytes', async (size) => {
    const recs = await collect(text, size)
    expect(recs).toEqual([
      { line: 1, fields: ['a', 'b', 'c'] },
      { line: 2, fields: ['1', 'two, with comma', 'say "hi"'] },
      { line: 4, fields: ['3', 'multi\nline', 'x'] },
      { line: 6, fields: ['4', '', ''] },
      { line: 7, fields: ['5', 'last', 'end'] },
    ])
  })
  it('handles multi-byte characters split across chunks', async () => {
    const recs = await collect('n\nJosé Núñez\n', 1)
    expect(recs[1]!.fields).toEqual(['José Núñez'])
  })
})

describe('amounts', () => {
  it.each([
    ['1,234.50', 123450],
    ['1234,50', 123450],
    ['$99', 9900],
    ['', undefined],
  ])('%j -> %s', (t, v) => expect(parseAmount(t)).toBe(v))
  it('flags garbage as NaN', () => expect(parseAmount('12.345.678')).toBeNaN())
})
