import type { AgentState, CallScript } from '@switchboard/core/domain'
import { CallScript as CallScriptSchema } from '@switchboard/core/domain'
import { useMemo, useState } from 'react'
import { AgentStateBar } from '../components/agent-state-bar.js'
import { CaseView } from '../components/case-view.js'
import { ClickToCallButton } from '../components/click-to-call-button.js'
import { ConsentBadge } from '../components/consent-badge.js'
import { ConsentHistory } from '../components/consent-history.js'
import { DispositionForm } from '../components/disposition-form.js'
import { Problem } from '../components/problem.js'
import { RecordingToggle } from '../components/recording-toggle.js'
import { ScreenPopCard } from '../components/screen-pop-card.js'
import { ScriptRunner } from '../components/script-runner.js'
import { VerificationFlow } from '../components/verification-flow.js'
import type { DispositionSubmission, TierOption } from '../shapes.js'
import { useSwitchboard } from './provider.js'
import { useLive } from './use-live.js'
import {
  useCampaign,
  useCase,
  useCases,
  useConsent,
  useContact,
  useContactSearch,
  useDispositions,
  useTimeline,
} from './use-request.js'

export interface AgentDesktopProps {
  /** The campaigns the agent logs in to (default: every campaign the login allows, `[]`). */
  readonly campaignIds?: ReadonlyArray<string>
  /** The campaign a click-to-call is placed for (default: the session's first). */
  readonly clickToCallCampaignId?: string
  /** The tenant's escalation tiers, for the case view. */
  readonly tiers?: ReadonlyArray<TierOption>
  /**
   * Turns a campaign's `script` (a reference or the script itself) into a CallScript; the default
   * reads it as a CallScript in JSON.
   */
  readonly resolveScript?: (script: string) => CallScript | undefined
  /** The consent purpose shown (default: the campaign's, else marketing). */
  readonly consentPurpose?: string
}

const scriptFromJson = (text: string): CallScript | undefined => {
  try {
    const parsed = CallScriptSchema.safeParse(JSON.parse(text))
    return parsed.success ? parsed.data : undefined
  } catch {
    return undefined
  }
}

/** The contact's consent for the campaign's purpose, and their ledger. */
function ConsentPanel({ contactId, purpose }: { contactId: string; purpose: string }) {
  const consent = useConsent(contactId, { channel: 'voice', purpose })
  if (!consent.data) return <Problem problem={consent.problem} />
  return (
    <section className="sb-card" aria-label="Consent">
      <ConsentBadge decision={consent.data.decision} channel="voice" purpose={purpose} />
      <ConsentHistory history={consent.data.history} />
    </section>
  )
}

/** The open case the agent picked, with escalation and status. */
function CasePanel({ caseId, tiers }: { caseId: string; tiers: ReadonlyArray<TierOption> }) {
  const { client } = useSwitchboard()
  const c = useCase(caseId)
  if (!c.data) return <Problem problem={c.problem} />
  return (
    <CaseView
      case={c.data}
      tiers={tiers}
      onEscalate={async (input) => {
        await client.cases.escalate(caseId, input)
        c.reload()
      }}
      onStatus={async (status) => {
        await client.cases.setStatus(caseId, status)
        c.reload()
      }}
    />
  )
}

/** A contact the agent identified or searched for: card, timeline and cases read fresh. */
function ContactPanel({ contactId, onOpenCase }: { contactId: string; onOpenCase: (id: string) => void }) {
  const contact = useContact(contactId)
  const timeline = useTimeline(contactId)
  const cases = useCases(contactId)
  if (!contact.data) return <Problem problem={contact.problem} />
  return (
    <ScreenPopCard
      contact={contact.data}
      timeline={timeline.data ?? []}
      openCases={(cases.data ?? []).filter((c) => c.status === 'open' || c.status === 'pending')}
      onOpenCase={onOpenCase}
    />
  )
}

/** Between calls: find a contact and call them (a refusal lists every reason). */
function ClickToCall({ campaignId }: { campaignId: string | undefined }) {
  const { client } = useSwitchboard()
  const [q, setQ] = useState('')
  const found = useContactSearch(q)
  return (
    <section className="sb-card" aria-label="Click to call">
      <label className="sb-field">
        Find a contact
        <input type="search" value={q} onChange={(e) => setQ(e.target.value)} placeholder="Name or phone" />
      </label>
      {!campaignId ? <p className="sb-muted">Log in to a campaign to place calls.</p> : null}
      <ul className="sb-cases" aria-label="Contacts found">
        {(found.data ?? []).map((c) => (
          <li key={c.id}>
            <ClickToCallButton
              contactName={c.displayName}
              {...(c.phones[0] ? { phone: c.phones[0].e164 } : {})}
              disabled={!campaignId}
              onCall={() => client.clickToCall({ contactId: c.id, campaignId: campaignId! })}
            />
          </li>
        ))}
      </ul>
      <Problem problem={found.problem} />
    </section>
  )
}

/**
 * The agent's desktop, connected: state bar, the screen pop from the live
 * store (or the verification of an unknown caller), consent, the call script,
 * recording, the disposition form with callbacks, open cases with escalation,
 * and click-to-call between calls.
 */
