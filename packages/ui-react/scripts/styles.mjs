// After tsup: the stylesheet a host imports (`@switchboard/ui-react/styles.css`), and its declaration
// (a side-effect module, nothing exported) so TypeScript resolves the import. Run after tsup, whose
// declaration build would otherwise clean the .d.ts away.
import { copyFileSync, writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

const pkg = join(dirname(fileURLToPath(import.meta.url)), '..')
copyFileSync(join(pkg, 'src', 'styles.css'), join(pkg, 'dist', 'styles.css'))
writeFileSync(join(pkg, 'dist', 'styles.css.d.ts'), 'export {}\n')
