// The page's connection: the seat's token from the URL, the typed client and the live store.
import { createLiveStore, createSwitchboardClient } from '@switchboard/client'
import { useSyncExternalStore } from 'react'

const token = new URLSearchParams(location.search).get('token') ?? ''

export const client = createSwitchboardClient({
  baseUrl: location.origin,
  headers: () => ({ authorization: `Bearer ${token}` }),
})
export const store = createLiveStore(client)

/** The live state (connection, screen pop, call, agent states, pacing), re-rendered when it changes. */
export function useLive() {
  return useSyncExternalStore(store.subscribe, store.getSnapshot)
}

/** The demo's virtual clock (the simulation runs faster than real time). */
export async function virtualNow(): Promise<{ now: Date; speed: number; campaignId: string }> {
  const r = (await (await fetch('/demo/clock')).json()) as { now: string; speed: number; campaignId: string }
  return { now: new Date(r.now), speed: r.speed, campaignId: r.campaignId }
}

/** What went wrong, for a role=alert line: the API's message and every refusal reason. */
export function describeError(e: unknown): string {
  const x = e as { message?: string; reasons?: ReadonlyArray<{ code: string; message: string }> }
  const reasons = x.reasons?.map((r) => `${r.code}: ${r.message}`) ?? []
  return [x.message ?? String(e), ...reasons].join(' — ')
}
