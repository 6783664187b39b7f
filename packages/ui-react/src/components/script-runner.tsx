import type { CallScript, Contact, ScriptQuestion, ScriptRunOutcome } from '@switchboard/core/domain'
import { type FormEvent, useEffect, useId, useRef, useState } from 'react'
import { type ScriptRunState, useScriptRun } from '../hooks/use-script-run.js'
import type { Json } from '../json.js'

export interface ScriptRunnerProps {
  readonly script: CallScript
  readonly contact: Json<Contact>
  /** Called once when an end node is reached, with its outcome and the run to record. */
  readonly onFinish?: (outcome: ScriptRunOutcome, record: ScriptRunState['record']) => void
}

function AnswerInput({ q, onAnswer }: { q: ScriptQuestion; onAnswer: (v: unknown) => void }) {
  const [text, setText] = useState('')
  const id = useId()
  const a = q.answer
  if (a.type === 'yes_no')
    return (
      <fieldset className="sb-row sb-plain">
        <legend className="sb-sr-only">Answer</legend>
        <button type="button" className="sb-button" onClick={() => onAnswer(true)}>
          Yes
        </button>
        <button type="button" className="sb-button" onClick={() => onAnswer(false)}>
          No
        </button>
      </fieldset>
    )
  if (a.type === 'choice')
    return (
      <fieldset className="sb-row sb-plain">
        <legend className="sb-sr-only">Answer</legend>
        {a.options.map((o) => (
          <button key={o.value} type="button" className="sb-button" onClick={() => onAnswer(o.value)}>
            {o.label}
          </button>
        ))}
      </fieldset>
    )
  const submit = (e: FormEvent) => {
    e.preventDefault()
    // A number field gives text: an empty or unparsable one is sent as is, so the runner names it.
    onAnswer(a.type === 'number' && text.trim() !== '' && !Number.isNaN(Number(text)) ? Number(text) : text)
  }
  return (
    <form className="sb-row" onSubmit={submit}>
      <label htmlFor={`${id}-a`}>Answer</label>
      <input
        id={`${id}-a`}
        type={a.type === 'date' ? 'date' : a.type === 'number' ? 'number' : 'text'}
        value={text}
        onChange={(e) => setText(e.target.value)}
      />
      <button type="submit" className="sb-button">
        Next
      </button>
    </form>
  )
}

/** Walks a call script with the agent: the prompt filled in, an answer control per question type, refusals said, back and restart. */
export function ScriptRunner({ script, contact, onFinish }: ScriptRunnerProps) {
  const s = useScriptRun(script, contact)
  const id = useId()
  const { run, record } = s
  const finish = useRef(onFinish)
  finish.current = onFinish
  useEffect(() => {
    if (run.status === 'done' && run.outcome) finish.current?.(run.outcome, record)
  }, [run, record])
  return (
    <section className="sb-card sb-script" aria-labelledby={`${id}-h`}>
      <h2 id={`${id}-h`}>{script.name}</h2>
      <p className="sb-script__prompt" aria-live="polite">
        {run.prompt}
      </p>
      {run.node.kind === 'question' ? (
        <AnswerInput key={run.node.id + run.path.length} q={run.node} onAnswer={s.answer} />
      ) : (
        <p role="status">Script finished{run.outcome?.disposition ? `: ${run.outcome.disposition}` : ''}.</p>
      )}
      {s.refusal ? <p role="alert">{s.refusal}</p> : null}
      <div className="sb-row">
        <button type="button" className="sb-button" disabled={!s.canGoBack} onClick={s.back}>
          Back
        </button>
        <button type="button" className="sb-button" disabled={!s.canGoBack} onClick={s.restart}>
          Restart
        </button>
      </div>
    </section>
  )
}
