// The agent's state (from the live store) and the buttons that change it.
import { useState } from 'react'
import { client, describeError, store, useLive, virtualNow } from './session.ts'

export function StateBar() {
  const live = useLive()
  const [reason, setReason] = useState('break')
  const [error, setError] = useState<string>()
  const state = live.agentState?.state ?? 'offline'
  const act = (f: () => Promise<unknown>) => () => {
    setError(undefined)
    f().catch((e) => setError(describeError(e)))
  }
  return (
    <section aria-label="Agent state" className="bar">
      <span role="status" aria-label="My state" data-state={state}>
        {state.replace('_', ' ')}
        {live.agentState?.reason ? ` (${live.agentState.reason})` : ''}
      </span>
      <span className="muted">connection: {live.connection}</span>
      {state === 'offline' ? (
        <button
          type="button"
          onClick={act(async () => {
            const { campaignId } = await virtualNow()
            await client.agent.login({ campaignIds: [campaignId as never] })
            await client.agent.ready()
            await store.refresh()
          })}
        >
          Log in
        </button>
      ) : (
        <>
          <button type="button" disabled={state !== 'paused'} onClick={act(() => client.agent.ready())}>
            Ready
          </button>
          <label>
            Pause reason <input value={reason} onChange={(e) => setReason(e.target.value)} />
          </label>
          <button
            type="button"
            disabled={state !== 'available' && state !== 'wrap_up'}
            onClick={act(() => client.agent.pause(reason))}
          >
            Pause
          </button>
          <button type="button" onClick={act(() => client.agent.logout())}>
            Log out
          </button>
        </>
      )}
      {error ? <p role="alert">{error}</p> : null}
    </section>
  )
}
