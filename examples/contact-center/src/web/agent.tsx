// The human seat's agent desktop: the state bar, the screen pop with the
// call's controls (recording, disposition with a callback) and the contact
// search (click to call, consent, timeline with recordings, cases).
import { createRoot } from 'react-dom/client'
import { CallPanel } from './call-panel.tsx'
import { ContactsPanel } from './contacts-panel.tsx'
import { store } from './session.ts'
import { StateBar } from './state-bar.tsx'
import { Styles } from './styles.tsx'

function AgentPage() {
  return (
    <main aria-label="Agent desktop">
      <Styles />
      <h1>Agent desktop</h1>
      <StateBar />
      <div className="columns">
        <CallPanel />
        <ContactsPanel />
      </div>
    </main>
  )
}

store.start()
createRoot(document.getElementById('root')!).render(<AgentPage />)
