/**
 * The tables core's storage needs. Each entity keeps its full JSON in `data`
 * (the zod schema is the source of truth); the other columns exist to be
 * indexed, filtered, joined and reported on. Timestamps are ISO-8601 UTC text,
 * which sorts correctly in every dialect.
 */
export interface CoreTables {
  switchboard_migrations: { plugin: string; id: string; applied_at: string }
  contacts: {
    tenant_id: string
    id: string
    display_name: string
    match_key: string
    external_ref: string | null
    lifecycle: string
    merged_into: string | null
    created_at: string
    updated_at: string
    data: string
  }
  contact_phones: { tenant_id: string; e164: string; contact_id: string }
  contact_emails: { tenant_id: string; email: string; contact_id: string }
  interactions: {
    tenant_id: string
    id: string
    contact_id: string
    channel: string
    direction: string
    agent_id: string | null
    campaign_id: string | null
    disposition: string | null
    started_at: string
    talk_sec: number
    /** Added by 0010: the telephony call, and the end (null while the interaction is open). */
    call_id: string | null
    ended_at: string | null
    created_at: string
    updated_at: string
    data: string
  }
  consent_records: {
    tenant_id: string
    id: string
    contact_id: string
    channel: string
    purpose: string
    status: string
    captured_at: string
    created_at: string
    data: string
  }
  dnc_entries: {
    tenant_id: string
    id: string
    phone: string
    list: string
    created_at: string
    data: string
  }
  campaigns: {
    tenant_id: string
    id: string
    status: string
    created_at: string
    updated_at: string
    data: string
  }
  cases: {
    tenant_id: string
    id: string
    contact_id: string
    status: string
    priority: string
    created_at: string
    updated_at: string
    data: string
  }
  agents: {
    tenant_id: string
    id: string
    name: string
    state: string
    created_at: string
    updated_at: string
    data: string
  }
  consent_purposes: {
    tenant_id: string
    key: string
    created_at: string
    updated_at: string
    data: string
  }
  /** Which plugin created which table: the only tables `rows(table)` reaches. */
  switchboard_plugin_tables: { table_name: string; plugin: string }
  campaign_leads: {
    tenant_id: string
    campaign_id: string
    contact_id: string
    status: string
    priority: number
    attempts: number
    not_before: string | null
    claimed_by: string | null
    claimed_at: string | null
    outcome: string | null
    suppressed_reason: string | null
    /** Added by 0010: the call of the permitted dial (status `dialing`), or of the last one. */
    call_id: string | null
    list_id: string | null
    enqueued_at: string
    updated_at: string
  }
  segments: {
    tenant_id: string
    id: string
    name: string
    created_at: string
    updated_at: string
    data: string
  }
  segment_members: {
    tenant_id: string
    segment_id: string
    contact_id: string
    entered_at: string
    left_at: string | null
  }
  segment_snapshots: {
    tenant_id: string
    segment_id: string
    taken_at: string
    members: number
    entered: number
    left_count: number
  }
  rules: {
    tenant_id: string
    id: string
    event_type: string
    enabled: number
    created_at: string
    updated_at: string
    data: string
  }
  events: {
    tenant_id: string
    id: string
    type: string
    contact_id: string | null
    occurred_at: string
    origin: string
    data: string
  }
  rule_firings: {
    tenant_id: string
    id: string
    rule_id: string
    event_id: string
    contact_id: string | null
    outcome: string
    fired_at: string
    data: string
  }
  rule_outbox: {
    tenant_id: string
    firing_id: string
    action: number
    handler: string
    event_id: string
    attempts: number
    last_error: string | null
    run_after: string
  }
  /** The tenant's catalogue of disposition codes, keyed by code. */
  disposition_codes: {
    tenant_id: string
    code: string
    id: string
    category: string
    created_at: string
    updated_at: string
    data: string
  }
  /** Booked calls; at most one scheduled or dialing per (tenant, campaign, contact) (partial unique index). */
  callbacks: {
    tenant_id: string
    id: string
    contact_id: string
    campaign_id: string
    agent_id: string | null
    status: string
    due_at: string
    created_at: string
    updated_at: string
    data: string
  }
  recordings: {
    tenant_id: string
    id: string
    interaction_id: string
    contact_id: string
    campaign_id: string | null
    started_at: string
    created_at: string
    updated_at: string
    data: string
  }
  agent_sessions: {
    tenant_id: string
    id: string
    agent_id: string
    state: string
    started_at: string
    ended_at: string | null
    created_at: string
    updated_at: string
    data: string
  }
  /** Append-only: one row per state change of a session. */
  agent_state_changes: {
    tenant_id: string
    session_id: string
    seq: number
    agent_id: string
    at: string
    data: string
  }
  /** Who runs a campaign until when; `fence` grows at each change of owner. */
  campaign_leases: {
    tenant_id: string
    campaign_id: string
    owner: string
    until: string
    fence: number
    acquired_at: string
    /** Set by `release`; a released lease is free. */
    released_at: string | null
  }
  /** Do-not-call registries; `active_version` is what every check reads, swapped in one UPDATE. */
  dnc_registries: {
    tenant_id: string
    name: string
    kind: string
    campaign_id: string | null
    active_version: number | null
    created_at: string
    updated_at: string
    data: string
  }
  dnc_registry_versions: {
    tenant_id: string
    registry: string
    version: number
    status: string
    source: string
    started_at: string
    activated_at: string | null
    retired_at: string | null
    numbers: number
    rejected: number
  }
  /** A registry's numbers, per version: a new version loads beside the active one. */
  dnc_registry_numbers: {
    tenant_id: string
    phone: string
    registry: string
    version: number
    listed_at: string | null
  }
  consent_decisions: {
    tenant_id: string
    id: string
    contact_id: string
    decided_at: string
    data: string
  }
  consent_settings: {
    tenant_id: string
    data: string
  }
  /** A case's stretch at one tier (`seq` 0 is where it opened); `until` none while it is still there and open. */
  case_tiers: {
    tenant_id: string
    case_id: string
    seq: number
    tier_id: string | null
    since: string
    until: string | null
  }
  /** The service desk's settings of a tenant: tiers, business calendars, SLA policies (`kind`), by key. */
  desk_settings: {
    tenant_id: string
    kind: string
    key: string
    updated_at: string
    data: string
  }
  /** Added by 0015: call scripts, a row per version. */
  call_scripts: {
    tenant_id: string
    script_id: string
    version: number
    saved_at: string
    data: string
  }
  /** Added by 0015: script runs recorded on interactions. */
  script_runs: {
    tenant_id: string
    id: string
    interaction_id: string
    script_id: string
    script_version: number
    recorded_at: string
    data: string
  }
  /** Added by 0015: identity verifications of callers, by interaction and by call. */
  identity_checks: {
    tenant_id: string
    id: string
    interaction_id: string | null
    call_id: string | null
    checked_at: string
    data: string
  }
  /** Added by 0015: soft locks on contacts and cases, one holder per (kind, entity). */
  soft_locks: {
    tenant_id: string
    kind: string
    entity_id: string
    agent_id: string
    since: string
    expires_at: string
  }
}

/** Every table core's migrations create: never reachable as a plugin table. */
export const CORE_TABLES: ReadonlySet<string> = new Set<keyof CoreTables>([
  'switchboard_migrations',
  'contacts',
  'contact_phones',
  'contact_emails',
  'interactions',
  'consent_records',
  'dnc_entries',
  'campaigns',
  'cases',
  'agents',
  'consent_purposes',
  'switchboard_plugin_tables',
  'campaign_leads',
  'segments',
  'segment_members',
  'segment_snapshots',
  'rules',
  'events',
  'rule_firings',
  'rule_outbox',
  'disposition_codes',
  'callbacks',
  'recordings',
  'agent_sessions',
  'agent_state_changes',
  'campaign_leases',
  'dnc_registries',
  'dnc_registry_versions',
  'dnc_registry_numbers',
  'consent_decisions',
  'consent_settings',
  'desk_settings',
  'case_tiers',
  'soft_locks',
  'call_scripts',
  'script_runs',
  'identity_checks',
] satisfies { [K in keyof CoreTables]: K }[keyof CoreTables][])
