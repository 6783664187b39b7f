import type { SwitchboardClient } from '@switchboard/client'
import { useCallback, useEffect, useRef, useState } from 'react'
import { describeProblem, type ProblemView } from '../errors.js'
import { useSwitchboard } from './provider.js'

export interface RequestState<T> {
  readonly data: T | undefined
  readonly problem: ProblemView | undefined
  readonly loading: boolean
  /** Fetches again (after a change the view made). */
  readonly reload: () => void
}

/**
 * A read through the client, re-run when `key` changes; `null` as key skips
 * it (nothing to read yet). A late answer for an old key is dropped.
 */
export function useRequest<T>(
  key: string | null,
  read: (client: SwitchboardClient) => Promise<T>,
): RequestState<T> {
  const { client } = useSwitchboard()
  const [state, setState] = useState<{
    key: string | null
    data?: T
    problem?: ProblemView
    loading: boolean
  }>({
    key: null,
    loading: key !== null,
  })
  const [round, setRound] = useState(0)
  const reader = useRef(read)
  reader.current = read
  // biome-ignore lint/correctness/useExhaustiveDependencies: `round` is the reload trigger
  useEffect(() => {
    if (key === null) return
    let current = true
    setState((s) => ({ ...s, key, loading: true }))
    reader
      .current(client)
      .then((data) => current && setState({ key, data, loading: false }))
      .catch((e: unknown) => current && setState({ key, problem: describeProblem(e), loading: false }))
    return () => {
      current = false
    }
  }, [client, key, round])
  const reload = useCallback(() => setRound((n) => n + 1), [])
  const fresh = state.key === key
  return {
    data: fresh ? state.data : undefined,
    problem: fresh ? state.problem : undefined,
    loading: key !== null && (!fresh || state.loading),
    reload,
  }
}

type Q<K extends keyof SwitchboardClient['reports']> = Parameters<SwitchboardClient['reports'][K]>[0]
const keyOf = (...parts: unknown[]) => JSON.stringify(parts)

// One hook per read the screens make; each returns the client's inferred type.
export const useContact = (id: string | undefined) =>
  useRequest(id ? keyOf('contact', id) : null, (c) => c.contacts.get(id!))
export const useTimeline = (id: string | undefined) =>
  useRequest(id ? keyOf('timeline', id) : null, (c) => c.contacts.timeline(id!))
export const useConsent = (
  id: string | undefined,
  query: Parameters<SwitchboardClient['contacts']['consent']>[1],
) => useRequest(id ? keyOf('consent', id, query) : null, (c) => c.contacts.consent(id!, query))
export const useCases = (contactId: string | undefined) =>
  useRequest(contactId ? keyOf('cases', contactId) : null, (c) => c.contacts.cases(contactId!))
export const useCase = (id: string | undefined) =>
  useRequest(id ? keyOf('case', id) : null, (c) => c.cases.get(id!))
export const useDispositions = (campaignId: string | undefined) =>
  useRequest(campaignId ? keyOf('dispositions', campaignId) : null, (c) =>
    c.campaigns.dispositions(campaignId!),
  )
export const useCampaigns = () => useRequest(keyOf('campaigns'), (c) => c.campaigns.list())
export const useCampaign = (id: string | undefined) =>
  useRequest(id ? keyOf('campaign', id) : null, (c) => c.campaigns.get(id!))
export const useAgents = () => useRequest(keyOf('agents'), (c) => c.agents.list())
export const useCallbacks = (query: Parameters<SwitchboardClient['callbacks']['list']>[0] = {}) =>
  useRequest(keyOf('callbacks', query), (c) => c.callbacks.list(query))
export const useContactSearch = (q: string) =>
  useRequest(q.trim() ? keyOf('search', q.trim()) : null, (c) => c.contacts.search(q.trim(), 10))
export const useReport = (query: Q<'campaign'> | null) =>
  useRequest(query ? keyOf('report', query) : null, (c) => c.reports.campaign(query!))
export const useReportCsv = (query: Q<'campaignCsv'> | null) =>
  useRequest(query ? keyOf('report.csv', query) : null, (c) => c.reports.campaignCsv(query!))
