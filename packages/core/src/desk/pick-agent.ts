/** An agent who could take work: skills, how much work they hold, and how much they may. */
export interface AgentLoad {
  readonly id: string
  /** Skill id → level (1-10). */
  readonly skills: ReadonlyMap<string, number> | Readonly<Record<string, number>>
  /** Whether the agent is taking work now (logged in, not paused). */
  readonly available: boolean
  /** Open work items the agent holds. */
  readonly load: number
  /** The most items the agent may hold at once. */
  readonly capacity: number
}

export interface AgentPick {
  readonly agentId: string
  /** Why this agent: the skills matched and the load. */
  readonly why: string
}

export interface NoAgent {
  readonly agentId?: undefined
  /** Why nobody: no agent has the skills, or all who have them are away or full. */
  readonly why: string
}

const levelOf = (a: AgentLoad, skill: string): number | undefined =>
  a.skills instanceof Map ? a.skills.get(skill) : (a.skills as Record<string, number>)[skill]

/**
 * The agent to hand a work item to: among the available agents who have every
 * skill it needs and room under their capacity, the least loaded (by share of
 * capacity), then the most skilled (sum of the needed skills' levels), then by
 * id. Otherwise why nobody can take it.
 *
 * @example
 * ```ts
 * import { pickAgent } from '@switchboard/core'
 * const pick = pickAgent({ skills: ['billing'] }, [
 *   { id: 'ag_1', skills: { billing: 3 }, available: true, load: 2, capacity: 4 },
 *   { id: 'ag_2', skills: { billing: 5 }, available: true, load: 1, capacity: 4 },
 * ])
 * pick.agentId // 'ag_2'
 * ```
 */
export function pickAgent(
  item: { readonly skills: ReadonlyArray<string> },
  agents: ReadonlyArray<AgentLoad>,
): AgentPick | NoAgent {
  const skilled = agents.filter((a) => item.skills.every((s) => (levelOf(a, s) ?? 0) > 0))
  if (!skilled.length) return { why: `no agent has the skills ${item.skills.join(', ') || '(none needed)'}` }
  const free = skilled.filter((a) => a.available && a.load < a.capacity)
  if (!free.length) return { why: `the ${skilled.length} agent(s) with the skills are away or at capacity` }
  const level = (a: AgentLoad) => item.skills.reduce((n, s) => n + (levelOf(a, s) ?? 0), 0)
  const best = [...free].sort(
    (a, b) =>
      a.load / a.capacity - b.load / b.capacity ||
      level(b) - level(a) ||
      (a.id < b.id ? -1 : a.id > b.id ? 1 : 0),
  )[0]!
  return {
    agentId: best.id,
    why: `has ${item.skills.length ? item.skills.map((s) => `${s} ${levelOf(best, s)}`).join(', ') : 'no skill needed'}; holds ${best.load} of ${best.capacity}`,
  }
}
