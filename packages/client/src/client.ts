import type { SwitchboardApp } from '@switchboard/server'
import { hc } from 'hono/client'
import { errorOf } from './errors.js'
import { type EventsOptions, type LiveEvent, streamEvents } from './sse.js'

export interface SwitchboardClientOptions {
  /** Where the server is mounted (its routes are at `${baseUrl}/api/...`). */
  readonly baseUrl: string
  /** Headers for every request (a session token...), read on each call. */
  readonly headers?: () => Record<string, string>
  readonly fetch?: typeof fetch
}

type Rpc = ReturnType<typeof hc<SwitchboardApp>>
type Api = Rpc['api']

/** The JSON body of a route's success: inferred from the server's routes, never written here. */
type Body<R> = R extends { json(): Promise<infer T> } ? T : never

/** Awaits an RPC call; a non-2xx answer throws SwitchboardHttpError. */
async function ok<R extends { ok: boolean; json(): Promise<unknown> }>(call: Promise<R>): Promise<Body<R>> {
  const res = await call
  if (!res.ok) throw await errorOf(res as unknown as Response)
  return (await res.json()) as Body<R>
}

type DisposeInput = Parameters<Api['calls'][':callId']['dispose']['$post']>[0]['json']
type ConsentRecordInput = Parameters<Api['contacts'][':id']['consent']['$post']>[0]['json']
type ConsentQuery = Parameters<Api['contacts'][':id']['consent']['$get']>[0]['query']
type EscalateBody = Parameters<Api['cases'][':id']['escalate']['$post']>[0]['json']
type CaseStatus = Parameters<Api['cases'][':id']['status']['$post']>[0]['json']['status']
type LoginBody = Parameters<Api['agent']['login']['$post']>[0]['json']
type ClickToCallBody = Parameters<Api['click-to-call']['$post']>[0]['json']
type CallbackQuery = Parameters<Api['callbacks']['$get']>[0]['query']
type ReportQuery = Parameters<Api['reports']['campaign']['$get']>[0]['query']

/**
 * A typed client of `@switchboard/server`: every method's return type is
 * inferred from the server's routes. Errors are thrown as
 * `SwitchboardHttpError` (`status`, `reason`, `issues`, `reasons`).
 *
 * @example
 * ```ts
 * import { createSwitchboardClient, SwitchboardHttpError } from '@switchboard/client'
 *
 * const client = createSwitchboardClient({
 *   baseUrl: 'http://127.0.0.1:8080',
 *   headers: () => ({ authorization: 'Bearer agent-token' }),
 * })
 * const me = await client.me()
 * try {
 *   await client.clickToCall({ contactId: 'ct_1', campaignId: 'cp_1' })
 * } catch (e) {
 *   if (e instanceof SwitchboardHttpError && e.reason === 'click_to_call_refused') console.log(e.reasons)
 * }
 * for await (const event of client.events()) console.log(event.type, me.agentId)
 * ```
 */
export function createSwitchboardClient(options: SwitchboardClientOptions) {
  const base = options.baseUrl.replace(/\/+$/, '')
  const fetchFn: typeof fetch = options.fetch ?? ((input, init) => globalThis.fetch(input, init))
  const headers = () => options.headers?.() ?? {}
  const rpc: Rpc = hc<SwitchboardApp>(base, { fetch: fetchFn, headers })
  const api = rpc.api
  const reportUrl = (query: ReportQuery) => api.reports['campaign.csv'].$url({ query }).toString()

  return {
    /** The raw typed Hono RPC client (`rpc.api.contacts[':id'].$get({ param: { id } })`). */
    rpc,
    me: () => ok(api.me.$get()),
    agent: {
      login: (body: LoginBody) => ok(api.agent.login.$post({ json: body })),
      ready: () => ok(api.agent.ready.$post()),
      pause: (reason: string) => ok(api.agent.pause.$post({ json: { reason } })),
      logout: () => ok(api.agent.logout.$post()),
      /** The agent's current or last uncoded call (the screen pop a reloaded page gets back). */
      call: () => ok(api.agent.call.$get()),
    },
    calls: {
      dispose: (callId: string, input: DisposeInput) =>
        ok(api.calls[':callId'].dispose.$post({ param: { callId }, json: input })),
      identify: (callId: string, contactId: string) =>
        ok(api.calls[':callId'].identify.$post({ param: { callId }, json: { contactId } })),
      recording: (callId: string, on: boolean) =>
        ok(api.calls[':callId'].recording.$post({ param: { callId }, json: { on } })),
    },
    clickToCall: (body: ClickToCallBody) => ok(api['click-to-call'].$post({ json: body })),
    contacts: {
      search: (q?: string, limit?: number) =>
        ok(
          api.contacts.$get({
            query: { ...(q ? { q } : {}), ...(limit !== undefined ? { limit } : {}) },
          }),
        ),
      get: (id: string) => ok(api.contacts[':id'].$get({ param: { id } })),
      timeline: (id: string) => ok(api.contacts[':id'].timeline.$get({ param: { id } })),
      consent: (id: string, query: ConsentQuery) =>
        ok(api.contacts[':id'].consent.$get({ param: { id }, query })),
      recordConsent: (id: string, input: ConsentRecordInput) =>
        ok(api.contacts[':id'].consent.$post({ param: { id }, json: input })),
      cases: (id: string) => ok(api.contacts[':id'].cases.$get({ param: { id } })),
    },
    cases: {
      get: (id: string) => ok(api.cases[':id'].$get({ param: { id } })),
      escalate: (id: string, input: EscalateBody) =>
        ok(api.cases[':id'].escalate.$post({ param: { id }, json: input })),
      setStatus: (id: string, status: CaseStatus) =>
        ok(api.cases[':id'].status.$post({ param: { id }, json: { status } })),
    },
    campaigns: {
      list: () => ok(api.campaigns.$get()),
      get: (id: string) => ok(api.campaigns[':id'].$get({ param: { id } })),
      dispositions: (id: string) => ok(api.campaigns[':id'].dispositions.$get({ param: { id } })),
      start: (id: string) => ok(api.campaigns[':id'].start.$post({ param: { id } })),
      pause: (id: string) => ok(api.campaigns[':id'].pause.$post({ param: { id } })),
      resume: (id: string) => ok(api.campaigns[':id'].resume.$post({ param: { id } })),
      stop: (id: string) => ok(api.campaigns[':id'].stop.$post({ param: { id } })),
      status: (id: string) => ok(api.campaigns[':id'].status.$get({ param: { id } })),
    },
    callbacks: {
      list: (query: CallbackQuery = {}) => ok(api.callbacks.$get({ query })),
    },
    agents: {
      list: () => ok(api.agents.$get()),
    },
    reports: {
      campaign: (query: ReportQuery) => ok(api.reports.campaign.$get({ query })),
      /** The CSV's URL (for a download link; the browser sends its own cookies, not `headers`). */
      campaignCsvUrl: reportUrl,
      campaignCsv: async (query: ReportQuery): Promise<string> => {
        const res = await api.reports['campaign.csv'].$get({ query })
        if (!res.ok) throw await errorOf(res as unknown as Response)
        return res.text()
      },
    },
    /** The live events the principal may see, streamed over fetch (resume with `lastEventId`). */
    events: (eventOptions: EventsOptions = {}): AsyncIterable<LiveEvent> =>
      streamEvents(`${base}/api/events`, fetchFn, headers(), eventOptions),
  }
}

export type SwitchboardClient = ReturnType<typeof createSwitchboardClient>
