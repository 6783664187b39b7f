import { isUtf8 } from 'node:buffer'
import { validationFailed } from '../domain/errors.js'

/** The encodings an import file may declare (`ImportOptions.encoding`). */
export const TEXT_ENCODINGS = ['utf-8', 'utf-16le', 'utf-16be', 'latin1', 'windows-1252'] as const
export type TextEncodingName = (typeof TEXT_ENCODINGS)[number]

/** Length of the prefix of `buf` that does not end inside a UTF-8 sequence. */
function completeLength(buf: Uint8Array): number {
  let i = buf.length - 1
  let back = 0
  while (i >= 0 && back < 3 && (buf[i]! & 0xc0) === 0x80) {
    i--
    back++
  }
  if (i < 0) return buf.length
  const lead = buf[i]!
  const need = lead >= 0xf0 ? 4 : lead >= 0xe0 ? 3 : lead >= 0xc0 ? 2 : 1
  return i + need > buf.length ? i : buf.length
}

/** Offset of the first byte that is not valid UTF-8 (RFC 3629: no overlongs, surrogates or values past U+10FFFF). */
function firstInvalidUtf8(b: Uint8Array): number {
  let i = 0
  while (i < b.length) {
    const c = b[i]!
    if (c < 0x80) {
      i++
      continue
    }
    const n = c >= 0xc2 && c <= 0xdf ? 1 : c >= 0xe0 && c <= 0xef ? 2 : c >= 0xf0 && c <= 0xf4 ? 3 : 0
    if (!n || i + n >= b.length) return i
    for (let k = 1; k <= n; k++) if ((b[i + k]! & 0xc0) !== 0x80) return i
    const next = b[i + 1]!
    if ((c === 0xe0 && next < 0xa0) || (c === 0xed && next > 0x9f)) return i
    if ((c === 0xf0 && next < 0x90) || (c === 0xf4 && next > 0x8f)) return i
    i += n + 1
  }
  return b.length
}

const hex = (b: Uint8Array) => [...b].map((x) => x.toString(16).padStart(2, '0')).join(' ')

function notUtf8(offset: number, around: Uint8Array, at: number, declared: boolean) {
  const bad = around.subarray(at, at + 4)
  const context = around.subarray(Math.max(0, at - 12), at + 12)
  const asWindows = new TextDecoder('windows-1252').decode(context).replace(/[\r\n]+/g, ' ')
  return validationFailed('import', [
    {
      field: 'encoding',
      value: offset,
      message: `not valid UTF-8 at byte ${offset.toLocaleString('en-US')} (bytes ${hex(bad)}; in windows-1252 that text reads ${JSON.stringify(asWindows)}): ${
        declared ? 'the file is not UTF-8 as declared; ' : ''
      }declare encoding: 'windows-1252' (or 'latin1') if the file comes from Excel on Windows, or the encoding the file was saved in`,
    },
  ])
}

/** A UTF-16 file without a byte order mark: every other byte of ASCII text is zero. */
function looksLikeUtf16(head: Uint8Array): 'utf-16le' | 'utf-16be' | undefined {
  const n = Math.min(head.length, 1024) & ~1
  if (n < 8) return undefined
  let evenZero = 0
  let oddZero = 0
  for (let i = 0; i < n; i += 2) {
    if (head[i] === 0) evenZero++
    if (head[i + 1] === 0) oddZero++
  }
  const pairs = n / 2
  if (oddZero > pairs * 0.4 && evenZero < pairs * 0.05) return 'utf-16le'
  if (evenZero > pairs * 0.4 && oddZero < pairs * 0.05) return 'utf-16be'
  return undefined
}

const BOMS = [
  { bytes: [0xef, 0xbb, 0xbf], encoding: 'utf-8' },
  { bytes: [0xff, 0xfe], encoding: 'utf-16le' },
  { bytes: [0xfe, 0xff], encoding: 'utf-16be' },
] as const

const startsWith = (buf: Uint8Array, prefix: readonly number[]) => prefix.every((b, i) => buf[i] === b)

