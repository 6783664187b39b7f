// What the processes of the multi-process tests share: how to open the one
// database, and the collections plugin that declares `payment.recorded`.
import { appendFileSync } from 'node:fs'
import {
  createSwitchboard,
  definePlugin,
  type RuleHandler,
  type StorageBackend,
  type SwitchboardOptions,
} from '@switchboard/core'
import { postgresStorage } from '@switchboard/storage-postgres'
import { sqliteStorage } from '@switchboard/storage-sqlite'
import { z } from 'zod'

export type Database = { kind: 'postgres'; url: string; schema: string } | { kind: 'sqlite'; file: string }

export const open = (db: Database): StorageBackend =>
  db.kind === 'postgres'
    ? postgresStorage({ connectionString: db.url, schema: db.schema, poolSize: 4 })
    : sqliteStorage({ file: db.file })

export const collections = definePlugin({
  id: 'collections',
  events: {
    'payment.recorded': z.strictObject({ contactId: z.string(), amountMinor: z.number().int().positive() }),
  },
})

/** A handler with an outside effect: one line per call in a journal file (key, attempt, process). */
export const journaling =
  (journal: string, after?: () => void): RuleHandler =>
  (call) => {
    appendFileSync(
      journal,
      `${JSON.stringify({ key: call.idempotencyKey, attempt: call.attempt, pid: process.pid })}\n`,
    )
    after?.()
  }

export const instance = (db: Database, options: Omit<SwitchboardOptions, 'storage' | 'plugins'> = {}) =>
  createSwitchboard({ storage: open(db), plugins: [collections], ...options })
