import { describe, expect, it } from 'vitest'
import type { BusinessCalendarInput } from '../src/desk/calendar.js'
import { escalationDue } from '../src/desk/escalation.js'
import { type SlaCase, SlaPolicy, slaClocks } from '../src/desk/sla.js'
import { tierSpans } from '../src/desk/tier-spans.js'
import type { CaseEvent, CaseStatus } from '../src/domain/case.js'
import { EscalationTierId } from '../src/domain/ids.js'
import { hours } from '../src/domain/time.js'

const nineToSix = [{ from: '09:00', to: '18:00' }]
const madrid: BusinessCalendarInput = {
  key: 'madrid',
  name: 'Madrid',
  zone: 'Europe/Madrid',
  week: { mon: nineToSix, tue: nineToSix, wed: nineToSix, thu: nineToSix, fri: nineToSix, sat: [], sun: [] },
  holidays: { country: 'ES', region: 'MD' },
}
const policy = SlaPolicy.parse({
  key: 'standard',
  name: 'Standard',
  calendar: 'madrid',
  firstResponseSec: hours(2),
  resolutionSec: hours(8),
  byPriority: { urgent: { firstResponseSec: hours(1), resolutionSec: hours(4) } },
})
const utc = (s: string) => new Date(s)
const status = (at: string, from: CaseStatus, to: CaseStatus): CaseEvent => ({
  at: utc(at),
  type: 'status_changed',
  from,
  to,
})
const aCase = (createdAt: string, history: CaseEvent[] = [], extra: Partial<SlaCase> = {}): SlaCase => {
  const last = history.filter((e) => e.type === 'status_changed').at(-1)
  return {
    createdAt: utc(createdAt),
    status: (last?.to as CaseStatus | undefined) ?? 'open',
    priority: 'normal',
    history: [{ at: utc(createdAt), type: 'created' }, ...history],
    sla: {},
    ...extra,
  }
}

