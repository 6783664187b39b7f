/**
 * The `--scenario FILE` format of the benchmark: one scenario object, an array of them, or
 * `{ "scenarios": [...] }`. Each entry names a base (`"extends": "S" | "M" | "L"`, default M) and
 * overrides any field of {@link Scenario}. Validation errors name the field and its value.
 */
import { hours, RegimeName } from '@switchboard/core/domain'
import { z } from 'zod'
import { SCENARIO_L, SCENARIO_M, SCENARIO_S, type Scenario } from './scenario.js'

const Moments = z.object({ mean: z.number().positive(), sd: z.number().nonnegative() }).strict()

export const ScenarioFileEntry = z
  .object({
    name: z.string().min(1),
    extends: z.enum(['S', 'M', 'L']).optional(),
    agents: z.number().int().positive().max(100_000).optional(),
    durationSec: z.number().positive().max(hours(720)).optional(),
    shares: z
      .object({
        person: z.number().min(0),
        machine: z.number().min(0),
        no_answer: z.number().min(0),
        failed: z.number().min(0),
      })
      .strict()
      .refine((s) => s.person + s.machine + s.no_answer + s.failed > 0, 'shares must not all be zero')
      .optional(),
    personRing: Moments.optional(),
    machineRing: Moments.optional(),
    detectSec: z.number().nonnegative().optional(),
    amdDetectRate: z.number().min(0).max(1).optional(),
    amdFalsePositiveRate: z.number().min(0).max(1).optional(),
    noAnswerSec: z.number().positive().optional(),
    failedSec: z.number().positive().optional(),
    talk: Moments.optional(),
    wrap: Moments.optional(),
    machineHandleSec: z.number().nonnegative().optional(),
    maxWaitSec: z.number().nonnegative().optional(),
    markov: z.boolean().optional(),
    shift: z.object({ atSec: z.number().nonnegative(), factor: z.number().positive() }).strict().optional(),
    schedule: z
      .array(z.object({ atSec: z.number().nonnegative(), factor: z.number().positive() }).strict())
      .max(1000)
      .optional(),
    regime: RegimeName.optional(),
    breaks: z
      .object({ share: z.number().min(0).max(0.9), lengthSec: z.number().positive() })
      .strict()
      .optional(),
  })
  .strict()

export class ScenarioFileError extends Error {}

function valueAt(root: unknown, path: readonly PropertyKey[]): unknown {
  let v: unknown = root
  for (const k of path) {
    if (v === null || typeof v !== 'object') return undefined
    v = (v as Record<PropertyKey, unknown>)[k]
  }
  return v
}

/** Parses the JSON text of a scenario file into scenarios. Throws ScenarioFileError naming field and value. */
export function parseScenarioFile(text: string, source = 'scenario file'): Scenario[] {
  let raw: unknown
  try {
    raw = JSON.parse(text)
  } catch (e) {
    throw new ScenarioFileError(`${source}: not valid JSON (${e instanceof Error ? e.message : String(e)})`)
  }
  const list: unknown[] = Array.isArray(raw)
    ? raw
    : raw !== null && typeof raw === 'object' && Array.isArray((raw as { scenarios?: unknown }).scenarios)
      ? (raw as { scenarios: unknown[] }).scenarios
      : [raw]
  return list.map((entry, i) => {
    const r = ScenarioFileEntry.safeParse(entry)
    if (!r.success) {
      const msg = r.error.issues
        .map((iss) => {
          const keys = iss.code === 'unrecognized_keys' ? iss.keys.map((k) => [...iss.path, k]) : [iss.path]
          return keys
            .map(
              (p) =>
                `scenarios[${i}].${p.join('.') || '(root)'} = ${JSON.stringify(valueAt(entry, p))}: ${iss.message}`,
            )
            .join('; ')
        })
        .join('; ')
      throw new ScenarioFileError(`${source}: ${msg}`)
    }
    const { extends: ext, ...rest } = r.data
    const base = ext === 'S' ? SCENARIO_S : ext === 'L' ? SCENARIO_L : SCENARIO_M
    const merged: Scenario = { ...base }
    for (const [k, v] of Object.entries(rest))
      if (v !== undefined) (merged as unknown as Record<string, unknown>)[k] = v
    return merged
  })
}
