import { defineConfig } from 'tsup'

// Separate entry points: a host that only simulates never loads drachtio-srf or rtpengine-client.
export default defineConfig({
  entry: { index: 'src/index.ts', simulated: 'src/simulated/index.ts', drachtio: 'src/drachtio/index.ts' },
  format: ['esm'],
  dts: true,
  sourcemap: true,
  clean: true,
  target: 'node22',
  external: ['drachtio-srf', 'rtpengine-client', 'debug'],
})
