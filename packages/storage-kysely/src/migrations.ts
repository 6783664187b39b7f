import { type Kysely, sql } from 'kysely'
import { caseTierRows } from './case-tiers.js'
import { decode } from './decode.js'

/** Dialect facts a migration may branch on (kept as flags, not subclasses). */
export interface MigrationDialect {
  readonly name: string
  /** Column type for JSON documents: "text" (SQLite) or "jsonb" (PostgreSQL). */
  readonly jsonType: 'text' | 'jsonb'
  /** Binds a list as one array parameter (`column = any($1)`, PostgreSQL) instead of an IN list of many. */
  readonly arrayParameters?: boolean
  /** Binds a list as one JSON text parameter (`column in (select value from json_each(?))`, SQLite). */
  readonly jsonListParameters?: boolean
  /** Aggregates rows to JSON in one statement (`json_agg`, PostgreSQL): the screen pop is one round trip. */
  readonly jsonAggregates?: boolean
}

export interface CoreMigration {
  readonly id: string
  // biome-ignore lint/suspicious/noExplicitAny: migrations run before the typed schema exists
  up(db: Kysely<any>, dialect: MigrationDialect): Promise<void>
}

/**
 * Core's own schema, versioned. Released migrations are never edited: a
 * change is a new entry. Every table leads with tenant_id, and every index
 * starts with it, so each tenant's lookups stay on its own part of the tree.
 */
