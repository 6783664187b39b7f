/**
 * `@switchboard/ui-react`: React components for agent desktops and supervisor
 * screens. Presentational components take the API's JSON as props; the
 * adapter (provider, live hooks, connected screens) sits over
 * `@switchboard/client`. Styles: import `@switchboard/ui-react/styles.css`,
 * theme with the `--sb-*` CSS variables.
 */

// The adapter over @switchboard/client: provider, live store hooks, reads, connected screens.
export { AgentDesktop, type AgentDesktopProps } from './adapter/agent-desktop.js'
export { SwitchboardProvider, type SwitchboardProviderProps, useSwitchboard } from './adapter/provider.js'
export { SupervisorScreen, type SupervisorScreenProps } from './adapter/supervisor-screen.js'
export { useLive } from './adapter/use-live.js'
export { useObjectUrl } from './adapter/use-object-url.js'
export {
  type RequestState,
  useAgents,
  useCallbacks,
  useCampaign,
  useCampaigns,
  useCase,
  useCases,
  useConsent,
  useContact,
  useContactSearch,
  useDispositions,
  useReport,
  useReportCsv,
  useRequest,
  useTiers,
  useTimeline,
} from './adapter/use-request.js'
export { AgentStateBar, type AgentStateBarProps } from './components/agent-state-bar.js'
export { CampaignMonitor, type CampaignMonitorProps } from './components/campaign-monitor.js'
export { CaseView, type CaseViewProps } from './components/case-view.js'
export { ClickToCallButton, type ClickToCallButtonProps } from './components/click-to-call-button.js'
export { CombinedReport, type CombinedReportProps } from './components/combined-report.js'
export { ConsentBadge, type ConsentBadgeProps, type ConsentDecisionJson } from './components/consent-badge.js'
export { ConsentHistory, type ConsentHistoryProps } from './components/consent-history.js'
export { DispositionForm, type DispositionFormProps } from './components/disposition-form.js'
export { HangUpButton, type HangUpButtonProps } from './components/hang-up-button.js'
export { Problem, RefusalList } from './components/problem.js'
export { RecordingToggle, type RecordingToggleProps } from './components/recording-toggle.js'
export { ScreenPopCard, type ScreenPopCardProps } from './components/screen-pop-card.js'
export { ScriptRunner, type ScriptRunnerProps } from './components/script-runner.js'
export { VerificationFlow, type VerificationFlowProps } from './components/verification-flow.js'
export { describeProblem, type ProblemView } from './errors.js'
export { clock, dateTime, money, percent } from './format.js'
export { type Action, useAction } from './hooks/use-action.js'
export { NowProvider, secondsUntil, useNow } from './hooks/use-now.js'
export { type ScriptRunState, useScriptRun } from './hooks/use-script-run.js'
export type { Json } from './json.js'
export type * from './shapes.js'
export { instantOf, localInputValue } from './zoned-time.js'
