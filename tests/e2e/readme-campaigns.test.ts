// Runs the campaigns README's virtual-clock example as it is written and
// checks what it prints against the comments in it.
import { execFile } from 'node:child_process'
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { expect, it } from 'vitest'

const readme = readFileSync(
  fileURLToPath(new URL('../../packages/campaigns/README.md', import.meta.url)),
  'utf8',
)
const example = [...readme.matchAll(/```ts\n([\s\S]*?)```/g)]
  .map((m) => m[1]!)
  .find((b) => b.includes('ManualClock'))

it("the campaigns README's example runs a campaign and prints what its comments say", async () => {
  expect(example, 'the README has the virtual-clock example').toBeDefined()
  const dir = fileURLToPath(new URL('./.readme/', import.meta.url))
  mkdirSync(dir, { recursive: true })
  const file = `${dir}campaigns.ts`
  writeFileSync(file, example!)
  const out = await new Promise<string>((resolve, reject) =>
    execFile(process.execPath, [file], { timeout: 30_000 }, (e, stdout, stderr) =>
      e ? reject(new Error(`${e.message}\n${stderr}`)) : resolve(stdout),
    ),
  )
  const inline = [...example!.matchAll(/console\.log\([^\n]*\) \/\/ (.*)$/gm)].map((m) => m[1]!)
  const after = [...example!.matchAll(/^\/\/ (Lead .*)$/gm)].map((m) => m[1]!)
  expect([...inline, ...after]).toEqual(['screen pop for Lead 0', 'Lead 0 SALE 1', 'Lead 1 BUSY 0'])
  expect(out.trim().split('\n')).toEqual([...inline, ...after])
})