export const coreMigrations: ReadonlyArray<CoreMigration> = [
  {
    id: '0001_contacts',
    async up(db, d) {
      await db.schema
        .createTable('contacts')
        .addColumn('tenant_id', 'text', (c) => c.notNull())
        .addColumn('id', 'text', (c) => c.notNull())
        .addColumn('display_name', 'text', (c) => c.notNull())
        .addColumn('match_key', 'text', (c) => c.notNull())
        .addColumn('external_ref', 'text')
        .addColumn('lifecycle', 'text', (c) => c.notNull())
        .addColumn('merged_into', 'text')
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('updated_at', 'text', (c) => c.notNull())
        .addColumn('data', sql.raw(d.jsonType), (c) => c.notNull())
        .addPrimaryKeyConstraint('contacts_pk', ['tenant_id', 'id'])
        .execute()
      await db.schema
        .createIndex('contacts_match_key')
        .on('contacts')
        .columns(['tenant_id', 'match_key'])
        .execute()
      await db.schema
        .createIndex('contacts_external_ref')
        .on('contacts')
        .columns(['tenant_id', 'external_ref'])
        .execute()
      // Screen pop: caller number -> contact. The primary key is the index.
      await db.schema
        .createTable('contact_phones')
        .addColumn('tenant_id', 'text', (c) => c.notNull())
        .addColumn('e164', 'text', (c) => c.notNull())
        .addColumn('contact_id', 'text', (c) => c.notNull())
        .addPrimaryKeyConstraint('contact_phones_pk', ['tenant_id', 'e164', 'contact_id'])
        .execute()
      await db.schema
        .createTable('contact_emails')
        .addColumn('tenant_id', 'text', (c) => c.notNull())
        .addColumn('email', 'text', (c) => c.notNull())
        .addColumn('contact_id', 'text', (c) => c.notNull())
        .addPrimaryKeyConstraint('contact_emails_pk', ['tenant_id', 'email', 'contact_id'])
        .execute()
    },
  },
  {
    id: '0002_timeline',
    async up(db, d) {
      await db.schema
        .createTable('interactions')
        .addColumn('tenant_id', 'text', (c) => c.notNull())
        .addColumn('id', 'text', (c) => c.notNull())
        .addColumn('contact_id', 'text', (c) => c.notNull())
        .addColumn('channel', 'text', (c) => c.notNull())
        .addColumn('direction', 'text', (c) => c.notNull())
        .addColumn('agent_id', 'text')
        .addColumn('campaign_id', 'text')
        .addColumn('disposition', 'text')
        .addColumn('started_at', 'text', (c) => c.notNull())
        .addColumn('talk_sec', 'real', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('updated_at', 'text', (c) => c.notNull())
        .addColumn('data', sql.raw(d.jsonType), (c) => c.notNull())
        .addPrimaryKeyConstraint('interactions_pk', ['tenant_id', 'id'])
        .execute()
      await db.schema
        .createIndex('interactions_contact_time')
        .on('interactions')
        .columns(['tenant_id', 'contact_id', 'started_at'])
        .execute()
      await db.schema
        .createIndex('interactions_campaign_disposition')
        .on('interactions')
        .columns(['tenant_id', 'campaign_id', 'disposition', 'talk_sec'])
        .execute()
    },
  },
  {
    id: '0003_consent',
    async up(db, d) {
      await db.schema
        .createTable('consent_records')
        .addColumn('tenant_id', 'text', (c) => c.notNull())
        .addColumn('id', 'text', (c) => c.notNull())
        .addColumn('contact_id', 'text', (c) => c.notNull())
        .addColumn('channel', 'text', (c) => c.notNull())
        .addColumn('purpose', 'text', (c) => c.notNull())
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('captured_at', 'text', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('data', sql.raw(d.jsonType), (c) => c.notNull())
        .addPrimaryKeyConstraint('consent_records_pk', ['tenant_id', 'id'])
        .execute()
      await db.schema
        .createIndex('consent_records_contact')
        .on('consent_records')
        .columns(['tenant_id', 'contact_id', 'captured_at'])
        .execute()
      await db.schema
        .createTable('dnc_entries')
        .addColumn('tenant_id', 'text', (c) => c.notNull())
        .addColumn('id', 'text', (c) => c.notNull())
        .addColumn('phone', 'text', (c) => c.notNull())
        .addColumn('list', 'text', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('data', sql.raw(d.jsonType), (c) => c.notNull())
        .addPrimaryKeyConstraint('dnc_entries_pk', ['tenant_id', 'id'])
        .execute()
      await db.schema
        .createIndex('dnc_entries_phone')
        .on('dnc_entries')
        .columns(['tenant_id', 'phone', 'list'])
        .execute()
    },
  },
  {
    id: '0004_campaigns_cases',
    async up(db, d) {
      await db.schema
        .createTable('campaigns')
        .addColumn('tenant_id', 'text', (c) => c.notNull())
        .addColumn('id', 'text', (c) => c.notNull())
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('updated_at', 'text', (c) => c.notNull())
        .addColumn('data', sql.raw(d.jsonType), (c) => c.notNull())
        .addPrimaryKeyConstraint('campaigns_pk', ['tenant_id', 'id'])
        .execute()
      await db.schema
        .createTable('cases')
        .addColumn('tenant_id', 'text', (c) => c.notNull())
        .addColumn('id', 'text', (c) => c.notNull())
        .addColumn('contact_id', 'text', (c) => c.notNull())
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('priority', 'text', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('updated_at', 'text', (c) => c.notNull())
        .addColumn('data', sql.raw(d.jsonType), (c) => c.notNull())
        .addPrimaryKeyConstraint('cases_pk', ['tenant_id', 'id'])
        .execute()
      await db.schema
        .createIndex('cases_contact')
        .on('cases')
        .columns(['tenant_id', 'contact_id', 'status'])
        .execute()
    },
  },
  {
    // Campaign dialing lists. Claims hand out pending rows in
    // (priority desc, enqueued_at, contact_id) order; the index leads with the
    // status so a claim reads only the pending part of one campaign.
    id: '0005_campaign_leads',
    async up(db) {
      await db.schema
        .createTable('campaign_leads')
        .addColumn('tenant_id', 'text', (c) => c.notNull())
        .addColumn('campaign_id', 'text', (c) => c.notNull())
        .addColumn('contact_id', 'text', (c) => c.notNull())
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('priority', 'integer', (c) => c.notNull())
        .addColumn('attempts', 'integer', (c) => c.notNull())
        .addColumn('not_before', 'text')
        .addColumn('claimed_by', 'text')
        .addColumn('claimed_at', 'text')
        .addColumn('outcome', 'text')
        .addColumn('suppressed_reason', 'text')
        .addColumn('enqueued_at', 'text', (c) => c.notNull())
        .addColumn('updated_at', 'text', (c) => c.notNull())
        .addPrimaryKeyConstraint('campaign_leads_pk', ['tenant_id', 'campaign_id', 'contact_id'])
        .execute()
      await db.schema
        .createIndex('campaign_leads_claim')
        .on('campaign_leads')
        .columns(['tenant_id', 'campaign_id', 'status', 'priority desc', 'enqueued_at', 'contact_id'])
        .execute()
      // Suppression finds a contact's leads in every campaign.
      await db.schema
        .createIndex('campaign_leads_contact')
        .on('campaign_leads')
        .columns(['tenant_id', 'contact_id'])
        .execute()
    },
  },
  {
    // Agents (owners of contacts, assignees of cases) and the consent purposes
    // each tenant declared.
    id: '0006_agents_purposes',
    async up(db, d) {
      await db.schema
        .createTable('agents')
        .addColumn('tenant_id', 'text', (c) => c.notNull())
        .addColumn('id', 'text', (c) => c.notNull())
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('state', 'text', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('updated_at', 'text', (c) => c.notNull())
        .addColumn('data', sql.raw(d.jsonType), (c) => c.notNull())
        .addPrimaryKeyConstraint('agents_pk', ['tenant_id', 'id'])
        .execute()
      await db.schema
        .createTable('consent_purposes')
        .addColumn('tenant_id', 'text', (c) => c.notNull())
        .addColumn('key', 'text', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('updated_at', 'text', (c) => c.notNull())
        .addColumn('data', sql.raw(d.jsonType), (c) => c.notNull())
        .addPrimaryKeyConstraint('consent_purposes_pk', ['tenant_id', 'key'])
        .execute()
    },
  },
  {
    // A host's key for a contact is unique within its tenant (idempotent imports,
    // lookups by ERP id); contacts without one are not constrained.
    id: '0007_contacts_external_ref_unique',
    async up(db) {
      // Say which refs are taken twice (the index alone fails with a bare constraint error).
      const taken = await db
        .selectFrom('contacts')
        .select(['tenant_id', 'external_ref'])
        .where('external_ref', 'is not', null)
        .groupBy(['tenant_id', 'external_ref'])
        .having(sql`count(*)`, '>', 1)
        .limit(10)
        .execute()
      if (taken.length > 0)
        throw new Error(
          `migration 0007 makes externalRef unique per tenant, but these are held by more than one contact: ${taken
            .map((r) => `${r.tenant_id}/${r.external_ref}`)
            .join(
              ', ',
            )}; merge those contacts (contacts.merge) or clear their externalRef, then migrate again`,
        )
      await db.schema.dropIndex('contacts_external_ref').execute()
      await db.schema
        .createIndex('contacts_external_ref_unique')
        .unique()
        .on('contacts')
        .columns(['tenant_id', 'external_ref'])
        .where(sql.ref('external_ref'), 'is not', null)
        .execute()
    },
  },
  {
    // Which plugin declared which table: `rows(table)` reaches only these.
    id: '0008_plugin_tables',
    async up(db) {
      await db.schema
        .createTable('switchboard_plugin_tables')
        .addColumn('table_name', 'text', (c) => c.notNull().primaryKey())
        .addColumn('plugin', 'text', (c) => c.notNull())
        .execute()
    },
  },
  {
    // Saved segments and their membership over time; event rules, the durable
    // event log (the outbox other processes follow), rule firings and the
    // queue of actions that run outside the event's transaction.
    id: '0009_segments_rules_events',
    async up(db, d) {
      const json = sql.raw(d.jsonType)
      await db.schema
        .createTable('segments')
        .addColumn('tenant_id', 'text', (c) => c.notNull())
        .addColumn('id', 'text', (c) => c.notNull())
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('updated_at', 'text', (c) => c.notNull())
        .addColumn('data', json, (c) => c.notNull())
        .addPrimaryKeyConstraint('segments_pk', ['tenant_id', 'id'])
        .execute()
      // One row per stay in the segment: entered at a snapshot, left at a later one (or still in).
      await db.schema
        .createTable('segment_members')
        .addColumn('tenant_id', 'text', (c) => c.notNull())
        .addColumn('segment_id', 'text', (c) => c.notNull())
        .addColumn('contact_id', 'text', (c) => c.notNull())
        .addColumn('entered_at', 'text', (c) => c.notNull())
        .addColumn('left_at', 'text')
        .addPrimaryKeyConstraint('segment_members_pk', [
          'tenant_id',
          'segment_id',
          'contact_id',
          'entered_at',
        ])
        .execute()
      await db.schema
        .createIndex('segment_members_open')
        .on('segment_members')
        .columns(['tenant_id', 'segment_id', 'left_at', 'contact_id'])
        .execute()
      await db.schema
        .createTable('segment_snapshots')
        .addColumn('tenant_id', 'text', (c) => c.notNull())
        .addColumn('segment_id', 'text', (c) => c.notNull())
        .addColumn('taken_at', 'text', (c) => c.notNull())
        .addColumn('members', 'integer', (c) => c.notNull())
        .addColumn('entered', 'integer', (c) => c.notNull())
        .addColumn('left_count', 'integer', (c) => c.notNull())
        .addPrimaryKeyConstraint('segment_snapshots_pk', ['tenant_id', 'segment_id', 'taken_at'])
        .execute()
      await db.schema
        .createTable('rules')
        .addColumn('tenant_id', 'text', (c) => c.notNull())
        .addColumn('id', 'text', (c) => c.notNull())
        .addColumn('event_type', 'text', (c) => c.notNull())
        .addColumn('enabled', 'integer', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('updated_at', 'text', (c) => c.notNull())
        .addColumn('data', json, (c) => c.notNull())
        .addPrimaryKeyConstraint('rules_pk', ['tenant_id', 'id'])
        .execute()
      await db.schema.createIndex('rules_event').on('rules').columns(['tenant_id', 'event_type']).execute()
      await db.schema
        .createTable('events')
        .addColumn('tenant_id', 'text', (c) => c.notNull())
        .addColumn('id', 'text', (c) => c.notNull())
        .addColumn('type', 'text', (c) => c.notNull())
        .addColumn('contact_id', 'text')
        .addColumn('occurred_at', 'text', (c) => c.notNull())
        .addColumn('origin', 'text', (c) => c.notNull())
        .addColumn('data', json, (c) => c.notNull())
        .addPrimaryKeyConstraint('events_pk', ['tenant_id', 'id'])
        .execute()
      await db.schema
        .createIndex('events_occurred')
        .on('events')
        .columns(['tenant_id', 'occurred_at'])
        .execute()
      // The unique key makes a firing exactly-once: a second try of the same rule on the same event is a conflict.
      await db.schema
        .createTable('rule_firings')
        .addColumn('tenant_id', 'text', (c) => c.notNull())
        .addColumn('id', 'text', (c) => c.notNull())
        .addColumn('rule_id', 'text', (c) => c.notNull())
        .addColumn('event_id', 'text', (c) => c.notNull())
        .addColumn('contact_id', 'text')
        .addColumn('outcome', 'text', (c) => c.notNull())
        .addColumn('fired_at', 'text', (c) => c.notNull())
        .addColumn('data', json, (c) => c.notNull())
        .addPrimaryKeyConstraint('rule_firings_pk', ['tenant_id', 'id'])
        .addUniqueConstraint('rule_firings_once', ['tenant_id', 'rule_id', 'event_id'])
        .execute()
      await db.schema
        .createIndex('rule_firings_contact')
        .on('rule_firings')
        .columns(['tenant_id', 'contact_id', 'fired_at'])
        .execute()
      await db.schema
        .createTable('rule_outbox')
        .addColumn('tenant_id', 'text', (c) => c.notNull())
        .addColumn('firing_id', 'text', (c) => c.notNull())
        .addColumn('action', 'integer', (c) => c.notNull())
        .addColumn('handler', 'text', (c) => c.notNull())
        .addColumn('event_id', 'text', (c) => c.notNull())
        .addColumn('attempts', 'integer', (c) => c.notNull())
        .addColumn('last_error', 'text')
        .addColumn('run_after', 'text', (c) => c.notNull())
        .addPrimaryKeyConstraint('rule_outbox_pk', ['tenant_id', 'firing_id', 'action'])
        .execute()
      await db.schema.createIndex('rule_outbox_due').on('rule_outbox').columns(['run_after']).execute()
    },
  },
  {
    // The campaign runtime: interactions found by call and by campaign, the
    // disposition catalogue, callbacks, recordings, agent sessions with their
    // state history, campaign leases, and the dial permit on leads.
    id: '0010_campaign_runtime',
    async up(db, d) {
      const json = sql.raw(d.jsonType)
      // One column per statement: SQLite's ALTER TABLE adds one at a time.
      await db.schema.alterTable('interactions').addColumn('call_id', 'text').execute()
      await db.schema.alterTable('interactions').addColumn('ended_at', 'text').execute()
      // Rows written before this migration: the two values from their JSON.
      await (d.jsonType === 'jsonb'
        ? sql`update interactions set call_id = data->>'callId', ended_at = data->>'endedAt'`
        : sql`update interactions set call_id = json_extract(data, '$.callId'), ended_at = json_extract(data, '$.endedAt')`
      ).execute(db)
      await db.schema
        .createIndex('interactions_campaign_time')
        .on('interactions')
        .columns(['tenant_id', 'campaign_id', 'started_at'])
        .execute()
      // a contact's attempts in one campaign (the runner reads them before every dial):
      // without it the planner walks every interaction of the campaign
      await db.schema
        .createIndex('interactions_campaign_contact')
        .on('interactions')
        .columns(['tenant_id', 'campaign_id', 'contact_id', 'started_at'])
        .execute()
      await db.schema
        .createIndex('interactions_call')
        .on('interactions')
        .columns(['tenant_id', 'call_id'])
        .execute()
      await db.schema.alterTable('campaign_leads').addColumn('call_id', 'text').execute()
      // the list a lead came from (a saved segment, an import), for reports by list
      await db.schema.alterTable('campaign_leads').addColumn('list_id', 'text').execute()

      await db.schema
        .createTable('disposition_codes')
        .addColumn('tenant_id', 'text', (c) => c.notNull())
        .addColumn('code', 'text', (c) => c.notNull())
        .addColumn('id', 'text', (c) => c.notNull())
        .addColumn('category', 'text', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('updated_at', 'text', (c) => c.notNull())
        .addColumn('data', json, (c) => c.notNull())
        .addPrimaryKeyConstraint('disposition_codes_pk', ['tenant_id', 'code'])
        .execute()

      await db.schema
        .createTable('callbacks')
        .addColumn('tenant_id', 'text', (c) => c.notNull())
        .addColumn('id', 'text', (c) => c.notNull())
        .addColumn('contact_id', 'text', (c) => c.notNull())
        .addColumn('campaign_id', 'text', (c) => c.notNull())
        .addColumn('agent_id', 'text')
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('due_at', 'text', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('updated_at', 'text', (c) => c.notNull())
        .addColumn('data', json, (c) => c.notNull())
        .addPrimaryKeyConstraint('callbacks_pk', ['tenant_id', 'id'])
        .execute()
      // At most one scheduled or dialing callback per contact and campaign: a second is a Conflict.
      await db.schema
        .createIndex('callbacks_active')
        .unique()
        .on('callbacks')
        .columns(['tenant_id', 'campaign_id', 'contact_id'])
        .where(sql<boolean>`status in ('scheduled', 'dialing')`)
        .execute()
      await db.schema
        .createIndex('callbacks_due')
        .on('callbacks')
        .columns(['tenant_id', 'status', 'due_at'])
        .execute()
      await db.schema
        .createIndex('callbacks_campaign_due')
        .on('callbacks')
        .columns(['tenant_id', 'campaign_id', 'due_at'])
        .execute()
      await db.schema
        .createIndex('callbacks_contact')
        .on('callbacks')
        .columns(['tenant_id', 'contact_id'])
        .execute()

      await db.schema
        .createTable('recordings')
        .addColumn('tenant_id', 'text', (c) => c.notNull())
        .addColumn('id', 'text', (c) => c.notNull())
        .addColumn('interaction_id', 'text', (c) => c.notNull())
        .addColumn('contact_id', 'text', (c) => c.notNull())
        .addColumn('campaign_id', 'text')
        .addColumn('started_at', 'text', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('updated_at', 'text', (c) => c.notNull())
        .addColumn('data', json, (c) => c.notNull())
        .addPrimaryKeyConstraint('recordings_pk', ['tenant_id', 'id'])
        .execute()
      await db.schema
        .createIndex('recordings_interaction')
        .on('recordings')
        .columns(['tenant_id', 'interaction_id', 'started_at'])
        .execute()
      await db.schema
        .createIndex('recordings_contact')
        .on('recordings')
        .columns(['tenant_id', 'contact_id', 'started_at'])
        .execute()

      await db.schema
        .createTable('agent_sessions')
        .addColumn('tenant_id', 'text', (c) => c.notNull())
        .addColumn('id', 'text', (c) => c.notNull())
        .addColumn('agent_id', 'text', (c) => c.notNull())
        .addColumn('state', 'text', (c) => c.notNull())
        .addColumn('started_at', 'text', (c) => c.notNull())
        .addColumn('ended_at', 'text')
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('updated_at', 'text', (c) => c.notNull())
        .addColumn('data', json, (c) => c.notNull())
        .addPrimaryKeyConstraint('agent_sessions_pk', ['tenant_id', 'id'])
        .execute()
      // The open sessions (the supervisor screen, `current`): a small partial index.
      await db.schema
        .createIndex('agent_sessions_open')
        .on('agent_sessions')
        .columns(['tenant_id', 'agent_id', 'started_at'])
        .where(sql.ref('ended_at'), 'is', null)
        .execute()
      await db.schema
        .createTable('agent_state_changes')
        .addColumn('tenant_id', 'text', (c) => c.notNull())
        .addColumn('session_id', 'text', (c) => c.notNull())
        .addColumn('seq', 'integer', (c) => c.notNull())
        .addColumn('agent_id', 'text', (c) => c.notNull())
        .addColumn('at', 'text', (c) => c.notNull())
        .addColumn('data', json, (c) => c.notNull())
        .addPrimaryKeyConstraint('agent_state_changes_pk', ['tenant_id', 'session_id', 'seq'])
        .execute()
      await db.schema
        .createIndex('agent_state_changes_time')
        .on('agent_state_changes')
        .columns(['tenant_id', 'at', 'session_id', 'seq'])
        .execute()
      await db.schema
        .createIndex('agent_state_changes_agent')
        .on('agent_state_changes')
        .columns(['tenant_id', 'agent_id', 'at'])
        .execute()

      await db.schema
        .createTable('campaign_leases')
        .addColumn('tenant_id', 'text', (c) => c.notNull())
        .addColumn('campaign_id', 'text', (c) => c.notNull())
        .addColumn('owner', 'text', (c) => c.notNull())
        .addColumn('until', 'text', (c) => c.notNull())
        .addColumn('fence', 'integer', (c) => c.notNull())
        .addColumn('acquired_at', 'text', (c) => c.notNull())
        .addColumn('released_at', 'text')
        .addPrimaryKeyConstraint('campaign_leases_pk', ['tenant_id', 'campaign_id'])
        .execute()
    },
  },
  {
    // The service desk: tiers, business calendars and SLA policies per tenant
    // (a handful of rows each, read whole), and the sweep's scan of open cases.
    id: '0011_service_desk',
    async up(db, d) {
      await db.schema
        .createTable('desk_settings')
        .addColumn('tenant_id', 'text', (c) => c.notNull())
        .addColumn('kind', 'text', (c) => c.notNull())
        .addColumn('key', 'text', (c) => c.notNull())
        .addColumn('updated_at', 'text', (c) => c.notNull())
        .addColumn('data', sql.raw(d.jsonType), (c) => c.notNull())
        .addPrimaryKeyConstraint('desk_settings_pk', ['tenant_id', 'kind', 'key'])
        .execute()
      await db.schema.createIndex('cases_status').on('cases').columns(['tenant_id', 'status', 'id']).execute()
      // Each case's stretches at a tier, derived from its history on every write: the KPIs' time per tier and backlog.
      await db.schema
        .createTable('case_tiers')
        .addColumn('tenant_id', 'text', (c) => c.notNull())
        .addColumn('case_id', 'text', (c) => c.notNull())
        .addColumn('seq', 'integer', (c) => c.notNull())
        .addColumn('tier_id', 'text')
        .addColumn('since', 'text', (c) => c.notNull())
        .addColumn('until', 'text')
        .addPrimaryKeyConstraint('case_tiers_pk', ['tenant_id', 'case_id', 'seq'])
        .execute()
      await db.schema
        .createIndex('case_tiers_until')
        .on('case_tiers')
        .columns(['tenant_id', 'until'])
        .execute()
      // The cases written before: their spans from their stored history, a page at a time.
      let after: { tenant_id: string; id: string } | undefined
      for (;;) {
        let q = db
          .selectFrom('cases')
          .select(['tenant_id', 'id', 'data'])
          .orderBy('tenant_id')
          .orderBy('id')
          .limit(500)
        if (after) {
          const a = after
          q = q.where((eb) =>
            eb.or([
              eb('tenant_id', '>', a.tenant_id),
              eb.and([eb('tenant_id', '=', a.tenant_id), eb('id', '>', a.id)]),
            ]),
          )
        }
        const rows = await q.execute()
        if (!rows.length) break
        const spans = rows.flatMap((r) => caseTierRows(r.tenant_id, decode.case(r.data)))
        if (spans.length) await db.insertInto('case_tiers').values(spans).execute()
        after = rows.at(-1)
        if (rows.length < 500) break
      }
    },
  },
  {
    // The consent ledger: versioned do-not-call registries, logged decisions,
    // per-tenant audit settings, and the ledger by capture time (exports).
    id: '0013_consent_ledger',
    async up(db, d) {
      const json = sql.raw(d.jsonType)
      await db.schema
        .createTable('dnc_registries')
        .addColumn('tenant_id', 'text', (c) => c.notNull())
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('kind', 'text', (c) => c.notNull())
        .addColumn('campaign_id', 'text')
        .addColumn('active_version', 'integer')
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('updated_at', 'text', (c) => c.notNull())
        .addColumn('data', json, (c) => c.notNull())
        .addPrimaryKeyConstraint('dnc_registries_pk', ['tenant_id', 'name'])
        .execute()
      await db.schema
        .createTable('dnc_registry_versions')
        .addColumn('tenant_id', 'text', (c) => c.notNull())
        .addColumn('registry', 'text', (c) => c.notNull())
        .addColumn('version', 'integer', (c) => c.notNull())
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('source', 'text', (c) => c.notNull())
        .addColumn('started_at', 'text', (c) => c.notNull())
        .addColumn('activated_at', 'text')
        .addColumn('retired_at', 'text')
        .addColumn('numbers', 'integer', (c) => c.notNull())
        .addColumn('rejected', 'integer', (c) => c.notNull())
        .addPrimaryKeyConstraint('dnc_registry_versions_pk', ['tenant_id', 'registry', 'version'])
        .execute()
      // Keyed by number first: a check is one index probe per registry version holding it.
      await db.schema
        .createTable('dnc_registry_numbers')
        .addColumn('tenant_id', 'text', (c) => c.notNull())
        .addColumn('phone', 'text', (c) => c.notNull())
        .addColumn('registry', 'text', (c) => c.notNull())
        .addColumn('version', 'integer', (c) => c.notNull())
        .addColumn('listed_at', 'text')
        .addPrimaryKeyConstraint('dnc_registry_numbers_pk', ['tenant_id', 'phone', 'registry', 'version'])
        .execute()
      await db.schema
        .createTable('consent_decisions')
        .addColumn('tenant_id', 'text', (c) => c.notNull())
        .addColumn('id', 'text', (c) => c.notNull())
        .addColumn('contact_id', 'text', (c) => c.notNull())
        .addColumn('decided_at', 'text', (c) => c.notNull())
        .addColumn('data', json, (c) => c.notNull())
        .addPrimaryKeyConstraint('consent_decisions_pk', ['tenant_id', 'id'])
        .execute()
      await db.schema
        .createIndex('consent_decisions_contact')
        .on('consent_decisions')
        .columns(['tenant_id', 'contact_id', 'decided_at', 'id'])
        .execute()
      await db.schema
        .createIndex('consent_decisions_time')
        .on('consent_decisions')
        .columns(['tenant_id', 'decided_at', 'id'])
        .execute()
      await db.schema
        .createTable('consent_settings')
        .addColumn('tenant_id', 'text', (c) => c.notNull())
        .addColumn('data', json, (c) => c.notNull())
        .addPrimaryKeyConstraint('consent_settings_pk', ['tenant_id'])
        .execute()
      await db.schema
        .createIndex('consent_records_time')
        .on('consent_records')
        .columns(['tenant_id', 'captured_at', 'id'])
        .execute()
    },
  },
  {
    // Soft locks on contacts and cases (collision avoidance), call scripts by
    // version, the runs recorded on interactions and the identity checks.
    id: '0015_desk_locks_scripts',
    async up(db, d) {
      const json = sql.raw(d.jsonType)
      await db.schema
        .createTable('soft_locks')
        .addColumn('tenant_id', 'text', (c) => c.notNull())
        .addColumn('kind', 'text', (c) => c.notNull())
        .addColumn('entity_id', 'text', (c) => c.notNull())
        .addColumn('agent_id', 'text', (c) => c.notNull())
        .addColumn('since', 'text', (c) => c.notNull())
        .addColumn('expires_at', 'text', (c) => c.notNull())
        .addPrimaryKeyConstraint('soft_locks_pk', ['tenant_id', 'kind', 'entity_id'])
        .execute()
      await db.schema
        .createTable('call_scripts')
        .addColumn('tenant_id', 'text', (c) => c.notNull())
        .addColumn('script_id', 'text', (c) => c.notNull())
        .addColumn('version', 'integer', (c) => c.notNull())
        .addColumn('saved_at', 'text', (c) => c.notNull())
        .addColumn('data', json, (c) => c.notNull())
        .addPrimaryKeyConstraint('call_scripts_pk', ['tenant_id', 'script_id', 'version'])
        .execute()
      await db.schema
        .createTable('script_runs')
        .addColumn('tenant_id', 'text', (c) => c.notNull())
        .addColumn('id', 'text', (c) => c.notNull())
        .addColumn('interaction_id', 'text', (c) => c.notNull())
        .addColumn('script_id', 'text', (c) => c.notNull())
        .addColumn('script_version', 'integer', (c) => c.notNull())
        .addColumn('recorded_at', 'text', (c) => c.notNull())
        .addColumn('data', json, (c) => c.notNull())
        .addPrimaryKeyConstraint('script_runs_pk', ['tenant_id', 'id'])
        .execute()
      await db.schema
        .createIndex('script_runs_interaction')
        .on('script_runs')
        .columns(['tenant_id', 'interaction_id', 'recorded_at'])
        .execute()
      await db.schema
        .createTable('identity_checks')
        .addColumn('tenant_id', 'text', (c) => c.notNull())
        .addColumn('id', 'text', (c) => c.notNull())
        .addColumn('interaction_id', 'text')
        .addColumn('call_id', 'text')
        .addColumn('checked_at', 'text', (c) => c.notNull())
        .addColumn('data', json, (c) => c.notNull())
        .addPrimaryKeyConstraint('identity_checks_pk', ['tenant_id', 'id'])
        .execute()
      await db.schema
        .createIndex('identity_checks_interaction')
        .on('identity_checks')
        .columns(['tenant_id', 'interaction_id', 'checked_at'])
        .execute()
      await db.schema
        .createIndex('identity_checks_call')
        .on('identity_checks')
        .columns(['tenant_id', 'call_id', 'checked_at'])
        .execute()
      // The desk KPIs' contacts in a time range (repeat contacts use interactions_contact_time).
      await db.schema
        .createIndex('interactions_time')
        .on('interactions')
        .columns(['tenant_id', 'started_at'])
        .execute()
    },
  },
]
