import { storageConformance } from '@switchboard/testkit/storage'
import { contention, freshBackend, requireServer } from './server.js'

// The whole storage conformance suite, against a real PostgreSQL server,
// each run in a schema of its own.
if (requireServer()) {
  const options = { create: async () => freshBackend(), contention }
  storageConformance('postgres', options)
}
