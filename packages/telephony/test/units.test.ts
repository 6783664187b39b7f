// Durations are seconds at every boundary of the backends (configuration, requests, results, events);
// instants stay epoch milliseconds.
import type { CallEvent, TelephonyEvent } from '@switchboard/core'
import { describe, expect, it } from 'vitest'
import { fixed, ManualClock, Rng, SimulatedTelephony, sample, uniform } from '../src/simulated/index.js'

describe('simulated network units', () => {
  it('ManualClock.advance and runAll take seconds; now() is epoch ms', async () => {
    const clock = new ManualClock(Date.UTC(2026, 0, 5, 9, 0, 0))
    const fired: number[] = []
    clock.setTimeout(() => fired.push(clock.now()), 1_500) // the timer primitive: milliseconds
    await clock.advance(1)
    expect(fired).toEqual([])
    await clock.advance(0.5)
    expect(fired).toEqual([Date.UTC(2026, 0, 5, 9, 0, 1, 500)])
    clock.setTimeout(() => fired.push(clock.now()), 3_600_000)
    await clock.runAll(3_600)
    expect(fired).toHaveLength(2)
  })

  it('distributions are in seconds, drawn to the millisecond', () => {
    const rng = new Rng(3)
    expect(sample(rng, fixed(2.5))).toBe(2.5)
    for (let i = 0; i < 100; i++) {
      const x = sample(rng, uniform(0.3, 1.5))
      expect(x).toBeGreaterThanOrEqual(0.3)
      expect(x).toBeLessThanOrEqual(1.5)
      expect(Math.round(x * 1_000) / 1_000).toBe(x)
    }
    expect(
      sample(rng, { type: 'lognormal', medianSec: 9, sigma: 0.5, minSec: 2, maxSec: 40 }),
    ).toBeLessThanOrEqual(40)
  })

  it('configuration, results and events speak seconds', async () => {
    const clock = new ManualClock()
    const net = new SimulatedTelephony({
      clock,
      numbers: {
        '+331': { outcome: 'person', ringSec: 3, talkSec: 60 },
        '+332': { outcome: 'no_answer' },
      },
      carrier: { setupSec: fixed(0.1), patienceSec: fixed(3_600) },
      agents: { alice: { answerSec: fixed(1), wrapSec: fixed(20) } },
      mediaDurationsSec: { 'abandoned.wav': 4 },
    })
    const events: TelephonyEvent[] = []
    net.onEvent((e) => events.push(e))
    await net.start()
    const customer = net.originate({ target: { type: 'number', number: '+331' }, callId: 'cust' })
    await clock.advance(3.1)
    expect(await customer).toEqual({ callId: 'cust', answeredBy: 'unknown', ringSec: 3.1 })

    const agent = net.originate({ target: { type: 'agent', agentId: 'alice' }, callId: 'agent' })
    await clock.advance(1.1)
    expect((await agent).ringSec).toBe(1.1)
    await net.bridge('cust', 'agent')
    await net.startRecording('cust')
    await clock.advance(10)
    expect((await net.stopRecording('cust')).durationSec).toBe(10)
    await clock.advance(50) // the person hangs up after talkSec 60
    const ended = events.find(
      (e): e is Extract<CallEvent, { type: 'ended' }> => e.type === 'ended' && e.callId === 'cust',
    )
    expect(ended?.durations).toEqual({ ringSec: 3.1, talkSec: 60, holdSec: 1.1 })
    expect(net.sampleWrapSec('alice')).toBe(20)

    const unanswered = net.originate({ target: { type: 'number', number: '+332' }, ringTimeoutSec: 25 })
    unanswered.catch(() => {})
    await clock.advance(30)
    await expect(unanswered).rejects.toMatchObject({
      _tag: 'CallNoAnswer',
      reason: 'no_answer',
      ringSec: 25.1,
    })
    expect(events.filter((e) => e.type === 'ended').at(-1)).toMatchObject({
      cause: 'no_answer',
      side: 'local',
    })

    const played: CallEvent[] = []
    net.onCallEvent('agent', (e) => played.push(e))
    const playing = net.playMessage('agent', { media: 'abandoned.wav' })
    await clock.advance(4)
    await playing
    expect(played.find((e) => e.type === 'media-played')).toMatchObject({ durationSec: 4 })
    await net.stop()
  })
})
