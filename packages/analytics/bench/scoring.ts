// Scoring benchmark (printed, never asserted): on leads held out from a
// generator with a known ground-truth conversion model, how well the
// conversion model, the business's weighted score (mapped to a probability
// by a one-feature logistic fit on the training leads) and a constant base
// rate predict who buys: AUC, log loss, calibration by decile and the
// expected calibration error (ECE). The truth itself is printed as the
// ceiling. Then a simulated shift over the held-out leads, claimed first in,
// first out, by probability and by expected value (probability x deal
// value): sales and revenue per agent-hour, on the same draws per run.
//
// Everything runs through the plugin on SQLite (in memory): the leads and
// their past interactions are written with the tenant API, the training
// leads' deciding calls too, `refit` fits and rescores, and the held-out
// leads' stored scores are read back; the list is claimed by storage.
//
// Usage: pnpm bench:scoring [-- --leads 6000 --holdout 0.5 --runs 5 --agents 10 --hours 4 --seed 14]
//   --leads N     leads generated (default 6000); --holdout F: share held out (default 0.5)
//   --runs R      simulated shifts per order (default 5; medians over them)
//   --agents A, --hours H   the shift (default 10 agents, 4 hours: about a third of the held-out list)
//   --chart FILE  where the calibration chart goes (default docs/calibration.svg of the package)
import { writeFileSync } from 'node:fs'
import { parseArgs } from 'node:util'
import {
  auc,
  type CalibrationBin,
  calibrationTable,
  expectedCalibrationError,
  fitLogistic,
  leadScoring,
  logLoss,
  modelWeights,
  predictLogistic,
} from '@switchboard/analytics'
import { type ContactId, createSwitchboard, type LeadOrder } from '@switchboard/core'
import { sqliteStorage } from '@switchboard/storage-sqlite'
import { mulberry32 } from '@switchboard/testkit/random'
import { calibrationSvg } from './chart.ts'
import { generateLeads, TRUTH } from './generate.ts'
import { type CallFate, type ShiftResult, simulateShift } from './simulate.ts'

const { values: args } = parseArgs({
  args: process.argv.slice(2).filter((a) => a !== '--'),
  options: {
    leads: { type: 'string', default: '6000' },
    holdout: { type: 'string', default: '0.5' },
    runs: { type: 'string', default: '5' },
    agents: { type: 'string', default: '10' },
    hours: { type: 'string', default: '4' },
    seed: { type: 'string', default: '14' },
    chart: { type: 'string', default: new URL('../docs/calibration.svg', import.meta.url).pathname },
  },
})
const N = Number(args.leads)
const HOLDOUT = Number(args.holdout)
const RUNS = Number(args.runs)
const SEED = Number(args.seed)

const table = (title: string, header: string[], rows: (string | number)[][]) => {
  const cells = [header, ...rows.map((r) => r.map(String))]
  const widths = header.map((_, c) => Math.max(...cells.map((r) => r[c]!.length)))
  const line = (r: string[]) =>
    `| ${r.map((v, c) => (c ? v.padStart(widths[c]!) : v.padEnd(widths[c]!))).join(' | ')} |`
  console.log(
    `\n${title}\n${line(header)}\n|${widths.map((w, c) => (c ? `${'-'.repeat(w + 1)}:` : '-'.repeat(w + 2))).join('|')}|`,
  )
  for (const r of cells.slice(1)) console.log(line(r))
}
const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b)
  return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2
}
const f3 = (x: number) => x.toFixed(3)

const scoring = leadScoring({
  // What a sales manager would set by hand: sensible, not fitted.
  criteria: [
    {
      id: 'referral',
      label: 'Came by referral',
      when: { field: 'tags', op: 'eq', value: 'referral' },
      points: 30,
    },
    {
      id: 'income',
      label: 'Income 60k+',
      when: { field: 'attributes.income', op: 'gte', value: 60_000 },
      points: 20,
    },
    {
      id: 'web',
      label: '3+ web visits',
      when: { field: 'attributes.visits', op: 'gte', value: 3 },
      points: 15,
    },
    {
      id: 'callback',
      label: 'Asked to be called back',
      when: { field: 'interactions.lastDispositionCategory', op: 'eq', value: 'callback' },
      points: 25,
      group: 'activity',
    },
    {
      id: 'called-in',
      label: 'Called us',
      when: { field: 'interactions.count', op: 'gte', value: 1, direction: 'inbound' },
      points: 25,
      group: 'activity',
    },
    {
      id: 'hard-to-reach',
      label: '3+ unanswered attempts',
      when: { field: 'interactions.count', op: 'gte', value: 3, direction: 'outbound' },
      points: -10,
    },
  ],
  caps: { activity: 40 },
  features: { attributes: ['income', 'visits'], tags: ['referral'] },
  value: { attribute: 'dealValue', otherwise: 0 },
})

const rand = mulberry32(SEED)
const leads = generateLeads(N, rand)
const isTest = leads.map(() => rand() < HOLDOUT)
const labels = leads.map((l) => (rand() < l.truth ? 1 : 0))

