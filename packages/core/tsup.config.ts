import { defineConfig } from 'tsup'

export default defineConfig({
  // The import worker is its own entry: it is loaded by URL next to index.js.
  entry: { index: 'src/index.ts', 'import-worker': 'src/import/worker.ts' },
  format: ['esm'],
  dts: { entry: 'src/index.ts' },
  sourcemap: true,
  clean: true,
  target: 'node22',
})
