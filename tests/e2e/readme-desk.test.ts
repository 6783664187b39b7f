// Runs the core README's "Service desk" example as it is written and checks
// what it prints against the comments beside each console.log.
import { execFile } from 'node:child_process'
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { expect, it } from 'vitest'

const readme = readFileSync(fileURLToPath(new URL('../../packages/core/README.md', import.meta.url)), 'utf8')
const example = [...readme.matchAll(/```ts\n([\s\S]*?)```/g)]
  .map((m) => m[1]!)
  .find((b) => b.includes('acme.desk.sweep()'))

it("the core README's service desk example escalates a case on SLA breach and prints what its comments say", async () => {
  expect(example, 'the README has the service desk example').toBeDefined()
  const dir = fileURLToPath(new URL('./.readme/', import.meta.url))
  mkdirSync(dir, { recursive: true })
  const file = `${dir}core-desk.ts`
  writeFileSync(file, example!)
  const out = await new Promise<string>((resolve, reject) =>
    execFile(process.execPath, [file], { timeout: 30_000 }, (e, stdout, stderr) =>
      e ? reject(new Error(`${e.message}\n${stderr}`)) : resolve(stdout),
    ),
  )
  const expected = [...example!.matchAll(/console\.log\([^\n]*\) \/\/ (.*)$/gm)].map((m) => m[1]!)
  expect(expected).toHaveLength(4)
  expect(out.trim().split('\n')).toEqual(expected)
})
