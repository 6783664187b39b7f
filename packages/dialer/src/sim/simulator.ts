/**
 * A discrete-event simulator of an outbound campaign. Seeded and reproducible; every dialer of a
 * replication sees the same pre-drawn fate for each lead (common random numbers).
 */

import type { CallPhase } from '@switchboard/core/domain'
import { logNormalFromMoments } from '../dists.js'
import type { AgentView, CallView, CampaignSnapshot, Pacer, PacingDecision, PacingEvent } from '../types.js'
import { deriveSeed, Rng } from './rng.js'
import { answerSchedule, meanDialSeconds, normalisedShares, type Scenario } from './scenario.js'
import { CallTimer, type CallTiming } from './timing.js'

const CHUNK = 1 << 15

/** The pre-drawn fates of a replication's leads, shared by every dialer. */
export class LeadFates {
  readonly scenario: Scenario
  private readonly rng: Rng
  private readonly wrapShape: number
  count = 0
  u0: Float64Array = new Float64Array(0)
  u1: Float64Array = new Float64Array(0)
  z2: Float64Array = new Float64Array(0)
  z3: Float64Array = new Float64Array(0)
  g4: Float64Array = new Float64Array(0)
  e5: Float64Array = new Float64Array(0)
  e6: Float64Array = new Float64Array(0)

  constructor(scenario: Scenario, seed: number, rep: number) {
    this.scenario = scenario
    this.rng = new Rng(deriveSeed(seed, rep, 1))
    const cv = scenario.wrap.sd / scenario.wrap.mean
    this.wrapShape = 1 / (cv * cv)
  }

  ensure(n: number): void {
    if (n <= this.count) return
    const size = Math.max(n, this.count + CHUNK)
    const grow = (a: Float64Array): Float64Array => {
      const b = new Float64Array(size)
      b.set(a.subarray(0, this.count))
      return b
    }
    this.u0 = grow(this.u0)
    this.u1 = grow(this.u1)
    this.z2 = grow(this.z2)
    this.z3 = grow(this.z3)
    this.g4 = grow(this.g4)
    this.e5 = grow(this.e5)
    this.e6 = grow(this.e6)
    const r = this.rng
    for (let i = this.count; i < size; i++) {
      this.u0[i] = r.next()
      this.u1[i] = r.next()
      this.z2[i] = r.normal()
      this.z3[i] = r.normal()
      this.g4[i] = r.gamma(this.wrapShape, 1 / this.wrapShape)
      this.e5[i] = -Math.log(r.next())
      this.e6[i] = -Math.log(r.next())
    }
    this.count = size
  }
}

export interface SimOptions {
  readonly seed?: number
  readonly rep?: number
  /** Minimum seconds between two pacing decisions (decisions also run on a 1 s tick). Default 0.2. */
  readonly decisionInterval?: number
  /** The same fates object for every dialer of a replication (common random numbers). */
  readonly fates?: LeadFates
  readonly onProgress?: (fraction: number) => void
  /**
   * Times every `pacer.decide` call (wall clock and thread CPU time, whatever table work the pacer does
   * in it included) into `RunMetrics.decisionMicros`, and every `pacer.observe` call (where the
   * predictive pacer advances its table rebuilds) into `RunMetrics.observeMicros`.
   */
  readonly timeDecisions?: boolean
  /**
   * With `timeDecisions`: the calling thread's accumulated run-queue wait in microseconds (on Linux from
   * `/proc/thread-self/schedstat`), so that the timing can also report each call without the time the
   * thread was descheduled (`CallTiming.own`).
   */
  readonly runQueueWaitMicros?: () => number
  /** Seconds per bucket of `RunMetrics.series` (default 3600: one row per hour). */
  readonly seriesSec?: number
}

/** Cost of the pacer's decisions inside a run, in microseconds (see `CallTiming`). */
export type DecisionTiming = CallTiming

