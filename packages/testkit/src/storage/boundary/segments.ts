import { describe, it } from 'vitest'
import { type BoundaryWorld, type Case_, expectFailure, HUGE, NUL, UNKNOWN_CONTACT } from './harness.js'

const kind = { field: 'kind', op: 'eq', value: 'person' } as const

/** segments.*: every public method with bad input. */
export function segmentsBoundary(world: () => BoundaryWorld): void {
  describe('segments', () => {
    const t = () => world().t.segments
    const cases: Case_[] = [
      ['create(undefined)', () => t().create(undefined as never), 'ValidationFailed', ''],
      ['create without a filter', () => t().create({ name: 'S' } as never), 'ValidationFailed', 'filter'],
      ['create a 1 MB name', () => t().create({ name: HUGE, filter: kind }), 'ValidationFailed', 'name'],
      ['create a NUL name', () => t().create({ name: NUL, filter: kind }), 'ValidationFailed', 'name'],
      [
        'create unknown key',
        () => t().create({ name: 'S', filter: kind, query: 1 } as never),
        'ValidationFailed',
        'query',
      ],
      [
        "create owned by another tenant's agent",
        () => t().create({ name: 'S', filter: kind, ownerId: world().foreign.agent.id }),
        'ValidationFailed',
        'ownerId',
      ],
      ['count(undefined)', () => t().count(undefined as never), 'ValidationFailed', 'segment'],
      ['count a string filter', () => t().count('lifecycle = lead' as never), 'NotFound'],
      [
        'count an unknown field',
        () => t().count({ field: 'nope', op: 'eq', value: 1 } as never),
        'ValidationFailed',
        /field/,
      ],
      [
        'count with a NUL value',
        () => t().count({ field: 'displayName', op: 'eq', value: NUL }),
        'ValidationFailed',
        /value/,
      ],
      [
        'count a 1 MB value',
        () => t().count({ field: 'displayName', op: 'eq', value: HUGE }),
        'ValidationFailed',
        /value/,
      ],
      [
        'count at a bad date',
        () => t().count(kind, { at: 'yesterday' as never }),
        'ValidationFailed',
        'options.at',
      ],
      [
        'count a 201-node filter',
        () => t().count({ or: Array.from({ length: 200 }, () => kind) }),
        'ValidationFailed',
      ],
      ['preview limit 0', () => t().preview(kind, { limit: 0 }), 'ValidationFailed', 'options.limit'],
      ['ids limit 20000', () => t().ids(kind, { limit: 20_000 }), 'ValidationFailed', 'options.limit'],
      ['explain(undefined)', () => t().explain(undefined as never, kind), 'ValidationFailed', 'contactId'],
      ['explain an unknown contact', () => t().explain(UNKNOWN_CONTACT as never, kind), 'NotFound'],
      ["explain another tenant's contact", () => t().explain(world().foreign.contact.id, kind), 'NotFound'],
      ['get(undefined)', () => t().get(undefined as never), 'ValidationFailed', 'id'],
      ['snapshot an unknown segment', () => t().snapshot('sg_nope' as never), 'NotFound'],
      ['changes without a window', () => t().changes('sg_nope' as never, undefined as never), 'NotFound'],
      ['update an unknown segment', () => t().update('sg_nope' as never, { name: 'x' }), 'NotFound'],
      ['list limit 5000', () => t().list({ limit: 5000 }), 'ValidationFailed', 'page.limit'],
      [
        'members in batches of 0',
        async () => {
          for await (const _ of t().members(kind, { batchSize: 0 })) break
        },
        'ValidationFailed',
        'options.batchSize',
      ],
      [
        'members unknown key',
        async () => {
          for await (const _ of t().members(kind, { size: 5 } as never)) break
        },
        'ValidationFailed',
        'options.size',
      ],
      [
        "enqueue to another tenant's campaign",
        () => t().enqueue(world().foreign.campaign.id, kind),
        'NotFound',
      ],
      [
        'enqueue a bad priority',
        () => t().enqueue(world().campaign.id, kind, { priority: 1.5 }),
        'ValidationFailed',
        'options.priority',
      ],
    ]
    for (const [label, call, tag, field] of cases) it(label, () => expectFailure(call, tag, field))
  })
}
