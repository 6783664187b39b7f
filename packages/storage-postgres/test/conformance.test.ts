import { storageConformance } from '@switchboard/testkit/storage'
import { freshBackend, requireServer } from './server.js'

// The whole storage conformance suite, against a real PostgreSQL server,
// each run in a schema of its own.
if (requireServer()) {
  storageConformance('postgres', { create: async () => freshBackend() })
}
