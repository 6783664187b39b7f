import { createSwitchboard } from '@switchboard/core'
import { sqliteStorage } from '@switchboard/storage-sqlite'
import { chunked, sampleCsv, sampleMapping } from '@switchboard/testkit/storage'
import { expect, it } from 'vitest'

// The worker-thread normaliser must give exactly the inline result (it runs core's built dist).
it('imports the same rows, rejections and duplicates with and without the worker thread', async () => {
  const run = async (worker: boolean) => {
    const sb = await createSwitchboard({ storage: sqliteStorage({ file: ':memory:' }) })
    const r = await sb.tenant('w').contacts.import(chunked(sampleCsv), {
      mapping: sampleMapping,
      defaultCountry: 'US',
      batchSize: 2,
      worker,
    })
    const names = (await sb.tenant('w').contacts.list()).map((c) => c.displayName).sort()
    await sb.close()
    return {
      ...r,
      ms: 0,
      normalizer: 'any',
      ran: r.normalizer,
      duplicates: r.duplicates.map((d) => ({ ...d, duplicateOf: 'x' })),
      names,
    }
  }
  const inline = await run(false)
  expect(inline.imported).toBe(4)
  expect(inline.ran).toBe('inline')
  const worker = await run(true)
  expect(worker.ran).toBe('worker')
  expect({ ...worker, ran: 'inline' }).toEqual(inline)
})
