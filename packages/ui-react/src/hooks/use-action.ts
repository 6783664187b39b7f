import { useCallback, useEffect, useRef, useState } from 'react'
import { describeProblem, type ProblemView } from '../errors.js'

export interface Action<A extends unknown[]> {
  /** Runs the action; resolves true when it succeeded (the error is kept otherwise, never thrown). */
  readonly run: (...args: A) => Promise<boolean>
  readonly pending: boolean
  readonly problem: ProblemView | undefined
  readonly reset: () => void
}

/**
 * A button's request: pending while it runs, its failure kept as a
 * ProblemView to show (refusal reasons, fields named), cleared on the next run.
 */
export function useAction<A extends unknown[]>(fn: (...args: A) => unknown): Action<A> {
  const [pending, setPending] = useState(false)
  const [problem, setProblem] = useState<ProblemView>()
  const live = useRef(true)
  useEffect(() => {
    live.current = true
    return () => {
      live.current = false
    }
  }, [])
  const run = useCallback(
    async (...args: A) => {
      setPending(true)
      setProblem(undefined)
      try {
        await fn(...args)
        return true
      } catch (e) {
        if (live.current) setProblem(describeProblem(e))
        return false
      } finally {
        if (live.current) setPending(false)
      }
    },
    [fn],
  )
  return { run, pending, problem, reset: useCallback(() => setProblem(undefined), []) }
}
