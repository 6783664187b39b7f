// The supervisor screen: @switchboard/ui-react's <SupervisorScreen/> (agents'
// live states, the campaign's pacing and abandonment against its target, the
// combined report with its CSV), reporting from the virtual shift's start.
import '@switchboard/ui-react/styles.css'
import { SupervisorScreen, SwitchboardProvider } from '@switchboard/ui-react'
import { createRoot } from 'react-dom/client'
import { client, config, root, store, virtualNow } from './session.ts'

// the report's end: far enough that the virtual clock stays inside it
const REPORT_END = '2027-01-01T00:00:00.000Z'

store.start()
const now = virtualNow()
createRoot(root).render(
  <SwitchboardProvider client={client} store={store} now={now}>
    <main className="demo">
      <h1>Supervisor</h1>
      <SupervisorScreen from={config.shiftStart} to={REPORT_END} groupBy="agent" chartWidth={900} />
    </main>
  </SwitchboardProvider>,
)
