// The seeded CRM of the demo: contacts in New York, Chicago and Madrid with
// their consent (some opted out, some on the do-not-call list), cases on
// escalation tiers with SLA clocks, a segment, a named list, and a predictive
// campaign with its disposition codes. Deterministic for a seed.
import type { Agent, Campaign, Contact, Segment, TenantApi } from '@switchboard/core'
import { Rng } from '@switchboard/telephony/simulated'

/** The campaign's codes (the runner adds the system ones: NO_ANSWER, BUSY, ABANDONED...). */
export const CODES = [
  { code: 'SALE', label: 'Sale', category: 'sale' },
  { code: 'NO_INTEREST', label: 'Not interested', category: 'contact_no_sale' },
  { code: 'CALLBACK', label: 'Call me back', category: 'callback' },
  { code: 'DNC', label: 'Do not call me', category: 'do_not_call' },
  { code: 'SERVICE', label: 'Inbound service call', category: 'contact_no_sale' },
] as const

/** The trade-show list: a second source of leads, so the report by list has two groups. */
export const TRADE_SHOW_LIST = 'trade-show-2026'

/** Where contacts live: a phone prefix, the zone and the address's country. */
const PLACES = [
  { phone: (i: number) => `+1212555${1000 + i}`, zone: 'America/New_York', country: 'US', weight: 0.5 },
  { phone: (i: number) => `+1312555${1000 + i}`, zone: 'America/Chicago', country: 'US', weight: 0.25 },
  { phone: (i: number) => `+34612${100_000 + i}`, zone: 'Europe/Madrid', country: 'ES', weight: 0.25 },
] as const

/**
 * The human seat's scenario (interactive demo only): four New York contacts outside the segment
 * (lifecycle `former`), whose numbers a person answers. One to click to call, one opted out (click
 * to call must refuse it), and two leads due a few minutes into the shift with a high priority: the
 * seat suppresses one before it is due, the other is the control that does get dialled.
 */
export const SCENARIO = {
  callMe: { firstName: 'Dana', lastName: 'Callme', phone: '+12125559001' },
  optedOut: { firstName: 'Olivia', lastName: 'Optout', phone: '+12125559002' },
  suppressMe: { firstName: 'Sam', lastName: 'Suppress', phone: '+12125559003' },
  control: { firstName: 'Casey', lastName: 'Control', phone: '+12125559004' },
} as const
/** When the scenario's two leads are due, after the shift's start (virtual seconds). */
export const SCENARIO_DUE_SEC = 4 * 60

const FIRST = [
  'Ana',
  'Ben',
  'Carla',
  'David',
  'Elena',
  'Farid',
  'Grace',
  'Hugo',
  'Inés',
  'Jon',
  'Kim',
  'Luis',
]
const LAST = ['García', 'Smith', 'López', 'Johnson', 'Martín', 'Brown', 'Sánchez', 'Miller', 'Ruiz', 'Davis']

export interface SeedOptions {
  readonly seed: number
  /** At most 8,000 (the numbers stay distinct and valid). */
  readonly contacts: number
  /** Simulated agents. */
  readonly agents: number
  /** Adds the human seat's agent ("You"), who is not simulated. */
  readonly seat: boolean
}

export interface Seeded {
  readonly campaign: Campaign
  readonly segment: Segment
  readonly contacts: ReadonlyArray<Contact>
  /** The simulated agents. */
  readonly agents: ReadonlyArray<Agent>
  readonly seat?: Agent
  /** With a seat: the scenario's contacts. */
  readonly scenario?: { readonly [K in keyof typeof SCENARIO]: Contact }
  /** Contacts who opted out of marketing calls (click to call must refuse them). */
  readonly optedOut: ReadonlyArray<Contact>
  /** Contacts whose number is on the tenant's do-not-call list. */
  readonly doNotCall: ReadonlyArray<Contact>
}

