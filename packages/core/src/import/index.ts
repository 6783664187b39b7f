export * from './contacts.js'
export * from './csv.js'
