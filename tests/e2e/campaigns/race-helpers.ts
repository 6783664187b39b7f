// Helpers for the suppression tests (integration point 6): a world like the
// harness's but with feature plugins, a tunable carrier and contacts made in
// batches, and a recorder that orders every telephony event and every
// suppression on one sequence, so a violation of "once suppression has
// committed, no new dial to that contact; a ringing one is cancelled; none is
// bridged to an agent" can be counted precisely.
import { type CampaignRuntime, createCampaignRuntime } from '@switchboard/campaigns'
import {
  type Agent,
  type Campaign,
  type CampaignInput,
  type Contact,
  type ContactId,
  createSwitchboard,
  type FeaturePlugin,
  type Lead,
  type Switchboard,
  type TelephonyEvent,
  type TenantApi,
} from '@switchboard/core'
import {
  type CarrierProfile,
  ManualClock,
  type NumberScript,
  SimulatedTelephony,
} from '@switchboard/telephony/simulated'
import { advancer, openStorage, START } from './harness.ts'

/** mulberry32: a seeded generator, the same sequence on every run and backend. */
export function seeded(seed: number): () => number {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

/** Lets `n` turns of the event loop pass (other work interleaves there). */
export const turns = async (n: number) => {
  for (let i = 0; i < n; i++) await new Promise<void>((r) => setImmediate(r))
}

/** A phone number per index (NANP, exchange 2xx: valid E.164 for up to 8 million contacts). */
export const racePhone = (i: number) => `+1212${String(2_000_000 + i)}`

const SUPPRESSION_EVENTS = new Set(['leads.suppressed', 'consent.changed', 'dnc.added'])

export interface RaceWorld {
  readonly sb: Switchboard
  readonly t: TenantApi
  readonly clock: ManualClock
  readonly tel: SimulatedTelephony
  readonly runtime: CampaignRuntime
  readonly campaign: Campaign
  readonly agents: Agent[]
  readonly numbers: Record<string, NumberScript>
  readonly recorder: Recorder
  /** Makes `n` fresh contacts (phones never used before in this world), not enqueued. */
  addContacts(
    n: number,
    scripts?: (i: number) => NumberScript | undefined,
    fields?: (i: number) => { tags?: string[] },
  ): Promise<Contact[]>
  advance(sec: number, stepSec?: number): Promise<void>
  close(): Promise<void>
}

export interface RaceWorldOptions {
  readonly backend: 'sqlite' | 'postgres'
  readonly agents?: number
  readonly campaign?: Partial<CampaignInput>
  readonly carrier?: Partial<CarrierProfile>
  readonly plugins?: ReadonlyArray<FeaturePlugin>
  readonly seed?: number
  /**
   * The control experiment: the runtime is given a switchboard whose `on`
   * drops the suppression events and a follow interval too long to matter,
   * so it never learns of a suppression (only the storage permit still
   * protects). The recorder must then count violations.
   */
  readonly deafRuntime?: boolean
  /** Runs before the campaign is made (a saved segment its list sources name); returns more campaign fields. */
  readonly setup?: (t: TenantApi) => Promise<Partial<CampaignInput>>
}

export async function raceWorld(o: RaceWorldOptions): Promise<RaceWorld> {
  const clock = new ManualClock(START)
  const numbers: Record<string, NumberScript> = {}
  const tel = new SimulatedTelephony({
    seed: o.seed ?? 11,
    clock,
    anyAgent: true,
    agents: {},
    numbers,
    ...(o.carrier ? { carrier: o.carrier } : {}),
  })
  await tel.start()
  const sb = await createSwitchboard({
    storage: openStorage(o.backend),
    telephony: tel,
    clock,
    outbox: false,
    ...(o.plugins ? { plugins: o.plugins } : {}),
  })
  const t = sb.tenant('acme')
  // The recorder listens first: its handler runs before the runtime's, at the
  // instant the suppression's commit is published in this process.
  const recorder = new Recorder(clock, tel, sb)
  const agents: Agent[] = []
  for (let i = 0; i < (o.agents ?? 3); i++) agents.push(await t.agents.create({ name: `Agent ${i}` }))
  const extra = o.setup ? await o.setup(t) : {}
  const campaign = await t.campaigns.create({
    name: 'Renewals',
    kind: 'telemarketing',
    dialMode: { mode: 'progressive' },
    regime: 'US',
    consentPurpose: 'marketing',
    abandonMessage: 'abandoned.wav',
    ...o.campaign,
    ...extra,
  })
  for (const a of agents) await t.sessions.login(a.id, { campaignIds: [campaign.id] })
  const deaf = o.deafRuntime
    ? (new Proxy(sb, {
        get(target, prop, receiver) {
          if (prop === 'on')
            return (type: string, handler: never) =>
              SUPPRESSION_EVENTS.has(type) ? () => undefined : target.on(type as never, handler)
          return Reflect.get(target, prop, receiver)
        },
      }) as Switchboard)
    : sb
  const runtime = createCampaignRuntime(deaf, { clock, followIntervalMs: o.deafRuntime ? 60_000 : 1000 })
  let made = 0
  const addContacts = async (
    n: number,
    scripts?: (i: number) => NumberScript | undefined,
    fields?: (i: number) => { tags?: string[] },
  ) => {
    const first = made
    // unscripted (the race's): a few at a time, PostgreSQL's pool takes them in parallel;
    // scripted: one by one, so that ids (and so the claim order) follow the indexes
    const width = scripts ? 1 : 6
    const out: Contact[] = []
    for (let from = 0; from < n; from += width) {
      const part = Array.from({ length: Math.min(width, n - from) }, (_, j) => from + j)
      const batch = await Promise.all(
        part.map((i) => {
          const phone = racePhone(first + i)
          const s = scripts?.(i)
          if (s) numbers[phone] = s
          return t.contacts.create({
            firstName: `Lead${first + i}`,
            lastName: 'Race',
            phones: [phone],
            timeZone: 'America/New_York',
            ...fields?.(i),
          })
        }),
      )
      out.push(...batch)
    }
    made += n
    return out
  }
  const advance = advancer(clock, runtime)
  return {
    sb,
    t,
    clock,
    tel,
    runtime,
    campaign,
    agents,
    numbers,
    recorder,
    addContacts,
    advance,
    async close() {
      recorder.stop()
      await runtime.close()
      await tel.stop()
      await sb.close()
    },
  }
}

/** One telephony event of a customer leg, on the recorder's sequence. */
export interface Recorded {
  readonly seq: number
  readonly at: number
  readonly type: TelephonyEvent['type']
  readonly callId: string
  readonly cause?: string
}

export interface SuppressionRecord {
  readonly contactId: ContactId
  readonly phone: string
  /** When `suppress(...)` was called. */
  startSeq: number
  /** When its commit was published in this process (before the runtime heard of it). */
  commitSeq?: number
  /** When `suppress(...)` resolved, on the sequence and on the virtual clock. */
  endSeq?: number
  endAt?: number
  /** What it returned: how many leads it suppressed. */
  suppressed?: number
}

/** How a suppression met its lead, from the lead read after the round (fresh contacts: one attempt each). */
export type Phase =
  | 'pending' // never claimed
  | 'claimed' // claimed by the runner, never permitted (the permit lost against the suppression)
  | 'ringing' // permitted and ringing when the suppression committed
  | 'answered' // permitted, answered (detection or waiting for an agent), not yet bridged
  | 'connected' // already bridged to an agent: the conversation goes on
  | 'ended' // permitted, the call had ended, its coding not yet committed
  | 'late' // the lead was done already: nothing to suppress

export interface RaceReport {
  readonly suppressions: number
  readonly phases: Record<Phase, number>
  /** (a) originated after the commit without a permit committed before it. */
  readonly dialledAfter: string[]
  /** (b) bridged to an agent after the commit. */
  readonly bridgedAfter: string[]
  /** (c) ringing at the commit and not cancelled (answered, or ended otherwise). */
  readonly notCancelled: string[]
}

export class Recorder {
  private seq = 0
  /** Customer legs by call id, with the number dialled. */
  readonly calls = new Map<string, { phone: string; events: Recorded[] }>()
  readonly byPhone = new Map<string, string[]>()
  readonly suppressions: SuppressionRecord[] = []
  private readonly open = new Map<string, SuppressionRecord[]>()
  private readonly offs: Array<() => void> = []

  constructor(
    private readonly clock: ManualClock,
    tel: SimulatedTelephony,
    sb: Switchboard,
  ) {
    this.offs.push(
      tel.onEvent((ev) => {
        if (ev.type === 'inbound') return
        if (ev.type === 'initiated') {
          if (ev.target.type !== 'number') return
          this.calls.set(ev.callId, { phone: ev.target.number, events: [] })
          const list = this.byPhone.get(ev.target.number) ?? []
          list.push(ev.callId)
          this.byPhone.set(ev.target.number, list)
        }
        const call = this.calls.get(ev.callId)
        if (!call) return
        call.events.push({
          seq: ++this.seq,
          at: ev.at,
          type: ev.type,
          callId: ev.callId,
          ...(ev.type === 'ended' ? { cause: ev.cause } : {}),
        })
      }),
      sb.on('leads.suppressed', (e) => {
        for (const r of this.open.get(e.contactId) ?? []) r.commitSeq ??= ++this.seq
      }),
    )
  }

  stop(): void {
    for (const off of this.offs.splice(0)) off()
  }

  /** `t.lists.suppress`, with its start, commit and end on the sequence. */
  async suppress(t: TenantApi, contact: Contact, reason: string): Promise<SuppressionRecord> {
    const r: SuppressionRecord = {
      contactId: contact.id,
      phone: contact.phones[0]!.e164,
      startSeq: ++this.seq,
    }
    this.suppressions.push(r)
    const open = this.open.get(contact.id) ?? []
    open.push(r)
    this.open.set(contact.id, open)
    r.suppressed = await t.lists.suppress(contact.id, reason)
    r.endSeq = ++this.seq
    r.endAt = this.clock.now()
    r.commitSeq ??= r.endSeq // not published in-process (cannot happen here): the resolve is the bound
    return r
  }

  /**
   * Judges every suppression against the calls to its contact's number.
   * `leads` are the suppressed contacts' leads read once every call ended.
   */
  judge(leads: ReadonlyMap<string, Lead | undefined>, records = this.suppressions): RaceReport {
    const phases: Record<Phase, number> = {
      pending: 0,
      claimed: 0,
      ringing: 0,
      answered: 0,
      connected: 0,
      ended: 0,
      late: 0,
    }
    const dialledAfter: string[] = []
    const bridgedAfter: string[] = []
    const notCancelled: string[] = []
    let suppressions = 0
    for (const r of records) {
      const commit = r.commitSeq!
      const lead = leads.get(r.contactId)
      const calls = (this.byPhone.get(r.phone) ?? []).map((id) => ({ id, ...this.calls.get(id)! }))
      // the phase the suppression met
      let phase: Phase
      const permitted = lead?.callId ? this.calls.get(lead.callId) : undefined
      const before = (permitted?.events ?? []).filter((e) => e.seq < commit)
      const has = (type: string) => before.some((e) => e.type === type)
      if (!r.suppressed) phase = 'late'
      else if (!lead?.claimedBy) phase = 'pending'
      else if (!lead.callId) phase = 'claimed'
      else if (has('ended')) phase = 'ended'
      else if (has('bridged')) phase = 'connected'
      else if (has('answered')) phase = 'answered'
      else phase = 'ringing' // permitted: ringing (or about to be originated) when the commit was published
      phases[phase]++
      if (phase !== 'late') suppressions++
      const at = () => `${r.contactId} (${phase}, suppressed at ${(r.endAt! - START) / 1000} s)`
      // (a) and (b)
      for (const c of calls) {
        const initiated = c.events.find((e) => e.type === 'initiated')!
        if (initiated.seq > commit && c.id !== lead?.callId)
          dialledAfter.push(`${at()}: ${c.id} originated after the commit, never permitted before it`)
        for (const e of c.events)
          if (e.type === 'bridged' && e.seq > commit)
            bridgedAfter.push(`${at()}: ${c.id} bridged to an agent at ${(e.at - START) / 1000} s`)
      }
      // (c)
      if (phase === 'ringing') {
        const after = (permitted?.events ?? []).filter((e) => e.seq > commit)
        const ended = after.find((e) => e.type === 'ended')
        if (after.some((e) => e.type === 'answered') || (ended && ended.cause !== 'cancelled'))
          notCancelled.push(
            `${at()}: ${lead!.callId} rang on (${after.map((e) => e.cause ?? e.type).join(' ')})`,
          )
      }
    }
    return { suppressions, phases, dialledAfter, bridgedAfter, notCancelled }
  }
}
