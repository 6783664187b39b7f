// The screen pop of the current call (from the dialer or click to call) and
// what the agent does with it: identify an unknown caller, record, code it
// (a sale's amount, a callback in N minutes).
import { useEffect, useState } from 'react'
import { client, describeError, store, useLive, virtualNow } from './session.ts'

type Code = { code: string; label: string; category: string }

export function CallPanel() {
  const live = useLive()
  const offer = live.offer
  const call = live.call
  const [codes, setCodes] = useState<Code[]>([])
  const [error, setError] = useState<string>()
  const campaignId = offer?.campaignId
  useEffect(() => {
    if (!campaignId) return
    client.campaigns
      .dispositions(campaignId)
      .then((c) => setCodes(c as unknown as Code[]))
      .catch((e) => setError(describeError(e)))
  }, [campaignId])
  if (!offer) {
    return (
      <section aria-label="Screen pop" className="panel">
        <h2>Screen pop</h2>
        <p role="status">Waiting for a call…</p>
      </section>
    )
  }
  const contact = offer.contact
  return (
    <section aria-label="Screen pop" className="panel">
      <h2>Screen pop</h2>
      <article aria-label="Caller" data-call-id={offer.callId} data-contact-id={contact?.id}>
        <h3 data-testid="pop-name">{contact ? contact.displayName : 'Unknown caller'}</h3>
        <p>
          {offer.direction === 'outbound' ? 'Dialled by the campaign' : 'Inbound call'}
          {contact?.phones?.[0] ? ` · ${contact.phones[0].e164}` : ''}
          {contact?.timeZone ? ` · ${contact.timeZone}` : ''}
        </p>
        {offer.script ? <blockquote aria-label="Script">{offer.script}</blockquote> : null}
        {offer.verification ? (
          <fieldset aria-label="Verification">
            <p>
              Ask: {offer.verification.verify.join(', ')} ({offer.verification.reason})
            </p>
            {offer.verification.candidates.map((c) => (
              <button
                key={c.id}
                type="button"
                onClick={() =>
                  client.calls
                    .identify(offer.callId, c.id)
                    .then(() => store.refresh())
                    .catch((e) => setError(describeError(e)))
                }
              >
                This is {c.displayName}
              </button>
            ))}
          </fieldset>
        ) : null}
        <h4>Open cases ({offer.openCases.length})</h4>
        <ul aria-label="Open cases">
          {offer.openCases.map((c) => (
            <li key={c.id}>
              {c.subject} · {c.status} · {c.priority}
            </li>
          ))}
        </ul>
        <h4>Timeline ({offer.timeline.length})</h4>
        <ul aria-label="Call timeline">
          {offer.timeline.slice(0, 5).map((i) => (
            <li key={i.id}>
              {String(i.startedAt).slice(0, 16).replace('T', ' ')} {i.direction}{' '}
              {i.disposition ?? 'in progress'}
            </li>
          ))}
        </ul>
      </article>
      <p role="status" aria-label="Call status">
        {call?.endedAt ? 'Call ended: code it' : call?.connected ? 'Connected' : 'Ringing'}
        {call?.recording ? ' · recording' : ''}
      </p>
      {call && !call.endedAt ? (
        <button
          type="button"
          aria-pressed={call.recording}
          onClick={() =>
            client.calls.recording(call.callId, !call.recording).catch((e) => setError(describeError(e)))
          }
        >
          {call.recording ? 'Stop recording' : 'Start recording'}
        </button>
      ) : null}
      <DispositionForm codes={codes} onError={setError} />
      {error ? <p role="alert">{error}</p> : null}
    </section>
  )
}

function DispositionForm({ codes, onError }: { codes: ReadonlyArray<Code>; onError: (e: string) => void }) {
  const [code, setCode] = useState('')
  const [minutes, setMinutes] = useState(5)
  const [amount, setAmount] = useState('49.00')
  const [note, setNote] = useState('')
  const [busy, setBusy] = useState(false)
  const category = codes.find((c) => c.code === code)?.category
  const submit = async () => {
    setBusy(true)
    try {
      const { now } = await virtualNow()
      await store.dispose({
        code,
        ...(note ? { note } : {}),
        ...(category === 'sale'
          ? { outcomeValue: { amountMinor: Math.round(Number(amount) * 100), currency: 'USD' } }
          : {}),
        ...(category === 'callback'
          ? {
              callback: {
                dueAt: new Date(now.getTime() + minutes * 60_000).toISOString(),
                ifAgentAway: 'wait',
              },
            }
          : {}),
      } as never)
      setCode('')
      setNote('')
    } catch (e) {
      onError(describeError(e))
    } finally {
      setBusy(false)
    }
  }
  return (
    <form
      aria-label="Disposition"
      onSubmit={(e) => {
        e.preventDefault()
        void submit()
      }}
    >
      <label>
        Disposition{' '}
        <select value={code} onChange={(e) => setCode(e.target.value)} required>
          <option value="">choose a code…</option>
          {codes.map((c) => (
            <option key={c.code} value={c.code}>
              {c.label} ({c.code})
            </option>
          ))}
        </select>
      </label>
      {category === 'sale' ? (
        <label>
          Sale amount (USD){' '}
          <input value={amount} onChange={(e) => setAmount(e.target.value)} inputMode="decimal" />
        </label>
      ) : null}
      {category === 'callback' ? (
        <label>
          Call back in (minutes){' '}
          <input
            type="number"
            min={1}
            max={600}
            value={minutes}
            onChange={(e) => setMinutes(Number(e.target.value))}
          />
        </label>
      ) : null}
      <label>
        Note <input value={note} onChange={(e) => setNote(e.target.value)} />
      </label>
      <button type="submit" disabled={!code || busy}>
        Save disposition
      </button>
    </form>
  )
}
