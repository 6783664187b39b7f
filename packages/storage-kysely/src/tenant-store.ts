import type { TenantId, TenantStore } from '@switchboard/core'
import type { Kysely } from 'kysely'
import { agentSessionStore } from './agent-sessions.js'
import { agentStore } from './agents.js'
import { callbackStore } from './callbacks.js'
import { campaignLeaseStore } from './campaign-leases.js'
import { campaignStore } from './campaigns.js'
import { caseStore } from './cases.js'
import { consentStore } from './consent.js'
import { consentAuditStore, consentLedgerStore } from './consent-audit.js'
import { contactStore } from './contacts.js'
import { deskStore } from './desk.js'
import { dispositionStore } from './dispositions.js'
import { dncStore } from './dnc.js'
import { dncRegistryStore } from './dnc-registries.js'
import { identityCheckStore } from './identity-checks.js'
import { interactionStore } from './interactions.js'
import { leadStore } from './leads.js'
import { lockStore } from './locks.js'
import { pluginRows } from './plugin-rows.js'
import { purposeStore } from './purposes.js'
import { recordingStore } from './recordings.js'
import { eventStore, firingStore, outboxStore, ruleStore } from './rules.js'
import type { CoreTables } from './schema.js'
import { scriptStore } from './scripts.js'
import { segmentStore } from './segments/store.js'
import { type StoreOptions, storeContext } from './shared.js'

/**
 * The one implementation of core's TenantStore over any kysely dialect,
 * assembled from one store per entity. The tenant id is bound here and added
 * to every statement: callers cannot pass another one.
 */
export function tenantStore(db: Kysely<CoreTables>, tenantId: TenantId, options: StoreOptions): TenantStore {
  const ctx = storeContext(db, tenantId, options)
  const store: TenantStore = {
    tenantId,
    contacts: contactStore(ctx),
    interactions: interactionStore(ctx),
    dispositions: dispositionStore(ctx),
    callbacks: callbackStore(ctx),
    recordings: recordingStore(ctx),
    agentSessions: agentSessionStore(ctx),
    campaignLeases: campaignLeaseStore(ctx),
    consent: consentStore(ctx),
    dnc: dncStore(ctx),
    campaigns: campaignStore(ctx),
    cases: caseStore(ctx),
    agents: agentStore(ctx),
    purposes: purposeStore(ctx),
    leads: leadStore(ctx),
    segments: segmentStore(ctx),
    rules: ruleStore(ctx),
    events: eventStore(ctx),
    firings: firingStore(ctx),
    outbox: outboxStore(ctx),
    desk: deskStore(ctx),
    rows: pluginRows(ctx),
    transaction(fn) {
      if (options.inTransaction) return fn(store)
      return options.transaction(db, (trx) =>
        fn(tenantStore(trx, tenantId, { ...options, inTransaction: true })),
      )
    },
    dncRegistries: dncRegistryStore(ctx),
    consentLedger: consentLedgerStore(ctx),
    consentAudit: consentAuditStore(ctx),
    locks: lockStore(ctx),
    scripts: scriptStore(ctx),
    identityChecks: identityCheckStore(ctx),
  }
  return store
}