export interface RunMetrics {
  readonly scenario: string
  readonly dialer: string
  readonly rep: number
  readonly agentHours: number
  readonly talkOccupancy: number
  readonly handleOccupancy: number
  readonly dials: number
  /** Person answers classified live (connected or abandoned). */
  readonly live: number
  readonly connects: number
  readonly abandoned: number
  readonly falsePositives: number
  readonly usRate: number
  readonly ukRate: number
  readonly usWorstHour: number
  readonly ukWorstHour: number
  readonly waitMean: number
  readonly waitP95: number
  readonly waitP99: number
  readonly dialsPerAgentHour: number
  readonly connectsPerAgentHour: number
  readonly talkMinutesPerAgentHour: number
  readonly dialsPerConnect: number
  readonly peakLines: number
  readonly decisions: number
  /** When the worst 1-hour window (US formula) began, seconds into the shift. */
  readonly usWorstHourAt: number
  readonly ukWorstHourAt: number
  /** Per `seriesSec` bucket: handle occupancy, live answers, abandoned, false positives, dials. */
  readonly series: readonly SeriesRow[]
  /** Predicted abandonment risk of the launched calls against what happened (see `PacingDecision.risks`). */
  readonly calibration: readonly CalibrationRow[]
  readonly decisionMicros?: DecisionTiming
  /** Cost of the pacer's `observe` calls (with `timeDecisions`). */
  readonly observeMicros?: CallTiming
}

export interface SeriesRow {
  readonly fromSec: number
  readonly handleOccupancy: number
  readonly live: number
  readonly abandoned: number
  readonly falsePositives: number
  readonly dials: number
}

/** Launched calls whose predicted risk fell in [lo, hi): how many were live answers, and how many of those were abandoned. */
export interface CalibrationRow {
  readonly lo: number
  readonly hi: number
  readonly live: number
  readonly predicted: number
  readonly abandoned: number
}

/** Bucket edges of the calibration table (predicted risk of abandonment if a person answers). */
export const CALIBRATION_EDGES = [0, 0.001, 0.003, 0.01, 0.03, 0.1, 0.3, 1.0000001] as const

function calibrationBucket(r: number): number {
  let b = 0
  while (b < CALIBRATION_EDGES.length - 2 && r >= CALIBRATION_EDGES[b + 1]!) b++
  return b
}

const RESOLVE = 1
const DETECT = 2
const WAITOUT = 3
const TALK_END = 4
const WRAP_END = 5
const TICK = 6
const BREAK_DUE = 7
const BREAK_END = 8
const MACHINE_END = 9

// call kinds
const K_LIVE = 0
const K_FP = 1
const K_MACHINE = 2
const K_MISSED = 3
const K_NOANSWER = 4
const K_FAILED = 5

/**
 * The simulator's call: its pre-drawn fate (`kind`, `lead`) stays here. Pacers only ever see `view`,
 * what a real dialer knows of a call (its phase and since when).
 */
class SimCall {
  phase: CallPhase = 'ringing'
  since = 0
  readonly view: { phase: CallPhase; since: number } = { phase: 'ringing', since: 0 }
  launched = 0
  lead = 0
  kind = 0
  serial = 0
  pos = -1
  slot = 0
  /** The pacer's predicted risk for this call (NaN when it gave none). */
  risk = Number.NaN
}

