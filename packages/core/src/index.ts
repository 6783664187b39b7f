/**
 * `@switchboard/core`: assemble an instance (`createSwitchboard`) from a
 * storage backend, a telephony backend and feature plugins; the tenant API;
 * the contracts backends and plugins are written against; Effect services.
 *
 * The isomorphic domain (schemas, ids, vocabulary, errors, the consent
 * decision) is re-exported from `@switchboard/core/domain`, which a browser
 * can import; data quality is `@switchboard/core/quality`; the CSV import's
 * parts are `@switchboard/core/import`.
 */

export {
  type HolidayPlace,
  hasHolidayCalendar,
  type PublicHoliday,
  publicHolidayOn,
  publicHolidays,
} from './calendar/holidays.js'
export * from './desk/index.js'
export * from './domain/index.js'
export {
  createEventBus,
  type EventBus,
  type EventHandler,
  type EventMap,
  type SwitchboardEvents,
} from './events.js'
export type {
  DuplicateRow,
  ImportOptions,
  ImportProgress,
  ImportResult,
  RejectedRow,
} from './import/contacts.js'
export type { ContactColumnMapping } from './import/mapping.js'
export * from './plugins/index.js'
export type { FollowOptions } from './rules/follow.js'
export type { OutboxOptions } from './rules/outbox.js'
export type {
  PluginActionCall,
  PluginRuleActionDefinition,
  RuleHandler,
  RuleHandlerCall,
} from './rules/types.js'
export * from './scripts/index.js'
export { AgentSessions } from './services/agent-sessions.js'
export { Agents } from './services/agents.js'
export { bookInTransaction, CALLBACK_PRIORITY, Callbacks, CallbackTime } from './services/callbacks.js'
export { Campaigns } from './services/campaigns.js'
export { CASE_TRANSITIONS, Cases } from './services/cases.js'
export { type InstanceSettings, Settings } from './services/config.js'
export type { ConsentExportResult } from './services/consent.js'
export { Consent } from './services/consent.js'
export { Contacts, type DuplicateCandidate, type ScreenPop } from './services/contacts.js'
export {
  AssignInput,
  type AssignResult,
  type CaseClocks,
  type CaseWorkItem,
  DEFAULT_POLICY,
  Desk,
  KpiRange,
  QueueInput,
  SweepInput,
  type SweepResult,
  TierInput,
} from './services/desk.js'
export { DialingLists } from './services/dialing-lists.js'
export {
  applyDisposition,
  campaignSet,
  catalogue,
  DispositionInput,
  type DispositionResult,
  Dispositions,
  type ResolvedDisposition,
} from './services/dispositions.js'
export type {
  RegistryImportOptions,
  RegistryImportProgress,
  RegistryImportResult,
  RejectedLine,
} from './services/dnc-import.js'
export { type Emit, EventLog, type WriteError } from './services/event-log.js'
export { Interactions } from './services/interactions.js'
export { Locks, type LockTarget, type RenewInput } from './services/locks.js'
export { Recordings } from './services/recordings.js'
export { Rules } from './services/rules.js'
export { Events, Storage, type StoreError, scopedStore, Telephony } from './services/runtime.js'
export {
  type ScriptRecordResult,
  ScriptRunInput,
  type ScriptSaveInput,
  Scripts,
} from './services/scripts.js'
export { explainTree, type SegmentRef, Segments } from './services/segments.js'
export {
  ChecksFilter,
  Verification,
  type VerificationCandidates,
  VerifyOptions,
  type VerifyOutcome,
} from './services/verification.js'
export * from './switchboard.js'
export * from './telephony/index.js'