/** Fills the tenant with the demo's CRM and campaign. */
export async function seedCrm(t: TenantApi, o: SeedOptions): Promise<Seeded> {
  const rng = new Rng(o.seed)
  const pick = <T>(a: ReadonlyArray<T>): T => a[Math.floor(rng.next() * a.length)]!
  for (const c of CODES) await t.dispositions.define(c)

  // service desk: New York office hours, a two-hour first response, three tiers
  const nineToSix = [{ from: '09:00', to: '18:00' }]
  await t.desk.defineCalendar({
    key: 'office',
    name: 'Office hours',
    zone: 'America/New_York',
    week: {
      mon: nineToSix,
      tue: nineToSix,
      wed: nineToSix,
      thu: nineToSix,
      fri: nineToSix,
      sat: [],
      sun: [],
    },
    holidays: { country: 'US' },
  })
  await t.desk.definePolicy({
    key: 'default',
    name: 'Standard',
    calendar: 'office',
    firstResponseSec: 2 * 3600,
    resolutionSec: 8 * 3600,
  })
  const tiers = [
    await t.desk.defineTier({ code: 'L1', name: 'First line', level: 1 }),
    await t.desk.defineTier({ code: 'L2', name: 'Second line', level: 2 }),
    await t.desk.defineTier({ code: 'L3', name: 'Specialists', level: 3 }),
  ]

  const contacts: Contact[] = []
  const optedOut: Contact[] = []
  const doNotCall: Contact[] = []
  for (let i = 0; i < o.contacts; i++) {
    const r = rng.next()
    const place =
      r < PLACES[0].weight ? PLACES[0] : r < PLACES[0].weight + PLACES[1].weight ? PLACES[1] : PLACES[2]
    const lifecycle = pick(['lead', 'lead', 'prospect', 'customer'] as const)
    const contact = await t.contacts.create({
      firstName: pick(FIRST),
      lastName: pick(LAST),
      phones: [place.phone(i)],
      timeZone: place.zone,
      address: { country: place.country },
      lifecycle,
      ...(lifecycle === 'customer'
        ? { lifetimeValue: { amountMinor: 5000 + Math.floor(rng.next() * 200_000), currency: 'USD' } }
        : {}),
      attributes: { plan: pick(['basic', 'plus', 'gold']) },
    })
    contacts.push(contact)
    const c = rng.next()
    if (c < 0.06) {
      await t.consent.record({
        contactId: contact.id,
        channel: 'voice',
        purpose: 'marketing',
        status: 'opted_out',
        source: 'unsubscribe link',
      })
      optedOut.push(contact)
    } else if (c < 0.09) {
      await t.consent.addToDoNotCall({ phone: contact.phones[0]!.e164, source: 'customer request' })
      doNotCall.push(contact)
    } else if (c < 0.5) {
      await t.consent.record({
        contactId: contact.id,
        channel: 'voice',
        purpose: 'marketing',
        status: 'opted_in',
        source: 'web form',
      })
    }
    // one customer in eight has a case open, on a tier
    if (lifecycle === 'customer' && rng.next() < 0.35)
      await t.cases.open({
        contactId: contact.id,
        subject: pick([
          'Invoice twice charged',
          'No dial tone',
          'Router replacement',
          'Plan upgrade question',
        ]),
        tierId: pick(tiers.slice(0, 2)).id,
        priority: pick(['low', 'normal', 'normal', 'high'] as const),
      })
  }

  const segment = await t.segments.create({
    name: 'Renewal prospects (US and Spain)',
    filter: {
      and: [
        { field: 'lifecycle', op: 'in', values: ['lead', 'prospect', 'customer'] },
        { field: 'country', op: 'in', values: ['US', 'ES'] },
      ],
    },
  })
  const campaign = await t.campaigns.create({
    name: 'Spring renewals',
    kind: 'telemarketing',
    dialMode: { mode: 'predictive' },
    listSources: [{ type: 'segment', segment: segment.id }],
    regime: 'US',
    consentPurpose: 'marketing',
    abandonMessage: 'abandoned.wav',
    recording: 'on_demand',
    wrapUpSec: 120,
    script: 'Hello {{firstName}}, this is Acme about renewing your plan.',
    dispositionCodes: ['SALE', 'NO_INTEREST', 'CALLBACK', 'DNC'],
  })
  // the trade-show leads go first, as their own list (the segment fills the rest at start)
  await t.lists.enqueue(
    campaign.id,
    contacts.filter((_, i) => i % 10 === 0).map((c) => c.id),
    { listId: TRADE_SHOW_LIST, priority: 1 },
  )

  const scenario = o.seat ? await seedScenario(t, campaign) : undefined
  const agents: Agent[] = []
  for (let i = 0; i < o.agents; i++) agents.push(await t.agents.create({ name: `Agent ${i + 1}` }))
  const seat = o.seat ? await t.agents.create({ name: 'You (human seat)' }) : undefined
  return {
    campaign,
    segment,
    contacts,
    agents,
    optedOut,
    doNotCall,
    ...(seat ? { seat } : {}),
    ...(scenario ? { scenario } : {}),
  }
}

async function seedScenario(t: TenantApi, campaign: Campaign): Promise<NonNullable<Seeded['scenario']>> {
  const make = (p: (typeof SCENARIO)[keyof typeof SCENARIO]) =>
    t.contacts.create({
      firstName: p.firstName,
      lastName: p.lastName,
      phones: [p.phone],
      timeZone: 'America/New_York',
      address: { country: 'US' },
      lifecycle: 'former',
    })
  const scenario = {
    callMe: await make(SCENARIO.callMe),
    optedOut: await make(SCENARIO.optedOut),
    suppressMe: await make(SCENARIO.suppressMe),
    control: await make(SCENARIO.control),
  }
  await t.consent.record({
    contactId: scenario.optedOut.id,
    channel: 'voice',
    purpose: 'marketing',
    status: 'opted_out',
    source: 'unsubscribe link',
  })
  const now = await t.campaigns.get(campaign.id).then((c) => c.createdAt.getTime())
  await t.lists.enqueue(campaign.id, [scenario.suppressMe.id, scenario.control.id], {
    priority: 10,
    notBefore: new Date(now + SCENARIO_DUE_SEC * 1000),
  })
  return scenario
}
