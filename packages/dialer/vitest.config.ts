import { defineProject } from 'vitest/config'

export default defineProject({
  test: { name: 'dialer', include: ['test/**/*.test.ts'] },
})
