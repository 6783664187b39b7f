// Runs benchmark jobs in a worker thread: one replication of one scenario at one target, every dialer
// on the same lead fates (common random numbers); or one CMDP limit.
import { openSync, readSync } from 'node:fs'
import { parentPort } from 'node:worker_threads'
import { regimes } from '@switchboard/core/domain'
import { PredictivePacer, ProgressivePacer } from '../dist/index.js'
import * as d from '../dist/sim.js'

/** The abandonment rule a scenario is paced and judged by: its regime's formula and window, the target, its detector's false-positive rate. */
export function ruleFor(sc, target) {
  const base = regimes[sc.regime ?? 'US'].abandonment
  return {
    ...base,
    limit: target,
    maxWaitSec: sc.markov ? 0 : sc.maxWaitSec,
    amdFalsePositiveRate: sc.amdFalsePositiveRate,
  }
}

export function makeDialers(sc, target, rep, seed, only) {
  const personShare = d.liveShare(sc)
  const activeAgents = sc.agents * (1 - (sc.breaks?.share ?? 0))
  const all = [
    ['progressive', () => new ProgressivePacer()],
    ['adaptive-ratio', () => new d.AdaptiveRatioPacer(target)],
    ['lines-per-agent', () => new d.LinesPerAgentPacer(target)],
    [
      'static-poisson',
      () =>
        new d.StaticPoissonPacer(
          d.erlangBDialRate(
            Math.max(1, Math.round(activeAgents)),
            personShare,
            d.meanHandleSeconds(sc),
            target,
          ),
          d.deriveSeed(seed, rep, 3),
        ),
    ],
    [
      'predictive',
      () =>
        new PredictivePacer({
          abandonment: ruleFor(sc, target),
          detectSec: sc.detectSec,
          amdMissRate: 1 - sc.amdDetectRate,
        }),
    ],
  ]
  return all.filter(([name]) => !only || only.includes(name)).map(([, make]) => make())
}

/**
 * The calling thread's accumulated run-queue wait in µs (Linux: the second field of
 * /proc/thread-self/schedstat, nanoseconds spent runnable but not running), or undefined elsewhere.
 * The decision timing subtracts it to tell a slow decision from a descheduled thread.
 */
export function runQueueWaitClock() {
  let fd
  try {
    fd = openSync('/proc/thread-self/schedstat', 'r')
  } catch {
    return undefined
  }
  const buf = Buffer.alloc(96)
  return () => {
    const n = readSync(fd, buf, 0, 96, 0)
    let i = 0
    while (i < n && buf[i] !== 32) i++
    let v = 0
    for (i++; i < n && buf[i] >= 48 && buf[i] <= 57; i++) v = v * 10 + (buf[i] - 48)
    return v / 1000
  }
}
let waitClock = null

export function runJob(job) {
  if (job.kind === 'limit') {
    const r = d.solveCmdp(job.scenario, job.target)
    return { kind: 'limit', key: job.key, result: r }
  }
  const { scenario, target, rep, seed } = job
  const fates = new d.LeadFates(scenario, seed, rep)
  const out = []
  for (const p of makeDialers(scenario, target, rep, seed, job.dialers)) {
    // progressive is timed too: a decision that costs about a microsecond, the control for what the
    // machine adds (a slow progressive decision is the machine's, not the pacer's)
    const timed = p.name === 'predictive' || p.name === 'progressive'
    if (timed && waitClock === null) waitClock = runQueueWaitClock()
    const m = d.simulate(scenario, p, {
      seed,
      rep,
      fates,
      timeDecisions: timed,
      runQueueWaitMicros: timed ? waitClock : undefined,
    })
    out.push(p.name === 'predictive' ? { ...m, shifts: p.outcomes.shifts, rebuilds: p.rebuilds } : m)
  }
  return { kind: 'run', scenario: scenario.name, target, rep, seed, metrics: out }
}

if (parentPort) {
  parentPort.on('message', (job) => {
    parentPort.postMessage(runJob(job))
  })
}
