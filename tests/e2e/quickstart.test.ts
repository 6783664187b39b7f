import { execFileSync } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { expect, it } from 'vitest'

const example = fileURLToPath(new URL('../../examples/quickstart/', import.meta.url))

// Runs the README's main job as a user would and checks what it prints.
it('quickstart imports the shipped CSV, reports quality and answers a consent question', () => {
  const out = execFileSync(process.execPath, ['src/main.ts'], {
    cwd: example,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  const num = (label: string) => Number(new RegExp(`${label}\\s+(\\d+)`).exec(out)?.[1])
  const rows = num('rows read')
  expect(rows).toBe(4001)
  expect(num('imported') + num('duplicates') + num('rejected')).toBe(rows)
  expect(num('duplicates')).toBeGreaterThan(100)
  expect(num('rejected')).toBeGreaterThan(100)
  expect(out).toMatch(/phones\[\]: has the wrong length for its country/)
  expect(out).toMatch(/openBalance: is not an amount such as 1234\.50 +\(column open_balance, e\.g\./)
  expect(out).toMatch(/\(row\): expected 9 fields, found 3 .*lines 4002/)
  expect(out).toMatch(/Same file imported again: 0 new/)
  expect(out).toMatch(/Screen pop for \+\d+: identified/)
  expect(out).toMatch(/opted_out: opted out of voice for marketing/)
  expect(out).toMatch(/outside_calling_hours/)
})
