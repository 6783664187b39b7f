// Worker-thread entry of the import normaliser: receives batches of raw CSV
// records, returns contacts or reasons (see normalizer.ts).
import { parentPort } from 'node:worker_threads'
import type { CsvRecord } from './csv.js'
import { type NormalizeContext, normalizeRows } from './mapping.js'

let context: NormalizeContext | undefined
parentPort?.on('message', (msg: { ctx?: NormalizeContext; id?: number; records?: CsvRecord[] }) => {
  if (msg.ctx) context = msg.ctx
  if (msg.records && context)
    parentPort?.postMessage({ id: msg.id, rows: normalizeRows(msg.records, context) })
})
