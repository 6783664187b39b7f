export * from './contacts.js'
export * from './csv.js'
export * from './summary.js'
