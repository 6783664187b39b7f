import { Effect } from 'effect'
import type { ActionOutcome, RuleFiring } from '../domain/rule.js'
import type { OutboxItem, StorageBackend, TenantStore } from '../plugins/storage.js'
import type { InstanceSettings } from '../services/config.js'
import { now, scopedStore } from '../services/runtime.js'

/** How the outbox is worked: every instance runs a processor unless told not to. */
export interface OutboxOptions {
  /** Milliseconds between polls (default 500). */
  readonly intervalMs?: number
  /** How long a leased item is this processor's before another may take it (default 30 s). */
  readonly leaseMs?: number
  /** Attempts before an action is recorded as failed for good (default 10). */
  readonly maxAttempts?: number
  /** Items per lease (default 20). */
  readonly batchSize?: number
  /** The first retry's delay; the n-th waits n² times as long, at most 5 minutes (default 1000 ms). */
  readonly retryBaseMs?: number
}

const DEFAULTS = { intervalMs: 500, leaseMs: 30_000, maxAttempts: 10, batchSize: 20, retryBaseMs: 1000 }

export const outboxSettings = (o: OutboxOptions = {}) => ({ ...DEFAULTS, ...o })

/** Retry spacing: 1 s, 4 s, 9 s ... up to 5 minutes (with the default base). */
const backoffMs = (base: number, attempts: number) => Math.min(300_000, base * attempts * attempts)

const message = (e: unknown) => (e instanceof Error ? e.message : String(e))

/** The firing with one action's outcome replaced, and its overall outcome recomputed. */
function withAction(firing: RuleFiring, index: number, outcome: ActionOutcome, at: Date): RuleFiring {
  const actions = firing.actions.map((a, i) => (i === index ? outcome : a))
  return {
    ...firing,
    actions,
    outcome: actions.some((a) => a.status === 'failed')
      ? 'failed'
      : actions.some((a) => a.status === 'queued')
        ? 'pending'
        : 'done',
    updatedAt: at,
  }
}

async function settle(
  s: TenantStore,
  item: OutboxItem,
  at: Date,
  outcome: (previous: ActionOutcome | undefined) => ActionOutcome,
  finished: boolean,
  runAfter?: Date,
) {
  await s.transaction(async (tx) => {
    const firing = await tx.firings.get(item.firingId)
    if (finished) await tx.outbox.done(item.firingId, item.action)
    else await tx.outbox.retry(item.firingId, item.action, outcome(undefined).error ?? '', runAfter ?? at)
    if (firing)
      await tx.firings.update(withAction(firing, item.action, outcome(firing.actions[item.action]), at))
  })
}

/**
 * One pass of the outbox: leases the due items (across tenants) and runs
 * each host handler. Success removes the item and marks the action done in
 * one transaction; a failure is retried later with backoff. A processor that
 * dies mid-action loses its lease when it runs out, and the item runs again:
 * at least once, with the same idempotency key every time. Returns how many
 * items it leased.
 */
export const processOutbox = (
  storage: StorageBackend,
  settings: InstanceSettings,
  options: ReturnType<typeof outboxSettings>,
): Effect.Effect<number, unknown> =>
  Effect.gen(function* () {
    const at = yield* now
    const items = yield* Effect.tryPromise(() =>
      storage.leaseOutbox({
        now: at,
        leaseUntil: new Date(at.getTime() + options.leaseMs),
        limit: options.batchSize,
      }),
    )
    for (const item of items) {
      yield* Effect.tryPromise(() => runItem(storage, settings, options, item, at))
    }
    return items.length
  })

async function runItem(
  storage: StorageBackend,
  settings: InstanceSettings,
  options: ReturnType<typeof outboxSettings>,
  item: OutboxItem,
  at: Date,
) {
  const s = scopedStore(storage, item.tenantId)
  const [firing, event] = await Promise.all([s.firings.get(item.firingId), s.events.get(item.eventId)])
  if (!firing || !event) {
    await s.outbox.done(item.firingId, item.action)
    return
  }
  const handler = settings.ruleHandlers.get(item.handler)
  const attempts = item.attempts
  if (!handler) {
    // Another instance (a worker with the handler) may take it: not an attempt that counts against it.
    await s.outbox.retry(
      item.firingId,
      item.action,
      `no handler named "${item.handler}" in instance ${settings.origin}`,
      new Date(at.getTime() + options.leaseMs),
    )
    return
  }
  try {
    await handler({
      tenantId: item.tenantId,
      event,
      firing,
      idempotencyKey: `${item.firingId}:${item.action}`,
      attempt: attempts - 1,
      ...(firing.contactId ? { contactId: firing.contactId } : {}),
    })
  } catch (e) {
    const final = attempts >= options.maxAttempts
    await settle(
      s,
      item,
      at,
      () => ({
        type: 'handler',
        status: final ? 'failed' : 'queued',
        detail: item.handler,
        error: message(e).slice(0, 2000),
        attempts,
      }),
      final,
      new Date(at.getTime() + backoffMs(options.retryBaseMs, attempts)),
    )
    return
  }
  await settle(s, item, at, () => ({ type: 'handler', status: 'done', detail: item.handler, attempts }), true)
}
