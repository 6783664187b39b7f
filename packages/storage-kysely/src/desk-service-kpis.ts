import type { DeskKpis } from '@switchboard/core'
import { type RawBuilder, sql } from 'kysely'
import { iso, type StoreContext } from './shared.js'

type ServiceKpis = Pick<
  DeskKpis,
  | 'firstContactResolved'
  | 'firstContactResolution'
  | 'repeatWindowDays'
  | 'contacts'
  | 'repeatContacts'
  | 'repeatRate'
  | 'byQueue'
  | 'byAgent'
  | 'byCustomer'
>

const n = (v: unknown): number => Number(v ?? 0)
const rate = (part: number, whole: number) => (whole ? part / whole : null)
const key = (v: string | null) => v ?? ''

/**
 * The service KPIs: first-contact resolution, repeat contacts, and the
 * breakdowns per queue, agent and customer, in aggregate statements.
 * Timestamps are ISO text in UTC (`toISOString`'s form), so they compare as
 * time and a window's lower bound is built in the same form.
 */
export async function serviceKpis(
  ctx: StoreContext,
  range: { from: Date; to: Date; repeatWindowDays: number; customers: number },
): Promise<ServiceKpis> {
  const { db, t } = ctx
  const from = iso(range.from)
  const to = iso(range.to)
  const days = range.repeatWindowDays
  const pg = ctx.options.json === 'jsonb'
  const field = (table: string, name: string): RawBuilder<string | null> =>
    pg
      ? sql`${sql.ref(`${table}.data`)}->>${name}`
      : sql`json_extract(${sql.ref(`${table}.data`)}, ${`$.${name}`})`
  // The start of the repeat window before interaction i, as ISO text.
  const windowStart = pg
    ? sql`to_char((i.started_at::timestamptz - make_interval(days => ${days})) at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`
    : sql`strftime('%Y-%m-%dT%H:%M:%fZ', i.started_at, ${`-${days} days`})`
  const queue = field('c', 'queueId')
  const assignee = field('c', 'assigneeId')
  const caseOf = field('i', 'caseId')
  const isRepeat = sql`case when exists (
      select 1 from interactions p
      where p.tenant_id = i.tenant_id and p.contact_id = i.contact_id
        and p.direction = 'inbound' and p.channel <> 'note'
        and p.started_at >= ${windowStart}
        and (p.started_at < i.started_at or (p.started_at = i.started_at and p.id < i.id))
    ) then 1 else 0 end`
  const inboundInRange = sql`i.tenant_id = ${t} and i.direction = 'inbound' and i.channel <> 'note'
      and i.started_at >= ${from} and i.started_at < ${to}`
  const [resolved, backlog, opened, handled, contacts, customers] = await Promise.all([
    // Resolved in the range (their last tier stay ended in it), by queue and assignee.
    sql<{ queue_id: string | null; agent_id: string | null; resolved: unknown; fcr: unknown }>`
      select ${queue} as queue_id, ${assignee} as agent_id, count(*) as resolved,
        coalesce(sum(case when coalesce(ic.n, 0) <= 1 and not exists (
          select 1 from case_tiers x where x.tenant_id = c.tenant_id and x.case_id = c.id and x.seq > 0
        ) then 1 else 0 end), 0) as fcr
      from cases c
      join case_tiers ct on ct.tenant_id = c.tenant_id and ct.case_id = c.id
      left join (
        select ${caseOf} as case_id, count(*) as n from interactions i
        where i.tenant_id = ${t} and ${caseOf} is not null
        group by 1
      ) ic on ic.case_id = c.id
      where c.tenant_id = ${t} and c.status in ('solved', 'closed')
        and ct.until >= ${from} and ct.until < ${to}
        and ct.seq = (select max(x.seq) from case_tiers x where x.tenant_id = c.tenant_id and x.case_id = c.id)
      group by 1, 2`.execute(db),
    sql<{ queue_id: string | null; agent_id: string | null; n: unknown }>`
      select ${queue} as queue_id, ${assignee} as agent_id, count(*) as n
      from cases c where c.tenant_id = ${t} and c.status in ('open', 'pending')
      group by 1, 2`.execute(db),
    sql<{ queue_id: string | null; n: unknown }>`
      select ${queue} as queue_id, count(*) as n
      from cases c where c.tenant_id = ${t} and c.created_at >= ${from} and c.created_at < ${to}
      group by 1`.execute(db),
    sql<{ agent_id: string; n: unknown }>`
      select i.agent_id, count(*) as n from interactions i
      where i.tenant_id = ${t} and i.agent_id is not null and i.started_at >= ${from} and i.started_at < ${to}
      group by i.agent_id`.execute(db),
    sql<{ contacts: unknown; repeats: unknown }>`
      select count(*) as contacts, coalesce(sum(${isRepeat}), 0) as repeats
      from interactions i where ${inboundInRange}`.execute(db),
    range.customers
      ? sql<{ contact_id: string; contacts: unknown; repeats: unknown }>`
      select i.contact_id, count(*) as contacts, coalesce(sum(${isRepeat}), 0) as repeats
      from interactions i where ${inboundInRange}
      group by i.contact_id
      order by count(*) desc, 3 desc, i.contact_id
      limit ${range.customers}`.execute(db)
      : Promise.resolve({ rows: [] as Array<{ contact_id: string; contacts: unknown; repeats: unknown }> }),
  ])
  const top = customers.rows.map((r) => r.contact_id)
  const openedBy = new Map<string, number>()
  if (top.length) {
    const rows = await db
      .selectFrom('cases')
      .select(['contact_id', (eb) => eb.fn.countAll().as('n')])
      .where('tenant_id', '=', t)
      .where(ctx.oneOf('contact_id', top))
      .where('created_at', '>=', from)
      .where('created_at', '<', to)
      .groupBy('contact_id')
      .execute()
    for (const r of rows) openedBy.set(r.contact_id, n(r.n))
  }

  type Line = { backlog: number; opened: number; resolved: number; firstContactResolved: number }
  const line = (): Line => ({ backlog: 0, opened: 0, resolved: 0, firstContactResolved: 0 })
  const queues = new Map<string, Line>()
  const agents = new Map<string, Line & { interactions: number }>()
  const q = (id: string | null) => queues.get(key(id)) ?? queues.set(key(id), line()).get(key(id))!
  const a = (id: string | null) =>
    agents.get(key(id)) ?? agents.set(key(id), { ...line(), interactions: 0 }).get(key(id))!
  let fcr = 0
  let resolvedN = 0
  for (const r of resolved.rows) {
    for (const l of [q(r.queue_id), a(r.agent_id)]) {
      l.resolved += n(r.resolved)
      l.firstContactResolved += n(r.fcr)
    }
    resolvedN += n(r.resolved)
    fcr += n(r.fcr)
  }
  for (const r of backlog.rows) {
    q(r.queue_id).backlog += n(r.n)
    a(r.agent_id).backlog += n(r.n)
  }
  for (const r of opened.rows) q(r.queue_id).opened += n(r.n)
  for (const r of handled.rows) a(r.agent_id).interactions += n(r.n)
  const byId = <L>(m: Map<string, L>) => [...m].sort(([x], [y]) => (x < y ? -1 : x > y ? 1 : 0))
  const total = contacts.rows[0]
  const contactsN = n(total?.contacts)
  const repeatsN = n(total?.repeats)
  return {
    firstContactResolved: fcr,
    firstContactResolution: rate(fcr, resolvedN),
    repeatWindowDays: days,
    contacts: contactsN,
    repeatContacts: repeatsN,
    repeatRate: rate(repeatsN, contactsN),
    byQueue: byId(queues).map(([id, l]) => ({ ...(id ? { queueId: id } : {}), ...l })),
    byAgent: byId(agents).map(([id, { opened: _, ...l }]) => ({ ...(id ? { agentId: id } : {}), ...l })),
    byCustomer: customers.rows.map((r) => ({
      contactId: r.contact_id,
      contacts: n(r.contacts),
      repeatContacts: n(r.repeats),
      opened: openedBy.get(r.contact_id) ?? 0,
    })),
  }
}
