import mittImport, { type Emitter } from 'mitt'
import type { Callback } from './domain/callback.js'
import type { Campaign } from './domain/campaign.js'
import type { Case } from './domain/case.js'
import type { ConsentRecord, DoNotCallEntry } from './domain/consent.js'
import type { Contact } from './domain/contact.js'
import type { ContactId, TenantId } from './domain/ids.js'
import type { Interaction } from './domain/interaction.js'

/**
 * Domain events. Feature plugins add their own through declaration merging:
 *
 * ```ts
 * declare module '@switchboard/core' {
 *   interface SwitchboardEvents { 'payment.received': { tenantId: TenantId; amountMinor: number } }
 * }
 * ```
 */
export interface SwitchboardEvents {
  'contact.created': { tenantId: TenantId; contact: Contact }
  'contact.updated': { tenantId: TenantId; contact: Contact }
  'contact.merged': { tenantId: TenantId; survivor: Contact; merged: ContactId[] }
  'consent.changed': { tenantId: TenantId; record: ConsentRecord }
  'dnc.added': { tenantId: TenantId; entry: DoNotCallEntry }
  'interaction.logged': { tenantId: TenantId; interaction: Interaction }
  'case.created': { tenantId: TenantId; case: Case }
  'case.escalated': { tenantId: TenantId; case: Case; reason: string }
  'campaign.created': { tenantId: TenantId; campaign: Campaign }
  'callback.scheduled': { tenantId: TenantId; callback: Callback }
  'import.completed': { tenantId: TenantId; imported: number; rejected: number; duplicates: number }
}

// mitt wants a type alias (mapped type), not an interface.
export type EventMap = { [K in keyof SwitchboardEvents]: SwitchboardEvents[K] }
export type EventBus = Emitter<EventMap>

// mitt ships CJS-flavoured typings for an ESM default export: take whichever the loader gave.
const mitt = ((mittImport as unknown as { default?: unknown }).default ??
  mittImport) as typeof mittImport.default

export const createEventBus = (): EventBus => mitt<EventMap>()
