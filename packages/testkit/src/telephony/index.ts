import type {
  CallEvent,
  CallTarget,
  InboundCall,
  TelephonyBackend,
  TelephonyError,
  TelephonyEvent,
} from '@switchboard/core'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'

/**
 * What a backend's test set-up provides to the contract suite: the backend, and a scripted network
 * around it (targets that answer, are busy, never answer...; remote parties that hang up or call in).
 */
export interface TelephonyHarness {
  readonly backend: TelephonyBackend
  readonly targets: {
    /** Answered by a person after a short ring. */
    readonly person: CallTarget
    /** Answered by an answering machine (required when the backend detects machines). */
    readonly machine?: CallTarget
    /** Answers 486 Busy Here. */
    readonly busy: CallTarget
    /** Rings without answer until cancelled. */
    readonly noAnswer: CallTarget
    /** Answers 403 Forbidden. */
    readonly rejected: CallTarget
    /** Answers 404 Not Found. */
    readonly unreachable: CallTarget
  }
  /** Agents whose phones answer their leg. */
  readonly agentIds: readonly [string, string]
  /** A media reference the backend can play (for playMessage). */
  readonly media: string
  /** The far end of a live leg hangs up. */
  remoteHangup(callId: string): Promise<void>
  /** The far end of an answered leg presses keys (omit when the harness cannot). */
  remoteDtmf?(callId: string, digits: string): Promise<void>
  /** A call arrives from the network; resolves once sent (the backend then emits `inbound`). */
  inbound(call: {
    readonly from: string
    readonly to: string
    readonly pAssertedIdentity?: string
    readonly withheld?: boolean
  }): Promise<void>
  /** Lets `sec` seconds of the backend's time pass (advances a virtual clock, or sleeps). */
  advance(sec: number): Promise<void>
  /** Takes the telephony server away (omit when the harness cannot). */
  serverDown?(): Promise<void>
  dispose(): Promise<void>
}

/** Timing of the suite, in seconds of the backend's time. */
export interface ContractOptions {
  /** Upper bound of backend time to wait for one step, in seconds (default 60). */
  readonly stepLimitSec?: number
  /** Granularity of `advance` while waiting, in seconds (default 0.05). */
  readonly stepSec?: number
}

type Settled<T> = { ok: true; value: T } | { ok: false; error: unknown }

