import type { LiveStore, SwitchboardClient } from '@switchboard/client'
import { createContext, type ReactNode, useContext } from 'react'
import { NowProvider } from '../hooks/use-now.js'

interface Switchboard {
  readonly client: SwitchboardClient
  readonly store: LiveStore
}

const Context = createContext<Switchboard | undefined>(undefined)

export interface SwitchboardProviderProps extends Switchboard {
  /** The server's clock, when it is not the browser's (timers count with it; default `Date.now`). */
  readonly now?: () => number
  readonly children?: ReactNode
}

/**
 * Gives the hooks and connected screens below it a client and its live store.
 * The host creates both (and calls `store.start()`), so it decides the base
 * URL, the auth headers and when the event stream runs.
 */
export function SwitchboardProvider({ client, store, now, children }: SwitchboardProviderProps) {
  const inner = <Context.Provider value={{ client, store }}>{children}</Context.Provider>
  return now ? <NowProvider now={now}>{inner}</NowProvider> : inner
}

/** The client and store of the nearest SwitchboardProvider (throws outside one: a mounting mistake). */
export function useSwitchboard(): Switchboard {
  const sb = useContext(Context)
  if (!sb) throw new Error('useSwitchboard: no <SwitchboardProvider client store> above this component')
  return sb
}
