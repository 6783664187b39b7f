import { z } from 'zod'
import { AttributeName, type Contact, type ContactInput } from '../domain/contact.js'
import { closest, type FieldIssue } from '../domain/errors.js'
import type { TenantId } from '../domain/ids.js'
import { unstorableText } from '../domain/text.js'
import { prepareContact } from '../quality/contact.js'
import { parseAmount } from './amount.js'
import type { CsvRecord } from './csv.js'

/**
 * Which CSV column feeds which contact field. Column names are matched
 * against the file's header ignoring case and white space (`'first name'`
 * finds `First Name` and `FIRSTNAME`).
 *
 * A row's own country: map `address.country` (ISO 3166 alpha-2, any case).
 * It is stored on the contact's address and is the region that row's
 * national phone numbers are read in, before the file-wide `defaultCountry`.
 */
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
    readonly line2?: string
    readonly city?: string
    readonly region?: string
    readonly postalCode?: string
    /** The row's country: also the region its national phone numbers are read in. */
    readonly country?: string
  }
  readonly timeZone?: string
  readonly lifecycle?: string
  /** Values separated by `;` or `|`. */
  readonly tags?: string
  readonly externalRef?: string
  /** Amounts in `currency`, written as in `locale` (see parseAmount). */
  readonly openBalance?: string
  readonly lifetimeValue?: string
  /** Custom attribute name -> column. */
  readonly attributes?: Readonly<Record<string, string>>
}

const Column = z
  .string({ error: 'must be the name of a column of the file' })
  .refine((s) => s.trim().length > 0, 'must be the name of a column of the file, not empty')
const Columns = z.union([Column, z.array(Column).min(1, 'must name at least one column')], {
  error: 'must be a column name or a list of column names',
})

/** The mapping, parsed strictly: an unknown key is refused with the closest known one. */
export const ContactColumnMappingSchema = z.strictObject({
  firstName: Column.optional(),
  lastName: Column.optional(),
  displayName: Column.optional(),
  company: Column.optional(),
  account: Column.optional(),
  phones: Columns.optional(),
  emails: Columns.optional(),
  address: z
    .strictObject({
      line1: Column.optional(),
      line2: Column.optional(),
      city: Column.optional(),
      region: Column.optional(),
      postalCode: Column.optional(),
      country: Column.optional(),
    })
    .optional(),
  timeZone: Column.optional(),
  lifecycle: Column.optional(),
  tags: Column.optional(),
  externalRef: Column.optional(),
  openBalance: Column.optional(),
  lifetimeValue: Column.optional(),
  attributes: z.record(AttributeName, Column).optional(),
})

const list = (v: string | readonly string[] | undefined) =>
  v === undefined ? [] : typeof v === 'string' ? [v] : v

/** A header name as matched: without case or white space (so `First Name` = `first name` = `FIRSTNAME`). */
export const foldHeader = (name: string) =>
  name
    .normalize('NFC')
    .replace(/[\s\uFEFF]+/gu, '')
    .toLowerCase()

const TEXT_FIELDS = [
  'firstName',
  'lastName',
  'displayName',
  'company',
  'account',
  'timeZone',
  'externalRef',
] as const
const AMOUNT_FIELDS = ['openBalance', 'lifetimeValue'] as const
const ADDRESS_FIELDS = ['line1', 'line2', 'city', 'region', 'postalCode', 'country'] as const

/** Every (field, column) pair the mapping names, with the field as issues name it. */
function entries(m: ContactColumnMapping): Array<[field: string, column: string]> {
  const out: Array<[string, string]> = []
  for (const f of [...TEXT_FIELDS, 'lifecycle', 'tags', ...AMOUNT_FIELDS] as const) {
    const c = m[f]
    if (c !== undefined) out.push([f, c])
  }
  for (const f of ['phones', 'emails'] as const) {
    const columns = list(m[f])
    columns.forEach((c, i) => {
      out.push([typeof m[f] === 'string' ? f : `${f}[${i}]`, c])
    })
  }
  for (const f of ADDRESS_FIELDS) {
    const c = m.address?.[f]
    if (c !== undefined) out.push([`address.${f}`, c])
  }
  for (const [name, c] of Object.entries(m.attributes ?? {})) out.push([`attributes.${name}`, c])
  return out
}

/** Every column the mapping names. */
export function mappedColumns(m: ContactColumnMapping): string[] {
  return entries(m).map(([, c]) => c)
}

