// CSV parser benchmark: csv-parse (the well-kept streaming parser) beside the
// hand-written one core had before, and beside core's parseCsv as shipped
// (hand-written, grown to check UTF-8, count physical lines and recover from
// unterminated quotes), on the same generated file in the same run. It is why
// core keeps its own parser: csv-parse alone, before any of those features,
// takes several times as long. Prints a table of medians; asserts nothing
// beyond the parsers agreeing on what they read.
//
//   npx -y pnpm@10 --filter @switchboard/core bench:csv [-- --rows 1000000 --runs 5]
//
// Needs the built package (the script builds it first).
import { once } from 'node:events'
import { createReadStream, createWriteStream, mkdtempSync, rmSync, statSync } from 'node:fs'
import { cpus, loadavg, tmpdir } from 'node:os'
import { join } from 'node:path'
import { parseArgs } from 'node:util'
import { parse } from 'csv-parse'
import { csvChunks } from '../dist/import.js'

const { values: args } = parseArgs({
  // pnpm passes its `--` separator through to the script
  args: process.argv.slice(2).filter((a) => a !== '--'),
  options: { rows: { type: 'string', default: '1000000' }, runs: { type: 'string', default: '5' } },
})
const ROWS = Number(args.rows)
const RUNS = Number(args.runs)
const dir = mkdtempSync(join(tmpdir(), 'sb-csv-bench-'))
process.on('exit', () => rmSync(dir, { recursive: true, force: true }))
const file = join(dir, 'contacts.csv')

// --- the file: contact rows like a CRM export, some quoted fields, some with line breaks in them
const FIRST = ['James', 'María', 'John', 'Zoë', 'Robert', 'Jennifer', '太郎', 'Linda', 'Carlos', 'Lucía']
const LAST = ['Smith', "O'Brien", 'García', 'Müller', 'Nguyen', '山田', 'Taylor', 'López']
{
  const out = createWriteStream(file)
  out.write('customer_id,first_name,last_name,phone,email,country,state,notes,open_balance\n')
  let buf = ''
  for (let i = 0; i < ROWS; i++) {
    const first = FIRST[i % FIRST.length]
    const last = LAST[(i >> 3) % LAST.length]
    const notes =
      i % 20 === 0 ? `"called, left a message\nsaid ""call back"""` : i % 7 === 0 ? '"Smith, Jr."' : ''
    buf += `C${i},${first},${last},(212) 555-${String(i % 10000).padStart(4, '0')},c${i}@example.com,US,NY,${notes},${i % 3 ? '' : `${i % 5000}.50`}\n`
    if (buf.length > 1 << 16) {
      if (!out.write(buf)) await once(out, 'drain')
      buf = ''
    }
  }
  out.end(buf)
  await once(out, 'finish')
}
const size = statSync(file).size
const chunks = () => createReadStream(file, { highWaterMark: 1 << 16 })

// --- 1. the hand-written parser core had before csv-parse (verbatim, minus its types)
async function* handWritten(source, options = {}) {
  const delim = options.delimiter ?? ','
  const decoder = new TextDecoder()
  let field = ''
  let fields = []
  let inQuotes = false
  let quoteSeen = false
  let line = 1
  let recordLine = 1
  let pendingCR = false
  let first = true
  for await (const chunk of source) {
    let text = typeof chunk === 'string' ? chunk : decoder.decode(chunk, { stream: true })
    if (first) {
      if (text.charCodeAt(0) === 0xfeff) text = text.slice(1)
      first = false
    }
    const out = []
    let start = 0
    for (let i = 0; i < text.length; i++) {
      const ch = text[i]
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
          inQuotes = false
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

// What each way read, to be sure they did the same work: records, characters, sum of start lines.
const tally = () => ({ records: 0, chars: 0, lines: 0 })
const count = (t, fields, line) => {
  t.records++
  t.lines += line
  for (const f of fields) t.chars += f.length
}

const ways = {
  'hand-written parser (before)': async () => {
    const t = tally()
    for await (const r of handWritten(chunks())) count(t, r.fields, r.line)
    return t
  },
  'csv-parse alone (stream, info: true)': async () => {
    const t = tally()
    const parser = chunks().pipe(
      parse({
        relax_column_count: true,
        info: true,
        record_delimiter: ['\r\n', '\n', '\r'],
        skip_empty_lines: true,
      }),
    )
    // csv-parse's info.lines is where a record ends; the start needs the quoted line breaks taken off.
    for await (const { record, info } of parser) {
      let inner = 0
      for (const f of record) for (let i = f.indexOf('\n'); i !== -1; i = f.indexOf('\n', i + 1)) inner++
      count(t, record, info.lines - inner)
    }
    return t
  },
  "core's parseCsv (hand-written; UTF-8 check, lines, recovery)": async () => {
    const t = tally()
    for await (const items of csvChunks(chunks())) for (const r of items) count(t, r.fields, r.line)
    return t
  },
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b)
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2
}
const ms = Object.fromEntries(Object.keys(ways).map((k) => [k, []]))
const seen = {}
const load0 = loadavg()[0]
for (let run = 0; run < RUNS; run++) {
  // Rotate the order so no way always runs first (cold) or last.
  const names = Object.keys(ways)
  const order = names.map((_, i) => names[(i + run) % names.length])
  for (const name of order) {
    globalThis.gc?.()
    const t0 = performance.now()
    const result = await ways[name]()
    ms[name].push(performance.now() - t0)
    seen[name] = result
    process.stderr.write(`run ${run + 1}/${RUNS} ${name}: ${(ms[name].at(-1) / 1000).toFixed(2)} s\n`)
  }
}
const results = Object.values(seen)
if (results.some((r) => JSON.stringify(r) !== JSON.stringify(results[0]))) {
  console.error('the parsers disagree:', seen)
  process.exit(1)
}

const base = median(ms['hand-written parser (before)'])
const rows = Object.entries(ms).map(([name, xs]) => {
  const m = median(xs)
  return [
    name,
    (m / 1000).toFixed(2),
    `${(Math.min(...xs) / 1000).toFixed(2)}-${(Math.max(...xs) / 1000).toFixed(2)}`,
    Math.round((results[0].records / m) * 1000).toLocaleString('en-US'),
    ((size / 2 ** 20 / m) * 1000).toFixed(1),
    `${((m / base) * 100).toFixed(0)}%`,
  ]
})
const head = ['parser', 'median s', 'min-max s', 'records/s', 'MiB/s', 'time vs hand-written']
const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => String(r[i]).length)))
const line = (cells) =>
  `| ${cells.map((c, i) => (i ? String(c).padStart(widths[i]) : String(c).padEnd(widths[i]))).join(' | ')} |`
console.log(
  `\nCSV parse of ${ROWS.toLocaleString('en-US')} rows (${(size / 2 ** 20).toFixed(0)} MiB, 5% quoted with a line break, 14% quoted), ${RUNS} runs each, medians; Node ${process.version}, ${cpus().length} CPUs, load average ${load0.toFixed(1)} -> ${loadavg()[0].toFixed(1)}`,
)
console.log(line(head))
console.log(`|${widths.map((w, i) => (i ? `${'-'.repeat(w + 1)}:` : '-'.repeat(w + 2))).join('|')}|`)
for (const r of rows) console.log(line(r))
console.log(
  `\nAll three read the same ${results[0].records.toLocaleString('en-US')} records (header included), characters and start lines.`,
)
