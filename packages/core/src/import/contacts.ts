import type { Contact } from '../domain/contact.js'
import type { ContactId, TenantId } from '../domain/ids.js'
import { type FieldIssue, validationFailed } from '../domain/errors.js'
import type { TenantStore } from '../plugins/storage.js'
import { bestMatch, type MatchEvidence } from '../quality/dedupe.js'
import { type CsvRecord, parseCsv } from './csv.js'
import { type ContactColumnMapping, mappedColumns, type NormalizedRow } from './mapping.js'
import { createNormalizer, type Normalizer } from './normalizer.js'

export interface ImportProgress {
  readonly rows: number
  readonly imported: number
  readonly duplicates: number
  readonly rejected: number
  readonly bytes: number
  /** Total size when known (a file), for a percentage. */
  readonly totalBytes?: number
}

export interface ImportOptions {
  readonly mapping: ContactColumnMapping
  /** Region for numbers written without a country code (ISO 3166 alpha-2). */
  readonly defaultCountry?: string
  /** Currency of the monetary columns (ISO 4217). Default USD. */
  readonly currency?: string
  readonly delimiter?: string
  /** Rows per batch (one dedupe lookup and one insert transaction each); default: the backend's preferredBatchSize. */
  readonly batchSize?: number
  readonly onProgress?: (progress: ImportProgress) => void
  readonly totalBytes?: number
  /** Normalise rows on a worker thread, overlapping with the writes (default true; inline where no worker can start). */
  readonly worker?: boolean
}

export interface RejectedRow {
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
  readonly rows: number
  readonly imported: number
  readonly duplicates: DuplicateRow[]
  readonly rejected: RejectedRow[]
  readonly ms: number
  /** Where rows were normalised: a worker thread, or inline on the caller's thread. */
  readonly normalizer: 'worker' | 'inline'
}

/**
 * The full import pipeline: stream-parse, map, validate and normalise each
 * row, detect duplicates against existing contacts and earlier rows of the
 * file, insert in batches. Bad rows are reported with their line and reasons
 * and never stop the good ones. Running the same file again imports nothing
 * twice: every row then matches the contact it created (which is also how an
 * interrupted import is resumed).
 */
export async function importContacts(
  store: TenantStore,
  source: AsyncIterable<string | Uint8Array>,
  options: ImportOptions,
  context: { readonly now?: Date } = {},
): Promise<ImportResult> {
  const started = performance.now()
  const now = context.now ?? new Date()
  const tenantId: TenantId = store.tenantId
  const batchSize = options.batchSize ?? 1000
  const currency = options.currency ?? 'USD'
  const rejected: RejectedRow[] = []
  const duplicates: DuplicateRow[] = []
  let rows = 0
  let imported = 0
  let bytes = 0
  let header: string[] | undefined

  const progress = () =>
    options.onProgress?.({
      rows,
      imported,
      duplicates: duplicates.length,
      rejected: rejected.length,
      bytes,
      ...(options.totalBytes !== undefined ? { totalBytes: options.totalBytes } : {}),
    })

  type Batch = Array<{ line: number; contact: Contact }>
  const flush = async (pending: Batch) => {
    if (!pending.length) return progress()
    const keys = (c: Contact) => [
      ...c.phones.map((p) => `p:${p.e164}`),
      ...c.emails.map((e) => `e:${e.address}`),
      ...(c.externalRef ? [`r:${c.externalRef}`] : []),
    ]
    const phones = pending.flatMap((p) => p.contact.phones.map((x) => x.e164))
    const emails = pending.flatMap((p) => p.contact.emails.map((x) => x.address))
    const refs = pending.flatMap((p) => (p.contact.externalRef ? [p.contact.externalRef] : []))
    const [byPhone, byEmail, byRef] = await Promise.all([
      phones.length ? store.contacts.findByPhones(phones) : [],
      emails.length ? store.contacts.findByEmails(emails) : [],
      refs.length ? store.contacts.findByExternalRefs(refs) : [],
    ])
    const candidates = new Map<string, Map<string, Contact>>()
    const remember = (c: Contact) => {
      for (const k of keys(c)) {
        const bucket = candidates.get(k) ?? new Map<string, Contact>()
        candidates.set(k, bucket)
        bucket.set(c.id, c)
      }
    }
    for (const c of [...byPhone, ...byEmail, ...byRef]) remember(c)
    const fresh: Contact[] = []
    for (const { line, contact } of pending) {
      const pool = new Map<string, Contact>()
      for (const k of keys(contact)) for (const [id, c] of candidates.get(k) ?? []) pool.set(id, c)
      const best = bestMatch(contact, pool.values())
      if (best && best.score.verdict === 'duplicate') {
        const target = best.candidate
        duplicates.push({
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
    await store.contacts.insertMany(fresh)
    imported += fresh.length
    progress()
  }

  const counting = async function* () {
    for await (const chunk of source) {
      bytes += typeof chunk === 'string' ? Buffer.byteLength(chunk) : chunk.byteLength
      yield chunk
    }
  }

  // Rows are normalised a batch at a time (on a worker thread when there is
  // one) while the previous batch is deduplicated and written.
  let normalizer: Normalizer | undefined
  const inFlight: Promise<NormalizedRow[]>[] = []
  let chunk: CsvRecord[] = []
  // Batches are written one after the other (each one's duplicate lookups
  // must see the previous one's rows), but the next batch is normalised while
  // the database works on the previous one.
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

  try {
    for await (const record of parseCsv(
      counting(),
      options.delimiter ? { delimiter: options.delimiter } : {},
    )) {
      if (!header) {
        header = record.fields.map((h) => h.trim())
        const known = new Set(header)
        const missing = mappedColumns(options.mapping).filter((c) => !known.has(c))
        if (missing.length) {
          throw validationFailed(
            'import mapping',
            missing.map((c) => ({
              field: 'mapping',
              value: c,
              message: `column not in the file's header (${header!.join(', ')})`,
            })),
          )
        }
        normalizer = createNormalizer(
          {
            header,
            mapping: options.mapping,
            currency,
            tenantId,
            nowMs: now.getTime(),
            ...(options.defaultCountry ? { defaultCountry: options.defaultCountry } : {}),
          },
          options.worker ?? true,
        )
        continue
      }
      chunk.push(record)
      if (chunk.length >= batchSize) await submit()
    }
    await submit()
    await settle(0)
    await writing
  } finally {
    await normalizer?.close()
  }
  progress()
  return {
    rows,
    imported,
    duplicates,
    rejected,
    ms: performance.now() - started,
    normalizer: normalizer?.kind ?? 'inline',
  }
}
