// Runs the core README's "Service desk" and "Collision avoidance and identity
// verification" examples as they are written and checks what they print
// against the comments beside each console.log.
import { execFile } from 'node:child_process'
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { expect, it } from 'vitest'

const readme = readFileSync(fileURLToPath(new URL('../../packages/core/README.md', import.meta.url)), 'utf8')
const examples = [...readme.matchAll(/```ts\n([\s\S]*?)```/g)].map((m) => m[1]!)

it.each([
  {
    what: 'service desk example escalates a case on SLA breach',
    marker: 'acme.desk.sweep()',
    file: 'core-desk',
    logs: 4,
  },
  {
    what: 'collision avoidance example verifies a caller, locks a contact and records a script run',
    marker: 'acme.locks.acquire(',
    file: 'core-desk-locks',
    logs: 8,
  },
])("the core README's $what and prints what its comments say", async ({ marker, file: name, logs }) => {
  const example = examples.find((b) => b.includes(marker))
  expect(example, `the README has the example with ${marker}`).toBeDefined()
  const dir = fileURLToPath(new URL('./.readme/', import.meta.url))
  mkdirSync(dir, { recursive: true })
  const file = `${dir}${name}.ts`
  writeFileSync(file, example!)
  const out = await new Promise<string>((resolve, reject) =>
    execFile(process.execPath, [file], { timeout: 30_000 }, (e, stdout, stderr) =>
      e ? reject(new Error(`${e.message}\n${stderr}`)) : resolve(stdout),
    ),
  )
  const expected = [...example!.matchAll(/console\.log\([^\n]*\) \/\/ (.*)$/gm)].map((m) => m[1]!)
  expect(expected).toHaveLength(logs)
  expect(out.trim().split('\n')).toEqual(expected)
})
