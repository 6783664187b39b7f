// Contact search from the seat: click to call (with every reason it is
// refused), the consent decision and its history (and recording an opt-out),
// the timeline with its recordings, and the contact's cases.
import { useCallback, useEffect, useState } from 'react'
import { client, describeError, store, virtualNow } from './session.ts'

type Found = Awaited<ReturnType<typeof client.contacts.search>>[number]
type Timeline = Awaited<ReturnType<typeof client.contacts.timeline>>
type Consent = Awaited<ReturnType<typeof client.contacts.consent>>
type Cases = Awaited<ReturnType<typeof client.contacts.cases>>

export function ContactsPanel() {
  const [q, setQ] = useState('')
  const [found, setFound] = useState<Found[]>([])
  const [selected, setSelected] = useState<Found>()
  const [error, setError] = useState<string>()
  return (
    <section aria-label="Contacts" className="panel">
      <h2>Contacts</h2>
      <form
        aria-label="Contact search"
        onSubmit={(e) => {
          e.preventDefault()
          setError(undefined)
          client.contacts
            .search(q)
            .then(setFound)
            .catch((x) => setError(describeError(x)))
        }}
      >
        <label>
          Search contacts{' '}
          <input value={q} onChange={(e) => setQ(e.target.value)} placeholder="name or phone" />
        </label>
        <button type="submit">Search</button>
      </form>
      <ul aria-label="Search results">
        {found.map((c) => (
          <li key={c.id}>
            <button type="button" onClick={() => setSelected(c)} aria-pressed={selected?.id === c.id}>
              {c.displayName} · {c.phones[0]?.e164}
            </button>
          </li>
        ))}
      </ul>
      {error ? <p role="alert">{error}</p> : null}
      {selected ? <ContactDetail key={selected.id} contact={selected} /> : null}
    </section>
  )
}

function ContactDetail({ contact }: { contact: Found }) {
  const [timeline, setTimeline] = useState<Timeline>([])
  const [consent, setConsent] = useState<Consent>()
  const [cases, setCases] = useState<Cases>([])
  const [callResult, setCallResult] = useState<{ ok: boolean; text: string }>()
  const load = useCallback(() => {
    client.contacts.timeline(contact.id).then(setTimeline, () => undefined)
    client.contacts
      .consent(contact.id, { channel: 'voice', purpose: 'marketing' })
      .then(setConsent, () => undefined)
    client.contacts.cases(contact.id).then(setCases, () => undefined)
  }, [contact.id])
  useEffect(load, [load])
  const call = async () => {
    setCallResult(undefined)
    try {
      const { campaignId } = await virtualNow()
      const r = await client.clickToCall({ contactId: contact.id, campaignId: campaignId as never })
      setCallResult({ ok: true, text: `Calling ${contact.displayName} (call ${r.callId})` })
      await store.refresh()
    } catch (e) {
      setCallResult({ ok: false, text: `Call refused: ${describeError(e)}` })
    }
  }
  const optOut = async () => {
    await client.contacts.recordConsent(contact.id, {
      channel: 'voice',
      purpose: '*',
      status: 'opted_out',
      source: 'agent call',
    } as never)
    load()
  }
  return (
    <article aria-label={`Contact ${contact.displayName}`} className="detail">
      <h3>{contact.displayName}</h3>
      <p>
        {contact.phones[0]?.e164} · {contact.timeZone} · {contact.lifecycle}
      </p>
      <button type="button" onClick={() => void call()}>
        Call {contact.displayName}
      </button>
      {callResult ? <p role={callResult.ok ? 'status' : 'alert'}>{callResult.text}</p> : null}
      <h4>Consent (voice, marketing)</h4>
      <p role="status" aria-label="Consent decision">
        {consent
          ? consent.decision.allowed
            ? 'may be called'
            : `may not be called: ${consent.decision.reasons.map((r) => r.code).join(', ')}`
          : '…'}
      </p>
      <ul aria-label="Consent history">
        {consent?.history.map((h) => (
          <li key={h.id}>
            {h.status} · {h.purpose} · {h.source}
          </li>
        ))}
      </ul>
      <button type="button" onClick={() => void optOut()}>
        Record opt-out of all calls
      </button>
      <h4>Timeline</h4>
      <button type="button" onClick={load}>
        Refresh
      </button>
      <ul aria-label="Timeline">
        {timeline.map((i) => (
          <li key={i.id} data-interaction={i.id}>
            {String(i.startedAt).slice(0, 16).replace('T', ' ')} {i.direction}{' '}
            {i.disposition ?? 'in progress'}
            {i.recordings.map((r) => (
              <span key={r.id} className="recording" data-recording={r.id}>
                {' '}
                · recording {r.durationSec === undefined ? '(running)' : `${Math.round(r.durationSec)} s`}
              </span>
            ))}
          </li>
        ))}
      </ul>
      <h4>Cases</h4>
      <ul aria-label="Cases">
        {cases.map((c) => (
          <li key={c.id}>
            {c.subject} · {c.status} · {c.priority}
          </li>
        ))}
      </ul>
    </article>
  )
}
