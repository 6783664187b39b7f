import {
  answer,
  type CallScript,
  type Contact,
  type ScriptRun,
  scriptRunRecord,
  startRun,
} from '@switchboard/core/domain'
import { useCallback, useMemo, useState } from 'react'
import type { Json } from '../json.js'

export interface ScriptRunState {
  readonly run: ScriptRun
  /** The refusal of the last answer (the run did not move), or a script that does not validate. */
  readonly refusal: string | undefined
  /** Answers the node being asked; false when it was refused. */
  readonly answer: (value: unknown) => boolean
  /** Steps back to the previous question (its answer is kept until answered again). */
  readonly back: () => void
  readonly canGoBack: boolean
  readonly restart: () => void
  /** What to record on the interaction (core's `scriptRunRecord`). */
  readonly record: ReturnType<typeof scriptRunRecord>
}

/**
 * A walk through a call script with core's pure runner: every answer is a new
 * immutable run, so going back is keeping the earlier ones.
 */
export function useScriptRun(script: CallScript, contact: Json<Contact>): ScriptRunState {
  // The runner only reads the contact's fields by path: the JSON form (dates as strings) reads the same.
  const first = useMemo(() => startRun(script, contact as unknown as Contact), [script, contact])
  const [runs, setRuns] = useState<{ first: ScriptRun; list: ScriptRun[] }>({ first, list: [first] })
  const [refusal, setRefusal] = useState<string>()
  const list = runs.first === first ? runs.list : [first]
  const run = list[list.length - 1]!
  const doAnswer = useCallback(
    (value: unknown) => {
      try {
        const next = answer(run, value)
        setRuns({ first, list: [...list, next] })
        setRefusal(undefined)
        return true
      } catch (e) {
        setRefusal(
          e instanceof Error || (typeof e === 'object' && e && 'message' in e)
            ? String((e as Error).message)
            : String(e),
        )
        return false
      }
    },
    [run, list, first],
  )
  return {
    run,
    refusal,
    answer: doAnswer,
    back: () => {
      setRefusal(undefined)
      setRuns({ first, list: list.length > 1 ? list.slice(0, -1) : list })
    },
    canGoBack: list.length > 1,
    restart: () => {
      setRefusal(undefined)
      setRuns({ first, list: [first] })
    },
    record: useMemo(() => scriptRunRecord(run), [run]),
  }
}