class Heap {
  t = new Float64Array(1024)
  k = new Int32Array(1024)
  r = new Int32Array(1024)
  s = new Float64Array(1024)
  n = 0
  push(t: number, k: number, r: number, s: number): void {
    if (this.n === this.t.length) {
      const m = this.n * 2
      const t2 = new Float64Array(m)
      t2.set(this.t)
      this.t = t2
      const k2 = new Int32Array(m)
      k2.set(this.k)
      this.k = k2
      const r2 = new Int32Array(m)
      r2.set(this.r)
      this.r = r2
      const s2 = new Float64Array(m)
      s2.set(this.s)
      this.s = s2
    }
    let i = this.n++
    const T = this.t
    while (i > 0) {
      const p = (i - 1) >> 1
      if (T[p]! <= t) break
      T[i] = T[p]!
      this.k[i] = this.k[p]!
      this.r[i] = this.r[p]!
      this.s[i] = this.s[p]!
      i = p
    }
    T[i] = t
    this.k[i] = k
    this.r[i] = r
    this.s[i] = s
  }
  /** Removes the top; its fields must be read before. */
  pop(): void {
    const n = --this.n
    if (n === 0) return
    const T = this.t
    const t = T[n]!
    const k = this.k[n]!
    const r = this.r[n]!
    const s = this.s[n]!
    let i = 0
    for (;;) {
      let c = 2 * i + 1
      if (c >= n) break
      if (c + 1 < n && T[c + 1]! < T[c]!) c++
      if (T[c]! >= t) break
      T[i] = T[c]!
      this.k[i] = this.k[c]!
      this.r[i] = this.r[c]!
      this.s[i] = this.s[c]!
      i = c
    }
    T[i] = t
    this.k[i] = k
    this.r[i] = r
    this.s[i] = s
  }
}

const WAIT_BINS = 400
function setPhase(c: SimCall, phase: CallPhase, now: number): void {
  c.phase = phase
  c.since = now
  c.view.phase = phase
  c.view.since = now
}

