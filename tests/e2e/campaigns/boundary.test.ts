// The runtime's boundary: bad input to its public methods and options is a
// ValidationFailed that names the field and the value, and nothing is placed.
import { createCampaignRuntime } from '@switchboard/campaigns'
import { afterAll, expect, it } from 'vitest'
import { dropSchemas, world } from './harness.ts'

afterAll(dropSchemas)

it('refuses misspelt options, bad click-to-call input and bad ids with the field and the value', async () => {
  const w = await world({ backend: 'sqlite', agents: 1, contacts: 1 })
  const placed: string[] = []
  w.tel.onEvent((e) => {
    if (e.type === 'initiated') placed.push(e.callId)
  })
  const misspelt = (() => {
    try {
      createCampaignRuntime(w.sb, { leaseSecs: 5 } as never)
    } catch (e) {
      return e as { _tag: string; issues: Array<{ field: string }> }
    }
  })()
  expect(misspelt?._tag).toBe('ValidationFailed')
  expect(misspelt?.issues.map((i) => i.field)).toContain('options.leaseSecs')
  const bad = await w.runtime
    .clickToCall(w.t.tenantId, {
      agentId: w.agents[0]!.id,
      contactId: w.contacts[0]!.id,
      campaignId: w.campaign.id,
      phone: '555-0100',
    } as never)
    .catch((e) => e)
  expect(bad._tag).toBe('ValidationFailed')
  expect(bad.issues).toEqual([expect.objectContaining({ field: 'phone', value: '555-0100' })])
  const extra = await w.runtime
    .clickToCall(w.t.tenantId, {
      agentId: w.agents[0]!.id,
      contactId: w.contacts[0]!.id,
      campaignId: w.campaign.id,
      number: '+12125551000',
    } as never)
    .catch((e) => e)
  expect(extra._tag).toBe('ValidationFailed')
  expect(extra.issues[0].field).toBe('number')
  const id = await w.runtime.identify(w.t.tenantId, 'no-such-call', '' as never).catch((e) => e)
  expect(id._tag).toBe('ValidationFailed')
  expect(id.issues[0]).toMatchObject({ field: 'contactId', value: '' })
  const gone = await w.runtime.identify(w.t.tenantId, 'no-such-call', w.contacts[0]!.id).catch((e) => e)
  expect(gone.issues[0]).toMatchObject({ field: 'callId', value: 'no-such-call' })
  const other = await w.runtime.start(w.t.tenantId, 'cp_missing' as never).catch((e) => e)
  expect(other._tag).toBe('NotFound')
  expect(placed).toEqual([])
  await w.close()
})
