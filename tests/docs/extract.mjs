// Type-checks the documentation's code: every ```ts block of the READMEs (whole
// programs, checked as they are) and every ```ts block in a TSDoc @example of
// the packages' sources (checked with the preamble below, which declares the
// names those short examples use). Writes one file per block to .generated/,
// which tsconfig.json includes; `pnpm typecheck` then runs tsc over them.
import { mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { dirname, join, relative } from 'node:path'
import { fileURLToPath } from 'node:url'

const here = dirname(fileURLToPath(import.meta.url))
const root = join(here, '..', '..')
const out = join(here, '.generated')
rmSync(out, { recursive: true, force: true })
mkdirSync(out, { recursive: true })

// Names the short TSDoc examples may use without declaring them; a block that
// declares or imports one of these names gets no declaration of it.
const AMBIENT = {
  sb: 'SB.Switchboard',
  acme: 'SB.TenantApi',
  contact: 'SB.Contact',
  contactId: 'SB.ContactId',
  campaign: 'SB.Campaign',
  history: 'SB.ConsentRecord[]',
  dnc: 'SB.DoNotCallEntry[]',
  store: 'SB.TenantStore',
  telephony: 'SB.TelephonyBackend',
  campaignId: 'SB.CampaignId',
  suppressed: 'Set<string>',
}
const preambleFor = (code) =>
  [
    "import type * as SB from '@switchboard/core'",
    ...Object.entries(AMBIENT)
      .filter(
        ([name]) =>
          !new RegExp(`^import[^\\n]*\\b${name}\\b|\\b(const|let|var|function)\\s+${name}\\b`, 'm').test(
            code,
          ),
      )
      .map(([name, type]) => `declare const ${name}: ${type}`),
    '',
  ].join('\n')

const fence = /```(ts|typescript|js|javascript)\n([\s\S]*?)```/g
const files = []
const walk = (dir, pick) => {
  for (const name of readdirSync(dir)) {
    if (name === 'node_modules' || name === 'dist' || name.startsWith('.')) continue
    const p = join(dir, name)
    if (statSync(p).isDirectory()) walk(p, pick)
    else if (pick(p)) files.push(p)
  }
}
walk(root, (p) => p.endsWith('README.md') && !p.includes(`${join('tests', 'docs')}`))
const readmes = files.splice(0)
walk(join(root, 'packages'), (p) => /[\\/]src[\\/].*\.ts$/.test(p))
const sources = files.splice(0)

let n = 0
const emit = (from, code, preamble, lang = 'ts') => {
  // JavaScript blocks are checked too (checkJs), as .mjs.
  const ext = lang.startsWith('j') ? 'mjs' : 'ts'
  const name = `${relative(root, from).replace(/[\\/.]/g, '_')}_${++n}.${ext}`
  writeFileSync(
    join(out, name),
    `// from ${relative(root, from)}\n${preamble && ext === 'ts' ? preambleFor(code) : ''}export {}\n${code}`,
  )
}
for (const f of readmes) {
  for (const m of readFileSync(f, 'utf8').matchAll(fence)) emit(f, m[2], false, m[1])
}
for (const f of sources) {
  const text = readFileSync(f, 'utf8')
  for (const doc of text.matchAll(/\/\*\*([\s\S]*?)\*\//g)) {
    if (!doc[1].includes('@example')) continue
    const body = doc[1].replace(/^[ \t]*\* ?/gm, '')
    for (const m of body.matchAll(fence)) emit(f, m[2], true, m[1])
  }
}
console.log(
  `docs: ${n} code blocks from ${readmes.length} READMEs and the sources' @example blocks -> ${relative(root, out)}`,
)
