// Runs the analytics README's scored-list example as it is written and checks
// what it prints against the comments in it.
import { execFile } from 'node:child_process'
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { expect, it } from 'vitest'

const readme = readFileSync(
  fileURLToPath(new URL('../../packages/analytics/README.md', import.meta.url)),
  'utf8',
)
const example = [...readme.matchAll(/```ts\n([\s\S]*?)```/g)]
  .map((m) => m[1]!)
  .find((b) => b.includes('leadScoring('))

it("the analytics README's example scores a list and prints what its comments say", async () => {
  expect(example, 'the README has the scored-list example').toBeDefined()
  const dir = fileURLToPath(new URL('./.readme/', import.meta.url))
  mkdirSync(dir, { recursive: true })
  const file = `${dir}analytics.ts`
  writeFileSync(file, example!)
  const out = await new Promise<string>((resolve, reject) =>
    execFile(process.execPath, [file], { timeout: 60_000 }, (e, stdout, stderr) =>
      e ? reject(new Error(`${e.message}\n${stderr}`)) : resolve(stdout),
    ),
  )
  const inline = [...example!.matchAll(/console\.log\([^\n]*\) \/\/ (.*)$/gm)].map((m) => m[1]!)
  const after = [...example!.matchAll(/^\/\/ ((?:Ana|Ben|Eva) .*)$/gm)].map((m) => m[1]!)
  expect(after).toHaveLength(3)
  expect(out.trim().split('\n')).toEqual([...inline, ...after])
})