const storage = sqliteStorage({ file: ':memory:' })
const sb = await createSwitchboard({ storage, plugins: [scoring] })
const t = sb.tenant('bench')
const store = storage.forTenant(t.tenantId)
const flags = { final: true, countsAsContact: true, countsAsSale: false, addsToDnc: false }
await t.dispositions.define({
  code: 'SALE',
  label: 'Sale',
  category: 'sale',
  flags: { ...flags, countsAsSale: true },
})
await t.dispositions.define({ code: 'NO_INTEREST', label: 'No interest', category: 'contact_no_sale', flags })
await t.dispositions.define({
  code: 'CALL_BACK',
  label: 'Call back',
  category: 'callback',
  flags: { ...flags, final: false },
})

// The campaign day: every lead's deciding call is on it, its past before it.
const DAY = new Date('2026-11-02T09:00:00Z')
const started = performance.now()
const ids: ContactId[] = []
for (const [i, l] of leads.entries()) {
  const c = await t.contacts.create({
    firstName: `Lead ${i}`,
    tags: l.referral ? ['referral'] : [],
    emails: l.email ? [`lead${i}@example.com`] : [],
    attributes: { income: l.income, visits: l.visits, dealValue: l.dealValue },
  })
  ids.push(c.id)
  for (const h of l.history)
    await t.interactions.log({
      contactId: c.id,
      channel: 'voice',
      direction: h.direction,
      startedAt: new Date(DAY.getTime() - h.daysBefore * 86_400_000),
      durations: { talkSec: h.talkSec },
      ...(h.disposition ? { disposition: h.disposition } : {}),
    })
}
const wroteMs = performance.now() - started

// The weighted score of every lead before any deciding call (what a list is ranked by).
const scoreMs: number[] = []
const points: number[] = []
for (const id of ids) {
  const t0 = performance.now()
  points.push((await scoring.score(store, id, DAY))!.points)
  scoreMs.push(performance.now() - t0)
}

// The training leads' deciding calls: the outcomes the model learns from.
for (const [i, l] of leads.entries()) {
  if (isTest[i]) continue
  await t.interactions.log({
    contactId: ids[i]!,
    channel: 'voice',
    direction: 'outbound',
    startedAt: DAY,
    durations: { talkSec: labels[i] ? 420 : 150 },
    disposition: labels[i] ? 'SALE' : 'NO_INTEREST',
  })
  void l
}
const t1 = performance.now()
const fit = await scoring.refit(store, { now: DAY, l2: 1 })
const refitMs = performance.now() - t1
if (!fit.fitted) throw new Error(`no fit: ${fit.reason}`)

const test = leads.flatMap((_, i) => (isTest[i] ? [i] : []))
const train = leads.flatMap((_, i) => (isTest[i] ? [] : [i]))
const y = test.map((i) => labels[i]!)
const modelP: number[] = []
for (const i of test) modelP.push((await scoring.explain(store, ids[i]!))!.probability!)
const platt = fitLogistic(
  ['points'],
  train.map((i) => [points[i]!]),
  train.map((i) => labels[i]!),
  { l2: 1e-6 },
)
const weightedP = test.map((i) => predictLogistic(platt, [points[i]!]).probability)
const rate = train.reduce((s, i) => s + labels[i]!, 0) / train.length
const constantP = test.map(() => rate)
const truthP = test.map((i) => leads[i]!.truth)

