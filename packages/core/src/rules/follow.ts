import { Effect, Fiber, type ManagedRuntime } from 'effect'
import { z } from 'zod'
import { validationFailed } from '../domain/errors.js'
import { EventId, type TenantId } from '../domain/ids.js'
import { EventType, type StoredEvent } from '../domain/rule.js'
import type { EventLog } from '../services/event-log.js'
import { checkArgument, now } from '../services/runtime.js'

export interface FollowOptions {
  /** Only these event types. */
  readonly types?: ReadonlyArray<string>
  /** Start after this event id (default: events recorded from now on). */
  readonly after?: string
  /** Milliseconds between polls (default 250). */
  readonly intervalMs?: number
  /**
   * How far back each poll looks again (default 5000 ms). Event ids are
   * stamped when the event is made, not when its transaction commits, so an
   * event of a slower transaction can appear behind one already seen; each
   * poll reads this window again and skips what it delivered.
   */
  readonly lookbackMs?: number
  /** Where a handler's failure goes (default: console.error). */
  readonly onError?: (error: unknown, event: StoredEvent) => void
}

const FollowInput = z
  .strictObject({
    types: z.array(EventType).max(100).optional(),
    after: EventId.optional(),
    intervalMs: z.number().int().min(10).max(60_000).optional(),
    lookbackMs: z.number().int().min(0).max(600_000).optional(),
    onError: z
      .custom<FollowOptions['onError']>((f) => typeof f === 'function', 'must be a function')
      .optional(),
  })
  .optional()

/** The options as given, checked: a bad one is a ValidationFailed naming it. */
function checked(handler: unknown, options: unknown): FollowOptions {
  if (typeof handler !== 'function')
    throw validationFailed('event follower', [
      { field: 'handler', value: handler, message: 'must be a function called with each event' },
    ])
  const r = checkArgument('event follower', FollowInput, options, 'options')
  if (!r.ok) throw r.error
  return (r.value ?? {}) as FollowOptions
}

/** The smallest event id of a millisecond (ids are `ev_` + 12 hex digits of time + randomness). */
const idAt = (ms: number) => `ev_${Math.max(0, Math.floor(ms)).toString(16).padStart(12, '0')}`

/**
 * Follows the tenant's event log by polling the database, so that every
 * process on one database sees every other's events (an in-process bus
 * alone would not). Runs as a fiber of the instance's runtime; the returned
 * function interrupts it.
 */
export function followEvents(
  // biome-ignore lint/suspicious/noExplicitAny: any runtime that provides the EventLog
  runtime: ManagedRuntime.ManagedRuntime<any, never>,
  log: EventLog['Service'],
  tenant: TenantId,
  handler: (event: StoredEvent) => void | Promise<void>,
  given: FollowOptions = {},
): () => void {
  const options = checked(handler, given)
  const interval = options.intervalMs ?? 250
  const lookback = options.lookbackMs ?? 5000
  const onError =
    options.onError ?? ((e: unknown) => console.error('@switchboard/core: an event follower failed', e))
  const seen = new Map<string, number>()
  const loop = Effect.gen(function* () {
    // Nothing at or before the floor is delivered; the cursor is the newest id delivered.
    const floor = options.after ?? idAt((yield* now).getTime())
    let cursor = floor
    // Ids are compared as text (they sort by time).
    const later = (a: string, b: string) => (a > b ? a : b)
    const earlier = (a: string, b: string) => (a < b ? a : b)
    for (;;) {
      const at = (yield* now).getTime()
      const window = idAt(at - lookback)
      let after = later(floor, earlier(cursor, window))
      for (;;) {
        const page = yield* log.list(tenant, {
          after,
          limit: 500,
          ...(options.types ? { types: options.types } : {}),
        })
        for (const e of page) {
          if (seen.has(e.id)) continue
          seen.set(e.id, e.occurredAt.getTime())
          cursor = later(cursor, e.id)
          yield* Effect.promise(async () => {
            try {
              await handler(e)
            } catch (error) {
              onError(error, e)
            }
          })
        }
        if (page.length < 500) break
        after = page[page.length - 1]!.id
      }
      // Ids older than two windows can no longer come back.
      for (const [id, t] of seen) if (t < at - 2 * lookback) seen.delete(id)
      yield* Effect.sleep(interval)
    }
  }).pipe(Effect.catchCause((cause) => Effect.sync(() => onError(cause, undefined as never))))
  const fiber = runtime.runFork(loop)
  return () => {
    runtime.runFork(Fiber.interrupt(fiber))
  }
}
