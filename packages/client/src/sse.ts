import { createParser, type EventSourceMessage } from 'eventsource-parser'
import { errorOf } from './errors.js'

/** One server-sent event: its per-tenant id, its type, its JSON payload. */
export interface LiveEvent {
  readonly id: string
  readonly type: string
  readonly data: unknown
}

export interface EventsOptions {
  /** Resume after this id: the server replays what came after it (or sends `reset`). */
  readonly lastEventId?: string
  readonly signal?: AbortSignal
  /** Called once the stream is open (the server answered 200). */
  readonly onOpen?: () => void
}

/**
 * Streams `/api/events` over fetch (so the host's headers go with it) and
 * yields each event. Ends when the server ends the stream; throws on an
 * HTTP error or a dropped connection; stops quietly when `signal` aborts.
 */
export async function* streamEvents(
  url: string,
  fetchFn: typeof fetch,
  headers: Record<string, string>,
  options: EventsOptions = {},
): AsyncGenerator<LiveEvent, void, undefined> {
  const res = await fetchFn(url, {
    headers: {
      ...headers,
      accept: 'text/event-stream',
      ...(options.lastEventId ? { 'last-event-id': options.lastEventId } : {}),
    },
    ...(options.signal ? { signal: options.signal } : {}),
  })
  if (!res.ok) throw await errorOf(res)
  if (!res.body) throw new Error('the event stream has no body')
  options.onOpen?.()
  const queue: LiveEvent[] = []
  const parser = createParser({
    onEvent(message: EventSourceMessage) {
      let data: unknown = message.data
      try {
        data = JSON.parse(message.data)
      } catch {
        // keep the text
      }
      queue.push({ id: message.id ?? '', type: message.event ?? 'message', data })
    },
  })
  const reader = res.body.getReader()
  const decoder = new TextDecoder()
  try {
    for (;;) {
      const { done, value } = await reader.read()
      if (done) return
      parser.feed(decoder.decode(value, { stream: true }))
      while (queue.length) yield queue.shift()!
    }
  } catch (e) {
    if (options.signal?.aborted) return
    throw e
  } finally {
    reader.releaseLock()
    if (!options.signal?.aborted) await res.body.cancel().catch(() => undefined)
  }
}
