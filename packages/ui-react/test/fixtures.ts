import type { Case, ConsentRecord, Contact } from '@switchboard/core/domain'
import type { Json, TimelineEntry } from '../src/index.js'

// JSON as the API sends it: built once here so each test states only what it changes.
const base = {
  tenantId: 'acme',
  createdAt: '2026-03-01T10:00:00.000Z',
  updatedAt: '2026-03-01T10:00:00.000Z',
}

export const contact = (over: Partial<Json<Contact>> = {}): Json<Contact> =>
  ({
    ...base,
    id: 'c-ana',
    kind: 'person',
    firstName: 'Ana',
    lastName: 'Ruiz',
    displayName: 'Ana Ruiz',
    phones: [{ e164: '+14155550132', type: 'mobile', primary: true, verified: true }],
    emails: [{ address: 'ana@example.com', primary: true, verified: false }],
    timeZone: 'America/New_York',
    lifecycle: 'customer',
    tags: ['vip'],
    attributes: { plan: 'gold' },
    ...over,
  }) as Json<Contact>

export const interaction = (over: Partial<TimelineEntry> = {}): TimelineEntry =>
  ({
    ...base,
    id: 'i-1',
    contactId: 'c-ana',
    channel: 'voice',
    direction: 'outbound',
    startedAt: '2026-03-02T15:00:00.000Z',
    durations: { ringSec: 5, talkSec: 60, holdSec: 0, wrapSec: 10 },
    recordingIds: [],
    ...over,
  }) as TimelineEntry

export const aCase = (over: Partial<Json<Case>> = {}): Json<Case> =>
  ({
    ...base,
    id: 'case-1',
    contactId: 'c-ana',
    subject: 'Router keeps rebooting',
    priority: 'high',
    status: 'open',
    tierId: 't1',
    skills: [],
    sla: {},
    history: [{ at: '2026-03-01T10:00:00.000Z', type: 'created' }],
    ...over,
  }) as Json<Case>

export const consent = (over: Partial<Json<ConsentRecord>>): Json<ConsentRecord> =>
  ({
    ...base,
    id: 'k-1',
    contactId: 'c-ana',
    channel: 'voice',
    purpose: 'marketing',
    status: 'opted_in',
    source: 'web form',
    capturedAt: '2026-01-01T09:00:00.000Z',
    ...over,
  }) as Json<ConsentRecord>
