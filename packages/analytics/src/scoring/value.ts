import { z } from 'zod'

/**
 * What a conversion of the contact is worth, for the expected value
 * (probability x value): a constant, a numeric attribute, or the contact's
 * lifetime value or open balance (minor units). `otherwise` when it is missing.
 */
export const ValueSource = z.union([
  z.strictObject({ constant: z.number().finite() }),
  z.strictObject({ attribute: z.string().min(1).max(64), otherwise: z.number().finite().optional() }),
  z.strictObject({
    money: z.enum(['lifetimeValue', 'openBalance']),
    otherwise: z.number().finite().optional(),
  }),
])
export type ValueSource = z.infer<typeof ValueSource>
