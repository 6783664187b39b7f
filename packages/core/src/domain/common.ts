import { z } from 'zod'
import { TenantId } from './ids.js'

/** Every stored entity: owned by one tenant, stamped on creation and change. */
export const EntityBase = z.object({
  tenantId: TenantId,
  createdAt: z.date(),
  updatedAt: z.date(),
})

export const E164 = z
  .string()
  .regex(/^\+[1-9]\d{6,14}$/, 'must be an E.164 number such as +14155550123')
  .brand<'E164'>()
export type E164 = z.infer<typeof E164>

export const CountryCode = z.string().regex(/^[A-Z]{2}$/, 'must be an ISO 3166-1 alpha-2 code such as US')

export const TimeZone = z.string().refine(isIanaZone, 'must be an IANA time zone such as America/New_York')

export function isIanaZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone })
    return zone.includes('/') || zone === 'UTC'
  } catch {
    return false
  }
}

/** Money in minor units (cents) so sums are exact. */
export const Money = z.object({
  amountMinor: z.number().int(),
  currency: z.string().regex(/^[A-Z]{3}$/, 'must be an ISO 4217 code such as USD'),
})
export type Money = z.infer<typeof Money>

export const Channel = z.enum(['voice', 'email', 'sms', 'chat', 'social', 'video', 'web', 'note'])
export type Channel = z.infer<typeof Channel>

export const Address = z.object({
  line1: z.string().optional(),
  line2: z.string().optional(),
  city: z.string().optional(),
  region: z.string().optional(),
  postalCode: z.string().optional(),
  country: CountryCode.optional(),
})
export type Address = z.infer<typeof Address>
