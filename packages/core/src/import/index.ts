export * from './contacts.js'
export * from './csv.js'
export * from './mapping.js'
export * from './summary.js'
