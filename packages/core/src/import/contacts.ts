import type { Contact } from '../domain/contact.js'
import { type FieldIssue, isSwitchboardError, validationFailed } from '../domain/errors.js'
import type { ContactId, TenantId } from '../domain/ids.js'
import type { TenantStore } from '../plugins/storage.js'
import { bestMatch, type MatchEvidence } from '../quality/dedupe.js'
import { type CsvRecord, csvChunks, isDefect } from './csv.js'
import { KeySet } from './keyset.js'
import { type NormalizedRow, resolveMapping } from './mapping.js'
import { createNormalizer, type Normalizer } from './normalizer.js'
import { type ImportOptions, parseImportOptions } from './options.js'

export type { ImportOptions, ImportProgress } from './options.js'

export interface RejectedRow {
  /** Physical line of the file where the row starts. */
  readonly line: number
  readonly reasons: ReadonlyArray<FieldIssue>
}

export interface DuplicateRow {
  readonly line: number
  readonly duplicateOf: ContactId
  /** Matched a row earlier in this file, or a contact that already existed. */
  readonly within: 'file' | 'existing'
  readonly score: number
  readonly evidence: ReadonlyArray<MatchEvidence>
}

export interface ImportResult {
  /** Data rows read (blank lines and rows with every field empty are not counted). */
  readonly rows: number
  readonly imported: number
  readonly duplicates: DuplicateRow[]
  /** In file order. */
  readonly rejected: RejectedRow[]
  readonly ms: number
  /** Where rows were normalised: a worker thread, or inline on the caller's thread. */
  readonly normalizer: 'worker' | 'inline'
  /**
   * How duplicates were looked for: `memory` when the tenant had no contacts
   * as the import began (keys of the rows imported so far are kept in memory
   * and only their hits are read back), else `lookup` (each batch's keys are
   * looked up in the database). Both find the same duplicates.
   */
  readonly dedupe: 'memory' | 'lookup'
}

type Batch = Array<{ line: number; contact: Contact }>

const keysOf = (c: Contact) => [
  ...c.phones.map((p) => `p:${p.e164}`),
  ...c.emails.map((e) => `e:${e.address}`),
  ...(c.externalRef ? [`r:${c.externalRef}`] : []),
]

const blank = (fields: readonly string[]) => fields.every((f) => f.trim() === '')

/**
 * The full import pipeline: decode and stream-parse the file, map, validate
 * and normalise each row, detect duplicates against existing contacts and
 * earlier rows of the file, insert in batches.
 *
 * - Bad rows never stop the good ones: each is reported with the physical
 *   line where it starts and its reasons (a bad cell names its column; a
 *   malformed record such as an unterminated quote costs its own line, and
 *   parsing resumes at the next one).
 * - Problems with the options, the mapping, the header or the file's
 *   encoding refuse the import with a ValidationFailed before (or, for an
 *   invalid byte met later in a stream, when) anything is written.
 * - Running the same file again imports nothing twice: every row then
 *   matches the contact it created (also how an interrupted import is
 *   resumed). A row whose externalRef is taken, in the database or earlier in
 *   the file, is a duplicate, never a storage error.
 *
 * @example
 * ```ts
 * import { createReadStream } from 'node:fs'
 * import { importContacts } from '@switchboard/core/import'
 *
 * const result = await importContacts(store, createReadStream('leads.csv'), {
 *   mapping: {
 *     externalRef: 'Customer ID',
 *     firstName: 'First Name',
 *     lastName: 'Last Name',
 *     phones: ['Mobile', 'Home'],
 *     emails: 'Email',
 *     address: { country: 'Country' }, // each row's own country, for its phone numbers
 *     openBalance: 'Balance',
 *   },
 *   defaultCountry: 'ES',
 *   currency: 'EUR',
 *   locale: 'es-ES', // "1.234,50" is 1234.50
 *   encoding: 'windows-1252', // a CSV saved by Excel on Windows
 *   onProgress: (p) => console.log(`${p.rows} rows`),
 * })
 * for (const r of result.rejected) console.log(r.line, r.reasons.map((i) => `${i.column ?? i.field}: ${i.message}`))
 * ```
 */
