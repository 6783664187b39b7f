import { copyFile } from 'node:fs/promises'
import { defineConfig } from 'tsup'

export default defineConfig({
  entry: { index: 'src/index.ts' },
  format: ['esm'],
  dts: true,
  sourcemap: true,
  clean: true,
  target: 'es2022',
  platform: 'browser',
  external: ['react', 'react-dom', 'react/jsx-runtime'],
  // The stylesheet is imported by the host (`@switchboard/ui-react/styles.css`), not by the code.
  onSuccess: () => copyFile('src/styles.css', 'dist/styles.css'),
})
