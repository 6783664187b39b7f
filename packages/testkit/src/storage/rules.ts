import {
  type Campaign,
  type Contact,
  type ContactId,
  createSwitchboard,
  definePlugin,
  type RuleHandlerCall,
  type StorageBackend,
  type StoredEvent,
  type Switchboard,
  type TenantApi,
  type TenantId,
} from '@switchboard/core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { z } from 'zod'
import { expectFailure } from './boundary/harness.js'

declare module '@switchboard/core' {
  interface SwitchboardEvents {
    'payment.recorded': { tenantId: TenantId; contactId: ContactId; amountMinor: number }
  }
  interface RuleActions {
    'collections.note': { text: string }
  }
}

/** What the host's handlers saw, by idempotency key. */
const calls = new Map<string, RuleHandlerCall[]>()
let flakyFailures = 0

const collections = definePlugin({
  id: 'collections',
  events: {
    'payment.recorded': z.strictObject({ contactId: z.string(), amountMinor: z.number().int().positive() }),
  },
  ruleActions: {
    'collections.note': {
      params: z.strictObject({ text: z.string().min(1) }),
      async run({ tx, contactId, params }) {
        if (params.text === 'explode') throw new Error('the note action exploded')
        const c = contactId ? await tx.contacts.get(contactId) : undefined
        if (c) await tx.contacts.update({ ...c, attributes: { ...c.attributes, note: params.text } })
        return `noted ${params.text}`
      },
    },
  },
})

/**
 * Event rules and the durable event log, through the public API: actions
 * commit with the event, exactly once; host handlers go through the outbox;
 * every firing is recorded; tenants never see each other's rules or events.
 */
