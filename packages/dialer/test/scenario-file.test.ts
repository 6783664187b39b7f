import { readFileSync } from 'node:fs'
import { hours } from '@switchboard/core/domain'
import { describe, expect, it } from 'vitest'
import { parseScenarioFile, SCENARIO_M, SCENARIO_S } from '../src/sim/index.js'

describe('scenario file', () => {
  it('merges overrides over the named base scenario', () => {
    const [s] = parseScenarioFile(JSON.stringify({ name: 'x', extends: 'S', agents: 7 }))
    expect(s).toEqual({ ...SCENARIO_S, name: 'x', agents: 7 })
  })

  it('reads the example file shipped with the package', () => {
    const list = parseScenarioFile(
      readFileSync(new URL('../examples/scenario.json', import.meta.url), 'utf8'),
    )
    expect(list.map((s) => s.name)).toEqual(['collections-30', 'collections-30-evening-shift'])
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
  })
})
