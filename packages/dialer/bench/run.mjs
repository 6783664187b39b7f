#!/usr/bin/env node
// The dialer benchmark. Usage: node bench/run.mjs [--quick] [--reps N] [--targets 0.03,0.01]
//   [--json FILE] [--scenario FILE] [--chart FILE.svg] [--seed N] [--workers N] [--no-micro] [--no-limit]
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { availableParallelism } from 'node:os'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { Worker } from 'node:worker_threads'
import * as d from '../dist/sim.js'
import { renderChart } from './chart.mjs'
import { microbench } from './micro.mjs'

const here = dirname(fileURLToPath(import.meta.url))
const args = process.argv.slice(2)
const flag = (name) => args.includes(name)
const opt = (name, def) => {
  const i = args.indexOf(name)
  return i >= 0 && i + 1 < args.length ? args[i + 1] : def
}
if (flag('--help')) {
  console.log(readFileSync(join(here, 'run.mjs'), 'utf8').split('\n').slice(1, 3).join('\n'))
  process.exit(0)
}
const quick = flag('--quick')
const reps = Number(opt('--reps', quick ? 4 : 20))
const seed = Number(opt('--seed', 20260401))
const targets = String(opt('--targets', '0.03,0.01')).split(',').map(Number)
const workers = Number(opt('--workers', Math.max(1, Math.min(availableParallelism(), 8))))
const durationOverride = quick ? 3 * 3600 : undefined // seconds

// ---- scenarios ----
export function loadScenarioFile(file) {
  let text
  try {
    text = readFileSync(file, 'utf8')
  } catch (e) {
    throw new Error(`--scenario ${file}: cannot read (${e.message})`)
  }
  return d.parseScenarioFile(text, `--scenario ${file}`)
}

let scenarios
if (opt('--scenario')) {
  try {
    scenarios = loadScenarioFile(opt('--scenario'))
  } catch (e) {
    console.error(e.message)
    process.exit(2)
  }
} else {
  const bases = [d.SCENARIO_S, d.SCENARIO_M, d.SCENARIO_L]
  scenarios = [
    ...bases,
    ...bases.map(d.markovVersion),
    ...d.stressVariants(d.SCENARIO_M).filter((s) => !s.name.endsWith('5-agents')),
    { ...d.SCENARIO_S, name: 'S-5-agents', agents: 5 },
  ]
}
if (durationOverride)
  scenarios = scenarios.map((s) => ({ ...s, durationSec: Math.min(s.durationSec, durationOverride) }))

// ---- jobs ----
const jobs = []
for (const sc of scenarios)
  for (const target of targets)
    for (let rep = 0; rep < reps; rep++) jobs.push({ kind: 'run', scenario: sc, target, rep, seed })
const cacheDir = join(here, '..', '.bench')
const cacheFile = join(cacheDir, 'limits.json')
const limitCache = existsSync(cacheFile) ? JSON.parse(readFileSync(cacheFile, 'utf8')) : {}
const limitKey = (sc, t) =>
  JSON.stringify([sc.agents, d.liveShare(sc), d.meanDialSeconds(sc), d.meanHandleSeconds(sc), t])
const limits = new Map()
if (!flag('--no-limit')) {
  for (const sc of scenarios) {
    if (!sc.markov) continue
    for (const t of targets) {
      const key = limitKey(sc, t)
      if (limitCache[key]) limits.set(`${sc.name}|${t}`, limitCache[key])
      else jobs.unshift({ kind: 'limit', scenario: sc, target: t, key, name: `${sc.name}|${t}` })
    }
  }
}

// ---- progress bar ----
let done = 0
const started = performance.now()
function progress() {
  const w = 30
  const f = done / jobs.length
  const bar = '█'.repeat(Math.round(f * w)).padEnd(w, '░')
  const el = (performance.now() - started) / 1000
  const eta = f > 0 ? el / f - el : 0
  process.stderr.write(
    `\r  ${bar} ${(f * 100).toFixed(0).padStart(3)}%  ${done}/${jobs.length} jobs  ${el.toFixed(0)}s elapsed, ~${eta.toFixed(0)}s left `,
  )
}

