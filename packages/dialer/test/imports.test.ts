import { readdirSync, readFileSync } from 'node:fs'
import { join, relative } from 'node:path'
import { fileURLToPath } from 'node:url'
import ts from 'typescript'
import { describe, expect, it } from 'vitest'

// The dialer is a pure engine: of Switchboard it may import only core's isomorphic domain.
const ALLOWED = new Set(['@switchboard/core/domain'])
const src = fileURLToPath(new URL('../src', import.meta.url))

function files(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? files(join(dir, e.name)) : /\.[cm]?[jt]sx?$/.test(e.name) ? [join(dir, e.name)] : [],
  )
}

/**
 * Every module specifier of a file, as TypeScript reads them (comments, such as TSDoc examples, do not
 * count): imports and re-exports, side-effect imports, import(), require().
 */
function specifiers(code: string): string[] {
  return ts.preProcessFile(code, true, true).importedFiles.map((f) => f.fileName)
}

describe('import boundary', () => {
  it('imports nothing of @switchboard but @switchboard/core/domain', () => {
    const seen: string[] = []
    const bad: string[] = []
    for (const f of files(src)) {
      for (const s of specifiers(readFileSync(f, 'utf8'))) {
        seen.push(s)
        if (s.startsWith('@switchboard/') && !ALLOWED.has(s)) bad.push(`${relative(src, f)}: ${s}`)
      }
    }
    expect(bad).toEqual([])
    // the scan does read the imports (core's domain is used)
    expect(seen).toContain('@switchboard/core/domain')
  })

  it('recognises every form of import it scans for', () => {
    const code = [
      "import { a } from '@switchboard/core'",
      "import type { B } from '@switchboard/telephony'",
      "export * from '@switchboard/storage-kysely'",
      "import '@switchboard/x'",
      "const m = await import('@switchboard/y')",
      "import {\n  c,\n  d,\n} from '@switchboard/z'",
      "const r = require('@switchboard/w')",
      "/** @example\n * import { e } from '@switchboard/in-a-comment'\n */",
      "// import { f } from '@switchboard/in-a-line-comment'",
    ].join('\n')
    expect(specifiers(code)).toEqual(
      expect.arrayContaining([
        '@switchboard/core',
        '@switchboard/telephony',
        '@switchboard/storage-kysely',
        '@switchboard/x',
        '@switchboard/y',
        '@switchboard/z',
        '@switchboard/w',
      ]),
    )
    expect(specifiers(code).filter((s) => s.includes('comment'))).toEqual([])
  })
})