/** Runs the telephony contract suite against a backend. Call inside a vitest file. */
export const telephonyContractSuite = (
  name: string,
  makeHarness: () => Promise<TelephonyHarness>,
  options: ContractOptions = {},
): void => {
  const stepLimitSec = options.stepLimitSec ?? 60
  const stepSec = options.stepSec ?? 0.05
  /** Steps of `stepSec` that fit in `stepLimitSec` (counted in whole steps: no floating-point drift). */
  const maxSteps = Math.ceil(stepLimitSec / stepSec)

  describe(`telephony contract: ${name}`, () => {
    let h: TelephonyHarness
    let events: TelephonyEvent[]
    let unsubscribe: () => void

    /** Drives the backend's time until the promise settles. */
    const settle = async <T>(p: Promise<T>): Promise<Settled<T>> => {
      let result: Settled<T> | undefined
      p.then(
        (value) => {
          result = { ok: true, value }
        },
        (error: unknown) => {
          result = { ok: false, error }
        },
      )
      for (let steps = 0; result === undefined && steps <= maxSteps; steps++) {
        await h.advance(stepSec)
      }
      if (result === undefined)
        throw new Error(`step did not settle within ${stepLimitSec} s of backend time`)
      return result
    }
    const ok = async <T>(p: Promise<T>): Promise<T> => {
      const r = await settle(p)
      if (!r.ok) throw r.error
      return r.value
    }
    const fails = async (p: Promise<unknown>): Promise<TelephonyError> => {
      const r = await settle(p)
      if (r.ok) throw new Error('expected the operation to fail')
      return r.error as TelephonyError
    }
    /** Advances time until a condition holds. */
    const until = async (what: string, cond: () => boolean): Promise<void> => {
      for (let steps = 0; !cond(); steps++) {
        if (steps > maxSteps) throw new Error(`timed out waiting for ${what}`)
        await h.advance(stepSec)
      }
    }
    const of = (callId: string): CallEvent[] =>
      events.filter((e): e is CallEvent => e.type !== 'inbound' && e.callId === callId)
    const types = (callId: string): string[] => of(callId).map((e) => e.type)
    const ended = (callId: string) => {
      const e = of(callId).find((x) => x.type === 'ended')
      return e?.type === 'ended' ? e : undefined
    }
    const answerPerson = async (): Promise<string> =>
      (await ok(h.backend.originate({ target: h.targets.person }))).callId
    const answerAgent = async (i: 0 | 1): Promise<string> =>
      (await ok(h.backend.originate({ target: { type: 'agent', agentId: h.agentIds[i] } }))).callId

    beforeEach(async () => {
      h = await makeHarness()
      events = []
      unsubscribe = h.backend.onEvent((e) => events.push(e))
      await h.backend.start()
    })

    afterEach(async () => {
      try {
        await settle(h.backend.stop())
        // Every leg that started ends exactly once, and `ended` is its last event.
        const ids = new Set(events.map((e) => e.callId))
        for (const id of ids) {
          const list = of(id)
          const endedCount = list.filter((e) => e.type === 'ended').length
          expect(endedCount, `call ${id} ended events`).toBe(1)
          expect(list[list.length - 1]?.type, `last event of ${id}`).toBe('ended')
          const first = events.find((e) => e.callId === id)
          expect(['initiated', 'inbound']).toContain(first?.type)
        }
      } finally {
        unsubscribe()
        await h.dispose()
      }
    })

    it('declares its name and every capability flag', () => {
      expect(h.backend.name.length).toBeGreaterThan(0)
      for (const flag of [
        'answeringMachineDetection',
        'blindTransfer',
        'attendedTransfer',
        'recording',
        'playMedia',
        'sendDtmf',
        'inbound',
      ] as const) {
        expect(typeof h.backend.capabilities[flag], flag).toBe('boolean')
      }
    })

    it('originates a call that is answered, then hangs it up with durations', async () => {
      const answered = await ok(h.backend.originate({ target: h.targets.person, callId: 'c-answer' }))
      expect(answered.callId).toBe('c-answer')
      expect(['person', 'unknown']).toContain(answered.answeredBy)
      expect(h.backend.call('c-answer')?.state).toBe('answered')
      await h.advance(0.2)
      await ok(h.backend.hangup('c-answer'))
      const seq = types('c-answer').filter((t) => t !== 'ringing')
      expect(seq).toEqual(['initiated', 'answered', 'ended'])
      const end = ended('c-answer')
      expect(end?.cause).toBe('normal')
      expect(end?.side).toBe('local')
      expect(end?.durations.ringSec).toBeGreaterThanOrEqual(0)
      expect((end?.durations.talkSec ?? 0) + (end?.durations.holdSec ?? 0)).toBeGreaterThanOrEqual(0.15)
      expect(h.backend.call('c-answer')).toBeUndefined()
      await ok(h.backend.hangup('c-answer')) // no-op once ended
    })

    it('reports busy as a retryable CallBusy', async () => {
      const err = await fails(h.backend.originate({ target: h.targets.busy, callId: 'c-busy' }))
      expect(err._tag).toBe('CallBusy')
      expect(err.reason).toBe('busy')
      expect(err.retryable).toBe(true)
      expect(ended('c-busy')?.cause).toBe('busy')
      expect(ended('c-busy')?.sipStatus).toBe(486)
    })

    it('gives up after the ring timeout with CallNoAnswer', async () => {
      const err = await fails(
        h.backend.originate({ target: h.targets.noAnswer, callId: 'c-noanswer', ringTimeoutSec: 0.6 }),
      )
      expect(err._tag).toBe('CallNoAnswer')
      expect(err.reason).toBe('no_answer')
      expect(err.retryable).toBe(true)
      if (err._tag === 'CallNoAnswer') expect(err.ringSec).toBeGreaterThanOrEqual(0.55)
      expect(ended('c-noanswer')?.cause).toBe('no_answer')
      expect(ended('c-noanswer')?.durations.ringSec).toBeGreaterThanOrEqual(0.55)
    })

    it('reports a 403 as CallRejected with its SIP status, not retryable', async () => {
      const err = await fails(h.backend.originate({ target: h.targets.rejected, callId: 'c-403' }))
      expect(err._tag).toBe('CallRejected')
      expect(err.reason).toBe('rejected')
      if (err._tag === 'CallRejected') expect(err.sipStatus).toBe(403)
      expect(err.retryable).toBe(false)
      expect(ended('c-403')?.cause).toBe('rejected')
    })

    it('reports a 404 as a permanent CallUnreachable', async () => {
      const err = await fails(h.backend.originate({ target: h.targets.unreachable, callId: 'c-404' }))
      expect(err._tag).toBe('CallUnreachable')
      expect(err.reason).toBe('unreachable')
      expect(err.retryable).toBe(false)
      expect(ended('c-404')?.cause).toBe('unreachable')
    })

    it('cancels a ringing call on hangup (CallCancelled, cause cancelled)', async () => {
      const p = h.backend.originate({ target: h.targets.noAnswer, callId: 'c-cancel', ringTimeoutSec: 30 })
      p.catch(() => {})
      await until('ringing', () => types('c-cancel').includes('ringing'))
      await ok(h.backend.hangup('c-cancel'))
      const err = await fails(p)
      expect(err._tag).toBe('CallCancelled')
      expect(err.reason).toBe('cancelled')
      expect(ended('c-cancel')?.cause).toBe('cancelled')
      expect(ended('c-cancel')?.side).toBe('local')
    })

    it('ends a call hung up by the far end with side remote', async () => {
      const id = await answerPerson()
      await h.remoteHangup(id)
      await until('ended', () => ended(id) !== undefined)
      expect(ended(id)?.side).toBe('remote')
      expect(ended(id)?.cause).toBe('normal')
    })

    it('rejects operations on unknown calls with CallNotFound', async () => {
      for (const op of [
        () => h.backend.bridge('nope-1', 'nope-2'),
        () => h.backend.startRecording('nope-1'),
        () => h.backend.sendDtmf('nope-1', '1'),
        () => h.backend.transfer('nope-1', { type: 'blind', target: h.targets.person }),
        () => h.backend.answer('nope-1'),
      ]) {
        const err = await fails(op())
        expect(['CallNotFound', 'CapabilityNotSupported']).toContain(err._tag)
        expect(err.reason).toBe(err._tag === 'CallNotFound' ? 'call_not_found' : 'capability_not_supported')
      }
      expect(h.backend.call('nope-1')).toBeUndefined()
    })

    it('bridges two answered legs and refuses to bridge a ringing one', async () => {
      const customer = await answerPerson()
      const agent = await answerAgent(0)
      await ok(h.backend.bridge(customer, agent))
      expect(of(customer).some((e) => e.type === 'bridged' && e.otherCallId === agent)).toBe(true)
      expect(of(agent).some((e) => e.type === 'bridged' && e.otherCallId === customer)).toBe(true)
      expect(h.backend.call(customer)?.bridgedTo).toBe(agent)
      expect(h.backend.call(agent)?.state).toBe('bridged')

      const ringing = h.backend.originate({ target: h.targets.noAnswer, callId: 'c-ringing' })
      ringing.catch(() => {})
      await until('ringing', () => types('c-ringing').includes('ringing'))
      const err = await fails(h.backend.bridge(agent, 'c-ringing'))
      expect(err._tag).toBe('InvalidCallState')
      expect(err.reason).toBe('invalid_call_state')
      await ok(h.backend.hangup('c-ringing'))
      await settle(ringing)

      await h.remoteHangup(customer)
      await until('customer ended', () => ended(customer) !== undefined)
      expect(h.backend.call(agent)?.state).toBe('answered') // unbridged, still up
      expect(h.backend.call(agent)?.bridgedTo).toBeUndefined()
    })

    it('click-to-call: agent leg first, then the customer, then bridged', async () => {
      const r = await ok(
        h.backend.clickToCall({
          agentId: h.agentIds[0],
          customer: h.targets.person,
          callerId: '+33100000000',
        }),
      )
      const agentAnswered = events.findIndex((e) => e.type === 'answered' && e.callId === r.agentCallId)
      const customerInitiated = events.findIndex(
        (e) => e.type === 'initiated' && e.callId === r.customerCallId,
      )
      expect(agentAnswered).toBeGreaterThanOrEqual(0)
      expect(customerInitiated).toBeGreaterThan(agentAnswered)
      expect(h.backend.call(r.agentCallId)?.bridgedTo).toBe(r.customerCallId)
      const initiated = of(r.agentCallId)[0]
      expect(initiated?.type === 'initiated' && initiated.role).toBe('agent')
    })

    it('click-to-call to a busy customer fails typed and releases the agent leg', async () => {
      const err = await fails(
        h.backend.clickToCall({ agentId: h.agentIds[0], customer: h.targets.busy, agentCallId: 'c2c-agent' }),
      )
      expect(err._tag).toBe('CallBusy')
      await until('agent leg ended', () => ended('c2c-agent') !== undefined)
    })

    it('blind transfer moves the customer to another agent and releases the first', async () => {
      if (!h.backend.capabilities.blindTransfer) {
        const id = await answerPerson()
        expect((await fails(h.backend.transfer(id, { type: 'blind', target: h.targets.person })))._tag).toBe(
          'CapabilityNotSupported',
        )
        return
      }
      const customer = await answerPerson()
      const agent1 = await answerAgent(0)
      await ok(h.backend.bridge(customer, agent1))
      await ok(
        h.backend.transfer(customer, {
          type: 'blind',
          target: { type: 'agent', agentId: h.agentIds[1] },
          callId: 'c-agent2',
        }),
      )
      expect(ended(agent1)?.cause).toBe('transferred')
      expect(h.backend.call(customer)?.bridgedTo).toBe('c-agent2')
      expect(of(customer).some((e) => e.type === 'transferred' && e.kind === 'blind')).toBe(true)
    })

    it('attended transfer connects the customer to the consulted party', async () => {
      const customer = await answerPerson()
      const agent1 = await answerAgent(0)
      await ok(h.backend.bridge(customer, agent1))
      const consult = await answerAgent(1)
      if (!h.backend.capabilities.attendedTransfer) {
        const err = await fails(h.backend.transfer(customer, { type: 'attended', consultCallId: consult }))
        expect(err._tag).toBe('CapabilityNotSupported')
        return
      }
      await ok(h.backend.bridge(agent1, consult)) // the agent consults; the customer waits unbridged
      expect(h.backend.call(customer)?.bridgedTo).toBeUndefined()
      await ok(h.backend.transfer(customer, { type: 'attended', consultCallId: consult }))
      expect(ended(agent1)?.cause).toBe('transferred')
      expect(h.backend.call(customer)?.bridgedTo).toBe(consult)
      expect(of(customer).some((e) => e.type === 'transferred' && e.kind === 'attended')).toBe(true)
    })

    it('records on demand, or says it cannot', async () => {
      const id = await answerPerson()
      if (!h.backend.capabilities.recording) {
        expect((await fails(h.backend.startRecording(id)))._tag).toBe('CapabilityNotSupported')
        return
      }
      const started = await ok(h.backend.startRecording(id))
      expect(started.callId).toBe(id)
      expect((await fails(h.backend.startRecording(id)))._tag).toBe('InvalidCallState')
      await h.advance(0.5)
      const stopped = await ok(h.backend.stopRecording(id))
      expect(stopped.recordingId).toBe(started.recordingId)
      expect(stopped.durationSec).toBeGreaterThanOrEqual(0.45)
      expect(types(id)).toContain('recording-started')
      expect(types(id)).toContain('recording-stopped')
      expect((await fails(h.backend.stopRecording(id)))._tag).toBe('InvalidCallState')
      // A recording still running when the call ends is stopped before `ended`.
      await ok(h.backend.startRecording(id))
      await ok(h.backend.hangup(id))
      const seq = types(id)
      expect(seq.lastIndexOf('recording-stopped')).toBeGreaterThan(seq.lastIndexOf('recording-started'))
    })

    it('plays a message into an answered call, or says it cannot', async () => {
      const id = await answerPerson()
      if (!h.backend.capabilities.playMedia) {
        expect((await fails(h.backend.playMessage(id, { media: h.media })))._tag).toBe(
          'CapabilityNotSupported',
        )
        return
      }
      await ok(h.backend.playMessage(id, { media: h.media }))
      await ok(h.backend.hangup(id, 'abandoned'))
      expect(ended(id)?.cause).toBe('abandoned')
    })

    it('sends and receives DTMF', async () => {
      const id = await answerPerson()
      if (!h.backend.capabilities.sendDtmf) {
        expect((await fails(h.backend.sendDtmf(id, '1')))._tag).toBe('CapabilityNotSupported')
      } else {
        await ok(h.backend.sendDtmf(id, '12#'))
        const sent = of(id).filter((e) => e.type === 'dtmf' && e.direction === 'sent')
        expect(sent.map((e) => (e.type === 'dtmf' ? e.digit : ''))).toEqual(['1', '2', '#'])
        expect((await fails(h.backend.sendDtmf(id, 'x')))._tag).toBe('InvalidCallState')
      }
      if (h.remoteDtmf) {
        await h.remoteDtmf(id, '5')
        await until('received DTMF', () =>
          of(id).some((e) => e.type === 'dtmf' && e.direction === 'received' && e.digit === '5'),
        )
      }
    })

    it('offers inbound calls with the caller (P-Asserted-Identity first) and the dialled number', async () => {
      const offers: InboundCall[] = []
      h.backend.onInbound((c) => offers.push(c))
      await h.inbound({ from: '+33612345678', to: '+33198765432', pAssertedIdentity: '+33687654321' })
      await until('inbound offer', () => offers.length === 1)
      const offer = offers[0]!
      expect(offer.from).toBe('+33687654321')
      expect(offer.fromHeader).toBe('+33612345678')
      expect(offer.to).toBe('+33198765432')
      expect(offer.withheld).toBe(false)
      expect(events.some((e) => e.type === 'inbound' && e.callId === offer.callId)).toBe(true)
      await ok(h.backend.answer(offer.callId))
      expect(types(offer.callId)).toContain('answered')
      const agent = await answerAgent(0)
      await ok(h.backend.bridge(offer.callId, agent))
      await h.remoteHangup(offer.callId)
      await until('inbound ended', () => ended(offer.callId) !== undefined)
      expect(ended(offer.callId)?.side).toBe('remote')
    })

    it('flags withheld callers and rejects inbound calls with a status', async () => {
      const offers: InboundCall[] = []
      h.backend.onInbound((c) => offers.push(c))
      await h.inbound({ from: '+33612345678', to: '+33198765432', withheld: true })
      await until('inbound offer', () => offers.length === 1)
      expect(offers[0]!.withheld).toBe(true)
      await ok(h.backend.reject(offers[0]!.callId, 486))
      expect(ended(offers[0]!.callId)?.cause).toBe('rejected')
      expect(ended(offers[0]!.callId)?.sipStatus).toBe(486)
    })

    it('detects answering machines when it says it can', async () => {
      if (!h.backend.capabilities.answeringMachineDetection || !h.targets.machine) {
        const r = await ok(h.backend.originate({ target: h.targets.person, detectMachine: true }))
        expect(r.answeredBy).toBe('unknown')
        return
      }
      const m = await ok(h.backend.originate({ target: h.targets.machine, detectMachine: true }))
      expect(m.answeredBy).toBe('machine')
      const p = await ok(h.backend.originate({ target: h.targets.person, detectMachine: true }))
      expect(p.answeredBy).toBe('person')
    })

    it('hangs up every live call on stop', async () => {
      const a = await answerPerson()
      const b = await answerAgent(0)
      await ok(h.backend.bridge(a, b))
      await ok(h.backend.stop())
      expect(ended(a)).toBeDefined()
      expect(ended(b)).toBeDefined()
      expect(h.backend.call(a)).toBeUndefined()
    })

    it('reports a server outage as a retryable TelephonyServerDown', async () => {
      if (!h.serverDown) return
      await h.serverDown()
      const err = await fails(h.backend.originate({ target: h.targets.person }))
      expect(err._tag).toBe('TelephonyServerDown')
      expect(err.reason).toBe('server_down')
      expect(err.retryable).toBe(true)
    })
  })
}
