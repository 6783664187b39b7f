import { describe, it } from 'vitest'
import { type BoundaryWorld, type Case_, expectFailure, HUGE, NUL } from './harness.js'

/** agents.*: every public method with bad input. */
export function agentsBoundary(world: () => BoundaryWorld): void {
  describe('agents', () => {
    const cases: Case_[] = [
      ['create(undefined)', () => world().t.agents.create(undefined as never), 'ValidationFailed', ''],
      ['create without a name', () => world().t.agents.create({} as never), 'ValidationFailed', 'name'],
      [
        'create unknown key',
        () => world().t.agents.create({ name: 'A', state: 'available' } as never),
        'ValidationFailed',
        'state',
      ],
      [
        'create a bad e-mail',
        () => world().t.agents.create({ name: 'A', email: 'nope' }),
        'ValidationFailed',
        'email',
      ],
      ['create a 1 MB name', () => world().t.agents.create({ name: HUGE }), 'ValidationFailed', 'name'],
      ['create a NUL name', () => world().t.agents.create({ name: NUL }), 'ValidationFailed', 'name'],
      [
        'create a skill level of 11',
        () => world().t.agents.create({ name: 'A', skills: [{ skillId: 'sk_1' as never, level: 11 }] }),
        'ValidationFailed',
        'skills[0].level',
      ],
      ['get(undefined)', () => world().t.agents.get(undefined as never), 'ValidationFailed', 'id'],
      ["get another tenant's agent", () => world().t.agents.get(world().foreign.agent.id), 'NotFound'],
      ['list limit 5000', () => world().t.agents.list({ limit: 5000 }), 'ValidationFailed', 'page.limit'],
    ]
    for (const [label, call, tag, field] of cases) it(label, () => expectFailure(call, tag, field))
  })
}
