import type { LiveState } from '@switchboard/client'
import { useCallback, useRef, useSyncExternalStore } from 'react'
import { useSwitchboard } from './provider.js'

/**
 * A slice of the live store, re-rendering only when that slice changes
 * (compared with `Object.is`): the store's snapshot changes identity on every
 * event, the selected value only when it really changed.
 */
export function useLive<T>(selector: (state: LiveState) => T): T {
  const { store } = useSwitchboard()
  const cache = useRef<{ snap: LiveState; value: T } | undefined>(undefined)
  const select = useRef(selector)
  select.current = selector
  const get = useCallback(() => {
    const snap = store.getSnapshot()
    const c = cache.current
    if (c && c.snap === snap) return c.value
    const value = select.current(snap)
    // Keep the previous value when equal, so a new snapshot with the same slice does not re-render.
    cache.current = { snap, value: c && Object.is(c.value, value) ? c.value : value }
    return cache.current.value
  }, [store])
  return useSyncExternalStore(store.subscribe, get, get)
}
