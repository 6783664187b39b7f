import type { DncLineFormat, DncRegistry } from '../domain/dnc-registry.js'
import { conflict } from '../domain/errors.js'
import type { TenantStore } from '../plugins/storage.js'
import { normalizePhone } from '../quality/phone.js'

/** A line of a registry file that holds no callable number. */
export interface RejectedLine {
  /** 1-based. */
  readonly line: number
  readonly text: string
  readonly message: string
}

export interface RegistryImportProgress {
  readonly registry: string
  readonly version: number
  /** Lines read so far (blank and `#` comment lines included). */
  readonly lines: number
  readonly imported: number
  readonly duplicates: number
  readonly rejected: number
  readonly bytes: number
  readonly totalBytes?: number
}

export interface RegistryImportOptions {
  /** Where this version comes from: the file's name and publication date ("robinson-2026-12.txt"). */
  readonly source: string
  /** When the publisher issued the file: the listed date of every entry whose line gives none (default: none). */
  readonly listedAt?: Date | string
  /** Numbers per write (default 5,000). */
  readonly batchSize?: number
  /** Called after every batch. */
  readonly onProgress?: (progress: RegistryImportProgress) => void
  /** How many rejected lines the result lists in full (default 1,000; all are counted). */
  readonly keepRejected?: number
  /** File size, for a percentage in progress reports. */
  readonly totalBytes?: number
}

export interface RegistryImportResult {
  readonly registry: string
  readonly version: number
  /** The version it replaced (retired), if any. */
  readonly replaced?: number
  readonly lines: number
  readonly imported: number
  readonly duplicates: number
  readonly rejected: number
  /** The first `keepRejected` rejected lines, with their line numbers. */
  readonly rejectedLines: RejectedLine[]
  readonly activatedAt: Date
}

const FIELD = /[,;\t]/
const DATE = /^\d{4}-\d{2}-\d{2}(T[\d:.]+(Z|[+-]\d{2}:?\d{2})?)?$/

/**
 * What a line holds, by the registry's line format: the number as written,
 * and the registration date when the next field is an ISO date
 * ("612345678;2026-11-02").
 */
export function parseLine(line: string, format: DncLineFormat): { number: string; listedAt?: Date } {
  const fields = line.split(FIELD).map((f) => f.trim())
  const joined = format === 'area-code,number' && fields.length >= 2
  const number = joined ? `${fields[0]}${fields[1]}` : (fields[0] ?? '')
  const next = fields[joined ? 2 : 1]
  const listedAt = next && DATE.test(next) ? new Date(next) : undefined
  return listedAt && !Number.isNaN(listedAt.getTime()) ? { number, listedAt } : { number }
}

/** Splits a stream of text or bytes (UTF-8) into lines, without holding more than one chunk. */
async function* linesOf(
  source: AsyncIterable<string | Uint8Array>,
  onBytes: (n: number) => void,
): AsyncGenerator<string> {
  const decoder = new TextDecoder('utf-8')
  let rest = ''
  for await (const chunk of source) {
    if (typeof chunk === 'string') {
      onBytes(chunk.length)
      rest += chunk
    } else {
      onBytes(chunk.byteLength)
      rest += decoder.decode(chunk, { stream: true })
    }
    let nl = rest.indexOf('\n')
    let start = 0
    while (nl !== -1) {
      yield rest.slice(start, nl).replace(/\r$/, '')
      start = nl + 1
      nl = rest.indexOf('\n', start)
    }
    rest = rest.slice(start)
  }
  rest += decoder.decode()
  if (rest) yield rest.replace(/\r$/, '')
}

/**
 * Streams a registry file into a new version beside the active one, then
 * swaps it in. Memory stays at one batch: numbers are normalised to E.164
 * (the registry's country for national numbers) and written as they come.
 * On any failure the loading version is abandoned and the active one stays.
 */
export async function importRegistry(
  store: TenantStore,
  registry: DncRegistry,
  source: AsyncIterable<string | Uint8Array>,
  options: RegistryImportOptions,
  now: () => Date,
): Promise<RegistryImportResult> {
  const batchSize = options.batchSize ?? 5_000
  const keep = options.keepRejected ?? 1_000
  const listedAt = options.listedAt === undefined ? undefined : new Date(options.listedAt)
  const previous = registry.activeVersion
  const version = await store.dncRegistries.beginVersion(registry.name, {
    source: options.source,
    startedAt: now(),
  })
  let lines = 0
  let imported = 0
  let seen = 0
  let rejected = 0
  let bytes = 0
  const rejectedLines: RejectedLine[] = []
  const progress = () =>
    options.onProgress?.({
      registry: registry.name,
      version,
      lines,
      imported,
      duplicates: seen - imported,
      rejected,
      bytes,
      ...(options.totalBytes !== undefined ? { totalBytes: options.totalBytes } : {}),
    })
  let batch: { phone: string; listedAt?: Date }[] = []
  const flush = async () => {
    if (!batch.length) return
    seen += batch.length
    const rows = batch
    // One transaction per batch: one commit (one fsync on SQLite) per batch, not per statement.
    imported += await store.transaction((tx) => tx.dncRegistries.addNumbers(registry.name, version, rows))
    batch = []
    progress()
  }
  try {
    for await (const raw of linesOf(source, (n) => {
      bytes += n
    })) {
      lines++
      const text = raw.trim()
      if (!text || text.startsWith('#')) continue
      const parsed = parseLine(text, registry.lineFormat)
      const check = normalizePhone(parsed.number, registry.country)
      if (!check.ok) {
        rejected++
        if (rejectedLines.length < keep)
          rejectedLines.push({ line: lines, text: raw, message: check.message })
        continue
      }
      const listed = parsed.listedAt ?? listedAt
      batch.push(listed ? { phone: check.e164, listedAt: listed } : { phone: check.e164 })
      if (batch.length >= batchSize) await flush()
    }
    await flush()
    const activatedAt = now()
    const swapped = await store.dncRegistries.activate(registry.name, version, {
      at: activatedAt,
      numbers: imported,
      rejected,
    })
    if (!swapped) {
      throw conflict(
        'do-not-call registry',
        `version ${version} of ${registry.name} was overtaken by a newer import; the newer one stays active`,
      )
    }
    progress()
    return {
      registry: registry.name,
      version,
      ...(previous !== undefined ? { replaced: previous } : {}),
      lines,
      imported,
      duplicates: seen - imported,
      rejected,
      rejectedLines,
      activatedAt,
    }
  } catch (e) {
    await store.dncRegistries.abandon(registry.name, version).catch(() => {})
    throw e
  }
}
