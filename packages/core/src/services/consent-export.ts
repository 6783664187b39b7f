import type { ConsentRecord } from '../domain/consent.js'
import type { ConsentDecisionLog } from '../domain/consent-audit.js'

/** The columns of a CSV export: ledger entries and decisions share one file, told apart by `record`. */
export const EXPORT_COLUMNS = [
  'record',
  'id',
  'contact_id',
  'at',
  'channel',
  'purpose',
  'status',
  'lawful_basis',
  'source',
  'evidence',
  'expires_at',
  'corrects',
  'allowed',
  'reasons',
  'caller',
  'campaign_id',
  'phone',
  'basis_id',
  'lists',
  'decided_at',
] as const

type Row = { [K in (typeof EXPORT_COLUMNS)[number]]?: string | undefined }

const iso = (d: Date | undefined) => d?.toISOString()

export function ledgerRow(r: ConsentRecord): Row {
  return {
    record: 'ledger',
    id: r.id,
    contact_id: r.contactId,
    at: iso(r.capturedAt),
    channel: r.channel,
    purpose: r.purpose,
    status: r.status,
    lawful_basis: r.lawfulBasis,
    source: r.source,
    evidence: r.evidence === undefined ? undefined : JSON.stringify(r.evidence),
    expires_at: iso(r.expiresAt),
    corrects: r.corrects,
  }
}

export function decisionRow(d: ConsentDecisionLog): Row {
  return {
    record: 'decision',
    id: d.id,
    contact_id: d.contactId,
    at: iso(d.at),
    channel: d.channel,
    purpose: d.purpose,
    allowed: String(d.allowed),
    reasons: d.reasons.map((r) => r.code).join(' '),
    caller: d.caller,
    campaign_id: d.campaignId,
    phone: d.phone,
    basis_id: d.basisId,
    lists: d.lists.join(' '),
    decided_at: iso(d.decidedAt),
  }
}

/** RFC 4180: a field with a quote, comma or line break is quoted, quotes doubled. */
const csvField = (v: string | undefined) => {
  if (v === undefined) return ''
  // A leading = + - @ would run as a formula in a spreadsheet: prefixed so it reads as text.
  const safe = /^[=+\-@]/.test(v) && !/^[+-]?\d/.test(v) ? `'${v}` : v
  return /[",\r\n]/.test(safe) ? `"${safe.replaceAll('"', '""')}"` : safe
}

export const csvHeader = () => `${EXPORT_COLUMNS.join(',')}\r\n`
export const csvLine = (row: Row) => `${EXPORT_COLUMNS.map((c) => csvField(row[c])).join(',')}\r\n`

/** One JSON Lines record: the whole entry or decision, with `record` saying which. */
export const jsonLine = (record: 'ledger' | 'decision', value: ConsentRecord | ConsentDecisionLog) =>
  `${JSON.stringify({ record, ...value })}\n`