describe('SLA clocks', () => {
  it('runs in business hours over a weekend and records the breach instant', () => {
    // Opened Friday 17:00 Madrid; Monday 10:30 it has had 2.5 business hours.
    const c = aCase('2026-03-06T16:00:00Z')
    const { firstResponse, resolution } = slaClocks(c, policy, madrid, utc('2026-03-09T09:30:00Z'))
    expect(firstResponse).toMatchObject({ elapsedSec: hours(2.5), leftSec: -hours(0.5), breached: true })
    expect(firstResponse.breachedAt?.toISOString()).toBe('2026-03-09T09:00:00.000Z')
    expect(firstResponse.state).toBe('running')
    expect(resolution).toMatchObject({ elapsedSec: hours(2.5), leftSec: hours(5.5), breached: false })
    expect(resolution.dueAt?.toISOString()).toBe('2026-03-09T15:00:00.000Z')
  })

  it('skips a public holiday', () => {
    // Opened Thursday 30 April 17:00 CEST; 1 May is closed: due Monday 4 May 16:00 CEST.
    const c = aCase('2026-04-30T15:00:00Z')
    const { resolution } = slaClocks(c, policy, madrid, utc('2026-04-30T15:00:00Z'))
    expect(resolution.dueAt?.toISOString()).toBe('2026-05-04T14:00:00.000Z')
  })

  it('uses local hours across the spring DST change', () => {
    const c = aCase('2026-03-27T16:00:00Z') // Friday 17:00 CET
    const { resolution } = slaClocks(c, policy, madrid, utc('2026-03-27T16:00:00Z'))
    // 1h on Friday, then Monday 09:00 CEST (07:00Z) + 7h = 16:00 CEST.
    expect(resolution.dueAt?.toISOString()).toBe('2026-03-30T14:00:00.000Z')
  })

  it('pauses while pending on the customer and resumes', () => {
    const history = [
      status('2026-03-09T09:00:00Z', 'open', 'pending'), // Monday 10:00
      status('2026-03-10T09:00:00Z', 'pending', 'open'), // Tuesday 10:00
    ]
    const paused = slaClocks(
      aCase('2026-03-09T08:00:00Z', history.slice(0, 1)),
      policy,
      madrid,
      utc('2026-03-09T14:00:00Z'),
    )
    expect(paused.resolution).toMatchObject({ state: 'paused', elapsedSec: hours(1), leftSec: hours(7) })
    expect(paused.resolution.dueAt).toBeUndefined()
    const resumed = slaClocks(
      aCase('2026-03-09T08:00:00Z', history),
      policy,
      madrid,
      utc('2026-03-10T11:00:00Z'),
    )
    expect(resumed.resolution).toMatchObject({ state: 'running', elapsedSec: hours(3), leftSec: hours(5) })
    expect(resumed.resolution.dueAt?.toISOString()).toBe('2026-03-10T16:00:00.000Z')
  })

  it('stops at the first response and at solved, and runs again when reopened', () => {
    const solved = status('2026-03-09T10:00:00Z', 'open', 'solved')
    const c = aCase('2026-03-09T08:00:00Z', [solved], {
      sla: { firstRespondedAt: utc('2026-03-09T08:30:00Z') },
    })
    const at = slaClocks(c, policy, madrid, utc('2026-03-11T10:00:00Z'))
    expect(at.firstResponse).toMatchObject({ state: 'met', elapsedSec: hours(0.5), breached: false })
    expect(at.resolution).toMatchObject({ state: 'met', elapsedSec: hours(2), breached: false })
    const reopened = aCase('2026-03-09T08:00:00Z', [solved, status('2026-03-10T08:00:00Z', 'solved', 'open')])
    expect(slaClocks(reopened, policy, madrid, utc('2026-03-10T09:00:00Z')).resolution).toMatchObject({
      state: 'running',
      elapsedSec: hours(3),
    })
  })

  it('a late first response is missed, not running', () => {
    const c = aCase('2026-03-09T08:00:00Z', [], { sla: { firstRespondedAt: utc('2026-03-09T11:00:00Z') } })
    const { firstResponse } = slaClocks(c, policy, madrid, utc('2026-03-09T12:00:00Z'))
    expect(firstResponse).toMatchObject({ state: 'missed', breached: true, elapsedSec: hours(3) })
    expect(firstResponse.breachedAt?.toISOString()).toBe('2026-03-09T10:00:00.000Z')
  })

  it('takes the targets of the priority', () => {
    const c = { ...aCase('2026-03-09T08:00:00Z'), priority: 'urgent' as const }
    expect(slaClocks(c, policy, madrid, utc('2026-03-09T08:00:00Z')).firstResponse.dueAt?.toISOString()).toBe(
      '2026-03-09T09:00:00.000Z',
    )
  })
})

