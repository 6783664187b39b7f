export * from './fixtures.js'
export * from './leads.js'
export * from './store.js'
export * from './suite.js'
