import { type Case, newCase } from '../domain/case.js'
import type { DoNotCallEntry } from '../domain/consent.js'
import type { Contact } from '../domain/contact.js'
import { conflict } from '../domain/errors.js'
import { type ContactId, type DoNotCallId, type EventId, newId, type TenantId } from '../domain/ids.js'
import type { ActionOutcome, Rule, RuleAction, RuleFiring, StoredEvent } from '../domain/rule.js'
import type { EventMap } from '../events.js'
import type { SegmentScope, TenantStore } from '../plugins/storage.js'
import type { InstanceSettings } from '../services/config.js'
import { addDoNotCall } from '../services/do-not-call.js'
import { payloadHolds } from './payload.js'

/** Rules whose actions set off events that fire rules... stop here (a loop between rules). */
const MAX_DEPTH = 4

/** The events of one write, published to the in-process bus once it commits. */
export type Published = Array<readonly [keyof EventMap, unknown]>

/** One write's transaction, as the engine sees it. */
export interface WriteContext {
  readonly tenantId: TenantId
  readonly tx: TenantStore
  readonly now: Date
  readonly settings: InstanceSettings
  readonly published: Published
}

/** The contact an event is about: its `contactId`, or the id of the contact, record, interaction or case it carries. */
export function eventContactId(payload: unknown): ContactId | undefined {
  const p = payload as Record<string, Record<string, unknown> | unknown> | null
  if (!p || typeof p !== 'object') return undefined
  if (typeof p.contactId === 'string') return p.contactId as ContactId
  const contact = p.contact as { id?: unknown } | undefined
  if (contact && typeof contact.id === 'string') return contact.id as ContactId
  for (const key of ['record', 'interaction', 'case', 'callback']) {
    const inner = p[key] as { contactId?: unknown } | undefined
    if (inner && typeof inner.contactId === 'string') return inner.contactId as ContactId
  }
  return undefined
}

/** The payload as the log stores it: JSON (dates as ISO strings, no tenant id repeated). */
const asJson = (payload: unknown): unknown => {
  const { tenantId: _t, ...rest } = payload as Record<string, unknown>
  return JSON.parse(JSON.stringify(rest))
}

export const segmentScope = (settings: InstanceSettings, now: Date): SegmentScope => ({
  now,
  fields: settings.segmentFields,
  dispositionCategories: settings.dispositionCategories,
})

/**
 * Records an event inside the write's transaction and runs the rules that
 * listen to it there: what their data actions change commits with the write
 * and the event (exactly once: the firing's unique key is the rule and the
 * event), and host handlers are queued in the outbox of the same transaction.
 */
export async function emitInTransaction<K extends keyof EventMap>(
  ctx: WriteContext,
  type: K,
  payload: EventMap[K],
  depth = 0,
): Promise<StoredEvent> {
  const contactId = eventContactId(payload)
  const event: StoredEvent = {
    id: newId('EventId') as EventId,
    tenantId: ctx.tenantId,
    type,
    occurredAt: ctx.now,
    payload: asJson(payload),
    origin: ctx.settings.origin,
    ...(contactId ? { contactId } : {}),
  }
  await ctx.tx.events.append(event)
  ctx.published.push([type, payload])
  const rules = await ctx.tx.rules.forEvent(type)
  if (rules.length && depth >= MAX_DEPTH) {
    throw conflict(
      'rule',
      `rules set each other off ${MAX_DEPTH} deep (now on ${type}, rule ${rules[0]!.id}): change a rule's condition so that its own actions do not trigger it again`,
    )
  }
  for (const rule of rules) await fire(ctx, rule, event, depth)
  return event
}

async function fire(ctx: WriteContext, rule: Rule, event: StoredEvent, depth: number): Promise<void> {
  if (!payloadHolds(rule.when.payload ?? [], event.payload)) return
  const contactId = event.contactId
  if (rule.when.contact) {
    if (!contactId) return
    const hit = await ctx.tx.segments.matching(rule.when.contact, segmentScope(ctx.settings, ctx.now), [
      contactId,
    ])
    if (!hit.length) return
  }
  const firingId = newId('RuleFiringId')
  const outcomes: ActionOutcome[] = []
  for (const [index, action] of rule.actions.entries()) {
    if (action.type === 'handler') {
      await ctx.tx.outbox.add({
        firingId,
        action: index,
        handler: (action as { name: string }).name,
        eventId: event.id,
        attempts: 0,
        runAfter: ctx.now,
      })
      outcomes.push({
        type: 'handler',
        status: 'queued',
        detail: (action as { name: string }).name,
        attempts: 0,
      })
      continue
    }
    outcomes.push(await apply(ctx, action, event, contactId, `rule "${rule.name}"`, depth))
  }
  const firing: RuleFiring = {
    id: firingId,
    tenantId: ctx.tenantId,
    ruleId: rule.id,
    ruleName: rule.name,
    eventId: event.id,
    eventType: event.type,
    actions: outcomes,
    outcome: outcomes.some((o) => o.status === 'failed')
      ? 'failed'
      : outcomes.some((o) => o.status === 'queued')
        ? 'pending'
        : 'done',
    firedAt: ctx.now,
    updatedAt: ctx.now,
    ...(contactId ? { contactId } : {}),
  }
  await ctx.tx.firings.insert(firing)
}

const failed = (type: string, error: string): ActionOutcome => ({ type, status: 'failed', error })

