import { Readable } from 'node:stream'
import { pipeline } from 'node:stream/promises'
import type { BulkContactWriter, ContactRows } from '@switchboard/storage-kysely'
import { CompiledQuery } from 'kysely'
import type { PoolClient } from 'pg'
import { from as copyFrom } from 'pg-copy-streams'

/**
 * COPY travels through kysely as a marked "query" whose parameter is the job,
 * so it runs on the very connection kysely holds for the current transaction
 * (the pool wrapper in pool.ts recognises the mark and streams the rows).
 */
export const COPY_MARK = '/* switchboard:copy */'

export interface CopyTable {
  readonly table: string
  readonly columns: ReadonlyArray<string>
  readonly rows: ReadonlyArray<Record<string, unknown>>
}

export interface CopyJob {
  readonly tables: ReadonlyArray<CopyTable>
}

export const isCopyJob = (v: unknown): v is CopyJob =>
  typeof v === 'object' && v !== null && Array.isArray((v as CopyJob).tables)

const ident = (name: string) => `"${name.replaceAll('"', '""')}"`

/** One field in COPY's text format: \N for NULL, backslash escapes for the rest. */
function field(v: unknown): string {
  if (v === null || v === undefined) return '\\N'
  const s = typeof v === 'string' ? v : typeof v === 'object' ? JSON.stringify(v) : String(v)
  return /[\\\t\n\r]/.test(s)
    ? s.replace(/[\\\t\n\r]/g, (c) => (c === '\\' ? '\\\\' : c === '\t' ? '\\t' : c === '\n' ? '\\n' : '\\r'))
    : s
}

/** Rows as COPY text, in chunks of about 256 KiB. */
export function* copyText(columns: ReadonlyArray<string>, rows: ReadonlyArray<Record<string, unknown>>) {
  let buf = ''
  for (const row of rows) {
    let line = ''
    for (let i = 0; i < columns.length; i++) line += (i ? '\t' : '') + field(row[columns[i]!])
    buf += line + '\n'
    if (buf.length >= 1 << 18) {
      yield buf
      buf = ''
    }
  }
  if (buf) yield buf
}

/** Streams each table's rows with COPY FROM STDIN on this client, in order. */
export async function runCopy(
  client: PoolClient,
  job: CopyJob,
): Promise<{ command: string; rowCount: number; rows: [] }> {
  let rowCount = 0
  for (const t of job.tables) {
    if (!t.rows.length) continue
    const stream = client.query(
      copyFrom(`copy ${ident(t.table)} (${t.columns.map(ident).join(', ')}) from stdin`),
    )
    await pipeline(Readable.from(copyText(t.columns, t.rows)), stream)
    rowCount += stream.rowCount
  }
  return { command: 'COPY', rowCount, rows: [] }
}

const uniqueBy = <T>(rows: ReadonlyArray<T>, key: (r: T) => string): T[] => {
  const seen = new Set<string>()
  return rows.filter((r) => {
    const k = key(r)
    if (seen.has(k)) return false
    seen.add(k)
    return true
  })
}

/**
 * The bulk writer for `contacts.insertMany`: contacts, their phones and their
 * emails each in one COPY, inside the caller's transaction. COPY has no
 * ON CONFLICT, so the batch's own repeats of a (phone, contact) pair are
 * dropped here, as the multi-row INSERT path does with DO NOTHING.
 */
export const copyWriter: BulkContactWriter = async (db, rows: ContactRows) => {
  const job: CopyJob = {
    tables: [
      {
        table: 'contacts',
        columns: [
          'tenant_id',
          'id',
          'display_name',
          'match_key',
          'external_ref',
          'lifecycle',
          'merged_into',
          'created_at',
          'updated_at',
          'data',
        ],
        rows: rows.contacts,
      },
      {
        table: 'contact_phones',
        columns: ['tenant_id', 'e164', 'contact_id'],
        rows: uniqueBy(rows.phones, (p) => `${p.e164}\u0000${p.contact_id}`),
      },
      {
        table: 'contact_emails',
        columns: ['tenant_id', 'email', 'contact_id'],
        rows: uniqueBy(rows.emails, (e) => `${e.email}\u0000${e.contact_id}`),
      },
    ],
  }
  await db.executeQuery(CompiledQuery.raw(COPY_MARK, [job]))
}