export function rulesConformance(create: () => Promise<StorageBackend>): void {
  describe('event rules', () => {
    let sb: Switchboard
    let t: TenantApi
    let other: TenantApi
    let campaign: Campaign
    let second: Campaign
    let n = 0
    const debtor = async (extra: Record<string, unknown> = {}) =>
      t.contacts.create({
        firstName: `Debtor ${++n}`,
        phones: [`+3461234${String(5000 + n).padStart(4, '0')}`],
        lifecycle: 'customer',
        openBalance: { amountMinor: 120_00, currency: 'EUR' },
        ...extra,
      })
    const onList = async (c: Contact) => {
      await t.lists.enqueue(campaign.id, [c.id])
      await t.lists.enqueue(second.id, [c.id])
    }
    const leadOf = async (c: Contact, on = campaign) => {
      const leads = await sb.storage.forTenant(t.tenantId).leads.get(on.id, c.id)
      return leads
    }

    beforeAll(async () => {
      sb = await createSwitchboard({
        storage: await create(),
        plugins: [collections],
        outbox: { intervalMs: 60_000, retryBaseMs: 1 },
        ruleHandlers: {
          async remember(call) {
            calls.set(call.idempotencyKey, [...(calls.get(call.idempotencyKey) ?? []), call])
          },
          async flaky(call) {
            calls.set(call.idempotencyKey, [...(calls.get(call.idempotencyKey) ?? []), call])
            if (flakyFailures-- > 0) throw new Error('the webhook timed out')
          },
        },
      })
      t = sb.tenant('rules-a')
      other = sb.tenant('rules-b')
      const make = (name: string) =>
        t.campaigns.create({
          name,
          kind: 'collections',
          dialMode: { mode: 'predictive' },
          regime: 'ES',
          consentPurpose: 'collections',
        })
      campaign = await make('Arrears')
      second = await make('Arrears, second list')
      for (const c of [campaign, second]) await t.campaigns.setStatus(c.id, 'active')
      await t.rules.create({
        name: 'paid in full',
        on: 'payment.recorded',
        when: {
          payload: [{ path: 'amountMinor', op: 'gte', value: 100_00 }],
          contact: { field: 'openBalance', op: 'gt', value: 0 },
        },
        actions: [
          { type: 'suppress', reason: 'paid' },
          { type: 'tag', tag: 'paid' },
          { type: 'handler', name: 'remember' },
        ],
      })
    })
    afterAll(async () => {
      await sb?.close()
    })

    it('a payment takes the debtor off every list in the same transaction, and the firing says why', async () => {
      const c = await debtor()
      await onList(c)
      const small = await t.events.record('payment.recorded', { contactId: c.id, amountMinor: 5_00 })
      expect(small.type).toBe('payment.recorded')
      expect((await leadOf(c))?.status).toBe('pending')
      expect(await t.rules.firings({ contactId: c.id })).toEqual([])

      const paid = await t.events.record('payment.recorded', { contactId: c.id, amountMinor: 120_00 })
      // Committed with the event: no claim after this returns the contact.
      const claimed = await t.lists.claim(campaign.id, { worker: 'w1', limit: 100 })
      expect(claimed.map((l) => l.contactId)).not.toContain(c.id)
      expect((await leadOf(c))?.status).toBe('suppressed')
      expect((await leadOf(c, second))?.status).toBe('suppressed')
      expect((await leadOf(c))?.suppressedReason).toContain('paid in full')
      expect((await t.contacts.get(c.id)).tags).toContain('paid')

      const [firing] = await t.rules.firings({ contactId: c.id })
      expect(firing).toMatchObject({
        ruleName: 'paid in full',
        eventId: paid.id,
        eventType: 'payment.recorded',
        contactId: c.id,
        outcome: 'pending',
      })
      expect(firing!.actions.map((a) => [a.type, a.status])).toEqual([
        ['suppress', 'done'],
        ['tag', 'done'],
        ['handler', 'queued'],
      ])
      expect(firing!.actions[0]!.detail).toBe('suppressed 2 leads')

      // The host handler runs through the outbox, once, with the event and a stable key.
      expect(await sb.outbox.drain()).toBeGreaterThanOrEqual(1)
      const key = `${firing!.id}:2`
      expect(calls.get(key)?.map((x) => x.event.id)).toEqual([paid.id])
      expect(await sb.outbox.drain()).toBe(0)
      expect(calls.get(key)).toHaveLength(1)
      const [done] = await t.rules.firings({ contactId: c.id })
      expect(done!.outcome).toBe('done')
      expect(done!.actions[2]).toMatchObject({ status: 'done', attempts: 1 })
    })

    it('the contact condition is the segment language, evaluated on the event contact in the database', async () => {
      const settled = await debtor({ openBalance: { amountMinor: 0, currency: 'EUR' } })
      await onList(settled)
      await t.events.record('payment.recorded', { contactId: settled.id, amountMinor: 150_00 })
      expect((await leadOf(settled))?.status).toBe('pending')
      expect(await t.rules.firings({ contactId: settled.id })).toEqual([])
    })

    it('records each event durably, readable and followable by cursor', async () => {
      const c = await debtor()
      const before = await t.events.list({ types: ['payment.recorded'], limit: 1000 })
      const seen: StoredEvent[] = []
      const stop = t.events.follow((e) => void seen.push(e), { types: ['payment.recorded'], intervalMs: 20 })
      const e = await t.events.record('payment.recorded', { contactId: c.id, amountMinor: 1_00 })
      const last = before.at(-1)
      const after = await t.events.list({
        types: ['payment.recorded'],
        limit: 1000,
        ...(last ? { after: last.id } : {}),
      })
      expect(after.map((x) => x.id)).toContain(e.id)
      expect(after.find((x) => x.id === e.id)).toMatchObject({
        contactId: c.id,
        payload: { contactId: c.id, amountMinor: 1_00 },
      })
      for (let i = 0; i < 100 && !seen.some((x) => x.id === e.id); i++)
        await new Promise((r) => setTimeout(r, 20))
      stop()
      expect(seen.filter((x) => x.id === e.id)).toHaveLength(1)
      // Core's own writes are in the log too.
      const created = await t.events.list({ types: ['contact.created'], limit: 1000 })
      expect(created.some((x) => x.contactId === c.id)).toBe(true)
    })

    it('each built-in action does what it says, and core events fire rules too', async () => {
      const owner = await t.agents.create({ name: 'Owner Olga' })
      await t.rules.create({
        name: 'opted out of collections',
        on: 'consent.changed',
        when: { payload: [{ path: 'record.status', op: 'eq', value: 'opted_out' }] },
        actions: [
          { type: 'doNotCall', list: 'internal', reason: 'asked on the phone' },
          { type: 'suppress', campaignId: second.id, reason: 'opted out' },
          { type: 'untag', tag: 'vip' },
          { type: 'setField', field: 'lifecycle', value: 'former' },
          { type: 'setField', field: 'ownerId', value: owner.id },
          { type: 'setField', field: 'attributes.optedOutBy', value: 'rule' },
          { type: 'openCase', subject: 'Confirm the opt-out in writing', priority: 'high' },
          { type: 'scheduleCallback', campaignId: campaign.id, afterMinutes: 60 },
          { type: 'collections.note', params: { text: 'opted out' } },
        ],
      })
      const c = await debtor({ tags: ['vip', 'arrears'] })
      await onList(c)
      await t.consent.record({
        contactId: c.id,
        channel: 'email',
        purpose: 'collections',
        status: 'opted_out',
        source: 'call',
      })
      const after = await t.contacts.get(c.id)
      expect(after.tags).toEqual(['arrears'])
      expect(after.lifecycle).toBe('former')
      expect(after.ownerId).toBe(owner.id)
      expect(after.attributes).toMatchObject({ optedOutBy: 'rule', note: 'opted out' })
      expect((await t.consent.isOnDoNotCall(c.phones[0]!.e164)).map((e) => e.list)).toEqual(['internal'])
      const cases = await t.cases.forContact(c.id)
      expect(cases.map((k) => [k.subject, k.priority])).toEqual([['Confirm the opt-out in writing', 'high']])
      // The do-not-call entry took it off every list; the callback leaves a suppressed lead alone.
      expect((await leadOf(c, second))?.status).toBe('suppressed')
      expect((await leadOf(c))?.status).toBe('suppressed')
      const [firing] = await t.rules.firings({ contactId: c.id })
      expect(firing!.outcome).toBe('done')
      expect(firing!.actions.map((a) => a.status)).toEqual(Array(9).fill('done'))
      expect(firing!.actions.at(-1)!.detail).toBe('noted opted out')
    })

    it('schedules a callback: a done lead is pending again, not before the delay', async () => {
      await t.rules.create({
        name: 'promise to pay: call back',
        on: 'interaction.logged',
        when: { payload: [{ path: 'interaction.disposition', op: 'eq', value: 'PTP' }] },
        actions: [{ type: 'scheduleCallback', campaignId: campaign.id, afterMinutes: 24 * 60, priority: 10 }],
      })
      const c = await debtor()
      await t.lists.enqueue(campaign.id, [c.id], { priority: 1_000_000 })
      const [lead] = await t.lists.claim(campaign.id, { worker: 'w-cb', limit: 1 })
      expect(lead!.contactId).toBe(c.id)
      await t.lists.complete(campaign.id, [c.id], { worker: 'w-cb', outcome: 'PTP' })
      const logged = await t.interactions.log({
        contactId: c.id,
        channel: 'voice',
        direction: 'outbound',
        disposition: 'PTP',
      })
      const again = await leadOf(c)
      expect(again).toMatchObject({ status: 'pending', priority: 10 })
      const delay = again!.notBefore!.getTime() - logged.createdAt.getTime()
      expect(delay).toBeGreaterThanOrEqual(24 * 3_600_000 - 1000)
      expect(delay).toBeLessThanOrEqual(24 * 3_600_000 + 5000)
    })

    it('a firing happens once per rule and event: the store refuses a second one', async () => {
      const [firing] = await t.rules.firings({ limit: 1 })
      const s = sb.storage.forTenant(t.tenantId)
      await expect(s.firings.insert({ ...firing!, id: `${firing!.id}x` as never })).rejects.toMatchObject({
        _tag: 'Conflict',
      })
    })

    it('a data action that fails fails the write: neither the event nor any action is committed', async () => {
      const rule = await t.rules.create({
        name: 'explodes',
        on: 'payment.recorded',
        when: { payload: [{ path: 'amountMinor', op: 'eq', value: 13 }] },
        actions: [
          { type: 'suppress', reason: 'never' },
          { type: 'collections.note', params: { text: 'explode' } },
        ],
      })
      const c = await debtor()
      await onList(c)
      const before = await t.events.list({ types: ['payment.recorded'], limit: 1000 })
      await expect(t.events.record('payment.recorded', { contactId: c.id, amountMinor: 13 })).rejects.toThrow(
        /exploded/,
      )
      expect((await leadOf(c))?.status).toBe('pending')
      expect(await t.events.list({ types: ['payment.recorded'], limit: 1000 })).toHaveLength(before.length)
      await t.rules.update(rule.id, { enabled: false })
      await t.events.record('payment.recorded', { contactId: c.id, amountMinor: 13 })
      expect((await leadOf(c))?.status).toBe('pending')
    })

    it('rules that set each other off are stopped, and the write that started it fails whole', async () => {
      const on = await t.rules.create({
        name: 'tag flip on',
        on: 'contact.updated',
        when: { contact: { field: 'tags', op: 'eq', value: 'flip' } },
        actions: [{ type: 'untag', tag: 'flip' }],
      })
      const off = await t.rules.create({
        name: 'tag flip off',
        on: 'contact.updated',
        when: { contact: { not: { field: 'tags', op: 'eq', value: 'flip' } } },
        actions: [{ type: 'tag', tag: 'flip' }],
      })
      const c = await debtor()
      await expectFailure(() => t.contacts.update(c.id, { tags: ['flip'] }), 'Conflict')
      expect((await t.contacts.get(c.id)).tags).toEqual([])
      await t.rules.remove(on.id)
      await t.rules.remove(off.id)
    })

    it('retries a failing host handler with the same idempotency key until it succeeds', async () => {
      await t.rules.create({
        name: 'webhook',
        on: 'payment.recorded',
        when: { payload: [{ path: 'amountMinor', op: 'eq', value: 77 }] },
        actions: [{ type: 'handler', name: 'flaky' }],
      })
      const c = await debtor()
      flakyFailures = 2
      await t.events.record('payment.recorded', { contactId: c.id, amountMinor: 77 })
      const [firing] = await t.rules.firings({ contactId: c.id })
      const key = `${firing!.id}:0`
      for (let i = 0; i < 50 && (calls.get(key)?.length ?? 0) < 3; i++) {
        await sb.outbox.drain()
        await new Promise((r) => setTimeout(r, 10))
      }
      expect(calls.get(key)?.map((x) => x.attempt)).toEqual([0, 1, 2])
      const [done] = await t.rules.firings({ contactId: c.id })
      expect(done!.outcome).toBe('done')
      expect(done!.actions[0]).toMatchObject({ status: 'done', attempts: 3 })
    })

    it('refuses a rule that names what does not exist, saying which field and why', async () => {
      await expectFailure(
        () => t.rules.create({ name: 'x', on: 'payment.made', actions: [{ type: 'tag', tag: 'x' }] }),
        'ValidationFailed',
        'on',
      )
      await expectFailure(
        () =>
          t.rules.create({
            name: 'x',
            on: 'payment.recorded',
            when: { contact: { field: 'lifecylce', op: 'eq', value: 'lead' } as never },
            actions: [{ type: 'tag', tag: 'x' }],
          }),
        'ValidationFailed',
        /when\.contact/,
      )
      await expectFailure(
        () =>
          t.rules.create({
            name: 'x',
            on: 'payment.recorded',
            actions: [{ type: 'suppres', reason: 'x' } as never],
          }),
        'ValidationFailed',
        /actions/,
      )
      await expectFailure(
        () =>
          t.rules.create({
            name: 'x',
            on: 'payment.recorded',
            actions: [{ type: 'other.thing', params: {} } as never],
          }),
        'ValidationFailed',
        'actions[0].type',
      )
      const foreign = await other.campaigns.create({
        name: 'Theirs',
        kind: 'collections',
        dialMode: { mode: 'predictive' },
        regime: 'ES',
        consentPurpose: 'collections',
      })
      await expectFailure(
        () =>
          t.rules.create({
            name: 'x',
            on: 'payment.recorded',
            actions: [{ type: 'suppress', campaignId: foreign.id, reason: 'x' }],
          }),
        'ValidationFailed',
        'actions[0].campaignId',
      )
      await expectFailure(
        () => t.events.record('contact.created', { contactId: 'ct_x' }),
        'ValidationFailed',
        'type',
      )
      await expectFailure(
        () => t.events.record('payment.recorded', { contactId: 'ct_x', amountMinor: 1 }),
        'ValidationFailed',
        'payload.contactId',
      )
      await expectFailure(
        () => t.events.record('payment.recorded', { contactId: 'ct_x', amount: 1 }),
        'ValidationFailed',
      )
    })

    it("one tenant's rules, events and firings are unreachable from another", async () => {
      const theirs = await other.contacts.create({
        firstName: 'Other',
        openBalance: { amountMinor: 500_00, currency: 'EUR' },
      })
      await other.events.record('payment.recorded', { contactId: theirs.id, amountMinor: 500_00 })
      expect(await other.rules.firings({})).toEqual([])
      expect(await other.rules.list()).toEqual([])
      const [rule] = await t.rules.list()
      await expectFailure(() => other.rules.get(rule!.id), 'NotFound')
      await expectFailure(() => other.rules.update(rule!.id, { enabled: false }), 'NotFound')
      expect(await other.rules.remove(rule!.id)).toBe(false)
      expect((await t.rules.get(rule!.id)).enabled).toBe(true)
      const mine = await t.events.list({ limit: 1000 })
      expect(mine.every((e) => e.tenantId === t.tenantId)).toBe(true)
      expect((await other.events.list({ limit: 1000 })).every((e) => e.tenantId === other.tenantId)).toBe(
        true,
      )
      // A contact of this tenant cannot be named in another's event.
      const c = await debtor()
      await expectFailure(
        () => other.events.record('payment.recorded', { contactId: c.id, amountMinor: 100_00 }),
        'ValidationFailed',
        'payload.contactId',
      )
    })
  })
}
