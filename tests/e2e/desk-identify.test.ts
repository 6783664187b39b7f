// A caller on a shared number (his grandmother's phone): the pop asks what tells
// the two contacts apart, the agent verifies him on the call with
// `contacts.verify`, and `runtime.identify` logs the pick with the check's result.
import type { Contact } from '@switchboard/core'
import { afterAll, describe, expect, it } from 'vitest'
import { BACKENDS, dropSchemas, world } from './campaigns/harness.ts'
import { offers, ringIn } from './campaigns/inbound-helpers.ts'

afterAll(dropSchemas)

describe.each(BACKENDS)('identity verification on an inbound call on %s', (backend) => {
  it("asks from the contacts' data, verifies the caller, and the agent's pick says so", async () => {
    const w = await world({ backend, inbound: true, agents: 1, contacts: 1 })
    const landline = '+12125558000'
    const carmen = await w.t.contacts.create({
      firstName: 'Carmen',
      phones: [landline],
      attributes: { dateOfBirth: '1941-02-03' },
      timeZone: 'America/New_York',
    })
    const pablo = await w.t.contacts.create({
      firstName: 'Pablo',
      phones: [landline],
      attributes: { dateOfBirth: '2004-11-30' },
      timeZone: 'America/New_York',
    })
    const seen = offers(w)
    const { callId, pops } = await ringIn(w, seen, { from: landline, talkSec: 30 })
    const pop = pops[0]!
    expect(pop.verification?.reason).toBe('ambiguous')
    expect(pop.verification?.verify).toEqual(['date of birth'])
    const candidates = pop.verification!.candidates as Contact[]
    const wrong = await w.t.contacts.verify(candidates, { dateOfBirth: '1990-01-01' }, { callId })
    expect(wrong.status).toBe('failed')
    // Picking someone no check verified says so.
    const unverified = await w.runtime.identify(w.t.tenantId, callId, carmen.id)
    expect(unverified.subject).toMatch(/; identity not verified$/)
    const right = await w.t.contacts.verify(candidates, { dateOfBirth: '30.11.2004' }, { callId })
    expect(right.status === 'verified' && right.contact.id).toBe(pablo.id)
    const picked = await w.runtime.identify(w.t.tenantId, callId, pablo.id)
    expect(picked.subject).toBe(
      `caller identified by the agent (number ${landline}); identity verified by dateOfBirth`,
    )
    // The checks are found from the interaction's call.
    expect((await w.t.contacts.verifications({ callId: picked.callId! })).map((c) => c.status)).toEqual([
      'failed',
      'verified',
    ])
    await w.close()
  })
})