describe('escalation rules', () => {
  const tier = (code: string, level: number) => ({ id: EscalationTierId.parse(`tr_${code}`), code, level })
  const tiers = [tier('l2', 2), tier('l1', 1), tier('field', 4), tier('l3', 3)]
  const l1 = tiers[1]!.id
  const opened = { ...aCase('2026-03-06T16:00:00Z'), tierId: l1 }
  const clocksAt = (c: SlaCase, at: string) => slaClocks(c, policy, madrid, utc(at))

  it('escalates on breach to the next tier, once', () => {
    const clocks = clocksAt(opened, '2026-03-09T09:30:00Z')
    const due = escalationDue({ case: opened, tiers, clocks })
    expect(due).toEqual({
      toTier: 'tr_l2',
      fromTier: 'tr_l1',
      reason: 'sla_breach',
      note: 'first response target 7200s passed at 2026-03-09T09:00:00.000Z',
    })
    const escalated = {
      ...opened,
      tierId: due!.toTier,
      history: [
        ...opened.history,
        {
          at: utc('2026-03-09T09:30:00Z'),
          type: 'escalated' as const,
          reason: `${due!.reason}: ${due!.note}`,
        },
      ],
    }
    expect(escalationDue({ case: escalated, tiers, clocks })).toBeUndefined()
  })

  it('escalates a lead time before the breach, and on the breach after', () => {
    const c = {
      ...aCase('2026-03-09T08:00:00Z'),
      tierId: l1,
      sla: { firstRespondedAt: utc('2026-03-09T08:10:00Z') },
    }
    const early = clocksAt(c, '2026-03-09T14:00:00Z') // 6h of 8h gone
    expect(escalationDue({ case: c, tiers, clocks: early, leadSec: hours(1) })).toBeUndefined()
    const near = clocksAt(c, '2026-03-09T15:30:00Z') // 30 minutes left
    const risk = escalationDue({ case: c, tiers, clocks: near, leadSec: hours(1) })
    expect(risk?.reason).toBe('sla_at_risk')
    expect(risk?.note).toMatch(/^resolution target 28800s: 1800s left, due 2026-03-09T16:00:00.000Z/)
    const atL2 = {
      ...c,
      tierId: risk!.toTier,
      history: [
        ...c.history,
        { at: utc('2026-03-09T15:30:00Z'), type: 'escalated' as const, reason: `sla_at_risk: ${risk!.note}` },
      ],
    }
    expect(escalationDue({ case: atL2, tiers, clocks: near, leadSec: hours(1) })).toBeUndefined()
    const late = escalationDue({
      case: atL2,
      tiers,
      clocks: clocksAt(c, '2026-03-09T16:30:00Z'),
      leadSec: hours(1),
    })
    expect(late).toMatchObject({ reason: 'sla_breach', fromTier: 'tr_l2', toTier: 'tr_l3' })
  })

  it('escalates a VIP and an unknown fault', () => {
    const fresh = { ...aCase('2026-03-09T08:00:00Z'), tierId: l1 }
    const clocks = clocksAt(fresh, '2026-03-09T08:05:00Z')
    expect(escalationDue({ case: fresh, tiers, clocks, vip: true, vipLevel: 3 })).toMatchObject({
      reason: 'vip',
      toTier: 'tr_l3',
    })
    expect(
      escalationDue({ case: fresh, tiers, clocks, knowledge: { query: 'E42 on router', found: 2 } }),
    ).toBeUndefined()
    expect(
      escalationDue({ case: fresh, tiers, clocks, knowledge: { query: 'E42 on router', found: 0 } }),
    ).toMatchObject({
      reason: 'unknown_fault',
      toTier: 'tr_l2',
      note: 'knowledge lookup found nothing for "E42 on router"',
    })
  })

  it('does nothing for a solved case or at the top tier', () => {
    const clocks = clocksAt(opened, '2026-03-09T09:30:00Z')
    expect(escalationDue({ case: { ...opened, status: 'solved' }, tiers, clocks })).toBeUndefined()
    expect(escalationDue({ case: { ...opened, tierId: tiers[2]!.id }, tiers, clocks })).toBeUndefined()
    // A case without a tier goes to the lowest one.
    expect(escalationDue({ case: { ...opened, tierId: undefined }, tiers, clocks })?.toTier).toBe('tr_l1')
  })
})

describe('tier spans', () => {
  const t1 = EscalationTierId.parse('tr_one')
  const t2 = EscalationTierId.parse('tr_two')
  it('starts at the tier the case opened at, adds one per escalation, and ends at solved', () => {
    const spans = tierSpans({
      createdAt: utc('2026-03-09T08:00:00Z'),
      tierId: t2,
      status: 'closed',
      history: [
        { at: utc('2026-03-09T08:00:00Z'), type: 'created' },
        { at: utc('2026-03-09T09:00:00Z'), type: 'escalated', from: t1, to: t2 },
        status('2026-03-09T10:00:00Z', 'open', 'solved'),
        status('2026-03-09T11:00:00Z', 'solved', 'open'),
        status('2026-03-09T12:00:00Z', 'open', 'solved'),
        status('2026-03-09T13:00:00Z', 'solved', 'closed'),
      ],
    })
    expect(spans).toEqual([
      { seq: 0, tierId: t1, since: utc('2026-03-09T08:00:00Z'), until: utc('2026-03-09T09:00:00Z') },
      { seq: 1, tierId: t2, since: utc('2026-03-09T09:00:00Z'), until: utc('2026-03-09T12:00:00Z') },
    ])
    const open = tierSpans({ createdAt: utc('2026-03-09T08:00:00Z'), status: 'open', history: [] })
    expect(open).toEqual([{ seq: 0, since: utc('2026-03-09T08:00:00Z') }])
  })
})
