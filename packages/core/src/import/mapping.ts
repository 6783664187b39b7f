import type { Contact, ContactInput } from '../domain/contact.js'
import type { TenantId } from '../domain/ids.js'
import type { FieldIssue } from '../domain/errors.js'
import { prepareContact } from '../quality/contact.js'
import type { CsvRecord } from './csv.js'

/** Which CSV column feeds which contact field (header names as in the file). */
export interface ContactColumnMapping {
  readonly firstName?: string
  readonly lastName?: string
  readonly displayName?: string
  readonly company?: string
  readonly account?: string
  /** One column, or several (mobile, home, work); the first valid one becomes primary. */
  readonly phones?: string | readonly string[]
  readonly emails?: string | readonly string[]
  readonly address?: {
    readonly line1?: string
    readonly city?: string
    readonly region?: string
    readonly postalCode?: string
    readonly country?: string
  }
  readonly timeZone?: string
  readonly lifecycle?: string
  /** Values separated by `;` or `|`. */
  readonly tags?: string
  readonly externalRef?: string
  /** Decimal amounts ("1,234.50") in `currency`. */
  readonly openBalance?: string
  readonly lifetimeValue?: string
  /** Custom attribute name -> column. */
  readonly attributes?: Readonly<Record<string, string>>
}

const list = (v: string | readonly string[] | undefined) =>
  v === undefined ? [] : typeof v === 'string' ? [v] : v

/** "1,234.50" or "1234,50" -> 123450 minor units. */
export function parseAmount(text: string): number | undefined {
  const t = text.trim().replace(/[\s$€£]/g, '')
  if (!t) return undefined
  const normalised =
    /,\d{2}$/.test(t) && !t.includes('.') ? t.replace(/\./g, '').replace(',', '.') : t.replace(/,/g, '')
  if (!/^-?\d+(\.\d{1,2})?$/.test(normalised)) return Number.NaN
  return Math.round(Number(normalised) * 100)
}

/** Turns a CSV row into contact input by the mapping; bad cells become field issues. */
function rowToInput(
  get: (column: string | undefined) => string | undefined,
  m: ContactColumnMapping,
  currency: string,
): { input: ContactInput; issues: FieldIssue[] } {
  const issues: FieldIssue[] = []
  const text = (col: string | undefined) => {
    const v = get(col)?.trim()
    return v ? v : undefined
  }
  const input: Record<string, unknown> = {
    phones: list(m.phones)
      .map(text)
      .filter((v): v is string => v !== undefined),
    emails: list(m.emails)
      .map(text)
      .filter((v): v is string => v !== undefined),
  }
  for (const f of [
    'firstName',
    'lastName',
    'displayName',
    'company',
    'account',
    'timeZone',
    'externalRef',
  ] as const) {
    const v = text(m[f])
    if (v !== undefined) input[f] = v
  }
  const lifecycle = text(m.lifecycle)
  if (lifecycle) input.lifecycle = lifecycle.toLowerCase()
  const tags = text(m.tags)
  if (tags)
    input.tags = tags
      .split(/[;|]/)
      .map((t) => t.trim())
      .filter(Boolean)
  if (m.address) {
    const address: Record<string, string> = {}
    for (const [k, col] of Object.entries(m.address)) {
      const v = text(col)
      if (v !== undefined) address[k] = k === 'country' ? v.toUpperCase() : v
    }
    if (Object.keys(address).length) input.address = address
  }
  for (const f of ['openBalance', 'lifetimeValue'] as const) {
    const raw = text(m[f])
    if (raw === undefined) continue
    const amountMinor = parseAmount(raw)
    if (amountMinor === undefined) continue
    if (Number.isNaN(amountMinor))
      issues.push({ field: f, value: raw, message: 'is not an amount such as 1234.50' })
    else input[f] = { amountMinor, currency }
  }
  if (m.attributes) {
    const attributes: Record<string, string> = {}
    for (const [name, col] of Object.entries(m.attributes)) {
      const v = text(col)
      if (v !== undefined) attributes[name] = v
    }
    input.attributes = attributes
  }
  return { input: input as ContactInput, issues }
}

/** What a normaliser needs to turn raw CSV records into contacts; plain data, so it can cross to a worker. */
export interface NormalizeContext {
  readonly header: readonly string[]
  readonly mapping: ContactColumnMapping
  readonly currency: string
  readonly defaultCountry?: string
  readonly tenantId: TenantId
  /** Creation time of every contact of the import (epoch ms). */
  readonly nowMs: number
}

export type NormalizedRow =
  | { readonly line: number; readonly contact: Contact }
  | { readonly line: number; readonly reasons: FieldIssue[] }

/** Maps, validates and normalises raw records; each becomes a contact or its list of reasons. */
export function normalizeRows(records: readonly CsvRecord[], ctx: NormalizeContext): NormalizedRow[] {
  const index = new Map(ctx.header.map((h, i) => [h, i]))
  const now = new Date(ctx.nowMs)
  const out: NormalizedRow[] = []
  for (const record of records) {
    const fields = record.fields
    if (fields.length !== ctx.header.length) {
      out.push({
        line: record.line,
        reasons: [
          {
            field: '(row)',
            value: fields.length,
            message: `expected ${ctx.header.length} fields, found ${fields.length}`,
          },
        ],
      })
      continue
    }
    const { input, issues } = rowToInput(
      (col) => (col === undefined ? undefined : fields[index.get(col)!]),
      ctx.mapping,
      ctx.currency,
    )
    const prepared = prepareContact(input, {
      tenantId: ctx.tenantId,
      now,
      ...(ctx.defaultCountry ? { defaultCountry: ctx.defaultCountry } : {}),
    })
    if (!prepared.ok || issues.length) {
      const reasons = [...issues, ...(prepared.ok ? [] : prepared.issues)].map((issue) => {
        const column = columnOf(issue.field, ctx.mapping, fields, index)
        return column === undefined ? issue : { ...issue, column }
      })
      out.push({ line: record.line, reasons })
    } else out.push({ line: record.line, contact: prepared.contact })
  }
  return out
}

/**
 * The file column behind a contact field, so a rejected row says where to fix
 * it: `phones[1]` is the second non-empty phone column of the row.
 */
function columnOf(
  field: string,
  m: ContactColumnMapping,
  fields: readonly string[],
  index: ReadonlyMap<string, number>,
): string | undefined {
  const listed = /^(phones|emails)\[(\d+)\]$/.exec(field)
  if (listed) {
    const filled = list(m[listed[1] as 'phones' | 'emails']).filter((c) => fields[index.get(c)!]?.trim())
    return filled[Number(listed[2])]
  }
  const [head, sub] = field.split('.')
  if (head === 'address' && sub) return m.address?.[sub as keyof NonNullable<ContactColumnMapping['address']>]
  const direct = m[head as keyof ContactColumnMapping]
  return typeof direct === 'string' ? direct : undefined
}

/** Every column the mapping names (to check them against the file's header). */
export function mappedColumns(m: ContactColumnMapping): string[] {
  return [
    ...list(m.phones),
    ...list(m.emails),
    ...Object.values(m).filter((v): v is string => typeof v === 'string'),
    ...Object.values(m.address ?? {}),
    ...Object.values(m.attributes ?? {}),
  ]
}
