import { defineProject } from 'vitest/config'

export default defineProject({
  test: {
    name: 'ui-react',
    include: ['test/**/*.test.tsx'],
    environment: 'happy-dom',
    setupFiles: ['test/setup.ts'],
  },
})
