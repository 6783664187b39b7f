import type { Contact, ContactInput } from '../domain/contact.js'
import type { ContactId, TenantId } from '../domain/ids.js'
import { type FieldIssue, validationFailed } from '../errors.js'
import type { TenantStore } from '../plugins/storage.js'
import { prepareContact } from '../quality/contact.js'
import { bestMatch, type MatchEvidence } from '../quality/dedupe.js'
import { parseCsv } from './csv.js'

/** Which CSV column feeds which contact field (header names as in the file). */
export interface ContactColumnMapping {
  readonly firstName?: string
  readonly lastName?: string
  readonly displayName?: string
  readonly company?: string
  readonly account?: string
  /** One column, or several (mobile, home, work); the first valid one becomes primary. */
  readonly phones?: string | readonly string[]
  readonly emails?: string | readonly string[]
  readonly address?: {
    readonly line1?: string
    readonly city?: string
    readonly region?: string
    readonly postalCode?: string
    readonly country?: string
  }
  readonly timeZone?: string
  readonly lifecycle?: string
  /** Values separated by `;` or `|`. */
  readonly tags?: string
  readonly externalRef?: string
  /** Decimal amounts ("1,234.50") in `currency`. */
  readonly openBalance?: string
  readonly lifetimeValue?: string
  /** Custom attribute name -> column. */
  readonly attributes?: Readonly<Record<string, string>>
}

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
  /** Rows per batch (one dedupe lookup and one insert transaction each). */
  readonly batchSize?: number
  readonly onProgress?: (progress: ImportProgress) => void
  readonly totalBytes?: number
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
}

const list = (v: string | readonly string[] | undefined) =>
  v === undefined ? [] : typeof v === 'string' ? [v] : v

/** "1,234.50" or "1234,50" -> 123450 minor units. */
export function parseAmount(text: string): number | undefined {
  const t = text.trim().replace(/[\s$€£]/g, '')
  if (!t) return undefined
  const normalised =
    /,\d{2}$/.test(t) && !t.includes('.') ? t.replace(/\./g, '').replace(',', '.') : t.replace(/,/g, '')
  if (!/^-?\d+(\.\d{1,2})?$/.test(normalised)) return Number.NaN
  return Math.round(Number(normalised) * 100)
}

/** Turns a CSV row into contact input by the mapping; bad cells become field issues. */
function rowToInput(
  get: (column: string | undefined) => string | undefined,
  m: ContactColumnMapping,
  currency: string,
): { input: ContactInput; issues: FieldIssue[] } {
  const issues: FieldIssue[] = []
  const text = (col: string | undefined) => {
    const v = get(col)?.trim()
    return v ? v : undefined
  }
  const input: Record<string, unknown> = {
    phones: list(m.phones)
      .map(text)
      .filter((v): v is string => v !== undefined),
    emails: list(m.emails)
      .map(text)
      .filter((v): v is string => v !== undefined),
  }
  for (const f of [
    'firstName',
    'lastName',
    'displayName',
    'company',
    'account',
    'timeZone',
    'externalRef',
  ] as const) {
    const v = text(m[f])
    if (v !== undefined) input[f] = v
  }
  const lifecycle = text(m.lifecycle)
  if (lifecycle) input.lifecycle = lifecycle.toLowerCase()
  const tags = text(m.tags)
  if (tags)
    input.tags = tags
      .split(/[;|]/)
      .map((t) => t.trim())
      .filter(Boolean)
  if (m.address) {
    const address: Record<string, string> = {}
    for (const [k, col] of Object.entries(m.address)) {
      const v = text(col)
      if (v !== undefined) address[k] = k === 'country' ? v.toUpperCase() : v
    }
    if (Object.keys(address).length) input.address = address
  }
  for (const f of ['openBalance', 'lifetimeValue'] as const) {
    const raw = text(m[f])
    if (raw === undefined) continue
    const amountMinor = parseAmount(raw)
    if (amountMinor === undefined) continue
    if (Number.isNaN(amountMinor))
      issues.push({ field: f, value: raw, message: 'is not an amount such as 1234.50' })
    else input[f] = { amountMinor, currency }
  }
  if (m.attributes) {
    const attributes: Record<string, string> = {}
    for (const [name, col] of Object.entries(m.attributes)) {
      const v = text(col)
      if (v !== undefined) attributes[name] = v
    }
    input.attributes = attributes
  }
  return { input: input as ContactInput, issues }
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
): Promise<ImportResult> {
  const started = performance.now()
  const now = new Date()
  const tenantId: TenantId = store.tenantId
  const batchSize = options.batchSize ?? 1000
  const currency = options.currency ?? 'USD'
  const rejected: RejectedRow[] = []
  const duplicates: DuplicateRow[] = []
  let rows = 0
  let imported = 0
  let bytes = 0
  let header: string[] | undefined
  let index = new Map<string, number>()
  let pending: Array<{ line: number; contact: Contact }> = []

  const progress = () =>
    options.onProgress?.({
      rows,
      imported,
      duplicates: duplicates.length,
      rejected: rejected.length,
      bytes,
      ...(options.totalBytes !== undefined ? { totalBytes: options.totalBytes } : {}),
    })

  const flush = async () => {
    if (!pending.length) return
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
    pending = []
    progress()
  }

  const counting = async function* () {
    for await (const chunk of source) {
      bytes += typeof chunk === 'string' ? Buffer.byteLength(chunk) : chunk.byteLength
      yield chunk
    }
  }

  for await (const record of parseCsv(
    counting(),
    options.delimiter ? { delimiter: options.delimiter } : {},
  )) {
    if (!header) {
      header = record.fields.map((h) => h.trim())
      index = new Map(header.map((h, i) => [h, i]))
      const wanted = [
        ...list(options.mapping.phones),
        ...list(options.mapping.emails),
        ...Object.values(options.mapping).filter((v): v is string => typeof v === 'string'),
        ...Object.values(options.mapping.address ?? {}),
        ...Object.values(options.mapping.attributes ?? {}),
      ]
      const missing = wanted.filter((c) => !index.has(c))
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
      continue
    }
    rows++
    if (record.fields.length !== header.length) {
      rejected.push({
        line: record.line,
        reasons: [
          {
            field: '(row)',
            value: record.fields.length,
            message: `expected ${header.length} fields, found ${record.fields.length}`,
          },
        ],
      })
      continue
    }
    const fields = record.fields
    const { input, issues } = rowToInput(
      (col) => (col === undefined ? undefined : fields[index.get(col)!]),
      options.mapping,
      currency,
    )
    const prepared = prepareContact(input, {
      tenantId,
      now,
      ...(options.defaultCountry ? { defaultCountry: options.defaultCountry } : {}),
    })
    if (!prepared.ok || issues.length) {
      rejected.push({ line: record.line, reasons: [...issues, ...(prepared.ok ? [] : prepared.issues)] })
    } else pending.push({ line: record.line, contact: prepared.contact })
    if (pending.length >= batchSize) await flush()
    else if (rows % batchSize === 0) progress()
  }
  await flush()
  progress()
  return { rows, imported, duplicates, rejected, ms: performance.now() - started }
}
