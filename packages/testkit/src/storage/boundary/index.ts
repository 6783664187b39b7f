import type { Switchboard } from '@switchboard/core'
import { beforeAll, describe } from 'vitest'
import { agentsBoundary } from './agents.js'
import { campaignsBoundary } from './campaigns.js'
import { casesBoundary } from './cases.js'
import { consentBoundary } from './consent.js'
import { contactsBoundary } from './contacts.js'
import type { BoundaryWorld } from './harness.js'
import { interactionsBoundary } from './interactions.js'
import { listsBoundary } from './lists.js'
import { rulesBoundary } from './rules.js'
import { segmentsBoundary } from './segments.js'

export type { BoundaryWorld } from './harness.js'

/**
 * The public boundary: every method of every service, with careless and
 * hostile input (missing, wrong type, unknown key, out of range, another
 * tenant's id, an unknown id, a huge string, a NUL), must fail as a typed
 * ValidationFailed / NotFound / Conflict naming the field — never a raw
 * TypeError, never a silent success.
 */
export function boundaryConformance(sb: () => Switchboard): void {
  describe('public boundary', () => {
    let world: BoundaryWorld | undefined
    beforeAll(async () => {
      const t = sb().tenant('boundary')
      const other = sb().tenant('boundary-other')
      const make = async (api: typeof t, ref: string) => {
        const agent = await api.agents.create({ name: 'Agent Smith' })
        const contact = await api.contacts.create({
          firstName: 'Bound',
          lastName: 'Ary',
          phones: ['+34 612 000 001'],
          externalRef: ref,
          ownerId: agent.id,
        })
        const campaign = await api.campaigns.create({
          name: 'Boundary',
          kind: 'telemarketing',
          dialMode: { mode: 'progressive' },
          regime: 'US',
          consentPurpose: 'marketing',
          dispositionCodes: ['SALE', 'NO_SALE'],
        })
        const kase = await api.cases.open({ contactId: contact.id, subject: 'Boundary case' })
        return { agent, contact, campaign, kase }
      }
      const mine = await make(t, 'boundary-ref')
      const foreign = await make(other, 'boundary-ref')
      world = { sb: sb(), t, other, ...mine, foreign }
    })
    const w = () => {
      if (!world) throw new Error('boundary world not set up')
      return world
    }
    contactsBoundary(w)
    interactionsBoundary(w)
    consentBoundary(w)
    campaignsBoundary(w)
    casesBoundary(w)
    listsBoundary(w)
    segmentsBoundary(w)
    rulesBoundary(w)
    agentsBoundary(w)
  })
}
