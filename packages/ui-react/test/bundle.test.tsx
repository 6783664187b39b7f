// @vitest-environment node
import { existsSync, readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { build } from 'esbuild'
import { describe, expect, it } from 'vitest'

const dist = (f: string) => fileURLToPath(new URL(`../dist/${f}`, import.meta.url))

// What a host's bundler does with the package: it must bundle for the browser with no Node built-in
// and no database driver (the components talk to a server; they never import one).
describe('@switchboard/ui-react in a browser bundle', () => {
  it('is built with its stylesheet (run `pnpm build` first)', () => {
    expect(existsSync(dist('index.js'))).toBe(true)
    expect(readFileSync(dist('styles.css'), 'utf8')).toContain('--sb-accent')
  })

  it('bundles without a Node built-in, a driver or the server', async () => {
    const result = await build({
      entryPoints: [dist('index.js')],
      bundle: true,
      platform: 'browser',
      format: 'esm',
      write: false,
      logLevel: 'silent',
      metafile: true,
      external: ['react', 'react-dom', 'react/jsx-runtime'],
    })
    const inputs = Object.keys(result.metafile.inputs)
    const text = result.outputFiles.map((f) => f.text).join('\n')
    expect(text).not.toMatch(/\bfrom\s*["']node:|require\(["']node:/)
    expect(
      inputs.some((i) =>
        /better-sqlite3|[\\/]pg[\\/]|kysely|@switchboard[\\/]server|packages[\\/]server/.test(i),
      ),
    ).toBe(false)
    expect(inputs.some((i) => /recharts/.test(i))).toBe(true) // the charts are really in it
  })
})
