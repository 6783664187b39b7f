import { defineProject } from 'vitest/config'

export default defineProject({
  test: { name: 'campaigns', include: ['test/**/*.test.ts'] },
})
