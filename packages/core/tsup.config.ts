import { defineConfig } from 'tsup'

const entries = {
  index: 'src/index.ts',
  // Isomorphic: no Node built-ins (checked by test/bundle.test.ts).
  domain: 'src/domain/index.ts',
  quality: 'src/quality/index.ts',
  import: 'src/import/index.ts',
}

export default defineConfig({
  // The import worker is its own entry: it is loaded by URL next to index.js.
  entry: { ...entries, 'import-worker': 'src/import/worker.ts' },
  format: ['esm'],
  dts: { entry: entries },
  sourcemap: true,
  clean: true,
  target: 'node22',
})
