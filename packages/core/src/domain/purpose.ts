import { z } from 'zod'
import { EntityBase } from './common.js'
import { Text } from './text.js'

/** Any purpose: an opt-out recorded for "*" covers every purpose. */
export const ALL_PURPOSES = '*'

/**
 * A consent purpose's name as a host writes it ("Marketing", "collections").
 * Identity is case-insensitive: "Marketing" and "marketing" are one purpose
 * (see `purposeKey`).
 */
export const PurposeName = z
  .string()
  .max(64, 'must be at most 64 characters')
  .regex(
    /^(\*|[\p{L}\p{N}][\p{L}\p{N} _.-]*)$/u,
    'must be a purpose name such as "marketing" (letters, digits, space, _ . -), or "*" for every purpose',
  )

/** The identity of a purpose: its name, trimmed and lower-cased. */
export const purposeKey = (name: string): string => name.trim().toLowerCase()

/**
 * A purpose the tenant declared: consent is recorded and asked for declared
 * purposes only, so a typo ("marketting") is refused instead of being a new,
 * empty purpose that allows everything.
 */
export const ConsentPurpose = EntityBase.extend({
  /** `purposeKey(name)`. */
  key: z.string().min(1).max(64),
  /** The name as declared. */
  name: PurposeName,
  /** Whether contacting for this purpose needs a recorded opt-in (rather than the absence of an opt-out). */
  requiresOptIn: z.boolean(),
  description: Text.short.optional(),
})
export type ConsentPurpose = z.infer<typeof ConsentPurpose>

export const ConsentPurposeInput = z.strictObject({
  name: PurposeName.refine((n) => n !== ALL_PURPOSES, '"*" stands for every purpose and cannot be declared'),
  requiresOptIn: z.boolean().default(false),
  description: Text.short.optional(),
})
export type ConsentPurposeInput = z.input<typeof ConsentPurposeInput>

/** Purposes every tenant has unless the instance is configured with others. */
export const DEFAULT_PURPOSES: ReadonlyArray<ConsentPurposeInput> = [
  { name: 'marketing' },
  { name: 'sales' },
  { name: 'collections' },
  { name: 'service' },
  { name: 'survey' },
]
