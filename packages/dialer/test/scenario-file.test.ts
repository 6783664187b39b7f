import { readFileSync } from 'node:fs'
import { hours } from '@switchboard/core/domain'
import { describe, expect, it } from 'vitest'
import { ProgressivePacer } from '../src/index.js'
import { answerSchedule, parseScenarioFile, SCENARIO_M, SCENARIO_S, simulate } from '../src/sim/index.js'

describe('scenario file', () => {
  it('merges overrides over the named base scenario', () => {
    const [s] = parseScenarioFile(JSON.stringify({ name: 'x', extends: 'S', agents: 7 }))
    expect(s).toEqual({ ...SCENARIO_S, name: 'x', agents: 7 })
  })

  it('reads the example file shipped with the package', () => {
    const list = parseScenarioFile(
      readFileSync(new URL('../examples/scenario.json', import.meta.url), 'utf8'),
    )
    expect(list.map((s) => s.name)).toEqual([
      'collections-30',
      'collections-30-evening-shift',
      'collections-30-daypart',
      'uk-collections-30-no-amd',
    ])
    expect(list[2]!.schedule).toHaveLength(4)
    expect(list[3]!.regime).toBe('UK')
    expect(list[1]!.shift).toEqual({ atSec: hours(3), factor: 1.4 })
    expect(list[0]!.machineRing).toEqual(SCENARIO_M.machineRing)
  })

  it('names the field and the value of every error', () => {
    expect(() => parseScenarioFile(JSON.stringify([{ name: 'a', agents: -3 }]))).toThrow(
      /scenarios\[0\]\.agents = -3/,
    )
    expect(() =>
      parseScenarioFile(
        JSON.stringify({ scenarios: [{ name: 'a' }, { name: 'b', talk: { mean: 'long', sd: 1 } }] }),
      ),
    ).toThrow(/scenarios\[1\]\.talk\.mean = "long"/)
    expect(() => parseScenarioFile(JSON.stringify({ name: 'a', agentz: 5 }))).toThrow(
      /scenarios\[0\]\.agentz = 5/,
    )
    expect(() => parseScenarioFile('{ nope')).toThrow(/not valid JSON/)
    expect(() => parseScenarioFile(JSON.stringify({ name: 'a', regime: 'FR' }))).toThrow(
      /scenarios\[0\]\.regime = "FR"/,
    )
    expect(() =>
      parseScenarioFile(JSON.stringify({ name: 'a', schedule: [{ atSec: 10, factor: -1 }] })),
    ).toThrow(/scenarios\[0\]\.schedule\.0\.factor = -1/)
  })
})

describe('answer-rate schedules', () => {
  it('merges shift and schedule into ordered steps', () => {
    const sc = { ...SCENARIO_M, shift: { atSec: 100, factor: 2 }, schedule: [{ atSec: 50, factor: 0.5 }] }
    expect(answerSchedule(sc)).toEqual([
      { atSec: 0, factor: 1 },
      { atSec: 50, factor: 0.5 },
      { atSec: 100, factor: 2 },
    ])
  })

  it('moves the person share of the dials piece by piece', () => {
    const sc = {
      ...SCENARIO_M,
      durationSec: hours(3),
      schedule: [
        { atSec: hours(1), factor: 0.25 },
        { atSec: hours(2), factor: 2 },
      ],
    }
    const r = simulate(sc, new ProgressivePacer(), { seed: 4 })
    const perDial = r.series.map((h) => h.live / h.dials)
    expect(perDial[1]!).toBeLessThan(perDial[0]! * 0.4)
    expect(perDial[2]!).toBeGreaterThan(perDial[0]! * 1.6)
  })
})
