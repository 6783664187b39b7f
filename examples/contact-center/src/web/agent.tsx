// The human seat's agent desktop: @switchboard/ui-react's <AgentDesktop/>
// over the client and the live store (screen pops from the dialer, state bar,
// recording, disposition with callbacks, consent, cases, click to call).
import '@switchboard/ui-react/styles.css'
import { AgentDesktop, SwitchboardProvider } from '@switchboard/ui-react'
import { createRoot } from 'react-dom/client'
import { client, config, root, store, virtualNow } from './session.ts'

store.start()
const now = virtualNow()
createRoot(root).render(
  <SwitchboardProvider client={client} store={store} now={now}>
    <main className="demo">
      <h1>Agent desktop: the human seat</h1>
      <AgentDesktop
        campaignIds={[config.campaignId]}
        clickToCallCampaignId={config.campaignId}
        tiers={config.tiers}
        consentPurpose="marketing"
      />
    </main>
  </SwitchboardProvider>,
)