const runs = []
async function runPool() {
  const queue = jobs.slice()
  const n = Math.min(workers, queue.length)
  progress()
  await Promise.all(
    Array.from({ length: n }, async () => {
      const w = new Worker(join(here, 'worker.mjs'))
      for (;;) {
        const job = queue.shift()
        if (!job) break
        const res = await new Promise((resolve, reject) => {
          w.once('message', resolve)
          w.once('error', reject)
          w.postMessage(job)
        })
        if (res.kind === 'limit') {
          limits.set(job.name, res.result)
          limitCache[res.key] = res.result
          if (!existsSync(cacheDir)) mkdirSync(cacheDir, { recursive: true })
          writeFileSync(cacheFile, JSON.stringify(limitCache, null, 1))
        } else runs.push(res)
        done++
        progress()
      }
      await w.terminate()
    }),
  )
  process.stderr.write('\n')
}
await runPool()
if (!existsSync(cacheDir)) mkdirSync(cacheDir, { recursive: true })
writeFileSync(cacheFile, JSON.stringify(limitCache, null, 1))

// ---- aggregation ----
const median = (a) => {
  const s = [...a].sort((x, y) => x - y)
  const m = s.length >> 1
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2
}
const mean = (a) => a.reduce((x, y) => x + y, 0) / a.length
const DIALERS = ['progressive', 'adaptive-ratio', 'lines-per-agent', 'static-poisson', 'predictive']
const results = []
for (const sc of scenarios) {
  for (const target of targets) {
    const limit = limits.get(`${sc.name}|${target}`) ?? limits.get(`${sc.name}-markov|${target}`)
    const group = runs.filter((r) => r.scenario === sc.name && r.target === target)
    for (const dialer of DIALERS) {
      const ms = group.map((g) => g.metrics.find((m) => m.dialer === dialer)).filter(Boolean)
      if (ms.length === 0) continue
      const col = (k) => ms.map((m) => m[k])
      const handle = median(col('handleOccupancy'))
      results.push({
        scenario: sc.name,
        markov: sc.markov,
        target,
        dialer,
        reps: ms.length,
        talkOccupancy: median(col('talkOccupancy')),
        handleOccupancy: handle,
        handleOccupancyMean: mean(col('handleOccupancy')),
        limit: limit?.occupancy ?? null,
        shareOfLimit: limit ? mean(col('handleOccupancy')) / limit.occupancy : null,
        limitIsMarkovReference: !!limit && !sc.markov,
        us: {
          mean: mean(col('usRate')),
          median: median(col('usRate')),
          min: Math.min(...col('usRate')),
          max: Math.max(...col('usRate')),
          worstHour: median(col('usWorstHour')),
        },
        uk: {
          mean: mean(col('ukRate')),
          median: median(col('ukRate')),
          min: Math.min(...col('ukRate')),
          max: Math.max(...col('ukRate')),
          worstHour: median(col('ukWorstHour')),
        },
        repsAtOrUnderTarget: ms.filter((m) => m.usRate <= target).length / ms.length,
        wait: { mean: median(col('waitMean')), p95: median(col('waitP95')), p99: median(col('waitP99')) },
        dialsPerAgentHour: median(col('dialsPerAgentHour')),
        connectsPerAgentHour: median(col('connectsPerAgentHour')),
        talkMinutesPerAgentHour: median(col('talkMinutesPerAgentHour')),
        dialsPerConnect: median(col('dialsPerConnect')),
        peakLines: median(col('peakLines')),
        agentHours: mean(col('agentHours')) * ms.length,
      })
    }
  }
}