export function AgentDesktop(props: AgentDesktopProps) {
  const { client, store } = useSwitchboard()
  const agentState = useLive((s) => s.agentState)
  const session = useLive((s) => s.me?.session)
  const offer = useLive((s) => s.offer)
  const call = useLive((s) => s.call)
  const connection = useLive((s) => s.connection)
  const [identified, setIdentified] = useState<{ callId: string; contactId: string }>()
  const [openCase, setOpenCase] = useState<string>()
  const [recording, setRecording] = useState<{ callId: string; on: boolean }>()
  const [scriptCode, setScriptCode] = useState<{ callId: string; code: string }>()
  // A click-to-call's screen pop names no campaign: it was placed for the desktop's.
  const c2cCampaign = props.clickToCallCampaignId ?? session?.campaignIds[0]
  const campaignId = offer ? (offer.campaignId ?? c2cCampaign) : undefined
  const campaign = useCampaign(campaignId)
  const codes = useDispositions(campaignId)
  // The pop's timeline is the runtime's; the API's has each interaction's recordings joined.
  const fullTimeline = useTimeline(offer?.contact?.id)
  const after = (f: () => Promise<unknown>) => async () => {
    await f()
    await store.refresh()
  }
  const callId = call?.callId
  const contactId =
    offer?.contact?.id ?? (identified && identified.callId === callId ? identified.contactId : undefined)
  const purpose = props.consentPurpose ?? campaign.data?.consentPurpose ?? 'marketing'
  // Resolved once per script text: a new object on each render would restart the run.
  const scriptText = campaign.data?.script
  const resolveScript = props.resolveScript ?? scriptFromJson
  // biome-ignore lint/correctness/useExhaustiveDependencies: a host's inline resolver must not restart the run
  const script = useMemo(() => (scriptText ? resolveScript(scriptText) : undefined), [scriptText])
  const isRecording = recording && recording.callId === callId ? recording.on : (call?.recording ?? false)

  return (
    <div className="sb-desktop">
      {agentState ? (
        <AgentStateBar
          state={agentState.state as AgentState}
          since={agentState.since}
          {...(agentState.reason ? { reason: agentState.reason } : {})}
          {...(call?.wrapUntil ? { wrapUntil: call.wrapUntil } : {})}
          onReady={after(() => client.agent.ready())}
          onPause={(reason) => after(() => client.agent.pause(reason))()}
          onLogout={after(() => client.agent.logout())}
        />
      ) : (
        <div className="sb-state-bar" role="toolbar" aria-label="Agent state">
          <p role="status" className="sb-state-bar__state">
            {connection === 'open' ? 'Logged out' : 'Connecting…'}
          </p>
          <button
            type="button"
            className="sb-button sb-button--primary"
            onClick={after(() => client.agent.login({ campaignIds: [...(props.campaignIds ?? [])] }))}
          >
            Log in
          </button>
        </div>
      )}
      <div className="sb-desktop__main">
        {offer && callId ? (
          <>
            {offer.contact ? (
              <ScreenPopCard
                contact={offer.contact}
                timeline={fullTimeline.data ?? offer.timeline}
                openCases={offer.openCases}
                onOpenCase={setOpenCase}
              />
            ) : contactId ? (
              <ContactPanel contactId={contactId} onOpenCase={setOpenCase} />
            ) : offer.verification ? (
              <VerificationFlow
                {...offer.verification}
                onIdentify={async (id) => {
                  await client.calls.identify(callId, id)
                  setIdentified({ callId, contactId: id })
                }}
              />
            ) : null}
            <section className="sb-card" aria-label="Call">
              <p role="status">
                {call.endedAt ? 'Call ended: code it.' : call.connected ? 'Connected.' : 'Call coming in…'}
              </p>
              <RecordingToggle
                recording={isRecording}
                {...(campaign.data?.recording ? { policy: campaign.data.recording } : {})}
                disabled={Boolean(call.endedAt)}
                onToggle={async (on) => {
                  const r = await client.calls.recording(callId, on)
                  setRecording({ callId, on: r.recording })
                }}
              />
            </section>
            {script && offer.contact ? (
              <ScriptRunner
                key={callId}
                script={script}
                contact={offer.contact}
                onFinish={(outcome) =>
                  outcome.disposition && setScriptCode({ callId, code: outcome.disposition })
                }
              />
            ) : null}
            <DispositionForm
              key={`${callId}:${scriptCode?.callId === callId ? scriptCode.code : ''}`}
              codes={codes.data ?? []}
              {...(offer.contact?.timeZone ? { timeZone: offer.contact.timeZone } : {})}
              {...(call.wrapUntil ? { wrapUntil: call.wrapUntil } : {})}
              {...(scriptCode?.callId === callId ? { initialCode: scriptCode.code } : {})}
              onSubmit={(input: DispositionSubmission) => store.dispose(input)}
            />
          </>
        ) : (
          <ClickToCall campaignId={c2cCampaign} />
        )}
        {contactId ? <ConsentPanel contactId={contactId} purpose={purpose} /> : null}
        {openCase ? <CasePanel caseId={openCase} tiers={props.tiers ?? []} /> : null}
      </div>
    </div>
  )
}
