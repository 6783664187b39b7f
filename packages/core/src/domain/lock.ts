import { z } from 'zod'
import { Timestamp } from './common.js'
import { AgentId, TenantId } from './ids.js'

/** What an agent can hold a soft lock on. */
export const LockKind = z.enum(['contact', 'case'])
export type LockKind = z.infer<typeof LockKind>

/**
 * A soft lock: one agent working a contact or a case, since when, until when.
 * It warns others rather than blocking them (nothing else checks it), and it
 * expires by the clock, so an agent who walks away never holds it for good.
 */
export const SoftLock = z.object({
  tenantId: TenantId,
  kind: LockKind,
  /** The contact's or the case's id. */
  id: z.string().min(1).max(128),
  agentId: AgentId,
  /** When this agent took it (a renewal keeps it). */
  since: Timestamp,
  expiresAt: Timestamp,
})
export type SoftLock = z.infer<typeof SoftLock>

/** `acquire`'s answer: the lock, now this agent's, or who holds it and since when. */
export type LockResult =
  | ({ readonly acquired: true } & SoftLock)
  | {
      readonly acquired: false
      readonly heldBy: AgentId
      readonly since: Date
      readonly expiresAt: Date
    }

/** How long a lock lasts when the caller does not say (five minutes), and the longest (a day). */
export const LOCK_TTL_SEC = { default: 300, max: 86_400 } as const

export const LockInput = z.strictObject({
  kind: LockKind,
  id: z.string().min(1).max(128),
  agentId: AgentId,
  ttlSec: z.number().int().min(1).max(LOCK_TTL_SEC.max).default(LOCK_TTL_SEC.default),
})
export type LockInput = z.input<typeof LockInput>
