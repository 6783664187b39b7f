export * from './feature.js'
export * from './migration.js'
export * from './storage.js'
