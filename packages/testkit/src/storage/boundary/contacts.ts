import { describe, it } from 'vitest'
import { type BoundaryWorld, type Case_, expectFailure, HUGE, NUL, UNKNOWN_CONTACT } from './harness.js'

/** contacts.*: every public method with bad input. */
export function contactsBoundary(world: () => BoundaryWorld): void {
  describe('contacts', () => {
    const cases: Case_[] = [
      ['create(undefined)', () => world().t.contacts.create(undefined as never), 'ValidationFailed', ''],
      ['create("Ana")', () => world().t.contacts.create('Ana' as never), 'ValidationFailed', ''],
      [
        'create unknown key',
        () => world().t.contacts.create({ lastName: 'A', phone: '+34612345678' } as never),
        'ValidationFailed',
        'phone',
      ],
      [
        'create phones as a string',
        () => world().t.contacts.create({ lastName: 'A', phones: '+34612345678' } as never),
        'ValidationFailed',
        'phones',
      ],
      [
        'create a 1 MB last name',
        () => world().t.contacts.create({ lastName: HUGE }),
        'ValidationFailed',
        'lastName',
      ],
      [
        'create a NUL in a name',
        () => world().t.contacts.create({ lastName: NUL }),
        'ValidationFailed',
        'lastName',
      ],
      [
        'create a lone surrogate in a tag',
        () => world().t.contacts.create({ lastName: 'A', tags: ['\uD800'] }),
        'ValidationFailed',
        'tags[0]',
      ],
      [
        'create an owner of another tenant',
        () => world().t.contacts.create({ lastName: 'A', ownerId: world().foreign.agent.id }),
        'ValidationFailed',
        'ownerId',
      ],
      [
        'create an unknown owner',
        () => world().t.contacts.create({ lastName: 'A', ownerId: 'ag_nobody' as never }),
        'ValidationFailed',
        'ownerId',
      ],
      [
        'create defaultCountry XX',
        () => world().t.contacts.create({ lastName: 'A', defaultCountry: 'XX' }),
        'ValidationFailed',
        'defaultCountry',
      ],
      [
        'create a money amount of 1.5 cents',
        () =>
          world().t.contacts.create({ lastName: 'A', openBalance: { amountMinor: 1.5, currency: 'USD' } }),
        'ValidationFailed',
        'openBalance.amountMinor',
      ],
      [
        'create a made-up currency',
        () => world().t.contacts.create({ lastName: 'A', openBalance: { amountMinor: 1, currency: 'XYZ' } }),
        'ValidationFailed',
        'openBalance.currency',
      ],
      [
        'create a taken externalRef',
        () => world().t.contacts.create({ lastName: 'A', externalRef: 'boundary-ref' }),
        'Conflict',
      ],
      ['get(undefined)', () => world().t.contacts.get(undefined as never), 'ValidationFailed', 'id'],
      ['get(42)', () => world().t.contacts.get(42 as never), 'ValidationFailed', 'id'],
      ['get an unknown id', () => world().t.contacts.get(UNKNOWN_CONTACT as never), 'NotFound'],
      ["get another tenant's id", () => world().t.contacts.get(world().foreign.contact.id), 'NotFound'],
      ['get a huge id', () => world().t.contacts.get(HUGE as never), 'ValidationFailed', 'id'],
      [
        'update(undefined patch)',
        () => world().t.contacts.update(world().contact.id, undefined as never),
        'ValidationFailed',
        '',
      ],
      [
        'update unknown key',
        () => world().t.contacts.update(world().contact.id, { surname: 'X' } as never),
        'ValidationFailed',
        'surname',
      ],
      [
        'update a NUL',
        () => world().t.contacts.update(world().contact.id, { firstName: NUL }),
        'ValidationFailed',
        'firstName',
      ],
      [
        "update another tenant's contact",
        () => world().t.contacts.update(world().foreign.contact.id, { firstName: 'X' }),
        'NotFound',
      ],
      [
        'update lifecycle "vip"',
        () => world().t.contacts.update(world().contact.id, { lifecycle: 'vip' as never }),
        'ValidationFailed',
        'lifecycle',
      ],
      ['list limit 0', () => world().t.contacts.list({ limit: 0 }), 'ValidationFailed', 'filter.limit'],
      [
        'list limit "10"',
        () => world().t.contacts.list({ limit: '10' as never }),
        'ValidationFailed',
        'filter.limit',
      ],
      [
        'list unknown key',
        () => world().t.contacts.list({ lifecycles: ['lead'] } as never),
        'ValidationFailed',
        'filter.lifecycles',
      ],
      [
        'count unknown key',
        () => world().t.contacts.count({ limit: 3 } as never),
        'ValidationFailed',
        'filter.limit',
      ],
      [
        'findByPhone(undefined)',
        () => world().t.contacts.findByPhone(undefined as never),
        'ValidationFailed',
        'number',
      ],
      ['findByPhone huge', () => world().t.contacts.findByPhone(HUGE), 'ValidationFailed', 'number'],
      [
        'findByPhone defaultCountry "usa"',
        () => world().t.contacts.findByPhone('415 555 0100', 'usa'),
        'ValidationFailed',
        'defaultCountry',
      ],
      ['screenPop(42)', () => world().t.contacts.screenPop(42 as never), 'ValidationFailed', 'number'],
      [
        'screenPop defaultCountry XX',
        () => world().t.contacts.screenPop('415 555 0100', 'XX'),
        'ValidationFailed',
        'defaultCountry',
      ],
      [
        'timeline limit -1',
        () => world().t.contacts.timeline(world().contact.id, -1),
        'ValidationFailed',
        'limit',
      ],
      [
        'timeline(undefined)',
        () => world().t.contacts.timeline(undefined as never),
        'ValidationFailed',
        'id',
      ],
      [
        'duplicatesOf an unknown id',
        () => world().t.contacts.duplicatesOf(UNKNOWN_CONTACT as never),
        'NotFound',
      ],
      ['duplicatesOf(null)', () => world().t.contacts.duplicatesOf(null as never), 'ValidationFailed', 'id'],
      [
        'merge mergedIds undefined',
        () => world().t.contacts.merge(world().contact.id, undefined as never),
        'ValidationFailed',
        'mergedIds',
      ],
      [
        'merge mergedIds a string',
        () => world().t.contacts.merge(world().contact.id, 'ct_x' as never),
        'ValidationFailed',
        'mergedIds',
      ],
      [
        'merge mergedIds empty',
        () => world().t.contacts.merge(world().contact.id, []),
        'ValidationFailed',
        'mergedIds',
      ],
      [
        'merge into itself',
        () => world().t.contacts.merge(world().contact.id, [world().contact.id]),
        'ValidationFailed',
        'mergedIds[0]',
      ],
      [
        "merge another tenant's contact",
        () => world().t.contacts.merge(world().contact.id, [world().foreign.contact.id]),
        'NotFound',
      ],
      [
        'merge rules unknown key',
        () =>
          world().t.contacts.merge(world().contact.id, [UNKNOWN_CONTACT as never], {
            money: 'sum',
            names: 'x',
          } as never),
        'ValidationFailed',
        'rules.names',
      ],
      [
        'import without a mapping',
        () => world().t.contacts.import(toStream('a,b\n1,2\n'), undefined as never),
        'ValidationFailed',
      ],
      [
        'import a missing file',
        () => world().t.contacts.import('/nonexistent/contacts.csv', { mapping: { lastName: 'b' } }),
        'ValidationFailed',
        'source',
      ],
      [
        'import a directory',
        () => world().t.contacts.import('/tmp', { mapping: { lastName: 'b' } }),
        'ValidationFailed',
        'source',
      ],
      [
        'import a number as the source',
        () => world().t.contacts.import(42 as never, { mapping: { lastName: 'b' } }),
        'ValidationFailed',
        'source',
      ],
    ]
    for (const [label, call, tag, field] of cases) it(label, () => expectFailure(call, tag, field))
  })
}

async function* toStream(text: string) {
  yield text
}
