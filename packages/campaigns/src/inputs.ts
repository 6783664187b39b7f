import { AgentId, CampaignId, ContactId, E164, issuesFromZod, validationFailed } from '@switchboard/core'
import { z } from 'zod'

/** The runtime's options, strict: a misspelt option is refused, not ignored. */
export const RuntimeOptionsInput = z
  .object({
    telephony: z.unknown().optional(),
    clock: z.unknown().optional(),
    worker: z
      .string()
      .regex(/^[A-Za-z0-9_.:-]{1,64}$/, 'must be 1-64 letters, digits, _ . : -')
      .optional(),
    inbound: z
      .strictObject({ tenant: z.string().min(1), maxWaitSec: z.number().positive().max(3600).optional() })
      .optional(),
    followIntervalMs: z.number().int().min(10).max(60_000).optional(),
    leaseSec: z.number().min(1).max(3600).optional(),
    ringTimeoutSec: z.number().positive().max(300).optional(),
    tickMs: z.number().int().min(10).max(60_000).optional(),
    log: z.unknown().optional(),
    listOrder: z
      .union([
        z.literal('fifo'),
        z.strictObject({
          table: z.string().regex(/^[a-z_][a-z0-9_]{0,62}$/),
          column: z.string().regex(/^[a-z_][a-z0-9_]{0,62}$/),
          contactColumn: z
            .string()
            .regex(/^[a-z_][a-z0-9_]{0,62}$/)
            .optional(),
        }),
      ])
      .optional(),
  })
  .strict()

export const ClickToCallInputSchema = z.strictObject({
  agentId: AgentId,
  contactId: ContactId,
  campaignId: CampaignId,
  phone: E164.optional(),
})

/** Parses one argument of a runtime method: the value, or a ValidationFailed naming the field and value. */
export function parseInput<S extends z.ZodType>(
  entity: string,
  schema: S,
  value: unknown,
  field?: string,
): z.output<S> {
  const r = schema.safeParse(value)
  if (r.success) return r.data
  throw validationFailed(
    entity,
    issuesFromZod(value, r.error.issues, schema).map((i) =>
      field ? { ...i, field: i.field ? `${field}.${i.field}` : field } : i,
    ),
  )
}
