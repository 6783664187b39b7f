import { z } from 'zod'
import { Address, CountryCode, E164, EntityBase, Money, TimeZone } from './common.js'
import { AgentId, ContactId } from './ids.js'

export const PhoneType = z.enum([
  'mobile',
  'fixed_line',
  'fixed_line_or_mobile',
  'voip',
  'toll_free',
  'premium_rate',
  'unknown',
])
export type PhoneType = z.infer<typeof PhoneType>

export const ContactPhone = z.object({
  e164: E164,
  type: PhoneType,
  country: CountryCode.optional(),
  primary: z.boolean(),
  verified: z.boolean(),
})
export type ContactPhone = z.infer<typeof ContactPhone>

export const ContactEmail = z.object({
  address: z.email(),
  primary: z.boolean(),
  verified: z.boolean(),
})
export type ContactEmail = z.infer<typeof ContactEmail>

export const LifecycleStage = z.enum(['lead', 'prospect', 'customer', 'former'])
export type LifecycleStage = z.infer<typeof LifecycleStage>

/** Typed custom attributes a host adds without a migration. */
export const AttributeValue = z.union([z.string(), z.number(), z.boolean(), z.null()])
export type AttributeValue = z.infer<typeof AttributeValue>

export const Contact = EntityBase.extend({
  id: ContactId,
  kind: z.enum(['person', 'company']),
  firstName: z.string().optional(),
  lastName: z.string().optional(),
  displayName: z.string().min(1),
  company: z.string().optional(),
  account: z.string().optional(),
  phones: z.array(ContactPhone),
  emails: z.array(ContactEmail),
  address: Address.optional(),
  timeZone: TimeZone.optional(),
  /** Where the time zone came from: given by the host, or derived. */
  timeZoneSource: z.enum(['given', 'address', 'phone']).optional(),
  lifecycle: LifecycleStage,
  ownerId: AgentId.optional(),
  tags: z.array(z.string()),
  attributes: z.record(z.string(), AttributeValue),
  lifetimeValue: Money.optional(),
  openBalance: Money.optional(),
  /** The host's own key for this contact (for idempotent imports). */
  externalRef: z.string().optional(),
  /** Set when this contact was merged into another one (deduplication lineage). */
  mergedInto: ContactId.optional(),
})
export type Contact = z.infer<typeof Contact>

/**
 * What a host gives to create a contact: raw phones and emails are accepted
 * and normalised (E.164, type, country, time zone) by core's data-quality step.
 */
export const ContactInput = z.object({
  kind: z.enum(['person', 'company']).default('person'),
  firstName: z.string().optional(),
  lastName: z.string().optional(),
  displayName: z.string().optional(),
  company: z.string().optional(),
  account: z.string().optional(),
  phones: z
    .array(
      z.union([
        z.string(),
        z.object({
          number: z.string(),
          type: PhoneType.optional(),
          primary: z.boolean().optional(),
          verified: z.boolean().optional(),
        }),
      ]),
    )
    .default([]),
  emails: z
    .array(z.union([z.string(), z.object({ address: z.string(), verified: z.boolean().optional() })]))
    .default([]),
  address: Address.optional(),
  timeZone: z.string().optional(),
  lifecycle: LifecycleStage.default('lead'),
  ownerId: AgentId.optional(),
  tags: z.array(z.string()).default([]),
  attributes: z.record(z.string(), AttributeValue).default({}),
  lifetimeValue: Money.optional(),
  openBalance: Money.optional(),
  externalRef: z.string().optional(),
  /** Default region for numbers written without a country code. */
  defaultCountry: CountryCode.optional(),
})
export type ContactInput = z.input<typeof ContactInput>

export const ContactPatch = ContactInput.partial().omit({ defaultCountry: true })
export type ContactPatch = z.input<typeof ContactPatch>
