// Prints the Markdown summary tables of a benchmark JSON file: node bench/summary.mjs results.json
import { readFileSync } from 'node:fs'

const data = JSON.parse(readFileSync(process.argv[2], 'utf8'))
const pct = (x, d = 1) => (x === null || x === undefined ? '-' : `${(x * 100).toFixed(d)}%`)
const rows = data.results
const scen = [...new Set(rows.map((r) => r.scenario))]
const dialers = ['progressive', 'adaptive-ratio', 'lines-per-agent', 'static-poisson', 'predictive']

console.log('Predictive, per scenario and target (medians over replications; US mean over replications):\n')
console.log(
  '| Scenario | Target | Handle occ. | Talk occ. | % of limit | US abandonment | US worst hour | US range | Reps <= target | UK abandonment | Wait mean / p95 / p99 (s) | Dials / connects / talk-min per agent-hour |',
)
console.log('|---|---|---|---|---|---|---|---|---|---|---|---|')
for (const s of scen)
  for (const t of data.targets) {
    const r = rows.find((x) => x.scenario === s && x.target === t && x.dialer === 'predictive')
    if (!r) continue
    console.log(
      `| ${s} | ${pct(t, 0)} | ${pct(r.handleOccupancy)} | ${pct(r.talkOccupancy)} | ${r.markov ? pct(r.shareOfLimit) : '-'} | ${pct(r.us.mean, 2)} | ${pct(r.us.worstHour, 2)} | ${pct(r.us.min, 2)}-${pct(r.us.max, 2)} | ${pct(r.repsAtOrUnderTarget, 0)} | ${pct(r.uk.mean, 2)} | ${r.wait.mean.toFixed(2)} / ${r.wait.p95.toFixed(2)} / ${r.wait.p99.toFixed(2)} | ${r.dialsPerAgentHour.toFixed(0)} / ${r.connectsPerAgentHour.toFixed(1)} / ${r.talkMinutesPerAgentHour.toFixed(1)} |`,
    )
  }
console.log(
  '\nEvery dialer: mean handle occupancy @ mean US abandonment (the CMDP limit for the Markov versions):\n',
)
console.log(`| Scenario | Target | ${dialers.join(' | ')} | CMDP limit |`)
console.log(`|---|---|${dialers.map(() => '---').join('|')}|---|`)
for (const s of scen)
  for (const t of data.targets) {
    const cells = dialers.map((d) => {
      const r = rows.find((x) => x.scenario === s && x.target === t && x.dialer === d)
      return r ? `${pct(r.handleOccupancyMean)} @ ${pct(r.us.mean, 2)}` : '-'
    })
    const lim = rows.find((x) => x.scenario === s && x.target === t)
    console.log(
      `| ${s} | ${pct(t, 0)} | ${cells.join(' | ')} | ${lim?.markov && lim.limit ? pct(lim.limit, 2) : '-'} |`,
    )
  }
console.log('\nGoals:\n')
for (const g of data.goals.filter((x) => !x.ok))
  console.log(
    `- FAIL ${g.goal} ${g.scenario} ${pct(g.target, 0)}: ${typeof g.value === 'number' ? pct(g.value, 2) : g.value}`,
  )
console.log(`- ${data.goals.filter((x) => x.ok).length} of ${data.goals.length} goal checks pass`)
if (data.micro)
  for (const m of data.micro)
    console.log(`- ${m.name}: median ${m.medianMicros.toFixed(1)} µs, p99 ${m.p99Micros.toFixed(1)} µs`)
console.log(`- ${data.agentHours.toFixed(0)} simulated agent-hours in ${data.wallSeconds.toFixed(0)} s wall`)
