// Runs benchmark jobs in a worker thread: one replication of one scenario at one target, every dialer
// on the same lead fates (common random numbers); or one CMDP limit.
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

export function runJob(job) {
  if (job.kind === 'limit') {
    const r = d.solveCmdp(job.scenario, job.target)
    return { kind: 'limit', key: job.key, result: r }
  }
  const { scenario, target, rep, seed } = job
  const fates = new d.LeadFates(scenario, seed, rep)
  const out = []
  for (const p of makeDialers(scenario, target, rep, seed, job.dialers)) {
    const m = d.simulate(scenario, p, { seed, rep, fates, timeDecisions: p.name === 'predictive' })
    out.push(p.name === 'predictive' ? { ...m, shifts: p.outcomes.shifts, rebuilds: p.rebuilds } : m)
  }
  return { kind: 'run', scenario: scenario.name, target, rep, seed, metrics: out }
}

if (parentPort) {
  parentPort.on('message', (job) => {
    parentPort.postMessage(runJob(job))
  })
}