/** Runs one replication of `scenario` with `pacer`. */
export function simulate(scenario: Scenario, pacer: Pacer, options: SimOptions = {}): RunMetrics {
  const seed = options.seed ?? 1
  const rep = options.rep ?? 0
  const fates = options.fates ?? new LeadFates(scenario, seed, rep)
  const interval = options.decisionInterval ?? 0.2
  const sc = scenario
  const T = sc.durationSec
  const N = sc.agents
  const tau = sc.markov ? 0 : sc.maxWaitSec
  const pr = logNormalFromMoments(sc.personRing.mean, sc.personRing.sd)
  const mr = logNormalFromMoments(sc.machineRing.mean, sc.machineRing.sd)
  const tk = logNormalFromMoments(sc.talk.mean, sc.talk.sd)
  const dialMean = meanDialSeconds(sc)
  const handleMean = sc.talk.mean + sc.wrap.mean
  const talkShare = sc.talk.mean / handleMean
  const steps = answerSchedule(sc)
  const stepShares = steps.map((x) => normalisedShares(sc, x.factor))
  let stepIndex = 0
  const fpRate = sc.amdFalsePositiveRate
  const detectRate = sc.amdDetectRate

  const agents: AgentView[] = []
  const agentMachine = new Uint8Array(N)
  const breakPending = new Uint8Array(N)
  const agentTalk = new Float64Array(N)
  const agentWrap = new Float64Array(N)
  for (let i = 0; i < N; i++) agents.push({ state: 'available', since: 0 })
  const free: number[] = []
  for (let i = N - 1; i >= 0; i--) free.push(i)
  let availableCount = N
  const calls: SimCall[] = []
  /** What the pacer sees of the calls: `calls[i].view`, in the same order. */
  const callViews: CallView[] = []
  const slots: SimCall[] = []
  const freeSlots: number[] = []
  const waitQ: SimCall[] = []
  let waitHead = 0
  const snapshot: { now: number; agents: AgentView[]; calls: CallView[] } = {
    now: 0,
    agents,
    calls: callViews,
  }
  const heap = new Heap()

  // metrics
  let talkTime = 0
  let wrapTime = 0
  let pausedTime = 0
  let dials = 0
  let live = 0
  let connects = 0
  let drops = 0
  let fps = 0
  let talkingCalls = 0
  let peakLines = 0
  let waitSum = 0
  let decisions = 0
  const minutes = Math.ceil(T / 60)
  const liveMin = new Float64Array(minutes)
  const dropMin = new Float64Array(minutes)
  const fpMin = new Float64Array(minutes)
  const waitHist = new Float64Array(WAIT_BINS + 1)
  const dialMin = new Float64Array(minutes)
  const handleMin = new Float64Array(minutes)
  const nCal = CALIBRATION_EDGES.length - 1
  const calLive = new Float64Array(nCal)
  const calPred = new Float64Array(nCal)
  const calDrop = new Float64Array(nCal)
  const calibrate = (c: SimCall, dropped: boolean): void => {
    if (Number.isNaN(c.risk)) return
    const b = calibrationBucket(c.risk)
    calLive[b]!++
    calPred[b]! += c.risk
    if (dropped) calDrop[b]!++
  }
  const timing = options.timeDecisions ? new CallTimer(options.runQueueWaitMicros) : null
  const observeTiming = options.timeDecisions ? new CallTimer(options.runQueueWaitMicros) : null
  const observe = (e: PacingEvent): void => {
    if (observeTiming) {
      observeTiming.start()
      pacer.observe(e)
      observeTiming.stop(e.at >= 600)
    } else pacer.observe(e)
  }
  /** Adds a busy interval [from, to) to the per-minute handle time. */
  const addHandle = (from: number, to: number): void => {
    let t = from
    while (t < to) {
      const m = minuteOf(t)
      const end = Math.min(to, (m + 1) * 60)
      handleMin[m]! += end - t
      if (end <= t) break
      t = end
    }
  }
  let serial = 0
  let nextLead = 0

  // breaks
  const breakLen = sc.breaks ? sc.breaks.lengthSec : 0
  const pausedSince = new Float64Array(N)
  if (sc.breaks && sc.breaks.share > 0) {
    const rng = new Rng(deriveSeed(seed, rep, 2))
    const nb = Math.max(1, Math.round((sc.breaks.share * T) / breakLen))
    const len = (sc.breaks.share * T) / nb
    const slot = T / nb
    for (let i = 0; i < N; i++) {
      for (let j = 0; j < nb; j++) {
        const at = j * slot + rng.next() * Math.max(0, slot - len)
        heap.push(at, BREAK_DUE, i, len)
      }
    }
  }
  heap.push(0, TICK, 0, 0)

  const minuteOf = (t: number): number => Math.min(minutes - 1, Math.floor(t / 60))

  const removeCall = (c: SimCall): void => {
    const last = calls[calls.length - 1]!
    calls[c.pos] = last
    callViews[c.pos] = last.view
    last.pos = c.pos
    calls.pop()
    callViews.pop()
    c.pos = -1
    freeSlots.push(c.slot)
  }

  const takeAgent = (): number => {
    while (free.length > 0) {
      const i = free.pop()!
      if (agents[i]!.state === 'available') {
        availableCount--
        return i
      }
    }
    return -1
  }

  const startTalk = (i: number, now: number, lead: number, machine: boolean): void => {
    const a = agents[i]!
    a.state = 'on_call'
    a.since = now
    talkingCalls++
    if (machine) {
      agentMachine[i] = 1
      heap.push(now + sc.machineHandleSec, MACHINE_END, i, 0)
      return
    }
    agentMachine[i] = 0
    let talk: number
    let wrap: number
    if (sc.markov) {
      const h = fates.e6[lead]! * handleMean
      talk = h * talkShare
      wrap = h - talk
    } else {
      talk = Math.exp(tk.mu + tk.sigma * fates.z3[lead]!)
      wrap = fates.g4[lead]! * sc.wrap.mean
    }
    agentTalk[i] = talk
    agentWrap[i] = wrap
    heap.push(now + talk, TALK_END, i, 0)
  }

  const connectLive = (c: SimCall, now: number, wait: number): void => {
    const i = takeAgent()
    if (i < 0) throw new Error('no agent')
    connects++
    waitSum += wait
    waitHist[Math.min(WAIT_BINS, Math.floor((wait / Math.max(tau, 1e-9)) * WAIT_BINS))]!++
    startTalk(i, now, c.lead, false)
    calibrate(c, false)
    removeCall(c)
    observe({ type: 'connect', at: now, waitSec: wait, abandoned: false })
  }

  const abandon = (c: SimCall, now: number): void => {
    drops++
    dropMin[minuteOf(now)]!++
    waitHist[WAIT_BINS]!++
    waitSum += tau
    calibrate(c, true)
    removeCall(c)
    observe({ type: 'connect', at: now, waitSec: tau, abandoned: true })
  }

  const agentFree = (i: number, now: number): void => {
    const a = agents[i]!
    if (breakPending[i]) {
      breakPending[i] = 0
      a.state = 'paused'
      a.since = now
      pausedSince[i] = now
      heap.push(now + breakLen, BREAK_END, i, 0)
      return
    }
    a.state = 'available'
    a.since = now
    availableCount++
    free.push(i)
    while (waitHead < waitQ.length) {
      const c = waitQ[waitHead++]!
      if (c.phase === 'waiting' && c.pos >= 0) {
        connectLive(c, now, now - c.since)
        break
      }
    }
    if (waitHead > 1024 && waitHead * 2 > waitQ.length) {
      waitQ.splice(0, waitHead)
      waitHead = 0
    }
  }

  const launch = (now: number): void => {
    const c = slots.length > 0 && freeSlots.length > 0 ? slots[freeSlots.pop()!]! : null
    let call: SimCall
    if (c) call = c
    else {
      call = new SimCall()
      call.slot = slots.length
      slots.push(call)
    }
    const lead = nextLead++
    if (lead >= fates.count) fates.ensure(lead + 1)
    call.lead = lead
    call.serial = ++serial
    setPhase(call, 'ringing', now)
    call.launched = now
    call.pos = calls.length
    calls.push(call)
    callViews.push(call.view)
    dials++
    while (stepIndex + 1 < steps.length && now >= steps[stepIndex + 1]!.atSec) stepIndex++
    const sh = stepShares[stepIndex]!
    const u = fates.u0[lead]!
    const u1 = fates.u1[lead]!
    let kind: number
    if (u < sh[0]) kind = u1 < fpRate ? K_FP : K_LIVE
    else if (u < sh[0] + sh[1]) kind = u1 < detectRate ? K_MACHINE : K_MISSED
    else if (u < sh[0] + sh[1] + sh[2]) kind = K_NOANSWER
    else kind = K_FAILED
    let ring: number
    if (sc.markov) {
      ring = fates.e5[lead]! * dialMean
      if (kind === K_MISSED) kind = K_MACHINE
    } else if (kind === K_LIVE || kind === K_FP) ring = Math.exp(pr.mu + pr.sigma * fates.z2[lead]!)
    else if (kind === K_MACHINE || kind === K_MISSED) ring = Math.exp(mr.mu + mr.sigma * fates.z2[lead]!)
    else if (kind === K_NOANSWER) ring = sc.noAnswerSec
    else ring = sc.failedSec
    call.kind = kind
    heap.push(now + ring, RESOLVE, call.slot, call.serial)
  }

  let lastDecision = Number.NEGATIVE_INFINITY
  const decide = (now: number): void => {
    lastDecision = now
    snapshot.now = now
    decisions++
    let d: PacingDecision
    if (timing) {
      timing.start()
      d = pacer.decide(snapshot as CampaignSnapshot)
      timing.stop(now >= 600)
    } else d = pacer.decide(snapshot as CampaignSnapshot)
    const n = Math.min(d.launch, 100_000)
    if (n > 0) {
      const risks = d.risks
      dialMin[minuteOf(now)]! += n
      for (let j = 0; j < n; j++) {
        launch(now)
        calls[calls.length - 1]!.risk = risks && j < risks.length ? risks[j]! : Number.NaN
      }
      observe({ type: 'dial', at: now, count: n })
      const lines = calls.length + talkingCalls
      if (lines > peakLines) peakLines = lines
    }
  }

  const progressEvery = T / 20
  let nextProgress = progressEvery
  while (heap.n > 0) {
    const now = heap.t[0]!
    if (now >= T) break
    const kind = heap.k[0]!
    const ref = heap.r[0]!
    const ser = heap.s[0]!
    heap.pop()
    if (options.onProgress && now >= nextProgress) {
      options.onProgress(now / T)
      nextProgress += progressEvery
    }
    let forced = false
    switch (kind) {
      case RESOLVE: {
        const c = slots[ref]!
        if (c.serial !== ser || c.pos < 0) break
        const ringSec = now - c.launched
        const k = c.kind
        if (k === K_LIVE) {
          live++
          liveMin[minuteOf(now)]!++
          observe({ type: 'outcome', at: now, outcome: 'person', ringSec })
          setPhase(c, 'waiting', now)
          if (availableCount > 0) connectLive(c, now, 0)
          else if (tau > 0) {
            waitQ.push(c)
            heap.push(now + tau, WAITOUT, c.slot, c.serial)
          } else abandon(c, now)
        } else if (sc.markov || k === K_NOANSWER || k === K_FAILED) {
          if (k === K_FP) {
            fps++
            fpMin[minuteOf(now)]!++
          }
          const outcome = k === K_NOANSWER ? 'no_answer' : k === K_FAILED ? 'failed' : 'machine'
          observe({ type: 'outcome', at: now, outcome, ringSec })
          removeCall(c)
        } else {
          setPhase(c, 'detecting', now)
          heap.push(now + sc.detectSec, DETECT, c.slot, c.serial)
        }
        break
      }
      case DETECT: {
        const c = slots[ref]!
        if (c.serial !== ser || c.pos < 0) break
        const ringSec = c.since - c.launched
        if (c.kind === K_FP) {
          fps++
          fpMin[minuteOf(now)]!++
        }
        // reported at detection time, `detectSec` after the answer (the launch was at now - ringSec - detectSec)
        observe({ type: 'outcome', at: now, outcome: 'machine', ringSec, detectSec: now - c.since })
        if (c.kind === K_MISSED && availableCount > 0) {
          const i = takeAgent()
          startTalk(i, now, c.lead, true)
        }
        removeCall(c)
        break
      }
      case WAITOUT: {
        const c = slots[ref]!
        if (c.serial !== ser || c.pos < 0 || c.phase !== 'waiting') break
        abandon(c, now)
        break
      }
      case TALK_END: {
        const a = agents[ref]!
        const talk = agentTalk[ref]!
        talkTime += talk
        addHandle(now - talk, now)
        talkingCalls--
        observe({ type: 'talk', at: now, durationSec: talk })
        a.state = 'wrap_up'
        a.since = now
        heap.push(now + agentWrap[ref]!, WRAP_END, ref, 0)
        break
      }
      case WRAP_END: {
        const w = agentWrap[ref]!
        wrapTime += w
        addHandle(now - w, now)
        observe({ type: 'wrap_up', at: now, durationSec: w })
        agentFree(ref, now)
        forced = true
        break
      }
      case MACHINE_END:
        talkingCalls--
        agentMachine[ref] = 0
        agentFree(ref, now)
        forced = true
        break
      case BREAK_DUE: {
        const a = agents[ref]!
        if (a.state === 'available') {
          availableCount--
          a.state = 'paused'
          a.since = now
          pausedSince[ref] = now
          heap.push(now + ser, BREAK_END, ref, 0)
        } else breakPending[ref] = 1
        break
      }
      case BREAK_END:
        pausedTime += now - pausedSince[ref]!
        agentFree(ref, now)
        forced = true
        break
      case TICK:
        heap.push(now + 1, TICK, 0, 0)
        forced = true
        break
    }
    // idle agents with no call on its way to them: decide now (a progressive dialer must not wait)
    if (forced || now - lastDecision >= interval || availableCount > calls.length) decide(now)
  }
  // close the books at the end of the shift
  for (let i = 0; i < N; i++) {
    const a = agents[i]!
    if (a.state === 'on_call' && !agentMachine[i]) {
      talkTime += T - a.since
      addHandle(a.since, T)
    } else if (a.state === 'wrap_up') {
      wrapTime += T - a.since
      addHandle(a.since, T)
    } else if (a.state === 'paused') pausedTime += T - a.since
  }
  const loggedIn = N * T - pausedTime
  const agentHours = loggedIn / 3600
  let usWorst = 0
  let ukWorst = 0
  let usWorstAt = 0
  let ukWorstAt = 0
  const win = Math.min(60, minutes)
  let wl = 0
  let wd = 0
  let wf = 0
  for (let m = 0; m < minutes; m++) {
    wl += liveMin[m]!
    wd += dropMin[m]!
    wf += fpMin[m]!
    if (m >= win) {
      wl -= liveMin[m - win]!
      wd -= dropMin[m - win]!
      wf -= fpMin[m - win]!
    }
    if (m >= win - 1) {
      if (wl > 0 && wd / wl > usWorst) {
        usWorst = wd / wl
        usWorstAt = (m - win + 1) * 60
      }
      if (wl + wf > 0 && (wd + wf) / (wl + wf) > ukWorst) {
        ukWorst = (wd + wf) / (wl + wf)
        ukWorstAt = (m - win + 1) * 60
      }
    }
  }
  // per-bucket series; paused time is spread evenly (breaks are a small share of the shift)
  const seriesRows = (sec: number): SeriesRow[] => {
    const per = Math.max(1, Math.round(sec / 60))
    const rows: SeriesRow[] = []
    const perAgentLoggedIn = loggedIn / Math.max(1, T)
    for (let m0 = 0; m0 < minutes; m0 += per) {
      let h = 0
      let l = 0
      let a = 0
      let f = 0
      let dd = 0
      const m1 = Math.min(minutes, m0 + per)
      for (let m = m0; m < m1; m++) {
        h += handleMin[m]!
        l += liveMin[m]!
        a += dropMin[m]!
        f += fpMin[m]!
        dd += dialMin[m]!
      }
      const span = Math.min(T, m1 * 60) - m0 * 60
      rows.push({
        fromSec: m0 * 60,
        handleOccupancy: span > 0 ? h / (perAgentLoggedIn * span) : 0,
        live: l,
        abandoned: a,
        falsePositives: f,
        dials: dd,
      })
    }
    return rows
  }
  const total = connects + drops
  const pct = (q: number): number => {
    if (total === 0) return 0
    const target = q * total
    let acc = 0
    for (let b = 0; b <= WAIT_BINS; b++) {
      acc += waitHist[b]!
      if (acc >= target) return b >= WAIT_BINS ? tau : ((b + 1) / WAIT_BINS) * tau
    }
    return tau
  }
  return {
    scenario: sc.name,
    dialer: pacer.name,
    rep,
    agentHours,
    talkOccupancy: talkTime / loggedIn,
    handleOccupancy: (talkTime + wrapTime) / loggedIn,
    dials,
    live,
    connects,
    abandoned: drops,
    falsePositives: fps,
    usRate: live > 0 ? drops / live : 0,
    ukRate: live + fps > 0 ? (drops + fps) / (live + fps) : 0,
    usWorstHour: usWorst,
    ukWorstHour: ukWorst,
    waitMean: total > 0 ? waitSum / total : 0,
    waitP95: pct(0.95),
    waitP99: pct(0.99),
    dialsPerAgentHour: dials / agentHours,
    connectsPerAgentHour: connects / agentHours,
    talkMinutesPerAgentHour: talkTime / 60 / agentHours,
    dialsPerConnect: connects > 0 ? dials / connects : Number.POSITIVE_INFINITY,
    peakLines,
    decisions,
    usWorstHourAt: usWorstAt,
    ukWorstHourAt: ukWorstAt,
    series: seriesRows(options.seriesSec ?? 3600),
    calibration: Array.from({ length: nCal }, (_, b) => ({
      lo: CALIBRATION_EDGES[b]!,
      hi: Math.min(1, CALIBRATION_EDGES[b + 1]!),
      live: calLive[b]!,
      predicted: calPred[b]!,
      abandoned: calDrop[b]!,
    })),
    ...(timing && observeTiming
      ? { decisionMicros: timing.summary(), observeMicros: observeTiming.summary() }
      : {}),
  }
}
