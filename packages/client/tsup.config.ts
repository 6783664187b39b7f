import { defineConfig } from 'tsup'

// Browser-safe: no Node built-ins; the server's routes are imported as types only.
export default defineConfig({
  entry: { index: 'src/index.ts' },
  format: ['esm'],
  dts: true,
  sourcemap: true,
  clean: true,
  target: 'es2022',
  platform: 'browser',
})
