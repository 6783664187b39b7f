// Reads a text/event-stream over a real HTTP connection, event by event, for
// the tests (the server package does not depend on the client's parser).
export interface SseMessage {
  readonly id?: string
  readonly event: string
  readonly data: string
}

export interface SseReader {
  readonly status: number
  /** Every message received so far. */
  readonly messages: SseMessage[]
  /** Comment lines seen (`: ping`). */
  readonly comments: string[]
  /** Resolves with the first message (from the start) that matches, waiting up to `ms` of real time. */
  waitFor(match: (m: SseMessage) => boolean, ms?: number): Promise<SseMessage>
  /** Resolves when the server ends the stream (or it is dropped). */
  readonly ended: Promise<void>
  /** Drops the connection as a network failure would. */
  close(): void
}

export async function openSse(url: string, headers: Record<string, string>): Promise<SseReader> {
  const abort = new AbortController()
  const res = await fetch(url, { headers: { accept: 'text/event-stream', ...headers }, signal: abort.signal })
  const messages: SseMessage[] = []
  const comments: string[] = []
  const waiters = new Set<() => void>()
  const notify = () => {
    for (const w of [...waiters]) w()
  }
  let ended: Promise<void> = Promise.resolve()
  if (res.ok && res.body) {
    const reader = res.body.getReader()
    const decoder = new TextDecoder()
    let buffer = ''
    ended = (async () => {
      try {
        for (;;) {
          const { done, value } = await reader.read()
          if (done) break
          buffer += decoder.decode(value, { stream: true })
          let cut = buffer.indexOf('\n\n')
          while (cut >= 0) {
            const block = buffer.slice(0, cut)
            buffer = buffer.slice(cut + 2)
            let id: string | undefined
            let event = 'message'
            const data: string[] = []
            for (const line of block.split('\n')) {
              if (line.startsWith(':')) comments.push(line.slice(1).trim())
              else if (line.startsWith('id:')) id = line.slice(3).trim()
              else if (line.startsWith('event:')) event = line.slice(6).trim()
              else if (line.startsWith('data:')) data.push(line.slice(5).replace(/^ /, ''))
            }
            if (data.length || id !== undefined)
              messages.push({ ...(id !== undefined ? { id } : {}), event, data: data.join('\n') })
            notify()
            cut = buffer.indexOf('\n\n')
          }
        }
      } catch {
        // aborted
      }
    })()
  }
  return {
    status: res.status,
    messages,
    comments,
    ended,
    waitFor(match, ms = 10_000) {
      return new Promise((resolve, reject) => {
        const check = () => {
          const m = messages.find(match)
          if (!m) return false
          waiters.delete(check)
          clearTimeout(timer)
          resolve(m)
          return true
        }
        const timer = setTimeout(() => {
          waiters.delete(check)
          reject(new Error(`no matching event in ${ms} ms; got ${messages.map((m) => m.event).join(', ')}`))
        }, ms)
        waiters.add(check)
        check()
      })
    },
    close: () => abort.abort(),
  }
}