/** The mapping with each column replaced by its position in the file's header. */
export interface ResolvedMapping {
  readonly text: ReadonlyArray<readonly [field: (typeof TEXT_FIELDS)[number], index: number]>
  readonly lifecycle?: number
  readonly tags?: number
  readonly amounts: ReadonlyArray<readonly [field: (typeof AMOUNT_FIELDS)[number], index: number]>
  readonly phones: readonly number[]
  readonly emails: readonly number[]
  readonly address: ReadonlyArray<readonly [field: (typeof ADDRESS_FIELDS)[number], index: number]>
  readonly attributes: ReadonlyArray<readonly [name: string, index: number]>
  /** The highest position any mapped column has. */
  readonly last: number
}

/**
 * Matches the mapping against the file's header: duplicate header names
 * (once case and spaces are ignored) and mapped columns the header lacks are
 * issues; otherwise the mapping by column position.
 */
export function resolveMapping(
  header: readonly string[],
  m: ContactColumnMapping,
): { ok: true; resolved: ResolvedMapping } | { ok: false; issues: FieldIssue[] } {
  const issues: FieldIssue[] = []
  const positions = new Map<string, number[]>()
  header.forEach((h, i) => {
    const k = foldHeader(h)
    if (!k) return // an unnamed column (a trailing comma in the header) can't be mapped
    positions.set(k, [...(positions.get(k) ?? []), i])
  })
  for (const at of positions.values()) {
    if (at.length < 2) continue
    issues.push({
      field: 'header',
      value: at.map((i) => header[i]),
      message: `columns ${at.map((i) => i + 1).join(' and ')} have the same name once case and spaces are ignored (${at
        .map((i) => JSON.stringify(header[i]))
        .join(', ')}): rename one so the mapping is not ambiguous`,
    })
  }
  const index = (field: string, column: string): number => {
    const at = positions.get(foldHeader(column))
    if (at) return at[0]!
    const near = closest(
      column,
      header.filter((h) => foldHeader(h)),
    )
    issues.push({
      field: `mapping.${field}`,
      value: column,
      message: `column not in the file's header${near ? `; did you mean ${JSON.stringify(near)}?` : ''} (the header has: ${header.join(', ')})`,
    })
    return -1
  }
  const pairs = entries(m).map(([field, column]) => [field, index(field, column)] as const)
  if (issues.length) return { ok: false, issues }
  const at = (prefix: string) =>
    pairs.filter(([f]) => f === prefix || f.startsWith(`${prefix}[`)).map(([, i]) => i)
  const named = <K extends string>(keys: readonly K[], prefix = '') =>
    keys.flatMap((k) => pairs.filter(([f]) => f === `${prefix}${k}`).map(([, i]) => [k, i] as const))
  return {
    ok: true,
    resolved: {
      text: named(TEXT_FIELDS),
      ...(m.lifecycle !== undefined ? { lifecycle: pairs.find(([f]) => f === 'lifecycle')![1] } : {}),
      ...(m.tags !== undefined ? { tags: pairs.find(([f]) => f === 'tags')![1] } : {}),
      amounts: named(AMOUNT_FIELDS),
      phones: at('phones'),
      emails: at('emails'),
      address: named(ADDRESS_FIELDS, 'address.'),
      attributes: pairs
        .filter(([f]) => f.startsWith('attributes.'))
        .map(([f, i]) => [f.slice('attributes.'.length), i] as const),
      last: Math.max(-1, ...pairs.map(([, i]) => i)),
    },
  }
}

/** What a normaliser needs to turn raw CSV records into contacts; plain data, so it can cross to a worker. */
export interface NormalizeContext {
  /** The file's header, as written. */
  readonly header: readonly string[]
  readonly columns: ResolvedMapping
  readonly currency: string
  readonly locale?: string
  readonly defaultCountry?: string
  readonly tenantId: TenantId
  /** Creation time of every contact of the import (epoch ms). */
  readonly nowMs: number
}

export type NormalizedRow =
  | { readonly line: number; readonly contact: Contact }
  | { readonly line: number; readonly reasons: FieldIssue[] }