// ---- tables ----
const pct = (x, dgt = 1) => (x === null || x === undefined ? '   -  ' : (x * 100).toFixed(dgt) + '%')
const pad = (s, n) => String(s).padStart(n)
console.log(
  `\nSwitchboard dialer benchmark: ${reps} replications, seed ${seed}, ${quick ? 'QUICK (3-hour shifts)' : '8-hour shifts'}; medians over replications unless marked`,
)
console.log(
  'US = abandoned / live answers; UK = (abandoned + AMD false positives) / (live + false positives). Pacing targets the US formula.',
)
for (const sc of scenarios) {
  for (const target of targets) {
    const rows = results.filter((r) => r.scenario === sc.name && r.target === target)
    const lim = rows[0]?.limit
    console.log(
      `\n${sc.name} (${sc.agents} agents${sc.markov ? ', Markov version' : ''}) target ${pct(target, 0)}${lim ? `, CMDP limit handle occupancy ${pct(lim, 2)}${sc.markov ? '' : ' (of the Markov version, reference)'}` : ''}`,
    )
    console.log(
      `${'dialer'.padEnd(16)}${pad('talk', 7)}${pad('handle', 8)}${pad('%limit', 8)}${pad('US mean', 9)}${pad('US worstH', 10)}${pad('US range', 15)}${pad('<=tgt', 7)}${pad('UK mean', 9)}${pad('UK worstH', 10)}${pad('wait mean/p95/p99 s', 21)}${pad('dials/ah', 9)}${pad('conn/ah', 8)}${pad('talkmin/ah', 11)}${pad('d/conn', 7)}${pad('peak', 6)}`,
    )
    for (const r of rows) {
      console.log(
        `${r.dialer.padEnd(16)}${pad(pct(r.talkOccupancy), 7)}${pad(pct(r.handleOccupancy), 8)}${pad(r.shareOfLimit ? pct(r.shareOfLimit) : '-', 8)}${pad(pct(r.us.mean, 2), 9)}${pad(pct(r.us.worstHour, 2), 10)}${pad(`${pct(r.us.min, 2)}-${pct(r.us.max, 2)}`, 15)}${pad(pct(r.repsAtOrUnderTarget, 0), 7)}${pad(pct(r.uk.mean, 2), 9)}${pad(pct(r.uk.worstHour, 2), 10)}${pad(`${r.wait.mean.toFixed(2)}/${r.wait.p95.toFixed(2)}/${r.wait.p99.toFixed(2)}`, 21)}${pad(r.dialsPerAgentHour.toFixed(1), 9)}${pad(r.connectsPerAgentHour.toFixed(1), 8)}${pad(r.talkMinutesPerAgentHour.toFixed(1), 11)}${pad(r.dialsPerConnect.toFixed(2), 7)}${pad(r.peakLines, 6)}`,
      )
    }
  }
}

// ---- self-check: progressive against the closed form ----
console.log(
  '\nSimulator self-check: progressive handle occupancy (mean over replications) vs the closed form of DIALER.md',
)
const checks = []
for (const sc of scenarios.filter((s) => !s.shift && !s.breaks)) {
  const r = results.find((x) => x.scenario === sc.name && x.dialer === 'progressive')
  if (!r) continue
  const cf = d.progressiveClosedForm(sc)
  const diff = r.handleOccupancyMean - cf
  checks.push({
    scenario: sc.name,
    simulated: r.handleOccupancyMean,
    closedForm: cf,
    ok: Math.abs(diff) <= 0.01,
  })
  console.log(
    `  ${sc.name.padEnd(14)} simulated ${pct(r.handleOccupancyMean, 2)}  closed form ${pct(cf, 2)}  diff ${(diff * 100).toFixed(2)} pt  ${Math.abs(diff) <= 0.01 ? 'OK' : 'FAIL'}`,
  )
}

