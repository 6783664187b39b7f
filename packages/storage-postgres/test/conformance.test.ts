import { storageConformance } from '@switchboard/testkit/storage'
import { postgresStorage } from '../src/index.js'
import { contention, freshBackendIn, PG_URL, requireServer } from './server.js'

// The whole storage conformance suite, against a real PostgreSQL server,
// each run in a schema of its own.
if (requireServer()) {
  const schemas = new WeakMap<object, string>()
  const options = {
    create: async () => {
      const { schema, backend } = freshBackendIn()
      schemas.set(backend, schema)
      return backend
    },
    // Another pool on the same schema, as a second process would open it.
    peer: async (backend: object) =>
      postgresStorage({ connectionString: PG_URL!, schema: schemas.get(backend)!, poolSize: 4 }),
    contention,
  }
  storageConformance('postgres', options)
}
