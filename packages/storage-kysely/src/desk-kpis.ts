import type { DeskKpis } from '@switchboard/core'
import { sql } from 'kysely'
import { serviceKpis } from './desk-service-kpis.js'
import { iso, type StoreContext } from './shared.js'

const n = (v: unknown): number => Number(v ?? 0)
const rate = (part: number, whole: number) => (whole ? part / whole : null)

/** The desk's KPIs over `[from, to)` in a few aggregate statements (timestamps are ISO text: they sort as time). */
export async function deskKpis(
  ctx: StoreContext,
  range: { from: Date; to: Date; repeatWindowDays?: number; customers?: number },
): Promise<DeskKpis> {
  const { db, t } = ctx
  const from = iso(range.from)
  const to = iso(range.to)
  const pg = ctx.options.json === 'jsonb'
  const breached = pg ? sql`c.data->'sla'->>'breachedAt'` : sql`json_extract(c.data, '$.sla.breachedAt')`
  const seconds = pg
    ? sql`extract(epoch from (ct.until::timestamptz - ct.since::timestamptz))::float8`
    : sql`(julianday(ct.until) - julianday(ct.since)) * 86400.0`
  const [backlog, opened, escalations, resolved, perTier, service] = await Promise.all([
    sql<{ tier_id: string | null; status: string; n: unknown }>`
      select ct.tier_id, c.status, count(*) as n
      from cases c join case_tiers ct on ct.tenant_id = c.tenant_id and ct.case_id = c.id and ct.until is null
      where c.tenant_id = ${t} and c.status in ('open', 'pending')
      group by ct.tier_id, c.status
      order by ct.tier_id`.execute(db),
    sql<{ opened: unknown; escalated: unknown }>`
      select count(*) as opened,
        coalesce(sum(case when exists (
          select 1 from case_tiers x where x.tenant_id = c.tenant_id and x.case_id = c.id and x.seq > 0
        ) then 1 else 0 end), 0) as escalated
      from cases c
      where c.tenant_id = ${t} and c.created_at >= ${from} and c.created_at < ${to}`.execute(db),
    sql<{ n: unknown }>`
      select count(*) as n from case_tiers
      where tenant_id = ${t} and seq > 0 and since >= ${from} and since < ${to}`.execute(db),
    sql<{ resolved: unknown; in_sla: unknown }>`
      select count(*) as resolved, coalesce(sum(case when ${breached} is null then 1 else 0 end), 0) as in_sla
      from cases c join case_tiers ct on ct.tenant_id = c.tenant_id and ct.case_id = c.id
      where c.tenant_id = ${t} and c.status in ('solved', 'closed')
        and ct.until >= ${from} and ct.until < ${to}
        and ct.seq = (select max(x.seq) from case_tiers x where x.tenant_id = c.tenant_id and x.case_id = c.id)`.execute(
      db,
    ),
    sql<{ tier_id: string | null; stays: unknown; avg_sec: unknown }>`
      select ct.tier_id, count(*) as stays, avg(${seconds}) as avg_sec
      from case_tiers ct
      where ct.tenant_id = ${t} and ct.until >= ${from} and ct.until < ${to}
      group by ct.tier_id
      order by ct.tier_id`.execute(db),
    serviceKpis(ctx, {
      from: range.from,
      to: range.to,
      repeatWindowDays: range.repeatWindowDays ?? 7,
      customers: range.customers ?? 20,
    }),
  ])
  const tiers = new Map<string | null, { open: number; pending: number }>()
  for (const r of backlog.rows) {
    const b = tiers.get(r.tier_id) ?? { open: 0, pending: 0 }
    b[r.status === 'pending' ? 'pending' : 'open'] += n(r.n)
    tiers.set(r.tier_id, b)
  }
  const o = opened.rows[0]
  const r = resolved.rows[0]
  const openedN = n(o?.opened)
  const escalatedN = n(o?.escalated)
  const resolvedN = n(r?.resolved)
  const inSla = n(r?.in_sla)
  return {
    backlog: [...tiers].map(([tierId, b]) => ({ ...(tierId ? { tierId } : {}), ...b })),
    opened: openedN,
    escalatedCases: escalatedN,
    escalationRate: rate(escalatedN, openedN),
    escalations: n(escalations.rows[0]?.n),
    resolved: resolvedN,
    resolvedInSla: inSla,
    slaAttainment: rate(inSla, resolvedN),
    timePerTier: perTier.rows.map((p) => ({
      ...(p.tier_id ? { tierId: p.tier_id } : {}),
      stays: n(p.stays),
      avgSec: Math.round(n(p.avg_sec) * 1000) / 1000,
    })),
    ...service,
  }
}
