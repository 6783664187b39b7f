// The page's connection: the seat's token from the URL, the typed client, the
// live store, and what the server put in the page (the campaign, the tiers).
import { createLiveStore, createSwitchboardClient } from '@switchboard/client'

export const token = new URLSearchParams(location.search).get('token') ?? ''

export const client = createSwitchboardClient({
  baseUrl: location.origin,
  headers: () => ({ authorization: `Bearer ${token}` }),
})
export const store = createLiveStore(client)

export interface PageConfig {
  readonly campaignId: string
  readonly tiers: ReadonlyArray<{ readonly id: string; readonly name: string; readonly level: number }>
  /** The virtual shift's start (ISO): the supervisor's report starts there. */
  readonly shiftStart: string
}

export const root = document.getElementById('root')!
export const config = JSON.parse(root.dataset.config ?? '{}') as PageConfig
