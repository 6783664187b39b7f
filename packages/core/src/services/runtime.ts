import { Context, Effect } from 'effect'
import { type StorageFailure, storageFailure } from '../errors.js'
import type { EventBus } from '../events.js'
import type { StorageBackend } from '../plugins/storage.js'
import type { TelephonyBackend } from '../telephony/index.js'

/** The storage backend an instance runs on (a backend package supplies it). */
export class Storage extends Context.Service<Storage, StorageBackend>()('@switchboard/core/Storage') {}

/** The domain event bus. */
export class Events extends Context.Service<Events, EventBus>()('@switchboard/core/Events') {}

/** The telephony backend, when the instance has one. */
export class Telephony extends Context.Service<Telephony, TelephonyBackend>()(
  '@switchboard/core/Telephony',
) {}

export const TRANSIENT = /SQLITE_BUSY|ECONNRESET|ECONNREFUSED|timeout|terminat|Connection|57P01|40001|40P01/i

/** Lifts a backend call into Effect, mapping a thrown error to a typed StorageFailure. */
export const attempt = <A>(operation: string, run: () => Promise<A>): Effect.Effect<A, StorageFailure> =>
  Effect.tryPromise({
    try: run,
    catch: (cause) =>
      storageFailure(operation, cause, TRANSIENT.test(String((cause as Error)?.message ?? cause))),
  })