async function apply(
  ctx: WriteContext,
  action: Rule['actions'][number],
  event: StoredEvent,
  contactId: ContactId | undefined,
  by: string,
  depth: number,
): Promise<ActionOutcome> {
  const { tx, now, tenantId } = ctx
  const emit = <K extends keyof EventMap>(type: K, payload: EventMap[K]) =>
    emitInTransaction(ctx, type, payload, depth + 1)
  const plugin = ctx.settings.ruleActions.get(action.type)
  if (plugin) {
    const params = plugin.params.safeParse((action as { params?: unknown }).params)
    if (!params.success)
      return failed(action.type, `params do not match the plugin's schema: ${params.error.message}`)
    const detail = await plugin.run({
      tenantId,
      tx,
      event,
      params: params.data,
      now,
      ...(contactId ? { contactId } : {}),
    })
    return { type: action.type, status: 'done', ...(detail ? { detail } : {}) }
  }
  if (!contactId) return failed(action.type, 'the event names no contact')
  const contact = await tx.contacts.get(contactId)
  if (!contact) return failed(action.type, `contact ${contactId} does not exist`)
  const a = action as Exclude<RuleAction, { type: 'handler' }> & { type: string }
  switch (a.type) {
    case 'suppress': {
      const s = a as { campaignId?: string; reason: string }
      const reason = `${s.reason} (${by})`
      const n = await tx.leads.suppressContact(
        contact.id,
        reason,
        s.campaignId ? { campaignId: s.campaignId as never } : {},
      )
      if (n) await emit('leads.suppressed', { tenantId, contactId: contact.id, reason, suppressed: n })
      return {
        type: a.type,
        status: 'done',
        detail: `suppressed ${n} lead${n === 1 ? '' : 's'}${s.campaignId ? ` of ${s.campaignId}` : ''}`,
      }
    }
    case 'doNotCall': {
      const d = a as { list?: string; reason?: string }
      const list = d.list ?? 'internal'
      const phones = contact.phones.map((p) => p.e164)
      if (!phones.length) return { type: a.type, status: 'done', detail: 'the contact has no phone number' }
      const listed = new Set(
        (await tx.dnc.find(phones))
          .filter((e) => e.list === list && (!e.expiresAt || e.expiresAt > now))
          .map((e) => e.phone),
      )
      let added = 0
      for (const phone of phones) {
        if (listed.has(phone)) continue
        const entry: DoNotCallEntry = {
          id: newId('DoNotCallId') as DoNotCallId,
          tenantId,
          phone,
          list,
          source: by,
          createdAt: now,
          updatedAt: now,
          ...(d.reason ? { reason: d.reason } : {}),
        }
        await addDoNotCall(tx, entry, emit)
        added++
      }
      return {
        type: a.type,
        status: 'done',
        detail: `added ${added} number${added === 1 ? '' : 's'} to ${list}`,
      }
    }
    case 'tag':
    case 'untag':
    case 'setField': {
      const next = changed(contact, a as never, now)
      if (!next) return { type: a.type, status: 'done', detail: 'no change' }
      await tx.contacts.update(next)
      await emit('contact.updated', { tenantId, contact: next, previous: contact })
      return { type: a.type, status: 'done', detail: describeChange(a as never) }
    }
    case 'openCase': {
      const o = a as { subject: string; priority?: Case['priority'] }
      const created = newCase(
        { contactId: contact.id, subject: o.subject, priority: o.priority ?? 'normal', skills: [] },
        tenantId,
        now,
      )
      await tx.cases.insert(created)
      await emit('case.created', { tenantId, case: created })
      return { type: a.type, status: 'done', detail: `opened case ${created.id}` }
    }
    case 'scheduleCallback': {
      const c = a as { campaignId: string; afterMinutes: number; priority?: number }
      const notBefore = new Date(now.getTime() + c.afterMinutes * 60_000)
      const ok = await tx.leads.schedule(c.campaignId as never, contact.id, {
        notBefore,
        ...(c.priority !== undefined ? { priority: c.priority } : {}),
      })
      return ok
        ? { type: a.type, status: 'done', detail: `on ${c.campaignId} from ${notBefore.toISOString()}` }
        : { type: a.type, status: 'done', detail: `left as it is on ${c.campaignId} (claimed or suppressed)` }
    }
    default:
      return failed((a as { type: string }).type, 'no plugin of this instance supplies this action')
  }
}

type FieldAction =
  | { type: 'tag'; tag: string }
  | { type: 'untag'; tag: string }
  | { type: 'setField'; field: string; value: unknown }

function changed(contact: Contact, a: FieldAction, now: Date): Contact | undefined {
  if (a.type === 'tag')
    return contact.tags.includes(a.tag)
      ? undefined
      : { ...contact, tags: [...contact.tags, a.tag], updatedAt: now }
  if (a.type === 'untag')
    return contact.tags.includes(a.tag)
      ? { ...contact, tags: contact.tags.filter((t) => t !== a.tag), updatedAt: now }
      : undefined
  if (a.field === 'lifecycle')
    return contact.lifecycle === a.value
      ? undefined
      : { ...contact, lifecycle: a.value as Contact['lifecycle'], updatedAt: now }
  if (a.field === 'ownerId') {
    if ((contact.ownerId ?? null) === a.value) return undefined
    const { ownerId: _o, ...rest } = contact
    return { ...rest, ...(a.value ? { ownerId: a.value as never } : {}), updatedAt: now }
  }
  const name = a.field.slice('attributes.'.length)
  if (Object.is(contact.attributes[name], a.value)) return undefined
  return { ...contact, attributes: { ...contact.attributes, [name]: a.value as never }, updatedAt: now }
}

const describeChange = (a: FieldAction) =>
  a.type === 'setField'
    ? `${a.field} = ${JSON.stringify(a.value)}`
    : `${a.type === 'tag' ? 'tagged' : 'untagged'} ${a.tag}`
