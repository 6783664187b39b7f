import { z } from 'zod'
import { Address, CountryCode, E164, EntityBase, Money, TimeZone } from './common.js'
import { EmailAddress } from './email.js'
import { AgentId, ContactId } from './ids.js'
import { Text } from './text.js'

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
  address: EmailAddress,
  primary: z.boolean(),
  verified: z.boolean(),
})
export type ContactEmail = z.infer<typeof ContactEmail>

export const LifecycleStage = z.enum(['lead', 'prospect', 'customer', 'former'])
export type LifecycleStage = z.infer<typeof LifecycleStage>

/** Typed custom attributes a host adds without a migration. */
export const AttributeValue = z.union([Text.long, z.number().finite(), z.boolean(), z.null()], {
  error: 'must be a string (at most 100,000 characters), a finite number, a boolean or null',
})
export type AttributeValue = z.infer<typeof AttributeValue>

export const AttributeName = z
  .string()
  .regex(/^[A-Za-z_][A-Za-z0-9_.-]{0,63}$/, 'must be 1-64 letters, digits, _ . - starting with a letter or _')

const Attributes = z
  .record(AttributeName, AttributeValue)
  .refine((a) => Object.keys(a).length <= 200, 'at most 200 attributes')

const Tags = z
  .array(Text.name.pipe(z.string().min(1, 'a tag must not be empty')))
  .max(100, 'at most 100 tags')

/** The host's own key for a contact: unique per tenant. */
export const ExternalRef = z
  .string()
  .min(1)
  .max(200)
  .refine((s) => !s.includes('\u0000'), 'contains a NUL character')

export const Contact = EntityBase.extend({
  id: ContactId,
  kind: z.enum(['person', 'company']),
  /** Names as the person typed them (outer white space trimmed); see `suggestNameCase` for a tidier form. */
  firstName: Text.name.optional(),
  lastName: Text.name.optional(),
  /** Given by the host, or derived from the names (and then recomputed when they change). */
  displayName: Text.requiredName,
  company: Text.name.optional(),
  account: Text.short.optional(),
  phones: z.array(ContactPhone),
  emails: z.array(ContactEmail),
  address: Address.optional(),
  /** The contact's IANA zone, when it is known for sure. */
  timeZone: TimeZone.optional(),
  /**
   * When the zone is not known for sure (a number whose exchange spans two
   * zones, a country with several): every zone the contact may be in. Calling
   * windows must then hold in each of them.
   */
  timeZoneCandidates: z.array(TimeZone).optional(),
  /** Where the time zone came from: given by the host, or derived. */
  timeZoneSource: z.enum(['given', 'address', 'phone']).optional(),
  lifecycle: LifecycleStage,
  ownerId: AgentId.optional(),
  tags: z.array(z.string()),
  attributes: z.record(z.string(), AttributeValue),
  lifetimeValue: Money.optional(),
  openBalance: Money.optional(),
  /** The host's own key for this contact (unique per tenant; for idempotent imports). */
  externalRef: ExternalRef.optional(),
  /** Set when this contact was merged into another one (deduplication lineage). */
  mergedInto: ContactId.optional(),
})
export type Contact = z.infer<typeof Contact>

const PhoneInput = z.union(
  [
    z.string().max(64),
    z.strictObject({
      number: z.string().max(64),
      type: PhoneType.optional(),
      primary: z.boolean().optional(),
      verified: z.boolean().optional(),
    }),
  ],
  { error: 'must be a phone number string, or { number, type?, primary?, verified? }' },
)

const EmailInput = z.union(
  [z.string().max(320), z.strictObject({ address: z.string().max(320), verified: z.boolean().optional() })],
  { error: 'must be an e-mail string, or { address, verified? }' },
)

const contactFields = {
  kind: z.enum(['person', 'company']),
  firstName: Text.name,
  lastName: Text.name,
  displayName: Text.name,
  company: Text.name,
  account: Text.short,
  phones: z.array(PhoneInput).max(20, 'at most 20 phone numbers'),
  emails: z.array(EmailInput).max(20, 'at most 20 e-mail addresses'),
  address: Address,
  timeZone: z.string().max(64),
  lifecycle: LifecycleStage,
  ownerId: AgentId,
  tags: Tags,
  attributes: Attributes,
  lifetimeValue: Money,
  openBalance: Money,
  externalRef: ExternalRef,
}

/**
 * What a host gives to create a contact: raw phones and emails are accepted
 * and normalised (E.164, type, country, time zone) by core's data-quality step.
 * Unknown keys are refused (`phone` is not `phones`).
 */
export const ContactInput = z.strictObject({
  kind: contactFields.kind.default('person'),
  firstName: contactFields.firstName.optional(),
  lastName: contactFields.lastName.optional(),
  displayName: contactFields.displayName.optional(),
  company: contactFields.company.optional(),
  account: contactFields.account.optional(),
  phones: contactFields.phones.default([]),
  emails: contactFields.emails.default([]),
  address: contactFields.address.optional(),
  timeZone: contactFields.timeZone.optional(),
  lifecycle: contactFields.lifecycle.default('lead'),
  ownerId: contactFields.ownerId.optional(),
  tags: contactFields.tags.default([]),
  attributes: contactFields.attributes.default({}),
  lifetimeValue: contactFields.lifetimeValue.optional(),
  openBalance: contactFields.openBalance.optional(),
  externalRef: contactFields.externalRef.optional(),
  /** Default region for numbers written without a country code (ISO 3166-1 alpha-2). */
  defaultCountry: CountryCode.optional(),
})
export type ContactInput = z.input<typeof ContactInput>

/**
 * A change to a contact: the fields given replace the stored ones; `null`
 * clears an optional field. Derived fields (display name, time zone) follow.
 */
export const ContactPatch = z.strictObject({
  kind: contactFields.kind.optional(),
  firstName: contactFields.firstName.nullable().optional(),
  lastName: contactFields.lastName.nullable().optional(),
  displayName: contactFields.displayName.nullable().optional(),
  company: contactFields.company.nullable().optional(),
  account: contactFields.account.nullable().optional(),
  phones: contactFields.phones.optional(),
  emails: contactFields.emails.optional(),
  address: contactFields.address.nullable().optional(),
  timeZone: contactFields.timeZone.nullable().optional(),
  lifecycle: contactFields.lifecycle.optional(),
  ownerId: contactFields.ownerId.nullable().optional(),
  tags: contactFields.tags.optional(),
  attributes: contactFields.attributes.optional(),
  lifetimeValue: contactFields.lifetimeValue.nullable().optional(),
  openBalance: contactFields.openBalance.nullable().optional(),
  externalRef: contactFields.externalRef.nullable().optional(),
  defaultCountry: CountryCode.optional(),
})
export type ContactPatch = z.input<typeof ContactPatch>
