import { Hono } from 'hono'
import { streamSSE } from 'hono/streaming'
import { z } from 'zod'
import type { Env } from './auth.js'
import type { Deps } from './deps.js'
import { type JournalEntry, visibleTo } from './journal.js'
import { parseWith } from './validate.js'

const LastEventId = z.coerce.number().int().min(0)

/**
 * `GET /api/events`: the tenant's events the principal may see, as
 * server-sent events. With `Last-Event-ID` (or `?lastEventId=`) the kept
 * events after it are replayed first; when some were dropped, `reset` comes
 * first (the client refetches its state).
 */
export const eventRoutes = (d: Deps) =>
  new Hono<Env>().get('/events', async (c) => {
    const p = c.get('principal')
    const raw = c.req.header('last-event-id') ?? c.req.query('lastEventId')
    const last = raw === undefined || raw === '' ? undefined : parseWith('events', LastEventId, raw)
    const journal = d.journals.of(p.tenantId)
    c.header('cache-control', 'no-store')
    c.header('x-accel-buffering', 'no')
    return streamSSE(c, async (stream) => {
      const queue: JournalEntry[] = []
      let wake: (() => void) | undefined
      let closed = false
      const close = () => {
        closed = true
        wake?.()
      }
      d.streams.add(close)
      stream.onAbort(close)
      // Subscribe before reading the replay so nothing falls between the two.
      const off = journal.subscribe((e) => {
        if (!visibleTo(p, e)) return
        queue.push(e)
        wake?.()
      })
      const heartbeat = setInterval(() => {
        stream.write(': ping\n\n').catch(close)
      }, d.heartbeatMs)
      try {
        // What replay (or nothing, for a fresh client) covers; live events start after it.
        const sent = journal.lastId
        if (last !== undefined) {
          const r = journal.since(last)
          if (r.reset)
            await stream.writeSSE({
              id: String(sent),
              event: 'reset',
              data: JSON.stringify({ lastEventId: sent }),
            })
          for (const e of r.entries)
            if (visibleTo(p, e)) await stream.writeSSE({ id: String(e.id), event: e.type, data: e.data })
        } else {
          await stream.write(': connected\n\n')
        }
        while (!closed) {
          const e = queue.shift()
          if (!e) {
            await new Promise<void>((resolve) => {
              wake = resolve
            })
            wake = undefined
            continue
          }
          if (e.id <= sent) continue
          await stream.writeSSE({ id: String(e.id), event: e.type, data: e.data })
        }
      } finally {
        clearInterval(heartbeat)
        off()
        d.streams.delete(close)
      }
    })
  })
