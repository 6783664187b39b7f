export interface CsvRecord {
  /** 1-based line in the file where the record starts (the header is line 1). */
  readonly line: number
  readonly fields: string[]
}

export interface CsvOptions {
  readonly delimiter?: string
}

/**
 * Streaming RFC 4180 parser: quoted fields, doubled quotes, delimiters and
 * line breaks inside quotes, CRLF or LF. Holds one record in memory at a time,
 * so a file of any size is parsed in constant memory.
 */
export async function* parseCsv(
  chunks: AsyncIterable<string | Uint8Array>,
  options: CsvOptions = {},
): AsyncGenerator<CsvRecord> {
  const delim = options.delimiter ?? ','
  const decoder = new TextDecoder()
  let field = ''
  let fields: string[] = []
  let inQuotes = false
  let quoteSeen = false // previous char was a quote inside a quoted field
  let line = 1
  let recordLine = 1
  let pendingCR = false
  let first = true

  for await (const chunk of chunks) {
    let text = typeof chunk === 'string' ? chunk : decoder.decode(chunk, { stream: true })
    if (first) {
      if (text.charCodeAt(0) === 0xfeff) text = text.slice(1)
      first = false
    }
    const out: CsvRecord[] = []
    let start = 0 // start of an unquoted run in `text` not yet appended to `field`
    for (let i = 0; i < text.length; i++) {
      const ch = text[i]!
      if (pendingCR) {
        pendingCR = false
        if (ch === '\n') {
          start = i + 1
          continue
        }
      }
      if (inQuotes) {
        if (quoteSeen) {
          quoteSeen = false
          if (ch === '"') {
            field += '"'
            start = i + 1
            continue
          }
          inQuotes = false // closing quote; fall through to unquoted handling
        } else {
          if (ch === '"') {
            field += text.slice(start, i)
            quoteSeen = true
            start = i + 1
          } else if (ch === '\n') line++
          continue
        }
      }
      if (ch === delim) {
        fields.push(field + text.slice(start, i))
        field = ''
        start = i + 1
      } else if (ch === '\n' || ch === '\r') {
        fields.push(field + text.slice(start, i))
        field = ''
        if (fields.length > 1 || fields[0] !== '') out.push({ line: recordLine, fields })
        fields = []
        line++
        recordLine = line
        start = i + 1
        if (ch === '\r') pendingCR = true
      } else if (ch === '"' && i === start && field === '') {
        inQuotes = true
        start = i + 1
      }
    }
    if (start < text.length) field += text.slice(start)
    for (const r of out) yield r
  }
  if (field !== '' || fields.length) {
    fields.push(field)
    yield { line: recordLine, fields }
  }
}

/** Quotes a value for CSV output when it needs it. */
export function csvCell(value: unknown): string {
  const s = value == null ? '' : String(value)
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s
}
