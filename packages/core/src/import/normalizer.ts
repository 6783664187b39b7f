import { existsSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { Worker } from 'node:worker_threads'
import type { CsvRecord } from './csv.js'
import { type NormalizeContext, type NormalizedRow, normalizeRows } from './mapping.js'

export interface Normalizer {
  /** Where rows are normalised. */
  readonly kind: 'worker' | 'inline'
  run(records: CsvRecord[]): Promise<NormalizedRow[]>
  close(): Promise<void>
}

// Built next to index.js by tsup; absent when core runs from its TS sources (its own tests).
const workerUrl = new URL('./import-worker.js', import.meta.url)

/**
 * Validation and normalisation (zod, libphonenumber) cost about as much CPU
 * as the inserts. A worker thread does them for batch k+1 while the main
 * thread dedupes and writes batch k, so an import uses two cores. Results
 * come back in submission order, so duplicate detection is unchanged.
 */
export function createNormalizer(ctx: NormalizeContext, useWorker: boolean): Normalizer {
  if (!useWorker || workerUrl.protocol !== 'file:' || !existsSync(fileURLToPath(workerUrl))) {
    return {
      kind: 'inline',
      async run(records) {
        // In slices, yielding between them, so a pending database reply is handled meanwhile.
        const out: NormalizedRow[] = []
        for (let i = 0; i < records.length; i += 250) {
          if (i) await new Promise<void>((resolve) => setImmediate(resolve))
          out.push(...normalizeRows(records.slice(i, i + 250), ctx))
        }
        return out
      },
      close: async () => {},
    }
  }
  const worker = new Worker(workerUrl)
  worker.unref()
  const waiting = new Map<
    number,
    { resolve: (rows: NormalizedRow[]) => void; reject: (e: unknown) => void }
  >()
  let failure: unknown
  worker.on('message', (msg: { id: number; rows: NormalizedRow[] }) => {
    waiting.get(msg.id)?.resolve(msg.rows)
    waiting.delete(msg.id)
  })
  worker.on('error', (e) => {
    failure = e
    for (const w of waiting.values()) w.reject(e)
    waiting.clear()
  })
  worker.postMessage({ ctx })
  let next = 0
  return {
    kind: 'worker',
    run(records) {
      if (failure) return Promise.reject(failure)
      const id = next++
      return new Promise((resolve, reject) => {
        waiting.set(id, { resolve, reject })
        worker.postMessage({ id, records })
      })
    },
    async close() {
      await worker.terminate()
    },
  }
}
