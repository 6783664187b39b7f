// Runs the core README's "Consent ledger" example as it is written
// and checks what it prints against the comments beside each console.log.
import { execFile } from 'node:child_process'
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { expect, it } from 'vitest'

const readme = readFileSync(fileURLToPath(new URL('../../packages/core/README.md', import.meta.url)), 'utf8')
const blocks = [...readme.matchAll(/```ts\n([\s\S]*?)```/g)].map((m) => m[1]!)
const example = blocks.find((b) => b.includes("importRegistry('lista-robinson'"))

it("the core README's consent ledger example runs and prints what its comments say", async () => {
  expect(example, 'the README has the consent ledger example').toBeDefined()
  const dir = fileURLToPath(new URL('./.readme/', import.meta.url))
  mkdirSync(dir, { recursive: true })
  const file = `${dir}core-consent.ts`
  writeFileSync(file, example!)
  const out = await new Promise<string>((resolve, reject) =>
    execFile(process.execPath, [file], { timeout: 30_000 }, (e, stdout, stderr) =>
      e ? reject(new Error(`${e.message}\n${stderr}`)) : resolve(stdout),
    ),
  )
  const expected = [...example!.matchAll(/console\.log\([^\n]*\) \/\/ (.*)$/gm)].map((m) => m[1]!)
  expect(expected.length).toBe(3)
  const printed = out.trim().split('\n')
  expect(printed).toEqual(expected)
})