/**
 * Turns a source of text or bytes into text for the parser.
 *
 * - String chunks are text already and pass unchanged (a BOM character at the
 *   start is dropped), lone surrogates and NUL characters included: the
 *   importer refuses those per row, where the schemas see them.
 * - Bytes are decoded as `encoding` when one is declared (TextDecoder; UTF-16
 *   strictly, so a broken surrogate refuses the file rather than becoming
 *   U+FFFD). Without one: a UTF-8 BOM is dropped, a UTF-16 BOM selects UTF-16,
 *   and anything else must be valid UTF-8; the first invalid byte refuses the
 *   import with a ValidationFailed saying where, and which encoding to
 *   declare. Nothing is ever decoded to U+FFFD ("Jos\uFFFD").
 *
 * The check is streaming: rows before an invalid byte have been handed on by
 * the time it is found (they were valid text either way).
 */
export async function* textChunks(
  source: AsyncIterable<string | Uint8Array>,
  encoding?: TextEncodingName,
): AsyncGenerator<string> {
  let first = true
  let head: Uint8Array | undefined // bytes held until the BOM can be recognised
  let decoder: InstanceType<typeof TextDecoder> | undefined // for anything but UTF-8
  let utf8 = false
  let tail: Uint8Array | undefined // an incomplete UTF-8 character carried to the next chunk
  let offset = 0 // source bytes already validated or decoded (for messages)

  const decode = (bytes: Uint8Array, stream: boolean): string => {
    if (decoder) {
      try {
        const text = decoder.decode(bytes, { stream })
        offset += bytes.length
        return text
      } catch {
        throw validationFailed('import', [
          {
            field: 'encoding',
            value: offset,
            message: `not valid ${decoder.encoding.toUpperCase()} near byte ${offset.toLocaleString('en-US')}: declare the encoding the file was saved in`,
          },
        ])
      }
    }
    let buf = bytes
    if (tail) {
      buf = Buffer.concat([tail, bytes])
      tail = undefined
    }
    const whole = stream ? completeLength(buf) : buf.length
    const valid = Buffer.from(buf.buffer, buf.byteOffset, whole)
    if (!isUtf8(valid)) {
      const at = firstInvalidUtf8(valid)
      throw notUtf8(offset + at, valid, at, encoding === 'utf-8')
    }
    if (whole < buf.length) tail = buf.slice(whole)
    offset += whole
    return valid.toString('utf8')
  }

  const start = (buf: Uint8Array): Uint8Array => {
    const bom = BOMS.find((b) => startsWith(buf, b.bytes))
    let chosen: TextEncodingName | undefined = encoding
    if (!chosen) {
      chosen = bom?.encoding ?? 'utf-8'
      const guess = bom ? undefined : looksLikeUtf16(buf)
      if (guess)
        throw validationFailed('import', [
          {
            field: 'encoding',
            value: guess,
            message: `looks like ${guess.toUpperCase()} without a byte order mark (every other byte is zero): declare encoding: '${guess}'`,
          },
        ])
    } else if (bom && bom.encoding !== chosen) {
      throw validationFailed('import', [
        {
          field: 'encoding',
          value: chosen,
          message: `the file starts with a ${bom.encoding.toUpperCase()} byte order mark but encoding '${chosen}' was declared: declare '${bom.encoding}' or leave encoding out`,
        },
      ])
    }
    if (chosen === 'utf-8') {
      utf8 = true
      if (bom?.encoding === 'utf-8') {
        offset = 3
        return buf.subarray(3)
      }
      return buf
    }
    // TextDecoder drops a matching BOM itself. WHATWG maps the label 'latin1' to windows-1252.
    decoder = new TextDecoder(chosen, { fatal: chosen.startsWith('utf-16') })
    return buf
  }

  for await (const chunk of source) {
    if (typeof chunk === 'string') {
      if (!chunk) continue
      const text = first && chunk.charCodeAt(0) === 0xfeff ? chunk.slice(1) : chunk
      first = false
      if (text) yield text
      continue
    }
    if (!(chunk instanceof Uint8Array)) {
      throw validationFailed('import', [
        {
          field: 'source',
          value: typeof chunk,
          message: 'must yield strings or bytes (Uint8Array / Buffer)',
        },
      ])
    }
    if (!chunk.length) continue
    let bytes: Uint8Array = chunk
    if (first) {
      head = head ? Buffer.concat([head, chunk]) : chunk
      if (head.length < 4) continue
      first = false
      bytes = start(head)
      head = undefined
    }
    const text = decode(bytes, true)
    if (text) yield text
  }
  let text = ''
  if (head) text = decode(start(head), false)
  else if (decoder || utf8) text = decode(new Uint8Array(0), false)
  if (text) yield text
}