/** Turns a row into contact input; bad cells become issues naming their column. */
function rowToInput(
  fields: readonly string[],
  ctx: NormalizeContext,
): { input: ContactInput; issues: FieldIssue[]; columnOf: Map<string, string> } {
  const { columns: c, header } = ctx
  const issues: FieldIssue[] = []
  const columnOf = new Map<string, string>() // contact field -> file column, for the schema's issues
  /** The trimmed cell, or undefined when empty or not storable (then an issue). */
  const cell = (index: number, field: string): string | undefined => {
    columnOf.set(field, header[index]!)
    const v = fields[index]?.trim()
    if (!v) return undefined
    const why = unstorableText(v)
    if (why) {
      issues.push({ field, value: v, message: why, column: header[index]! })
      return undefined
    }
    return v
  }
  const input: Record<string, unknown> = {}
  const many = (indices: readonly number[], field: string) => {
    const out: string[] = []
    for (const i of indices) {
      const v = cell(i, `${field}[${out.length}]`)
      if (v !== undefined) out.push(v)
    }
    return out
  }
  input.phones = many(c.phones, 'phones')
  input.emails = many(c.emails, 'emails')
  for (const [f, i] of c.text) {
    const v = cell(i, f)
    if (v !== undefined) input[f] = v
  }
  if (c.lifecycle !== undefined) {
    const v = cell(c.lifecycle, 'lifecycle')
    if (v) input.lifecycle = v.toLowerCase()
  }
  if (c.tags !== undefined) {
    const v = cell(c.tags, 'tags')
    if (v)
      input.tags = v
        .split(/[;|]/)
        .map((t) => t.trim())
        .filter(Boolean)
  }
  if (c.address.length) {
    const address: Record<string, string> = {}
    for (const [k, i] of c.address) {
      const v = cell(i, `address.${k}`)
      if (v !== undefined) address[k] = k === 'country' ? v.toUpperCase() : v
    }
    if (Object.keys(address).length) input.address = address
  }
  for (const [f, i] of c.amounts) {
    const raw = cell(i, f)
    if (raw === undefined) continue
    const amount = parseAmount(raw, { currency: ctx.currency, ...(ctx.locale ? { locale: ctx.locale } : {}) })
    if (!amount) continue
    if (!amount.ok) issues.push({ field: f, value: raw, message: amount.message, column: header[i]! })
    else input[f] = { amountMinor: amount.amountMinor, currency: ctx.currency }
  }
  if (c.attributes.length) {
    const attributes: Record<string, string> = {}
    for (const [name, i] of c.attributes) {
      const v = cell(i, `attributes.${name}`)
      if (v !== undefined) attributes[name] = v
    }
    input.attributes = attributes
  }
  return { input: input as ContactInput, issues, columnOf }
}

/** Why a row's field count is refused, or undefined when it is tolerated. */
function raggedness(fields: readonly string[], ctx: NormalizeContext): FieldIssue | undefined {
  const width = ctx.header.length
  const expected = `expected ${width} fields, found ${fields.length}`
  if (fields.length > width) {
    if (fields.slice(width).every((f) => f.trim() === '')) return undefined // a trailing comma
    return {
      field: '(row)',
      value: fields.length,
      message: `${expected} (the extra ones are not empty: a value with the delimiter in it must be quoted)`,
    }
  }
  if (fields.length < width && ctx.columns.last >= fields.length) {
    const missing = ctx.header
      .slice(fields.length, ctx.columns.last + 1)
      .filter((_, k) => isMapped(ctx.columns, fields.length + k))
    return {
      field: '(row)',
      value: fields.length,
      message: `${expected} (missing the mapped ${missing.join(', ')})`,
    }
  }
  return undefined
}

function isMapped(c: ResolvedMapping, i: number): boolean {
  return (
    c.lifecycle === i ||
    c.tags === i ||
    c.phones.includes(i) ||
    c.emails.includes(i) ||
    [c.text, c.amounts, c.address, c.attributes].some((xs) => xs.some(([, j]) => j === i))
  )
}

/**
 * Maps, validates and normalises raw records; each becomes a contact or its
 * list of reasons, every reason naming the file's column where it has one.
 *
 * Rows whose extra fields are all empty (a trailing comma) and rows short
 * only of unmapped trailing columns are taken as they are; other rows of the
 * wrong width are refused with the count and what is wrong.
 */
export function normalizeRows(records: readonly CsvRecord[], ctx: NormalizeContext): NormalizedRow[] {
  const now = new Date(ctx.nowMs)
  const out: NormalizedRow[] = []
  for (const record of records) {
    const ragged = record.fields.length === ctx.header.length ? undefined : raggedness(record.fields, ctx)
    if (ragged) {
      out.push({ line: record.line, reasons: [ragged] })
      continue
    }
    const { input, issues, columnOf } = rowToInput(record.fields, ctx)
    const prepared = prepareContact(input, {
      tenantId: ctx.tenantId,
      now,
      ...(ctx.defaultCountry ? { defaultCountry: ctx.defaultCountry } : {}),
    })
    if (!prepared.ok || issues.length) {
      const reasons = [...issues, ...(prepared.ok ? [] : prepared.issues)].map((issue) => {
        if (issue.column !== undefined) return issue
        const column =
          columnOf.get(issue.field) ??
          columnOf.get(issue.field.replace(/\[\d+\]$/, '')) ??
          columnOf.get(issue.field.split('.').slice(0, 2).join('.'))
        return column === undefined ? issue : { ...issue, column }
      })
      out.push({ line: record.line, reasons })
    } else out.push({ line: record.line, contact: prepared.contact })
  }
  return out
}
