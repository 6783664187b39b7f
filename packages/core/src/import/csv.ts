import { type TextEncodingName, textChunks } from './encoding.js'

/** One record of the file. */
export interface CsvRecord {
  /** 1-based physical line where the record starts (a quoted line break makes a record span lines). */
  readonly line: number
  readonly fields: string[]
}

/**
 * A stretch of the file that is not a well-formed record, reported with the
 * physical line where it starts and why. Parsing goes on at the next line.
 */
export interface CsvDefect {
  readonly line: number
  readonly defect: 'unterminated_quote' | 'record_too_large'
  readonly message: string
  /** The start of the offending line as the file has it, as far as it had been read (at most 80 characters). */
  readonly excerpt: string
}

export type CsvItem = CsvRecord | CsvDefect

export const isDefect = (item: CsvItem): item is CsvDefect => 'defect' in item

export interface CsvOptions {
  /** One character; default `,`. */
  readonly delimiter?: string
  /** How the bytes are encoded; see {@link textChunks}. Default: detected from a BOM, else UTF-8. */
  readonly encoding?: TextEncodingName
  /**
   * A record longer than this many characters is a defect, as a quote that is
   * never closed makes one (so memory stays bounded); default 4 Mi.
   */
  readonly maxRecordLength?: number
}

const LF = 10
const CR = 13
const QUOTE = 34
const SPACE = 32
const TAB = 9

const UNCLOSED =
  'a quoted field is never closed: add the closing quote (") or remove the opening one; parsing resumed at the next line'
const NOT_CLOSED_HERE =
  'a quoted field is not closed where it should be (its closing quote is followed by text): check the quotes from this line on (a quote inside a quoted field is doubled: ""); parsing resumed at the next line'
const TOO_LARGE = (max: number) =>
  `the record runs past ${max.toLocaleString('en-US')} characters, most likely from a quote that is never closed: check the quotes on this line; parsing resumed at the next line`

/** Index just past the first line break (CRLF, LF or CR) of `s`, or -1 when it has none. */
function afterFirstBreak(s: string): number {
  const lf = s.indexOf('\n')
  const cr = s.indexOf('\r')
  if (cr !== -1 && (lf === -1 || cr < lf)) return s.charCodeAt(cr + 1) === LF ? cr + 2 : cr + 1
  return lf === -1 ? -1 : lf + 1
}

/** The first line of `s`, at most 80 characters. */
function excerptOf(s: string): string {
  const end = afterFirstBreak(s)
  const first = (end === -1 ? s : s.slice(0, end)).replace(/[\r\n]+$/, '')
  return [...first.slice(0, 200)].slice(0, 80).join('')
}

/**
 * An incremental RFC 4180 parser over text: quoted fields, doubled quotes,
 * delimiters and line breaks inside quotes; CRLF, LF and CR line ends, mixed
 * freely. Feed it text with {@link CsvParser.push} and finish with
 * {@link CsvParser.end}; each returns the records (and defects) completed.
 *
 * - Every record carries the physical line where it starts.
 * - Empty lines, and lines of only spaces, are skipped.
 * - A quote inside an unquoted field is kept as a character (`5'10"`).
 * - Spaces after a closing quote are ignored; any other text there means the
 *   quote was not the field's end, typically because an earlier quote was
 *   never closed and this one paired with it. The record is reported as a
 *   defect at the line where it starts and parsing resumes at the line after
 *   that one, so an unterminated quote costs its own line, never the rest of
 *   the file. So does a quote still open at the end, or a record longer than
 *   `maxRecordLength`.
 * - Fields are returned as they are; counting them is the caller's business.
 */
export class CsvParser {
  readonly #delimiter: number
  readonly #max: number
  #fields: string[] = []
  #field = '' // the current field's text so far
  #inQuotes = false
  #quoteSeen = false // a quote inside quotes: the closing one, or the first of a doubled pair
  #afterQuote = false // the field was quoted and is closed: only spaces may follow before the delimiter
  #line = 1 // physical line at the start of the text being read
  #recordLine = 1
  #lastCR = false // the last character of the previous text was a CR
  #raw = '' // the current record's text from earlier pushes (to resume after a defect)
  #skipping = false // the rest of a defect's first line has not arrived yet
  #out: CsvItem[] = []

  constructor(options: Pick<CsvOptions, 'delimiter' | 'maxRecordLength'> = {}) {
    this.#delimiter = (options.delimiter ?? ',').charCodeAt(0)
    this.#max = options.maxRecordLength ?? 4 * 1024 * 1024
  }

  /** Parses more text; returns what it completed. */
  push(text: string): CsvItem[] {
    this.#out = []
    this.#scan(text)
    return this.#out
  }

  /** Ends the input; returns what it completed (the last record, or the defect of a quote left open). */
  end(): CsvItem[] {
    this.#out = []
    for (;;) {
      if (this.#skipping) break
      if (this.#inQuotes && !this.#quoteSeen) {
        const rest = this.#defect(this.#raw, UNCLOSED)
        if (rest === undefined) break
        this.#scan(rest)
        continue
      }
      if (this.#fields.length || this.#field !== '' || this.#afterQuote || this.#quoteSeen) {
        this.#fields.push(this.#field)
        this.#emit(this.#fields)
      }
      break
    }
    this.#reset()
    return this.#out
  }

  #reset() {
    this.#fields = []
    this.#field = ''
    this.#inQuotes = false
    this.#quoteSeen = false
    this.#afterQuote = false
    this.#raw = ''
  }

