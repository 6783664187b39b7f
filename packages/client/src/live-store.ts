import type { SwitchboardClient } from './client.js'
import type { LiveEvent } from './sse.js'

type AgentCall = Awaited<ReturnType<SwitchboardClient['agent']['call']>>
type Me = Awaited<ReturnType<SwitchboardClient['me']>>
type Dispose = SwitchboardClient['calls']['dispose']

/** The agent's screen pop, as the server sends it (JSON). */
export type LiveOffer = NonNullable<AgentCall['offer']>

export interface LiveAgentState {
  readonly state: string
  readonly since: string
  readonly reason?: string
}

export interface LivePacingPoint {
  readonly at: string
  readonly dials: number
  readonly connects: number
  readonly abandoned: number
  readonly callsInFlight: number
  readonly rate: number
}

export interface LivePacing {
  readonly status: { readonly state: string; readonly dials: number; readonly connects: number } & Record<
    string,
    unknown
  >
  readonly abandonment: { readonly rate: number; readonly target: number }
  readonly at: string
  readonly history: ReadonlyArray<LivePacingPoint>
}

export interface LiveCall {
  readonly callId: string
  readonly connected: boolean
  readonly endedAt?: string
  readonly wrapUntil?: string
  readonly recording: boolean
}

/** What the live store holds: a new object whenever anything in it changed. */
export interface LiveState {
  readonly connection: 'connecting' | 'open' | 'closed'
  readonly lastEventId?: string
  readonly me?: Me
  readonly offer?: LiveOffer
  readonly call?: LiveCall
  readonly agentState?: LiveAgentState
  readonly agents: Readonly<Record<string, LiveAgentState>>
  readonly pacing: Readonly<Record<string, LivePacing>>
  readonly recent: ReadonlyArray<LiveEvent>
}

export interface LiveStoreOptions {
  /** Wait before reconnecting after a drop (ms, default 1000). */
  readonly reconnectMs?: number
  /** Points of pacing history kept per campaign (default 300). */
  readonly historyPoints?: number
  /** Events kept in `recent` (default 100). */
  readonly recentEvents?: number
}

export interface LiveStore {
  subscribe(listener: () => void): () => void
  getSnapshot(): LiveState
  start(): void
  stop(): void
  /** Refetches `/api/me` and `/api/agent/call` (done on start and after a `reset`). */
  refresh(): Promise<void>
  /** Codes the current call and clears the screen pop. */
  dispose(input: Parameters<Dispose>[1]): Promise<Awaited<ReturnType<Dispose>>>
}

const INITIAL: LiveState = { connection: 'closed', agents: {}, pacing: {}, recent: [] }

type Data = Record<string, unknown>
const str = (v: unknown) => (typeof v === 'string' ? v : undefined)
const num = (v: unknown) => (typeof v === 'number' ? v : 0)

/**
 * The live state of an agent's desktop or a supervisor's screen, fed by the
 * server's events: `subscribe` / `getSnapshot` (React's
 * `useSyncExternalStore`, or any framework). After a drop it reconnects with
 * the last event id, so no event is lost; on `reset` it refetches.
 *
 * @example
 * ```ts
 * import { createLiveStore, createSwitchboardClient } from '@switchboard/client'
 *
 * const client = createSwitchboardClient({ baseUrl: 'http://127.0.0.1:8080' })
 * const store = createLiveStore(client)
 * const off = store.subscribe(() => {
 *   const { offer, connection } = store.getSnapshot()
 *   if (offer) console.log(connection, 'screen pop for', offer.contact?.displayName)
 * })
 * store.start()
 * // ... later
 * off()
 * store.stop()
 * ```
 */
