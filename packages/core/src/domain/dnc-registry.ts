import { z } from 'zod'
import { CountryCode, EntityBase, Timestamp } from './common.js'
import { CampaignId } from './ids.js'
import { Text } from './text.js'

/**
 * Whose list it is: the tenant's own (`internal`), one campaign's
 * (`campaign`: consulted only for that campaign), or a country's registry
 * (`national`: Lista Robinson, the US National DNC, the UK TPS).
 */
export const DncRegistryKind = z.enum(['internal', 'campaign', 'national'])
export type DncRegistryKind = z.infer<typeof DncRegistryKind>

/**
 * How a line of the file holds its number: `number` (the first field: the
 * whole line, or what comes before the first `,` `;` or tab), or
 * `area-code,number` (the US National DNC download: "201,5550123").
 */
export const DncLineFormat = z.enum(['number', 'area-code,number'])
export type DncLineFormat = z.infer<typeof DncLineFormat>

/** A registry's name: lower case, digits and `-` (`lista-robinson`, `campaign-42`). */
export const DncRegistryName = z
  .string()
  .regex(
    /^[a-z0-9][a-z0-9-]{0,63}$/,
    'must be lower case letters, digits and "-" (at most 64), e.g. "us-dnc"',
  )

export const DncRegistryInput = z
  .strictObject({
    name: DncRegistryName,
    kind: DncRegistryKind,
    /** The campaign a `campaign` registry belongs to (required for that kind, refused for others). */
    campaignId: CampaignId.optional(),
    /** Country of the numbers written without a country code (and of a national registry). */
    country: CountryCode.optional(),
    lineFormat: DncLineFormat.default('number'),
    /** Who publishes it ("Adigital", "FTC"): every entry's source names it with the version's file. */
    publisher: Text.label.optional(),
    /** How often the regulation wants it refreshed (US: 31 days); informative. */
    refreshEveryDays: z.number().int().min(1).max(366).optional(),
    description: Text.short.optional(),
  })
  .superRefine((r, ctx) => {
    if (r.kind === 'campaign' && !r.campaignId)
      ctx.addIssue({ code: 'custom', path: ['campaignId'], message: 'is required for a campaign registry' })
    if (r.kind !== 'campaign' && r.campaignId)
      ctx.addIssue({
        code: 'custom',
        path: ['campaignId'],
        message: `is only for a campaign registry (kind is ${r.kind})`,
      })
  })
export type DncRegistryInput = z.input<typeof DncRegistryInput>

/** A do-not-call registry; its numbers come in versions, one of them active. */
export const DncRegistry = EntityBase.extend({
  name: DncRegistryName,
  kind: DncRegistryKind,
  campaignId: CampaignId.optional(),
  country: CountryCode.optional(),
  lineFormat: DncLineFormat,
  publisher: Text.label.optional(),
  refreshEveryDays: z.number().int().optional(),
  description: Text.short.optional(),
  /** The version every check reads (none before the first import completes). */
  activeVersion: z.number().int().positive().optional(),
})
export type DncRegistry = z.infer<typeof DncRegistry>

export const DncVersionStatus = z.enum(['loading', 'active', 'retired', 'abandoned'])
export type DncVersionStatus = z.infer<typeof DncVersionStatus>

/** One load of a registry's file. Loaded beside the active one, then swapped in at once. */
export const DncRegistryVersion = z.object({
  registry: DncRegistryName,
  version: z.number().int().positive(),
  status: DncVersionStatus,
  /** Where this version's numbers come from (the file, its publication date). */
  source: Text.label,
  startedAt: Timestamp,
  activatedAt: Timestamp.optional(),
  retiredAt: Timestamp.optional(),
  /** Numbers stored (after duplicates). */
  numbers: z.number().int().nonnegative(),
  rejected: z.number().int().nonnegative(),
})
export type DncRegistryVersion = z.infer<typeof DncRegistryVersion>

/** One number found on the active version of a registry. */
export interface DncRegistryHit {
  readonly phone: string
  readonly registry: string
  readonly kind: DncRegistryKind
  readonly version: number
  readonly source: string
  /** When the version holding it became active. */
  readonly activatedAt: Date
  /** The registration date the file gave, when it gives one. */
  readonly listedAt?: Date
}

/**
 * National registries as configurations of the one mechanism: define one
 * with `consent.defineRegistry(dncPresets.ES_ROBINSON)` and import its file.
 */
export const dncPresets = {
  /** Spain: Adigital's Lista Robinson (LOPDGDD art. 23), consulted before every campaign. */
  ES_ROBINSON: {
    name: 'lista-robinson',
    kind: 'national',
    country: 'ES',
    lineFormat: 'number',
    publisher: 'Adigital (Lista Robinson)',
    refreshEveryDays: 30,
    description: 'Spain: people who asked not to receive advertising calls',
  },
  /** United States: the FTC's National Do Not Call Registry; sellers must refresh it every 31 days (TSR). */
  US_NATIONAL_DNC: {
    name: 'us-dnc',
    kind: 'national',
    country: 'US',
    lineFormat: 'area-code,number',
    publisher: 'FTC (National Do Not Call Registry)',
    refreshEveryDays: 31,
    description: 'United States: the National Do Not Call Registry, as downloaded by area code',
  },
  /** United Kingdom: the Telephone Preference Service (PECR reg. 21), refreshed at least every 28 days. */
  UK_TPS: {
    name: 'uk-tps',
    kind: 'national',
    country: 'GB',
    lineFormat: 'number',
    publisher: 'TPS Ltd (Telephone Preference Service)',
    refreshEveryDays: 28,
    description: 'United Kingdom: numbers registered with the Telephone Preference Service',
  },
} as const satisfies Record<string, DncRegistryInput>
