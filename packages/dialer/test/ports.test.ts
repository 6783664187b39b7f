// Type-level checks (tsc runs on the tests: `pnpm --filter @switchboard/dialer typecheck`): core's real
// objects satisfy the dialer's ports. Core's root entry is imported here, in a test and as types only;
// the dialer's source may import only `@switchboard/core/domain` (see imports.test.ts).
import type { Campaign, TelephonyBackend, TenantApi } from '@switchboard/core'
import { describe, expectTypeOf, it } from 'vitest'
import {
  type AbandonedCallPlayer,
  AbandonmentLedger,
  type CanContact,
  ComplianceGuard,
  type GuardCampaign,
  handleAbandonedCall,
  pacerFor,
} from '../src/index.js'

describe("core's objects fit the dialer's ports", () => {
  it("a Campaign is the guard's campaign", () => {
    expectTypeOf<Campaign>().toExtend<GuardCampaign>()
    const asGuardCampaign = (c: Campaign): GuardCampaign => c
    expectTypeOf(asGuardCampaign).returns.toEqualTypeOf<GuardCampaign>()
  })

  it("tenant.consent.canContact is the guard's canContact", () => {
    expectTypeOf<TenantApi['consent']['canContact']>().toExtend<CanContact>()
    const asCanContact = (f: TenantApi['consent']['canContact']): CanContact => f
    expectTypeOf(asCanContact).returns.toEqualTypeOf<CanContact>()
  })

  it('a TelephonyBackend is the abandoned-call player', () => {
    expectTypeOf<TelephonyBackend>().toExtend<AbandonedCallPlayer>()
    expectTypeOf<Pick<TelephonyBackend, 'playMessage'>>().toExtend<AbandonedCallPlayer>()
    const asPlayer = (t: Pick<TelephonyBackend, 'playMessage'>): AbandonedCallPlayer => t
    expectTypeOf(asPlayer).returns.toEqualTypeOf<AbandonedCallPlayer>()
  })

  it('wires together with no cast', () => {
    // never called: the body only has to type-check
    const wire = (tenant: TenantApi, campaign: Campaign, telephony: TelephonyBackend) => {
      const guard = new ComplianceGuard({ campaign, canContact: tenant.consent.canContact })
      const pacer = pacerFor(campaign)
      const ledger = new AbandonmentLedger(campaign.regime.abandonment)
      const abandoned = handleAbandonedCall(
        { callId: 'call-1', contactId: 'ct-1', at: 0, wallClock: new Date(), campaign },
        ledger,
        telephony,
      )
      return { guard, pacer, abandoned }
    }
    expectTypeOf(wire).toBeFunction()
  })
})
