// Integration point 1, screen pop, end to end on the simulated network and a
// virtual clock. Outbound: the dialer connects a person and the connected
// agent gets one `call.offered` carrying the card, the timeline of every
// channel (an earlier e-mail, a note, the attempt itself), the open cases
// and the campaign's script. Inbound: callers are matched across all
// contacts' phones (a secondary phone identifies); a withheld, unknown or
// shared number comes with a verification request instead of a guess, and
// `runtime.identify` logs the agent's choice; the longest-idle agent gets
// the call.
import type { CallOffered } from '@switchboard/campaigns'
import type { Contact } from '@switchboard/core'
import type { AgentProfile } from '@switchboard/telephony/simulated'
import { afterAll, describe, expect, it } from 'vitest'
import { BACKENDS, dropSchemas, START, world } from './harness.ts'
import { offers, ringIn } from './inbound-helpers.ts'

afterAll(dropSchemas)

const DAY = 86_400_000
const SCRIPT = 'Greet {firstName}; confirm the renewal date; offer the two-year plan.'

describe.each(BACKENDS)('screen pop on %s', (backend) => {
  it('outbound: the connected agent gets contact, all-channel timeline, open cases and script in one event', async () => {
    const w = await world({
      backend,
      agents: 2,
      contacts: 1,
      scripts: () => ({ outcome: 'person', ringSec: 3, talkSec: 20 }),
      campaign: { script: SCRIPT },
      // a perfect answering-machine detector: the person is never taken for a machine
      network: { amd: { sensitivity: 1, specificity: 1 } },
    })
    const [contact] = w.contacts as [Contact]
    const email = await w.t.interactions.log({
      contactId: contact.id,
      channel: 'email',
      direction: 'inbound',
      subject: 'When does my contract renew?',
      startedAt: new Date(START - 2 * DAY),
    })
    const note = await w.t.interactions.log({
      contactId: contact.id,
      channel: 'note',
      direction: 'internal',
      body: 'Prefers calls in the morning.',
      startedAt: new Date(START - DAY),
    })
    const open = await w.t.cases.open({ contactId: contact.id, subject: 'Invoice disputed' })
    const closed = await w.t.cases.open({ contactId: contact.id, subject: 'Old address' })
    await w.t.cases.setStatus(closed.id, 'closed')

    const seen = offers(w)
    const connected: string[] = []
    w.runtime.on('call.connected', (e) => connected.push(e.agentId))
    await w.runtime.start(w.t.tenantId, w.campaign.id)
    await w.advance(15)

    expect(seen).toHaveLength(1)
    const pop = seen[0]!
    expect(connected).toEqual([pop.agentId])
    expect(w.agents.map((a) => a.id)).toContain(pop.agentId)
    expect(pop.direction).toBe('outbound')
    expect(pop.campaignId).toBe(w.campaign.id)
    expect(pop.contact?.id).toBe(contact.id)
    expect(pop.contact?.firstName).toBe('Lead0')
    expect(pop.verification).toBeUndefined()
    // the timeline: every channel, the current attempt included
    const [attempt] = await w.t.interactions.find({ campaignId: w.campaign.id, contactId: contact.id })
    expect(attempt).toBeDefined()
    expect(pop.interactionId).toBe(attempt!.id)
    expect(new Set(pop.timeline.map((i) => i.id))).toEqual(new Set([email.id, note.id, attempt!.id]))
    expect(new Set(pop.timeline.map((i) => i.channel))).toEqual(new Set(['email', 'note', 'voice']))
    expect(pop.timeline.find((i) => i.id === email.id)?.subject).toBe('When does my contract renew?')
    expect(pop.openCases.map((c) => c.id)).toEqual([open.id])
    expect(pop.script).toBe(SCRIPT)
    // and it was the agent the call was bridged to
    expect((await w.t.interactions.get(attempt!.id)).agentId).toBe(pop.agentId)
    await w.advance(10) // the call ends before the world closes
    await w.close()
  })

  describe('inbound', () => {
    /** An inbound world: two agents, a contact with two phones, two contacts sharing one number. */
    const inboundWorld = async () => {
      const w = await world({ backend, inbound: true, agents: 2, contacts: 2 })
      const twoPhones = await w.t.contacts.create({
        firstName: 'Ada',
        lastName: 'Second',
        phones: [{ number: '+12125557001', primary: true }, { number: '+12125557002' }],
        timeZone: 'America/New_York',
      })
      const shareA = await w.t.contacts.create({
        firstName: 'Bo',
        lastName: 'Shared',
        phones: ['+12125558000'],
        timeZone: 'America/New_York',
      })
      const shareB = await w.t.contacts.create({
        firstName: 'Cy',
        lastName: 'Shared',
        phones: ['+12125558000', '+12125558001'],
        timeZone: 'America/New_York',
      })
      return { w, twoPhones, shareA, shareB, seen: offers(w) }
    }
    const inboundOf = async (w: Awaited<ReturnType<typeof inboundWorld>>['w'], contactId: Contact['id']) =>
      (await w.t.interactions.find({ contactId })).filter((i) => i.direction === 'inbound')

    it("identifies a caller by a contact's secondary phone and gives the call to the longest-idle agent", async () => {
      const { w, twoPhones, seen } = await inboundWorld()
      // both agents logged in at START; the one the tie-break would pick pauses, and is ready again later
      const [first, second] = [...w.agents].sort((a, b) => (a.id < b.id ? -1 : 1)) as [
        (typeof w.agents)[0],
        (typeof w.agents)[0],
      ]
      await w.advance(5)
      await w.t.sessions.pause(first.id, 'coffee')
      await w.advance(25)
      await w.t.sessions.ready(first.id)
      await w.advance(30)

      const { callId, arrivedAt, pops } = await ringIn(w, seen, { from: '+12125557002' })
      expect(pops).toHaveLength(1)
      const pop = pops[0]!
      expect(pop.agentId).toBe(second.id) // idle since START; `first` only since START + 30 s
      expect(pop.direction).toBe('inbound')
      expect(pop.verification).toBeUndefined()
      expect(pop.contact?.id).toBe(twoPhones.id)
      const logged = await inboundOf(w, twoPhones.id)
      expect(logged).toHaveLength(1)
      expect(logged[0]!.callId).toBe(callId)
      expect(logged[0]!.channel).toBe('voice')
      expect(logged[0]!.startedAt.getTime()).toBe(arrivedAt) // when the call came in
      expect(arrivedAt).toBe(START + 60_000)
      expect(pop.interactionId).toBe(logged[0]!.id)
      expect(pop.timeline.map((i) => i.id)).toContain(logged[0]!.id)
      expect((await w.t.sessions.current(second.id))?.state).toBe('on_call')
      expect((await w.t.sessions.current(first.id))?.state).toBe('available')
      await w.advance(20) // the call ends before the world closes
      await w.close()
    })

    it('an identified caller nobody answers: the logged interaction is closed and coded ABANDONED', async () => {
      const w = await world({ backend, inbound: true, agents: 1, contacts: 1, login: false })
      const [contact] = w.contacts as [Contact]
      const seen = offers(w)
      const { callId } = await ringIn(w, seen, { from: contact.phones[0]!.e164 }, 90)
      expect(seen).toEqual([])
      expect(w.tel.call(callId)).toBeUndefined()
      const logged = (await w.t.interactions.find({ contactId: contact.id })).filter(
        (i) => i.direction === 'inbound',
      )
      expect(logged).toHaveLength(1)
      expect(logged[0]!.callId).toBe(callId)
      expect(logged[0]!.endedAt).toBeDefined()
      expect(logged[0]!.disposition).toBe('ABANDONED')
      expect(await w.t.interactions.find({ contactId: contact.id, open: true })).toEqual([])
      await w.close()
    })

    it("a caller who hangs up while the agent's phone rings: coded ABANDONED, not a runtime error", async () => {
      // The agent's softphone rings 10 s; the caller gives up 1 s after the runtime answers.
      // (The network reads agent profiles when it rings one: filled in once the agent exists.)
      const profiles: Record<string, AgentProfile> = {}
      const w = await world({
        backend,
        inbound: true,
        agents: 1,
        contacts: 1,
        network: { agents: profiles, carrier: { patienceSec: { type: 'fixed', sec: 1 } } },
      })
      const slow = w.agents[0]!
      profiles[slow.id] = { answerSec: { type: 'fixed', sec: 10 } }
      const errors: unknown[] = []
      w.runtime.on('runtime.error', (e) => errors.push(e))
      const [contact] = w.contacts as [Contact]
      const seen = offers(w)
      const { callId } = await ringIn(w, seen, { from: contact.phones[0]!.e164 }, 20)
      expect(seen.map((p) => p.agentId)).toEqual([slow.id])
      expect(w.tel.call(callId)).toBeUndefined()
      expect(errors).toEqual([])
      const logged = (await w.t.interactions.find({ contactId: contact.id })).filter(
        (i) => i.direction === 'inbound',
      )
      expect(logged).toHaveLength(1)
      expect(logged[0]!.endedAt).toBeDefined()
      expect(logged[0]!.disposition).toBe('ABANDONED')
      expect(logged[0]!.agentId).toBeUndefined()
      expect((await w.t.sessions.current(slow.id))?.state).toBe('available')
      await w.close()
    })

    it("a withheld number asks to verify ('withheld'), even when the number behind it is known", async () => {
      const { w, twoPhones, seen } = await inboundWorld()
      const { pops } = await ringIn(w, seen, { from: '+12125557002', withheld: true })
      expect(pops).toHaveLength(1)
      const pop = pops[0]!
      expect(pop.contact).toBeUndefined()
      expect(pop.verification?.reason).toBe('withheld')
      expect(pop.verification?.candidates).toEqual([])
      expect(pop.verification?.verify.length).toBeGreaterThan(0)
      expect(pop.timeline).toEqual([])
      expect(pop.openCases).toEqual([])
      expect(await inboundOf(w, twoPhones.id)).toEqual([])
      await w.advance(20) // the call ends before the world closes
      await w.close()
    })

    it("a number no contact has asks to verify ('unknown')", async () => {
      const { w, twoPhones, shareA, shareB, seen } = await inboundWorld()
      const { pops } = await ringIn(w, seen, { from: '+12125559999' })
      expect(pops).toHaveLength(1)
      const pop = pops[0]!
      expect(pop.contact).toBeUndefined()
      expect(pop.verification?.reason).toBe('unknown')
      expect(pop.verification?.candidates).toEqual([])
      for (const c of [twoPhones, shareA, shareB, ...w.contacts]) expect(await inboundOf(w, c.id)).toEqual([])
      await w.advance(20) // the call ends before the world closes
      await w.close()
    })

    it("a shared number asks to verify ('ambiguous') with both candidates; identify logs the agent's choice", async () => {
      const { w, shareA, shareB, seen } = await inboundWorld()
      const { callId, arrivedAt, pops } = await ringIn(w, seen, { from: '+12125558000', talkSec: 30 })
      expect(pops).toHaveLength(1)
      const pop: CallOffered = pops[0]!
      expect(pop.contact).toBeUndefined()
      expect(pop.verification?.reason).toBe('ambiguous')
      expect(new Set(pop.verification?.candidates.map((c) => c.id))).toEqual(new Set([shareA.id, shareB.id]))
      expect(pop.verification?.candidates).toHaveLength(2)
      // nothing guessed: neither candidate has the call on its timeline yet
      expect(await inboundOf(w, shareA.id)).toEqual([])
      expect(await inboundOf(w, shareB.id)).toEqual([])

      const chosen = await w.runtime.identify(w.t.tenantId, callId, shareB.id)
      expect(chosen.contactId).toBe(shareB.id)
      expect(chosen.channel).toBe('voice')
      expect(chosen.direction).toBe('inbound')
      expect(chosen.callId).toBe(callId)
      expect(chosen.agentId).toBe(pop.agentId)
      expect(chosen.subject).toContain('+12125558000')
      expect(chosen.startedAt.getTime()).toBe(arrivedAt) // when the call came in
      const onB = await inboundOf(w, shareB.id)
      expect(onB.map((i) => i.id)).toEqual([chosen.id])
      expect(await inboundOf(w, shareA.id)).toEqual([])

      // the rest of the call lands on the chosen contact's interaction
      await w.advance(35)
      const ended = await w.t.interactions.get(chosen.id)
      expect(ended.endedAt).toBeDefined()
      expect(ended.durations.talkSec).toBeGreaterThanOrEqual(29)
      expect(ended.durations.talkSec).toBeLessThanOrEqual(31)
      await w.close()
    })
  })
})
