import { defineConfig } from 'tsup'

export default defineConfig({
  // The engine, and the simulator/benchmark side as its own subpath (`@switchboard/dialer/sim`).
  entry: { index: 'src/index.ts', sim: 'src/sim/index.ts' },
  format: ['esm'],
  dts: true,
  sourcemap: true,
  clean: true,
  target: 'node22',
})
