// Pacing-decision microbenchmark: 500 agents, 2,000 calls in flight (tinybench).
import { Bench } from 'tinybench'
import { PredictivePacer, ProgressivePacer } from '../dist/index.js'
import { Rng } from '../dist/sim.js'

export async function microbench({ time = 1500 } = {}) {
  const rng = new Rng(42)
  const pacer = new PredictivePacer()
  // warm the estimators as a running campaign would
  let t = 0
  for (let i = 0; i < 5000; i++) {
    t += 0.05
    const u = rng.next()
    const outcome = u < 0.15 ? 'person' : u < 0.4 ? 'machine' : u < 0.85 ? 'no_answer' : 'failed'
    pacer.observe({
      type: 'outcome',
      at: t + 60,
      outcome,
      ringSec: outcome === 'no_answer' ? 25 : rng.exponential(8),
    })
    if (i % 5 === 0) pacer.observe({ type: 'talk', at: t, durationSec: rng.exponential(120) })
    if (i % 5 === 0) pacer.observe({ type: 'wrap_up', at: t, durationSec: rng.gamma(4, 15 / 4) })
    if (i % 5 === 0) pacer.observe({ type: 'connect', at: t, waitSec: 0, abandoned: rng.next() < 0.02 })
  }
  const now = t + 120
  const states = ['available', 'on_call', 'on_call', 'on_call', 'wrap_up', 'paused']
  const agents = Array.from({ length: 500 }, (_, i) => ({
    state: states[i % states.length],
    since: now - rng.next() * 400,
  }))
  const phases = [
    'ringing',
    'ringing',
    'ringing',
    'ringing',
    'ringing',
    'ringing',
    'ringing',
    'detecting',
    'waiting',
  ]
  const calls = Array.from({ length: 2000 }, (_, i) => ({
    phase: phases[i % phases.length],
    since: now - rng.next() * 30,
  }))
  const snapshot = { now, agents, calls }
  const progressive = new ProgressivePacer()
  pacer.decide(snapshot)
  const bench = new Bench({ time, warmup: true })
  bench.add('predictive decide (500 agents, 2000 calls)', () => {
    pacer.decide(snapshot)
  })
  bench.add('progressive decide (500 agents, 2000 calls)', () => {
    progressive.decide(snapshot)
  })
  await bench.run()
  return bench.tasks.map((task) => {
    const l = task.result.latency
    return {
      name: task.name,
      medianMicros: l.p50 * 1000,
      p99Micros: l.p99 * 1000,
      meanMicros: l.mean * 1000,
      samples: l.samplesCount ?? l.samples?.length,
    }
  })
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const rows = await microbench()
  console.log('Pacing decision latency (tinybench)')
  for (const r of rows)
    console.log(
      `  ${r.name.padEnd(46)} median ${r.medianMicros.toFixed(1)} µs   p99 ${r.p99Micros.toFixed(1)} µs   (${r.samples} samples)`,
    )
}
