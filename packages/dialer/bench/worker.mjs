// Runs benchmark jobs in a worker thread: one replication of one scenario at one target, every dialer
// on the same lead fates (common random numbers); or one CMDP limit.
import { parentPort } from 'node:worker_threads'
import { regimes } from '@switchboard/core/domain'
import { PredictivePacer, ProgressivePacer } from '../dist/index.js'
import * as d from '../dist/sim.js'

export function makeDialers(sc, target, rep, seed) {
  const abandonment = { ...regimes.US.abandonment, limit: target, maxWaitSec: sc.maxWaitSec }
  const personShare = d.liveShare(sc)
  const activeAgents = sc.agents * (1 - (sc.breaks?.share ?? 0))
  return [
    new ProgressivePacer(),
    new d.AdaptiveRatioPacer(target),
    new d.LinesPerAgentPacer(target),
    new d.StaticPoissonPacer(
      d.erlangBDialRate(Math.max(1, Math.round(activeAgents)), personShare, d.meanHandleSeconds(sc), target),
      d.deriveSeed(seed, rep, 3),
    ),
    new PredictivePacer({ abandonment: sc.markov ? { ...abandonment, maxWaitSec: 0 } : abandonment }),
  ]
}

export function runJob(job) {
  if (job.kind === 'limit') {
    const r = d.solveCmdp(job.scenario, job.target)
    return { kind: 'limit', key: job.key, result: r }
  }
  const { scenario, target, rep, seed } = job
  const fates = new d.LeadFates(scenario, seed, rep)
  const out = []
  for (const p of makeDialers(scenario, target, rep, seed)) {
    out.push(d.simulate(scenario, p, { seed, rep, fates }))
  }
  return { kind: 'run', scenario: scenario.name, target, rep, metrics: out }
}

if (parentPort) {
  parentPort.on('message', (job) => {
    parentPort.postMessage(runJob(job))
  })
}