  #emit(fields: string[]) {
    if (fields.length > 1 || fields[0]!.trim() !== '') this.#out.push({ line: this.#recordLine, fields })
  }

  /**
   * Reports the record starting `whole` (its text from its first character,
   * with whatever follows) and drops its first line; returns the text to go
   * on with, or undefined when the rest of that line is still to come.
   */
  #defect(whole: string, message: string): string | undefined {
    this.#out.push({
      line: this.#recordLine,
      defect: message === UNCLOSED || message === NOT_CLOSED_HERE ? 'unterminated_quote' : 'record_too_large',
      message,
      excerpt: excerptOf(whole),
    })
    this.#reset()
    this.#line = this.#recordLine + 1
    this.#recordLine = this.#line
    const after = afterFirstBreak(whole)
    if (after === -1) {
      this.#skipping = true
      this.#lastCR = false
      return undefined
    }
    this.#lastCR = whole.charCodeAt(after - 1) === CR
    return whole.slice(after)
  }

  #scan(input: string) {
    let text: string | undefined = input
    while (text !== undefined) {
      if (this.#skipping) {
        const after = afterFirstBreak(text)
        if (after === -1) return // still the defect's line
        this.#skipping = false
        this.#lastCR = text.charCodeAt(after - 1) === CR
        text = text.slice(after)
      }
      text = this.#run(text)
    }
  }

  /** Parses `text`; returns undefined when it is all consumed, or the text to go on with after a defect. */
  #run(text: string): string | undefined {
    const delim = this.#delimiter
    const n = text.length
    let fields = this.#fields
    let field = this.#field
    let inQuotes = this.#inQuotes
    let quoteSeen = this.#quoteSeen
    let afterQuote = this.#afterQuote
    let line = this.#line
    let start = 0 // start of the current field's run not yet added to `field`
    let recStart = 0 // where the current record starts in `text` (0: earlier, in #raw)
    const prevCR = (i: number) => (i > 0 ? text.charCodeAt(i - 1) === CR : this.#lastCR)
    const save = () => {
      this.#fields = fields
      this.#field = field
      this.#inQuotes = inQuotes
      this.#quoteSeen = quoteSeen
      this.#afterQuote = afterQuote
      this.#line = line
    }

    for (let i = 0; i < n; i++) {
      const c = text.charCodeAt(i)
      if (inQuotes) {
        if (!quoteSeen) {
          if (c === QUOTE) {
            field += text.slice(start, i)
            quoteSeen = true
            start = i + 1
          } else if (c === CR || (c === LF && !prevCR(i))) line++
          continue
        }
        quoteSeen = false
        if (c === QUOTE) {
          field += '"'
          start = i + 1
          continue
        }
        inQuotes = false
        afterQuote = true // the quote before was the closing one; read `c` as after a field
      }
      if (c === delim) {
        fields.push(afterQuote ? field : field + text.slice(start, i))
        field = ''
        afterQuote = false
        start = i + 1
      } else if (c === LF || c === CR) {
        if (c === LF && prevCR(i) && start === i && !fields.length && field === '' && !afterQuote) {
          start = recStart = i + 1 // the LF of a CRLF that ended the previous record
          continue
        }
        fields.push(afterQuote ? field : field + text.slice(start, i))
        this.#emit(fields)
        fields = []
        field = ''
        afterQuote = false
        line++
        this.#recordLine = line
        this.#raw = ''
        start = recStart = i + 1
      } else if (afterQuote) {
        if (c === SPACE || c === TAB) continue
        return this.#defect(this.#raw + text.slice(recStart), NOT_CLOSED_HERE)
      } else if (c === QUOTE && i === start && field === '') {
        inQuotes = true
        start = i + 1
      }
    }
    // The text ends inside a record: keep its part of the field and its raw text.
    if (!afterQuote && !quoteSeen) field += text.slice(start)
    if (recStart < n) this.#raw += text.slice(recStart)
    if (n > 0) this.#lastCR = text.charCodeAt(n - 1) === CR
    save()
    return this.#raw.length > this.#max ? this.#defect(this.#raw, TOO_LARGE(this.#max)) : undefined
  }
}

/**
 * Decodes a source (see {@link textChunks}) and parses it with
 * {@link CsvParser}, yielding what each chunk completes as one array.
 * Memory stays bounded by the longest record plus a chunk.
 */
export async function* csvChunks(
  chunks: AsyncIterable<string | Uint8Array>,
  options: CsvOptions = {},
): AsyncGenerator<CsvItem[]> {
  const parser = new CsvParser(options)
  for await (const text of textChunks(chunks, options.encoding)) {
    const items = parser.push(text)
    if (items.length) yield items
  }
  const last = parser.end()
  if (last.length) yield last
}

/**
 * Streams the records (and defects) of a CSV source one at a time; see
 * {@link CsvParser} for what is recognised and {@link textChunks} for the
 * encodings.
 *
 * @example
 * ```ts
 * import { createReadStream } from 'node:fs'
 * import { isDefect, parseCsv } from '@switchboard/core/import'
 * for await (const item of parseCsv(createReadStream('contacts.csv'))) {
 *   if (isDefect(item)) console.warn(`line ${item.line}: ${item.message}`)
 *   else console.log(item.line, item.fields)
 * }
 * ```
 */
export async function* parseCsv(
  chunks: AsyncIterable<string | Uint8Array>,
  options: CsvOptions = {},
): AsyncGenerator<CsvItem> {
  for await (const items of csvChunks(chunks, options)) yield* items
}

/** Quotes a value for CSV output when it needs it. */
export function csvCell(value: unknown): string {
  const s = value == null ? '' : String(value)
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s
}