export async function importContacts(
  store: TenantStore,
  source: AsyncIterable<string | Uint8Array>,
  options: ImportOptions,
  context: { readonly now?: Date } = {},
): Promise<ImportResult> {
  const started = performance.now()
  const opts = parseImportOptions(options)
  if (source == null || typeof (source as AsyncIterable<unknown>)[Symbol.asyncIterator] !== 'function') {
    throw validationFailed('import', [
      { field: 'source', value: source, message: 'must be an async iterable of text or byte chunks' },
    ])
  }
  const now = context.now ?? new Date()
  const tenantId: TenantId = store.tenantId
  const batchSize = opts.batchSize ?? 1000
  const currency = opts.currency ?? 'USD'
  const rejected: RejectedRow[] = []
  const duplicates: DuplicateRow[] = []
  let rows = 0
  let imported = 0
  let bytes = 0
  let header: string[] | undefined

  // An empty tenant: the only contacts to match are the ones this import writes.
  const known = (await store.contacts.count({ includeMerged: true })) === 0 ? new KeySet() : undefined

  const progress = () =>
    opts.onProgress?.({
      rows,
      imported,
      duplicates: duplicates.length,
      rejected: rejected.length,
      bytes,
      ...(opts.totalBytes !== undefined ? { totalBytes: opts.totalBytes } : {}),
    })

  /** The contacts sharing a key with the batch: all its keys, or (in memory) only those this import has written. */
  const lookup = async (pending: Batch, everything: boolean) => {
    const phones = new Set<string>()
    const emails = new Set<string>()
    const refs = new Set<string>()
    for (const { contact: c } of pending) {
      for (const p of c.phones) if (everything || known!.has(`p:${p.e164}`)) phones.add(p.e164)
      for (const e of c.emails) if (everything || known!.has(`e:${e.address}`)) emails.add(e.address)
      if (c.externalRef && (everything || known!.has(`r:${c.externalRef}`))) refs.add(c.externalRef)
    }
    const [byPhone, byEmail, byRef] = await Promise.all([
      phones.size ? store.contacts.findByPhones([...phones]) : [],
      emails.size ? store.contacts.findByEmails([...emails]) : [],
      refs.size ? store.contacts.findByExternalRefs([...refs]) : [],
    ])
    return [...byPhone, ...byEmail, ...byRef]
  }

  const flush = async (pending: Batch) => {
    if (!pending.length) return progress()
    for (let attempt = 0; ; attempt++) {
      // A Conflict on insert means someone else wrote a matching contact meanwhile: look again, in full.
      const existing = await lookup(pending, !known || attempt > 0)
      const candidates = new Map<string, Map<string, Contact>>()
      const remember = (c: Contact) => {
        for (const k of keysOf(c)) {
          const bucket = candidates.get(k) ?? new Map<string, Contact>()
          if (!bucket.size) candidates.set(k, bucket)
          bucket.set(c.id, c)
        }
      }
      for (const c of existing) remember(c)
      const fresh: Contact[] = []
      const found: DuplicateRow[] = []
      for (const { line, contact } of pending) {
        const pool = new Map<string, Contact>()
        for (const k of keysOf(contact)) for (const [id, c] of candidates.get(k) ?? []) pool.set(id, c)
        const best = bestMatch(contact, pool.values())
        if (best && best.score.verdict === 'duplicate') {
          const target = best.candidate
          found.push({
            line,
            duplicateOf: target.mergedInto ?? target.id,
            within: target.createdAt.getTime() === now.getTime() ? 'file' : 'existing',
            score: best.score.score,
            evidence: best.score.evidence,
          })
        } else {
          fresh.push(contact)
          remember(contact)
        }
      }
      try {
        await store.contacts.insertMany(fresh)
      } catch (e) {
        if (isSwitchboardError(e, 'Conflict') && attempt < 3) continue
        throw e
      }
      duplicates.push(...found)
      imported += fresh.length
      if (known) for (const c of fresh) for (const k of keysOf(c)) known.add(k)
      return progress()
    }
  }

  const counting = async function* () {
    for await (const chunk of source) {
      bytes += typeof chunk === 'string' ? Buffer.byteLength(chunk) : chunk.byteLength
      yield chunk
    }
  }

  // Rows are normalised a batch at a time (on a worker thread when there is
  // one) while the previous batch is deduplicated and written. Batches are
  // written one after the other (each one's duplicate lookups must see the
  // previous one's rows).
  let normalizer: Normalizer | undefined
  const inFlight: Promise<NormalizedRow[]>[] = []
  let chunk: CsvRecord[] = []
  let writing: Promise<void> = Promise.resolve()
  const settle = async (keep: number) => {
    while (inFlight.length > keep) {
      const batch: Batch = []
      for (const r of await inFlight.shift()!) {
        rows++
        if ('reasons' in r) rejected.push({ line: r.line, reasons: r.reasons })
        else batch.push(r)
      }
      await writing
      writing = flush(batch)
      writing.catch(() => {}) // observed by the next await; avoids an unhandled-rejection warning meanwhile
    }
  }
  const submit = async () => {
    if (!chunk.length) return
    inFlight.push(normalizer!.run(chunk))
    chunk = []
    await settle(1)
  }

  const start = (record: CsvRecord) => {
    header = record.fields.map((h) => h.trim())
    const resolved = resolveMapping(header, opts.mapping)
    if (!resolved.ok) throw validationFailed('import mapping', resolved.issues)
    normalizer = createNormalizer(
      {
        header,
        columns: resolved.resolved,
        currency,
        tenantId,
        nowMs: now.getTime(),
        ...(opts.locale ? { locale: opts.locale } : {}),
        ...(opts.defaultCountry ? { defaultCountry: opts.defaultCountry } : {}),
      },
      opts.worker ?? true,
    )
  }

  try {
    const csv = csvChunks(counting(), {
      ...(opts.delimiter ? { delimiter: opts.delimiter } : {}),
      ...(opts.encoding ? { encoding: opts.encoding } : {}),
    })
    for await (const items of csv) {
      for (const item of items) {
        if (isDefect(item)) {
          if (!header) {
            throw validationFailed('import', [
              { field: 'header', value: item.excerpt, message: `line ${item.line}: ${item.message}` },
            ])
          }
          rows++
          rejected.push({
            line: item.line,
            reasons: [{ field: '(row)', value: item.excerpt, message: item.message }],
          })
        } else if (!header) start(item)
        else if (!blank(item.fields)) {
          chunk.push(item)
          if (chunk.length >= batchSize) await submit()
        }
      }
    }
    if (!header)
      throw validationFailed('import', [{ field: 'source', value: '', message: 'is empty: no header row' }])
    await submit()
    await settle(0)
    await writing
  } catch (e) {
    await writing.catch(() => {}) // no write left running behind the caller's back
    throw e
  } finally {
    await normalizer?.close()
  }
  rejected.sort((a, b) => a.line - b.line)
  progress()
  return {
    rows,
    imported,
    duplicates,
    rejected,
    ms: performance.now() - started,
    normalizer: normalizer?.kind ?? 'inline',
    dedupe: known ? 'memory' : 'lookup',
  }
}
