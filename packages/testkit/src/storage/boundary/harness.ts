import type { Agent, Campaign, Case, Contact, Switchboard, TenantApi } from '@switchboard/core'
import { expect } from 'vitest'

/** What every boundary suite works with: one tenant with data, and another tenant. */
export interface BoundaryWorld {
  readonly sb: Switchboard
  /** The tenant under test. */
  readonly t: TenantApi
  /** Another tenant, whose ids must be unreachable from `t`. */
  readonly other: TenantApi
  readonly contact: Contact
  readonly campaign: Campaign
  readonly kase: Case
  readonly agent: Agent
  /** Ids that exist, but in the other tenant. */
  readonly foreign: {
    readonly contact: Contact
    readonly campaign: Campaign
    readonly kase: Case
    readonly agent: Agent
  }
}

export const HUGE = 'x'.repeat(1 << 20)
export const NUL = 'bad\u0000text'
export const UNKNOWN_CONTACT = 'ct_00000000000070008000000000000000'

/** The error a call rejected (or threw) with; fails when it resolved. */
export async function failure(call: () => unknown): Promise<Record<string, unknown>> {
  try {
    await call()
  } catch (e) {
    return e as Record<string, unknown>
  }
  throw new Error('expected the call to fail, it succeeded')
}

/**
 * Asserts a typed failure: `tag`, and for a ValidationFailed an issue on
 * `field` (exact, or a pattern) whose message is in the error's message.
 */
export async function expectFailure(
  call: () => unknown,
  tag: string,
  field?: string | RegExp,
): Promise<void> {
  const e = await failure(call)
  expect(e instanceof TypeError || e instanceof RangeError, `raw ${String(e)}`).toBe(false)
  expect(e._tag, String(e.message ?? e)).toBe(tag)
  expect(typeof e.reason).toBe('string')
  expect(typeof e.retryable).toBe('boolean')
  expect(typeof e.message).toBe('string')
  if (field !== undefined) {
    const issues = (e.issues ?? []) as Array<{ field: string; message: string }>
    const hit = issues.find((i) => (typeof field === 'string' ? i.field === field : field.test(i.field)))
    expect(hit, `no issue on ${String(field)} in ${JSON.stringify(issues)}`).toBeDefined()
    expect(String(e.message)).toContain(hit!.field)
  }
}

/** Each case: a label, the call, the tag and (for ValidationFailed) the field it must name. */
export type Case_ = readonly [label: string, call: () => unknown, tag: string, field?: string | RegExp]
