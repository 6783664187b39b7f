export * from './fixtures.js'
export * from './leads.js'
export * from './suite.js'
export * from './store.js'
