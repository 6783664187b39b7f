export * from './calling-window.js'
export * from './decide.js'
export * from './regimes.js'
