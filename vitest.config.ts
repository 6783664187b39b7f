import { defineConfig } from 'vitest/config'

// One root config; every workspace package with tests is a project.
export default defineConfig({
  test: {
    projects: ['packages/*', 'tests', 'examples/contact-center'],
  },
})