console.log(
  `Scoring benchmark: ${N} generated leads (seed ${SEED}), ${train.length} for training, ${test.length} held out; base rate ${f3(rate)}.`,
)
console.log(
  `Ground truth: log-odds = ${TRUTH.intercept} + ${TRUTH.incomeK} x (income/1000 - 50) + ${TRUTH.visits} x visits + ${TRUTH.referral} x referral + ${TRUTH.callbacks} x callbacks + ${TRUTH.inbound} x inbound calls ${TRUTH.unanswered} x unanswered + ${TRUTH.email} x email`,
)
console.log(
  `Model: ${fit.model!.model.features.length} features, L2 1, ${fit.model!.model.iterations} Newton steps (converged: ${fit.model!.model.converged}); its own 20 % check at refit: AUC ${f3(fit.model!.holdout!.auc)}.`,
)
const methods = [
  ['conversion model', modelP],
  ['weighted score (Platt-mapped)', weightedP],
  ['constant base rate', constantP],
  ['ground truth (ceiling)', truthP],
] as const
const bins = new Map<string, CalibrationBin[]>(methods.map(([name, p]) => [name, calibrationTable(p, y)]))
table(
  'Held-out leads',
  ['method', 'AUC', 'log loss', 'ECE'],
  methods.map(([name, p]) => [
    name,
    f3(auc(p, y)),
    f3(logLoss(p, y)),
    f3(expectedCalibrationError(bins.get(name)!)),
  ]),
)
table(
  'Calibration by decile of the prediction (held out): mean predicted / observed',
  ['decile', 'n', ...methods.slice(0, 3).map(([name]) => name)],
  bins.get('conversion model')!.map((b, d) => [
    b.bin,
    b.n,
    ...methods.slice(0, 3).map(([name]) => {
      const x = bins.get(name)![d]
      return x ? `${f3(x.meanPredicted)} / ${f3(x.observed)}` : '-'
    }),
  ]),
)
table(
  'Model weights (log-odds per standard deviation of the feature: comparable; and per unit)',
  ['feature', 'weight', 'per unit'],
  modelWeights(fit.model!.model).map((w) => [w.feature, w.weight.toFixed(3), w.perUnit.toPrecision(3)]),
)
const example = (await scoring.explain(store, ids[test[0]!]!))!
console.log(
  `\nOne held-out lead, explained: ${example.points} points (${example.weighted.criteria
    .filter((c) => c.matched)
    .map(
      (c) => `${c.id} ${c.points > 0 ? '+' : ''}${c.points}${c.cappedBy ? ` capped by ${c.cappedBy}` : ''}`,
    )
    .join(
      ', ',
    )}); p = ${f3(example.probability!)} from base log-odds ${f3(example.prediction!.baseLogOdds)}: ${example
    .prediction!.contributions.slice(0, 4)
    .map((c) => `${c.feature} ${c.logOdds >= 0 ? '+' : ''}${c.logOdds.toFixed(2)}`)
    .join(', ')}, ...`,
)
table(
  'Plugin costs (SQLite in memory)',
  ['step', 'figure'],
  [
    ['write leads and history (tenant API)', `${(wroteMs / 1000).toFixed(1)} s`],
    ['score one lead (criteria + model), median', `${median(scoreMs).toFixed(2)} ms`],
    [
      'score one lead, p95',
      `${[...scoreMs].sort((a, b) => a - b)[Math.floor(scoreMs.length * 0.95)]!.toFixed(2)} ms`,
    ],
    [`refit (${fit.outcomes} outcomes) and rescore ${fit.rescored}`, `${(refitMs / 1000).toFixed(1)} s`],
  ],
)

// The shift: the held-out leads on a fresh campaign per order and run.
const orders: ReadonlyArray<readonly [string, LeadOrder | undefined]> = [
  ['first in, first out', undefined],
  ['by probability', { ...scoring.expectedValueOrder, column: 'probability' }],
  ['by expected value', scoring.expectedValueOrder],
]
const results = new Map<string, ShiftResult[]>(orders.map(([name]) => [name, []]))
for (let r = 0; r < RUNS; r++) {
  const luck = mulberry32(SEED * 1000 + r)
  const fates = new Map<ContactId, CallFate>()
  for (const i of test) {
    const reached = luck() < 0.6
    const buys = luck() < leads[i]!.truth
    const talk = reached ? (buys ? 360 + luck() * 240 : 90 + luck() * 120) : 0
    fates.set(ids[i]!, { reached, buys, seconds: 25 + talk + (reached ? 30 : 5), value: leads[i]!.dealValue })
  }
  // FIFO is enqueue order: shuffle the list so it is not the generator's order.
  const list = test.map((i) => ids[i]!).sort(() => luck() - 0.5)
  for (const [name, order] of orders) {
    const campaign = await t.campaigns.create({
      name: `Shift ${r} ${name}`,
      kind: 'telemarketing',
      dialMode: { mode: 'preview' },
      regime: 'ES',
      consentPurpose: 'marketing',
    })
    for (const id of list) await t.lists.enqueue(campaign.id, [id])
    results.get(name)!.push(
      await simulateShift(store, campaign.id, fates, {
        agents: Number(args.agents),
        hours: Number(args.hours),
        ...(order ? { order } : {}),
      }),
    )
  }
}
const fifo = results.get('first in, first out')!
table(
  `Simulated shift: ${args.agents} agents x ${args.hours} h over the ${test.length} held-out leads, ${RUNS} runs (medians; the same draws for every order of a run)`,
  [
    'list order',
    'calls',
    'sales',
    'sales / agent-hour',
    'revenue / agent-hour',
    'sales vs FIFO',
    'revenue vs FIFO',
    'claim of 20, median',
  ],
  orders.map(([name]) => {
    const rs = results.get(name)!
    const gain = (k: 'sales' | 'revenue') => median(rs.map((x, r) => x[k] / fifo[r]![k] - 1))
    return [
      name,
      median(rs.map((x) => x.calls)),
      median(rs.map((x) => x.sales)),
      median(rs.map((x) => x.sales / x.agentHours)).toFixed(2),
      median(rs.map((x) => x.revenue / x.agentHours)).toFixed(0),
      `${(gain('sales') * 100).toFixed(0)} %`,
      `${(gain('revenue') * 100).toFixed(0)} %`,
      `${median(rs.flatMap((x) => x.claimMs)).toFixed(2)} ms`,
    ]
  }),
)

const svg = await calibrationSvg(
  methods.slice(0, 3).map(([name]) => ({ name, bins: bins.get(name)! })),
  `Calibration on ${test.length} held-out leads (pnpm bench:scoring, seed ${SEED})`,
)
writeFileSync(args.chart!, svg)
console.log(`\nCalibration chart: ${args.chart}`)
await sb.close()
