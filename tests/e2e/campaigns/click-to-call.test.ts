// Integration point 2, click to call, end to end on the simulated network and
// a virtual clock. Allowed: the network's own event stream shows the agent's
// leg placed and answered before the customer's leg is placed, the
// interaction is logged (outbound, agent, campaign, call id), gets its talk
// time when the call ends and the agent's code after `runtime.dispose`.
// Refused: a contact opted out of the campaign's purpose, on the
// do-not-call list, and called at 22:30 in New York is refused with all
// three reasons at once, and nothing is dialled or logged.
import { ClickToCallRefused } from '@switchboard/campaigns'
import type { Contact } from '@switchboard/core'
import { afterAll, describe, expect, it } from 'vitest'
import { BACKENDS, dropSchemas, START, world } from './harness.ts'
import { indexOf, offers, telephonyLog } from './inbound-helpers.ts'

afterAll(dropSchemas)

describe.each(BACKENDS)('click to call on %s', (backend) => {
  it('rings the agent first, then the customer, and logs the interaction through to its code', async () => {
    const w = await world({
      backend,
      agents: 1,
      contacts: 1,
      scripts: () => ({ outcome: 'person', ringSec: 4, talkSec: 25 }),
    })
    await w.t.dispositions.define({ code: 'SALE', label: 'Sale', category: 'sale' })
    const [contact] = w.contacts as [Contact]
    const [agent] = w.agents as [(typeof w.agents)[0]]
    const events = telephonyLog(w)
    const seen = offers(w)
    const connected: string[] = []
    w.runtime.on('call.connected', (e) => connected.push(e.callId))

    const placing = w.runtime.clickToCall(w.t.tenantId, {
      agentId: agent.id,
      contactId: contact.id,
      campaignId: w.campaign.id,
    })
    const failed = placing.then(
      () => undefined,
      (e: unknown) => e,
    )
    await w.advance(10)
    expect(await failed).toBeUndefined()
    const { interaction, callId } = await placing

    // the legs, in the network's order: agent placed and answered, then the customer placed and answered, then bridged
    const agentInit = indexOf(
      events,
      (e) => e.type === 'initiated' && e.role === 'agent' && e.agentId === agent.id,
    )
    expect(agentInit).toBeGreaterThanOrEqual(0)
    const agentCallId = events[agentInit]!.callId
    const agentAnswered = indexOf(events, (e) => e.type === 'answered' && e.callId === agentCallId)
    const customerInit = indexOf(events, (e) => e.type === 'initiated' && e.role === 'customer')
    const customerAnswered = indexOf(events, (e) => e.type === 'answered' && e.callId === callId)
    const bridged = indexOf(events, (e) => e.type === 'bridged')
    expect(agentInit).toBe(0)
    expect(agentAnswered).toBeGreaterThan(agentInit)
    expect(customerInit).toBeGreaterThan(agentAnswered)
    expect(customerAnswered).toBeGreaterThan(customerInit)
    expect(bridged).toBeGreaterThan(customerAnswered)
    const customerLeg = events[customerInit]!
    expect(customerLeg.callId).toBe(callId)
    expect(customerLeg.type === 'initiated' && customerLeg.target).toEqual({
      type: 'number',
      number: contact.phones[0]!.e164,
    })
    expect(events.filter((e) => e.type === 'initiated')).toHaveLength(2)

    // logged at once: outbound, by the agent, for the campaign, with the call id
    expect(interaction.contactId).toBe(contact.id)
    expect(interaction.channel).toBe('voice')
    expect(interaction.direction).toBe('outbound')
    expect(interaction.agentId).toBe(agent.id)
    expect(interaction.campaignId).toBe(w.campaign.id)
    expect(interaction.callId).toBe(callId)
    // clicked at START; logged before the agent's leg was placed
    expect(interaction.startedAt.getTime()).toBeGreaterThanOrEqual(START)
    expect(interaction.startedAt.getTime()).toBeLessThanOrEqual(events[agentInit]!.at)
    expect(await w.t.interactions.find({ contactId: contact.id })).toHaveLength(1)
    expect((await w.t.sessions.current(agent.id))?.state).toBe('on_call')
    // the agent's screen pops too
    expect(seen.map((p) => [p.callId, p.agentId, p.contact?.id, p.interactionId])).toEqual([
      [callId, agent.id, contact.id, interaction.id],
    ])
    // a malformed agent id is refused at the boundary, naming the field and the value
    await expect(w.runtime.hangup(w.t.tenantId, 'no such agent' as never)).rejects.toMatchObject({
      reason: 'validation_failed',
      issues: [expect.objectContaining({ field: 'agentId', value: 'no such agent' })],
    })
    // the pop names the campaign it was placed for, and the agent's screen hears they are connected
    expect(seen[0]?.campaignId).toBe(w.campaign.id)
    expect(connected).toEqual([callId])

    // the customer hangs up after 25 s of talk: talk time on the interaction, the agent in wrap-up
    await w.advance(30)
    const ended = await w.t.interactions.get(interaction.id)
    expect(ended.endedAt).toBeDefined()
    expect(ended.durations.talkSec).toBeGreaterThanOrEqual(24)
    expect(ended.durations.talkSec).toBeLessThanOrEqual(26)
    expect(ended.disposition).toBeUndefined()
    expect((await w.t.sessions.current(agent.id))?.state).toBe('wrap_up')

    await w.runtime.dispose(w.t.tenantId, agent.id, { code: 'SALE', note: 'Two-year plan' })
    const coded = await w.t.interactions.get(interaction.id)
    expect(coded.disposition).toBe('SALE')
    expect(coded.durations.talkSec).toBe(ended.durations.talkSec)
    expect((await w.t.sessions.current(agent.id))?.state).toBe('available')
    expect(await w.t.interactions.find({ contactId: contact.id })).toHaveLength(1)
    await w.close()
  })

  it('refuses with every reason (opted out, do-not-call, outside the window) and places nothing', async () => {
    const w = await world({
      backend,
      agents: 1,
      contacts: 1,
      scripts: () => ({ outcome: 'person', ringSec: 4, talkSec: 25 }),
    })
    const [contact] = w.contacts as [Contact]
    const [agent] = w.agents as [(typeof w.agents)[0]]
    await w.t.consent.record({
      contactId: contact.id,
      channel: 'voice',
      purpose: 'marketing', // the campaign's purpose
      status: 'opted_out',
      source: 'call',
    })
    await w.t.consent.addToDoNotCall({
      phone: contact.phones[0]!.e164,
      source: 'call',
      reason: 'asked on a call',
    })
    // 09:00 + 13 h 30 = 22:30 in New York, after the US window closes at 21:00
    await w.clock.advance(13.5 * 3600)
    await w.runtime.settled()
    expect(new Date(w.clock.now()).toISOString()).toBe('2026-01-07T03:30:00.000Z')

    const events = telephonyLog(w)
    const seen = offers(w)
    const error = await w.runtime
      .clickToCall(w.t.tenantId, { agentId: agent.id, contactId: contact.id, campaignId: w.campaign.id })
      .then(
        () => undefined,
        (e: unknown) => e,
      )
    expect(error).toBeInstanceOf(ClickToCallRefused)
    const refused = error as ClickToCallRefused
    expect(refused._tag).toBe('ClickToCallRefused')
    expect(refused.contactId).toBe(contact.id)
    const codes = refused.reasons.map((r) => r.code)
    expect(codes).toEqual(expect.arrayContaining(['opted_out', 'do_not_call', 'outside_calling_hours']))
    for (const r of refused.reasons) expect(r.message.length).toBeGreaterThan(0)

    await w.advance(10)
    expect(events).toEqual([])
    expect(w.tel.liveCalls).toBe(0)
    expect(seen).toEqual([])
    expect(await w.t.interactions.find({ contactId: contact.id })).toEqual([])
    expect((await w.t.sessions.current(agent.id))?.state).toBe('available')
    await w.close()
  })

  it('refuses each check on its own: opted out only, do-not-call only, outside the window only', async () => {
    const w = await world({
      backend,
      agents: 1,
      contacts: 3,
      scripts: () => ({ outcome: 'person', ringSec: 4, talkSec: 25 }),
    })
    const [optedOut, onDnc, night] = w.contacts as [Contact, Contact, Contact]
    const [agent] = w.agents as [(typeof w.agents)[0]]
    await w.t.consent.record({
      contactId: optedOut.id,
      channel: 'voice',
      purpose: 'marketing',
      status: 'opted_out',
      source: 'web form',
    })
    await w.t.consent.addToDoNotCall({ phone: onDnc.phones[0]!.e164, source: 'call' })
    // the third lives where it is 23:00 now (14:00 UTC)
    await w.t.contacts.update(night.id, { timeZone: 'Asia/Tokyo' })
    const events = telephonyLog(w)
    const reasonsOf = async (c: Contact) => {
      const e = await w.runtime
        .clickToCall(w.t.tenantId, { agentId: agent.id, contactId: c.id, campaignId: w.campaign.id })
        .then(
          () => undefined,
          (err: unknown) => err,
        )
      expect(e).toBeInstanceOf(ClickToCallRefused)
      return (e as ClickToCallRefused).reasons.map((r) => r.code)
    }
    expect(await reasonsOf(optedOut)).toEqual(['opted_out'])
    expect(await reasonsOf(onDnc)).toEqual(['do_not_call'])
    expect(await reasonsOf(night)).toEqual(['outside_calling_hours'])
    await w.advance(5)
    expect(events).toEqual([])
    for (const c of [optedOut, onDnc, night])
      expect(await w.t.interactions.find({ contactId: c.id })).toEqual([])
    await w.close()
  })
})