export function createLiveStore(client: SwitchboardClient, options: LiveStoreOptions = {}): LiveStore {
  const reconnectMs = options.reconnectMs ?? 1000
  const historyPoints = options.historyPoints ?? 300
  const recentEvents = options.recentEvents ?? 100
  const listeners = new Set<() => void>()
  let state: LiveState = INITIAL
  let running = false
  let abort: AbortController | undefined
  let retry: ReturnType<typeof setTimeout> | undefined
  /** The call the own agent went on_call for (a click-to-call's agent is on it before its offer). */
  let onCallId: string | undefined

  const set = (patch: Partial<LiveState>) => {
    state = { ...state, ...patch }
    for (const l of [...listeners]) l()
  }
  const ownAgent = () => state.me?.agentId

  const apply = (e: LiveEvent) => {
    const d = (e.data ?? {}) as Data
    const patch: { -readonly [K in keyof LiveState]?: LiveState[K] } = {
      recent: [...state.recent, e].slice(-recentEvents),
      ...(e.id ? { lastEventId: e.id } : {}),
    }
    const mine = d.agentId !== undefined && d.agentId === ownAgent()
    switch (e.type) {
      case 'reset':
        // a failed refetch is retried by the next reconnect's reset; never an unhandled rejection
        refresh().catch(() => undefined)
        break
      case 'call.offered':
        if (mine) {
          patch.offer = d as unknown as LiveOffer
          const callId = String(d.callId)
          patch.call = { callId, connected: onCallId === callId, recording: false }
        }
        break
      case 'call.connected':
        if (mine && state.call && state.call.callId === d.callId)
          patch.call = { ...state.call, connected: true }
        break
      case 'call.ended':
        if (state.call && state.call.callId === d.callId) {
          const wrapUntil = str(d.wrapUntil)
          patch.call = {
            ...state.call,
            endedAt: str(d.endedAt) ?? new Date().toISOString(),
            recording: false,
            ...(wrapUntil ? { wrapUntil } : {}),
          }
        }
        break
      case 'agent.state_changed': {
        const agentId = String(d.agentId)
        const reason = str(d.reason)
        const s: LiveAgentState = { state: String(d.to), since: String(d.at), ...(reason ? { reason } : {}) }
        patch.agents = { ...state.agents, [agentId]: s }
        if (mine) {
          patch.agentState = s
          onCallId = d.to === 'on_call' ? str(d.callId) : undefined
          if (onCallId && state.call?.callId === onCallId) patch.call = { ...state.call, connected: true }
        }
        break
      }
      case 'recording.started':
      case 'recording.stopped': {
        const r = (d.recording ?? {}) as Data
        const onCall =
          state.call &&
          (r.callId === state.call.callId || (state.offer && r.interactionId === state.offer.interactionId))
        if (onCall && state.call) patch.call = { ...state.call, recording: e.type === 'recording.started' }
        break
      }
      case 'campaign.pacing': {
        const campaignId = String(d.campaignId)
        const status = (d.status ?? {}) as LivePacing['status']
        const abandonment = (d.abandonment ?? { rate: 0, target: 0 }) as LivePacing['abandonment']
        const at = String(d.at)
        const point: LivePacingPoint = {
          at,
          dials: num(status.dials),
          connects: num(status.connects),
          abandoned: num(status.abandoned),
          callsInFlight: num(status.callsInFlight),
          rate: num(abandonment.rate),
        }
        const before = state.pacing[campaignId]?.history ?? []
        patch.pacing = {
          ...state.pacing,
          [campaignId]: { status, abandonment, at, history: [...before, point].slice(-historyPoints) },
        }
        break
      }
    }
    set(patch)
  }

  async function refresh(): Promise<void> {
    const me = await client.me()
    const call = me.agentId ? await client.agent.call() : undefined
    const patch: { -readonly [K in keyof LiveState]?: LiveState[K] } = { me }
    if (me.session) {
      const reason = me.session.pauseReason
      patch.agentState = {
        state: me.session.state,
        since: me.session.stateSince,
        ...(reason ? { reason } : {}),
      }
    }
    const next: LiveState = { ...state, ...patch }
    const { offer: _o, call: _c, ...rest } = next
    if (call?.offer) {
      state = {
        ...rest,
        offer: call.offer,
        call: {
          callId: call.offer.callId,
          connected: call.connected,
          recording: call.recording,
          ...(call.endedAt ? { endedAt: call.endedAt } : {}),
          ...(call.wrapUntil ? { wrapUntil: call.wrapUntil } : {}),
        },
      }
    } else state = rest
    for (const l of [...listeners]) l()
  }

  const loop = async () => {
    while (running) {
      abort = new AbortController()
      const signal = abort.signal
      try {
        const lastEventId = state.lastEventId
        for await (const e of client.events({
          signal,
          ...(lastEventId ? { lastEventId } : {}),
          onOpen: () => set({ connection: 'open' }),
        }))
          apply(e)
      } catch {
        // dropped: reconnect below
      }
      if (!running) break
      set({ connection: 'connecting' })
      await new Promise<void>((resolve) => {
        retry = setTimeout(resolve, reconnectMs)
      })
    }
  }

  return {
    subscribe(listener) {
      listeners.add(listener)
      return () => listeners.delete(listener)
    },
    getSnapshot: () => state,
    start() {
      if (running) return
      running = true
      set({ connection: 'connecting' })
      refresh().catch(() => undefined)
      void loop()
    },
    stop() {
      running = false
      if (retry) clearTimeout(retry)
      abort?.abort()
      set({ connection: 'closed' })
    },
    refresh,
    async dispose(input) {
      const callId = state.call?.callId
      if (!callId) throw new Error('no call to code: the agent has no current call')
      const result = await client.calls.dispose(callId, input)
      if (state.call?.callId === callId) {
        const { offer: _o, call: _c, ...rest } = state
        state = rest
        for (const l of [...listeners]) l()
      }
      return result
    },
  }
}
