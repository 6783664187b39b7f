import { regimes } from '@switchboard/core/domain'
import { describe, expect, it } from 'vitest'
import { AbandonmentLedger, abandonmentRates, handleAbandonedCall } from '../src/index.js'

describe('abandonment accounting', () => {
  it('computes the US and the UK formula side by side', () => {
    const r = abandonmentRates(1000, 20, 30)
    expect(r.us).toBeCloseTo(0.02, 10)
    expect(r.uk).toBeCloseTo(50 / 1030, 10)
  })

  it('counts machine-detection false positives as abandoned under UK only', () => {
    const l = new AbandonmentLedger(regimes.UK.abandonment)
    for (let i = 0; i < 100; i++) l.recordLive(i, i < 2)
    for (let i = 0; i < 3; i++) l.recordFalsePositive(50)
    const w = l.window(200)
    expect(w.us).toBeCloseTo(0.02, 10)
    expect(w.uk).toBeCloseTo(5 / 103, 10)
    expect(l.rate(200)).toBeCloseTo(5 / 103, 10)
  })

  it('estimates false positives from the rule when they are not known', () => {
    const l = new AbandonmentLedger({ ...regimes.UK.abandonment, amdFalsePositiveRate: 0.03 })
    for (let i = 0; i < 970; i++) l.recordLive(i, false)
    const w = l.window(1000)
    expect(w.falsePositives).toBeCloseTo(30, 6)
    expect(w.uk).toBeCloseTo(0.03, 6)
  })

  it('keeps only the regime window (UK: any 24 hours)', () => {
    const l = new AbandonmentLedger(regimes.UK.abandonment)
    l.recordLive(0, true)
    l.recordLive(10, false)
    expect(l.window(3600).abandoned).toBe(1)
    l.recordLive(25 * 3600, false)
    const w = l.window(25 * 3600 + 1)
    expect(w.abandoned).toBe(0)
    expect(w.live).toBe(1)
    expect(l.total().abandoned).toBe(1)
  })

  it('handles an abandoned call: records it, plays the message, blocks re-calls under UK', async () => {
    const l = new AbandonmentLedger(regimes.UK.abandonment)
    const played: string[] = []
    const player = {
      playMessage: async (id: string, req: { media: string }) => void played.push(`${id}:${req.media}`),
    }
    const at = new Date('2026-03-11T12:00:00Z')
    const uk = { regime: regimes.UK, abandonMessage: 'msg.wav' }
    const rec = await handleAbandonedCall(
      { callId: 'k1', contactId: 'c1', at: 5, wallClock: at, campaign: uk },
      l,
      player,
    )
    expect(played).toEqual(['k1:msg.wav'])
    expect(rec.messagePlayed).toBe(true)
    expect(rec.noRecallUntil).toEqual(new Date(at.getTime() + 72 * 3_600_000))
    expect(l.total().abandoned).toBe(1)
    const failing = { playMessage: async () => Promise.reject(new Error('media missing')) }
    const rec2 = await handleAbandonedCall(
      { callId: 'k2', contactId: 'c2', at: 6, wallClock: at, campaign: { regime: regimes.US }, media: 'x' },
      l,
      failing,
    )
    expect(rec2).toMatchObject({ messagePlayed: false, error: 'media missing', noRecallUntil: null })
    expect(l.total().abandoned).toBe(2)
    // a campaign without a message: still recorded, and the record says why nothing was played
    const rec3 = await handleAbandonedCall(
      { callId: 'k3', contactId: 'c3', at: 7, wallClock: at, campaign: { regime: regimes.US } },
      l,
      player,
    )
    expect(rec3).toMatchObject({ messagePlayed: false, error: 'the campaign has no abandonMessage' })
    expect(played).toEqual(['k1:msg.wav'])
    expect(l.total().abandoned).toBe(3)
  })
})
