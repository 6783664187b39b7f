import { z } from 'zod'
import { CountryCode, CurrencyCode } from '../domain/common.js'
import { type FieldIssue, issuesFromZod, validationFailed } from '../domain/errors.js'
import { isKnownLocale } from './amount.js'
import { TEXT_ENCODINGS, type TextEncodingName } from './encoding.js'
import { type ContactColumnMapping, ContactColumnMappingSchema, mappedColumns } from './mapping.js'

/** Progress of an import, reported after every batch. */
export interface ImportProgress {
  readonly rows: number
  readonly imported: number
  readonly duplicates: number
  readonly rejected: number
  /** Bytes read from the source so far. */
  readonly bytes: number
  /** Total size when known (a file), for a percentage. */
  readonly totalBytes?: number
}

/** How to read a CSV of contacts. Parsed strictly: an unknown key is refused with the closest known one. */
export interface ImportOptions {
  /** Which column feeds which contact field (required, at least one column). */
  readonly mapping: ContactColumnMapping
  /**
   * Region for numbers written without a country code (ISO 3166 alpha-2).
   * A row's own country (`mapping.address.country`) comes first.
   */
  readonly defaultCountry?: string
  /** Currency of the monetary columns (ISO 4217); its minor digits bound the decimals. Default USD. */
  readonly currency?: string
  /**
   * BCP 47 locale the amounts are written in ('en-US', 'es-ES', 'fr-FR', 'de-CH'):
   * its group and decimal separators are the only ones accepted. Without it, an
   * amount that reads differently in common conventions (`1,234`) is refused.
   */
  readonly locale?: string
  /**
   * How the file's bytes are encoded. Without it a UTF-16 file with a byte
   * order mark is decoded as UTF-16 and anything else must be valid UTF-8
   * (else the import is refused, saying what to declare). `latin1` is decoded
   * as the WHATWG Encoding Standard does (as windows-1252). Ignored for a
   * source of strings.
   */
  readonly encoding?: TextEncodingName
  /** Field delimiter, one character; default `,`. */
  readonly delimiter?: string
  /** Rows per batch (one dedupe lookup and one insert transaction each); default: the backend's preferredBatchSize. */
  readonly batchSize?: number
  readonly onProgress?: (progress: ImportProgress) => void
  readonly totalBytes?: number
  /** Normalise rows on a worker thread, overlapping with the writes (default true; inline where no worker can start). */
  readonly worker?: boolean
}

const mappingExample = `e.g. { mapping: { firstName: 'First Name', lastName: 'Last Name', phones: ['Mobile', 'Home'] } }`

export const ImportOptionsSchema = z.strictObject({
  mapping: ContactColumnMappingSchema,
  defaultCountry: CountryCode.optional(),
  currency: CurrencyCode.optional(),
  locale: z
    .string()
    .refine(isKnownLocale, 'must be a BCP 47 locale such as en-US, es-ES, fr-FR or de-CH')
    .optional(),
  encoding: z.enum(TEXT_ENCODINGS).optional(),
  delimiter: z
    .string()
    .refine((d) => d.length === 1 && !/["\r\n]/.test(d), 'must be one character, not a quote or a line break')
    .optional(),
  batchSize: z.number().int().min(1).max(100_000).optional(),
  onProgress: z
    .custom<(progress: ImportProgress) => void>((f) => typeof f === 'function', 'must be a function')
    .optional(),
  totalBytes: z.number().int().nonnegative().optional(),
  worker: z.boolean().optional(),
})

/** The options, checked: a ValidationFailed ('import options') listing every problem otherwise. */
export function parseImportOptions(options: unknown): ImportOptions {
  const fail = (issues: FieldIssue[]) => validationFailed('import options', issues)
  if (options === null || typeof options !== 'object' || Array.isArray(options)) {
    throw fail([
      { field: '(root)', value: options, message: `must be an object with a mapping, ${mappingExample}` },
    ])
  }
  const parsed = ImportOptionsSchema.safeParse(options)
  if (!parsed.success) {
    throw fail(
      issuesFromZod(options, parsed.error.issues, ImportOptionsSchema).map((i) =>
        i.field === 'mapping' && i.value === undefined
          ? { ...i, message: `is required: say which column feeds which contact field, ${mappingExample}` }
          : i,
      ),
    )
  }
  const value = parsed.data as ImportOptions
  if (!mappedColumns(value.mapping).length) {
    throw fail([
      {
        field: 'mapping',
        value: value.mapping,
        message: `maps no column, so nothing could be imported: say which column feeds which contact field, ${mappingExample}`,
      },
    ])
  }
  return value
}
