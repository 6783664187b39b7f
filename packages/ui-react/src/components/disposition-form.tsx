import { currencyDigits } from '@switchboard/core/domain'
import { type FormEvent, useId, useMemo, useState } from 'react'
import { clock, dateTime } from '../format.js'
import { useAction } from '../hooks/use-action.js'
import { secondsUntil, useNow } from '../hooks/use-now.js'
import type { DispositionOption, DispositionSubmission } from '../shapes.js'
import { instantOf, localInputValue } from '../zoned-time.js'
import { Problem } from './problem.js'

export interface DispositionFormProps {
  /** The campaign's codes (the server's `/campaigns/:id/dispositions`). */
  readonly codes: ReadonlyArray<DispositionOption>
  /** The contact's zone: the callback picker shows and books wall-clock time there (default: the viewer's). */
  readonly timeZone?: string
  /** The currency of a sale's amount (default USD). */
  readonly currency?: string
  /** The end of the wrap-up (ISO), counted down beside the button. */
  readonly wrapUntil?: string
  /** A code to start with (a script's outcome). */
  readonly initialCode?: string
  readonly onSubmit: (input: DispositionSubmission) => unknown
}

// The runner writes these itself; an agent never picks them.
const SYSTEM = new Set(['NO_ANSWER', 'BUSY', 'MACHINE', 'ABANDONED', 'FAILED', 'INTERRUPTED', 'WRAP_TIMEOUT'])

const viewerZone = () => Intl.DateTimeFormat().resolvedOptions().timeZone

/** Parses "12.50" into minor units of the currency; undefined when it is not an amount. */
function minorUnits(text: string, currency: string): number | undefined {
  const digits = currencyDigits(currency) ?? 2
  if (!new RegExp(`^\\d+(\\.\\d{1,${digits}})?$`).test(text.trim())) return undefined
  const [whole, frac = ''] = text.trim().split('.')
  return Number(whole) * 10 ** digits + Number(frac.padEnd(digits, '0') || 0)
}

/**
 * Codes the call: one of the campaign's codes, a note, a sale's amount, and a
 * callback picked in the contact's time zone (sent as the instant it stands for).
 */
export function DispositionForm(props: DispositionFormProps) {
  const { codes, currency = 'USD', wrapUntil, onSubmit } = props
  const zone = props.timeZone ?? viewerZone()
  const now = useNow()
  const id = useId()
  const choices = useMemo(() => codes.filter((c) => !SYSTEM.has(c.code)), [codes])
  const [code, setCode] = useState(props.initialCode ?? '')
  const [note, setNote] = useState('')
  const [amount, setAmount] = useState('')
  const [when, setWhen] = useState(() => localInputValue(new Date(Date.now() + 3_600_000), zone) ?? '')
  const [invalid, setInvalid] = useState<string>()
  const submit = useAction(onSubmit)
  const [done, setDone] = useState(false)
  const chosen = choices.find((c) => c.code === code)
  const wantsCallback = chosen?.category === 'callback'
  const isSale = chosen?.category === 'sale'
  const dueAt = wantsCallback ? instantOf(when, zone) : undefined
  const wrapLeft = secondsUntil(wrapUntil, now)

  const onFormSubmit = async (e: FormEvent) => {
    e.preventDefault()
    setInvalid(undefined)
    if (!chosen) return setInvalid('Pick a code.')
    let outcomeValue: DispositionSubmission['outcomeValue']
    if (isSale && amount.trim()) {
      const minor = minorUnits(amount, currency)
      if (minor === undefined)
        return setInvalid(`The sale amount "${amount}" is not an amount in ${currency}.`)
      outcomeValue = { amountMinor: minor, currency }
    }
    if (wantsCallback && !dueAt) return setInvalid('Pick the callback time.')
    const input: DispositionSubmission = {
      code: chosen.code,
      ...(note.trim() ? { note: note.trim() } : {}),
      ...(outcomeValue ? { outcomeValue } : {}),
      ...(wantsCallback && dueAt ? { callback: { dueAt, timeZone: zone } } : {}),
    }
    if (await submit.run(input)) setDone(true)
  }

  return (
    <form className="sb-card sb-disposition" aria-labelledby={`${id}-h`} onSubmit={onFormSubmit} noValidate>
      <h2 id={`${id}-h`}>Code the call</h2>
      <fieldset>
        <legend>Disposition</legend>
        {choices.map((c) => (
          <label key={c.code} className="sb-radio">
            <input
              type="radio"
              name={`${id}-code`}
              value={c.code}
              checked={code === c.code}
              onChange={() => setCode(c.code)}
            />{' '}
            {c.label}
          </label>
        ))}
      </fieldset>
      {isSale ? (
        <label className="sb-field">
          Sale amount ({currency})
          <input inputMode="decimal" value={amount} onChange={(e) => setAmount(e.target.value)} />
        </label>
      ) : null}
      {wantsCallback ? (
        <div className="sb-field">
          <label htmlFor={`${id}-when`}>Call back at (contact's time, {zone})</label>
          <input
            id={`${id}-when`}
            type="datetime-local"
            value={when}
            onChange={(e) => setWhen(e.target.value)}
            aria-describedby={`${id}-when-hint`}
          />
          <p id={`${id}-when-hint`} className="sb-muted">
            {dueAt ? `Your time: ${dateTime(dueAt)}` : 'Not a time.'}
          </p>
        </div>
      ) : null}
      <label className="sb-field">
        Note
        <textarea value={note} onChange={(e) => setNote(e.target.value)} rows={3} />
      </label>
      <div className="sb-row">
        <button type="submit" className="sb-button sb-button--primary" disabled={submit.pending || done}>
          Save disposition
        </button>
        {wrapLeft !== undefined ? (
          <span className="sb-wrap">{wrapLeft > 0 ? `${clock(wrapLeft)} left` : 'wrap-up time is up'}</span>
        ) : null}
      </div>
      {invalid ? <p role="alert">{invalid}</p> : null}
      {done ? <p role="status">Call coded.</p> : <Problem problem={submit.problem} />}
    </form>
  )
}
