// Type-checks this package's React code in the docs: every ```tsx block of README.md and of the
// sources' TSDoc @example blocks. tests/docs/extract.mjs checks ```ts blocks only, in a project
// without JSX, the DOM or this package; here each block is written as a .tsx file inside the package
// (so `@switchboard/ui-react` resolves to its own build by self-reference), checked, then removed.
import { execFileSync } from 'node:child_process'
import { mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { dirname, join, relative } from 'node:path'
import { fileURLToPath } from 'node:url'

const pkg = join(dirname(fileURLToPath(import.meta.url)), '..')
const out = join(pkg, '.tmp', 'docs')
rmSync(out, { recursive: true, force: true })
mkdirSync(out, { recursive: true })

const fence = /```tsx\n([\s\S]*?)```/g
const blocks = []
for (const m of readFileSync(join(pkg, 'README.md'), 'utf8').matchAll(fence)) blocks.push(['README.md', m[1]])
const walk = (dir) => {
  for (const name of readdirSync(dir)) {
    const p = join(dir, name)
    if (statSync(p).isDirectory()) walk(p)
    else if (/\.tsx?$/.test(name))
      for (const doc of readFileSync(p, 'utf8').matchAll(/\/\*\*([\s\S]*?)\*\//g)) {
        if (!doc[1].includes('@example')) continue
        for (const m of doc[1].replace(/^[ \t]*\* ?/gm, '').matchAll(fence))
          blocks.push([relative(pkg, p), m[1]])
      }
  }
}
walk(join(pkg, 'src'))
for (const [n, [from, code]] of blocks.entries())
  writeFileSync(join(out, `block_${n + 1}.tsx`), `// from ${from}\nexport {}\n${code}`)
writeFileSync(
  join(out, 'tsconfig.json'),
  JSON.stringify({
    extends: '../../../../tsconfig.base.json',
    compilerOptions: {
      noEmit: true,
      lib: ['ES2023', 'DOM', 'DOM.Iterable'],
      jsx: 'react-jsx',
      types: [],
      noUnusedLocals: false,
    },
    include: ['*.tsx'],
  }),
)
try {
  const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc')
  execFileSync(process.execPath, [tsc, '--noEmit', '-p', out], { stdio: 'inherit' })
  console.log(`ui-react docs: ${blocks.length} tsx code blocks type-checked`)
} catch {
  console.error(`ui-react docs: type errors in the blocks above (files kept in ${relative(pkg, out)})`)
  process.exit(1)
}
rmSync(join(pkg, '.tmp'), { recursive: true, force: true })
