export * from './fixtures.js'
export * from './suite.js'
