export {
  addBusinessSec,
  BusinessCalendar,
  type BusinessCalendarInput,
  CalendarKey,
  elapsedBusinessSec,
  isBusinessOpen,
  OpenHours,
  WEEK_DAYS,
} from './calendar.js'
export {
  DESK_ESCALATOR,
  type EscalationCheck,
  type EscalationDue,
  escalationDue,
  type KnowledgeLookup,
} from './escalation.js'
export type { DeskBreakdown, DeskKpis } from './kpis.js'
export { type AgentLoad, type AgentPick, type NoAgent, pickAgent } from './pick-agent.js'
export {
  orderQueue,
  QueueWeights,
  type QueueWeightsInput,
  type ScoredItem,
  scoreWorkItem,
  type WorkItem,
  weights as queueWeights,
} from './queue.js'
export {
  type SlaCase,
  type SlaClock,
  type SlaClocks,
  SlaPolicy,
  type SlaPolicyInput,
  slaClocks,
} from './sla.js'
export { type TierSpan, tierSpans } from './tier-spans.js'
export {
  type CandidateCheck,
  contactValues,
  normalizeAnswer,
  normalizeDate,
  VERIFICATION_FIELDS,
  type VerificationAnswers,
  type VerificationField,
  type VerificationQuestion,
  type VerificationResult,
  verificationQuestions,
  verifyCandidates,
} from './verification.js'