// ---- goals ----
console.log('\nGoals')
const goals = []
for (const target of targets) {
  for (const sc of scenarios) {
    const rows = results.filter((r) => r.scenario === sc.name && r.target === target)
    const p = rows.find((r) => r.dialer === 'predictive')
    if (!p) continue
    if (sc.markov && p.shareOfLimit)
      goals.push({
        goal: '>=97% of limit',
        scenario: sc.name,
        target,
        value: p.shareOfLimit,
        ok: p.shareOfLimit >= 0.97,
      })
    if (!sc.markov) {
      const beaten = rows.filter(
        (r) =>
          r.dialer !== 'predictive' &&
          r.dialer !== 'static-poisson' &&
          r.us.mean <= p.us.mean + 1e-12 &&
          r.handleOccupancyMean >= p.handleOccupancyMean,
      )
      const better = rows.filter(
        (r) => r.dialer !== 'predictive' && r.handleOccupancyMean > p.handleOccupancyMean,
      )
      goals.push({
        goal: 'beats every baseline at <= abandonment',
        scenario: sc.name,
        target,
        value:
          better.map((b) => `${b.dialer} ${pct(b.handleOccupancyMean)} @ ${pct(b.us.mean, 2)}`).join(', ') ||
          'none higher',
        ok: beaten.length === 0 && better.every((b) => b.us.mean > p.us.mean),
      })
    }
    goals.push({
      goal: 'abandonment <= target on average',
      scenario: sc.name,
      target,
      value: p.us.mean,
      ok: p.us.mean <= target,
    })
    goals.push({
      goal: '>=95% of replications <= target',
      scenario: sc.name,
      target,
      value: p.repsAtOrUnderTarget,
      ok: p.repsAtOrUnderTarget >= 0.95,
    })
  }
}
for (const g of goals) {
  const v = typeof g.value === 'number' ? pct(g.value, 2) : g.value
  console.log(
    `  ${g.ok ? 'PASS' : 'FAIL'}  ${g.goal.padEnd(40)} ${g.scenario.padEnd(14)} ${pct(g.target, 0)}  ${v}`,
  )
}
if (limits.size > 0) {
  console.log(
    '\nCMDP limits (value iteration on the Markov version; upper bound, gap = upper - lower gain bound)',
  )
  for (const [k, v] of limits)
    console.log(
      `  ${k.padEnd(20)} ${pct(v.occupancy, 2)}  gap ${(100 * (v.occupancy - v.occupancyLower)).toFixed(3)} pt  lambda ${v.lambda.toFixed(1)}  ${v.states} states`,
    )
}

// ---- simulator speed ----
const wall = (performance.now() - started) / 1000
const agentHours = runs.reduce((a, r) => a + r.metrics.reduce((b, m) => b + m.agentHours, 0), 0)
console.log(
  `\nSimulated ${agentHours.toFixed(0)} agent-hours in ${wall.toFixed(1)} s wall on ${workers} workers: ${(agentHours / wall).toFixed(0)} agent-hours per second`,
)

let micro = null
if (!flag('--no-micro')) {
  micro = await microbench({ time: quick ? 500 : 1500 })
  console.log('\nPacing decision latency (tinybench, 500 agents, 2,000 calls in flight)')
  for (const r of micro)
    console.log(
      `  ${r.name.padEnd(46)} median ${r.medianMicros.toFixed(1)} µs   p99 ${r.p99Micros.toFixed(1)} µs`,
    )
}

if (opt('--json')) {
  writeFileSync(
    opt('--json'),
    JSON.stringify(
      {
        seed,
        reps,
        quick,
        targets,
        scenarios,
        results,
        limits: Object.fromEntries(limits),
        checks,
        goals,
        micro,
        agentHours,
        wallSeconds: wall,
      },
      null,
      2,
    ),
  )
  console.log(`\nJSON written to ${opt('--json')}`)
}
if (opt('--chart')) {
  writeFileSync(opt('--chart'), renderChart(results, scenarios, targets))
  console.log(`Chart written to ${opt('--chart')}`)
}
