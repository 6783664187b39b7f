// `pnpm demo`: the contact center in a box. `--headless --hours 8` runs a
// shift on the virtual clock and prints the combined report; without
// --headless it serves the agent desktop and the supervisor screen.
import { writeFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { parseArgs } from 'node:util'
import { reportCsv } from '@switchboard/campaigns'
import { shiftBar } from './progress.ts'
import { reportTable } from './report-table.ts'
import { runShift } from './shift.ts'

const USAGE = `usage: pnpm demo [--headless --hours 8] [options]
  --headless         run a shift on the virtual clock, print the combined report and exit
  --hours <h>        the shift's length in virtual hours (headless; default 8)
  --speed <x>        virtual seconds per real second when serving (default 1)
  --port <n>         the port to serve on, on 127.0.0.1 (default 8080; 0 picks a free one)
  --agents <n>       simulated agents (default 8)
  --contacts <n>     seeded contacts (default 600)
  --seed <n>         the simulation's seed (default 1)
  --db <file>        the SQLite file (default examples/contact-center/contact-center.db; recreated)
  --csv <file>       also write the report as CSV (headless; default next to the database)`

// pnpm may hand the script a lone `--` before the user's flags
const args = process.argv.slice(2).filter((a) => a !== '--')
const { values } = parseArgs({
  args,
  options: {
    headless: { type: 'boolean', default: false },
    hours: { type: 'string', default: '8' },
    speed: { type: 'string', default: '1' },
    port: { type: 'string', default: '8080' },
    agents: { type: 'string', default: '8' },
    contacts: { type: 'string', default: '600' },
    seed: { type: 'string', default: '1' },
    db: { type: 'string' },
    csv: { type: 'string' },
    help: { type: 'boolean', short: 'h', default: false },
  },
  strict: true,
})
if (values.help) {
  console.log(USAGE)
  process.exit(0)
}
const number = (name: string, v: string, min: number, max: number): number => {
  const n = Number(v)
  if (!Number.isFinite(n) || n < min || n > max) {
    console.error(`--${name} must be a number from ${min} to ${max}, not ${JSON.stringify(v)}\n\n${USAGE}`)
    process.exit(2)
  }
  return n
}
const here = (f: string) => fileURLToPath(new URL(`../${f}`, import.meta.url))
const file = values.db ?? here('contact-center.db')
const common = {
  file,
  agents: Math.round(number('agents', values.agents, 1, 200)),
  contacts: Math.round(number('contacts', values.contacts, 10, 8000)),
  seed: Math.round(number('seed', values.seed, 0, 2 ** 31)),
}

if (values.headless) {
  const hours = number('hours', values.hours, 0.1, 13)
  const bar = shiftBar()
  const started = performance.now()
  const result = await runShift({ ...common, hours, onProgress: bar.update }).finally(() => bar.stop())
  const seconds = (performance.now() - started) / 1000
  const names = (k: string) => result.agentNames[k] ?? k
  console.log(
    `\n== Combined report: ${hours} h shift, ${common.agents} agents, ${common.contacts} contacts (${seconds.toFixed(1)} s of real time)`,
  )
  console.log(`${result.range.from.toISOString()} to ${result.range.to.toISOString()}\n`)
  console.log(reportTable(result.byAgent, names))
  console.log('\n== By list\n')
  console.log(reportTable(result.byList, (k) => result.listNames[k] ?? k))
  const csv = values.csv ?? here('contact-center-report.csv')
  writeFileSync(csv, reportCsv(result.byAgent, { totals: true }))
  console.log(`\nCSV (by agent, with totals): ${csv}`)
  if (result.failures.length) {
    console.error(`\n${result.failures.length} background failures, the first:`, result.failures[0])
    process.exit(1)
  }
} else {
  const { startDemo } = await import('./server.ts')
  const demo = await startDemo({
    ...common,
    speed: number('speed', values.speed, 0.1, 1000),
    port: Math.round(number('port', values.port, 0, 65535)),
  })
  console.log(
    `Switchboard contact center: ${common.agents} simulated agents, the virtual clock at ${demo.speed}x`,
  )
  console.log(`  agent desktop (the human seat): ${demo.urls.agent}`)
  console.log(`  supervisor screen:              ${demo.urls.supervisor}`)
  console.log('Ctrl-C to stop.')
  const stop = () => void demo.close().then(() => process.exit(0))
  process.once('SIGINT', stop)
  process.once('SIGTERM', stop)
}
