import {
  type AgentId,
  type AnsweredCall,
  applyDisposition,
  type Campaign,
  type CampaignId,
  type ContactId,
  DispositionInput,
  dialOutcomeOf,
  type Interaction,
  type InteractionId,
  type Lead,
  newId,
  type TenantApi,
} from '@switchboard/core'
import { ComplianceGuard, type Pacer, type PacingDecision, pacerFor } from '@switchboard/dialer'
import { Clock, Effect, Fiber } from 'effect'
import { effectClock } from './clock.js'
import type { CallSession, RuntimeContext } from './context.js'

/** What `status()` says of a running campaign. */
export interface CampaignRunStatus {
  readonly campaignId: CampaignId
  readonly state: 'running' | 'paused' | 'stopping' | 'stopped' | 'lost_lease'
  readonly owner: string
  readonly callsInFlight: number
  readonly dials: number
  readonly connects: number
  readonly abandoned: number
  readonly refused: number
  readonly lastDecision?: PacingDecision
}

const CLAIM_BATCH = 20

/**
 * One campaign, run by one owner at a time (the lease): claims leads,
 * paces, guards, permits, dials, connects or abandons, and codes what no
 * agent coded. Everything it acknowledges is in storage; what it keeps in
 * memory (the claimed batch, the calls in flight) is recovered from storage
 * by the next owner (`leads.takeOver`).
 */
/** How soon a callback whose owner is busy is looked at again. */
const CALLBACK_OWNER_RECHECK_MS = 10_000

export class CampaignRun {
  state: CampaignRunStatus['state'] = 'running'
  private buffer: Lead[] = []
  private readonly pacer: Pacer
  private readonly guard: ComplianceGuard
  private fiber: Fiber.Fiber<unknown, unknown> | undefined
  private ticking = false
  private lastLease = 0
  private stats = { dials: 0, connects: 0, abandoned: 0, refused: 0, personAnswers: 0 }
  private lastDecision: PacingDecision | undefined
  private exhaustedAt: number | undefined
  /** Calls this run placed and has not finished, by call id. */
  readonly calls = new Map<string, CallSession>()

  constructor(
    private readonly ctx: RuntimeContext,
    readonly tenant: TenantApi,
    public campaign: Campaign,
    readonly worker: string,
  ) {
    this.pacer = pacerFor(campaign)
    this.guard = new ComplianceGuard({
      campaign,
      canContact: (id, q) => tenant.consent.canContact(id, q),
    })
  }

  status(): CampaignRunStatus {
    return {
      campaignId: this.campaign.id,
      state: this.state,
      owner: this.worker,
      callsInFlight: this.calls.size,
      dials: this.stats.dials,
      connects: this.stats.connects,
      abandoned: this.stats.abandoned,
      refused: this.stats.refused,
      ...(this.lastDecision ? { lastDecision: this.lastDecision } : {}),
    }
  }

  /** Takes the lease, recovers what a dead owner left, fills the list, starts ticking. */
  async start(): Promise<boolean> {
    const s = this.tenant
    if (!(await this.renewLease())) return false
    // calls a dead owner had in flight: close their interactions, hand the leads back
    const orphans = await this.ctx.store(s).leads.takeOver(this.campaign.id, this.worker)
    for (const lead of orphans) await this.closeOrphan(lead)
    for (const src of this.campaign.listSources)
      if (src.type === 'segment') await s.segments.enqueue(this.campaign.id, src.segment as never)
    if (this.campaign.status !== 'active')
      this.campaign = await s.campaigns.setStatus(this.campaign.id, 'active')
    this.schedule()
    return true
  }

  /**
   * The campaign's loop: a fiber that sleeps a tick on the runtime's clock (Effect's `Clock`
   * backed by it, so a virtual clock drives it too) and decides. Stopping interrupts it.
   */
  private schedule(): void {
    const tick = Effect.promise(() => this.tick().catch((e) => this.ctx.log('tick failed', e)))
    const loop = Effect.forever(Effect.andThen(Effect.sleep(this.ctx.settings.tickMs), tick))
    this.fiber = Effect.runFork(Effect.provideService(loop, Clock.Clock, effectClock(this.ctx.clock)))
  }

  private interrupt(): void {
    if (this.fiber) Effect.runFork(Fiber.interrupt(this.fiber))
    this.fiber = undefined
  }

  private async renewLease(): Promise<boolean> {
    const now = this.ctx.clock.now()
    const lease = await this.ctx.store(this.tenant).campaignLeases.acquire(this.campaign.id, {
      owner: this.worker,
      now: new Date(now),
      until: new Date(now + this.ctx.settings.leaseSec * 1000),
    })
    this.lastLease = now
    return lease.owner === this.worker
  }

  pause(): void {
    if (this.state === 'running') this.state = 'paused'
  }

  resume(): void {
    if (this.state === 'paused') this.state = 'running'
  }

  /**
   * Stops dialling and hands unplaced leads back. With `drain` (default),
   * ringing calls are cancelled and connected ones end as they will (on a
   * virtual clock: keep advancing it); without, every call is hung up now.
   * Then the lease is given up.
   */
  async stop(options: { readonly drain?: boolean } = {}): Promise<void> {
    if (this.state === 'stopped') return
    this.state = 'stopping'
    // a tick may be preparing a dial (its checks await storage): let it finish, so that its call is
    // known below (and, seeing the stop, never placed) rather than launched after the stop looked
    for (let i = 0; i < 2000 && this.ticking; i++) await new Promise<void>((r) => setTimeout(r, 5))
    const leads = this.buffer.splice(0)
    if (leads.length)
      await this.ctx.store(this.tenant).leads.release(
        this.campaign.id,
        leads.map((l) => l.contactId),
        { worker: this.worker },
      )
    const drain = options.drain ?? true
    for (const call of [...this.calls.values()])
      if (!drain || call.phase === 'ringing') {
        call.cancelled = true
        await this.ctx.hangup(call.callId, drain ? 'cancelled' : 'normal')
      }
    if (drain) for (let i = 0; i < 3600 && this.calls.size > 0; i++) await this.ctx.sleep(1000)
    else
      for (let i = 0; i < 100 && this.calls.size > 0; i++) {
        await this.ctx.work.settled()
        await new Promise<void>((r) => setImmediate(r))
      }
    this.state = 'stopped'
    this.interrupt()
    await this.ctx.store(this.tenant).campaignLeases.release(this.campaign.id, this.worker)
  }

  /** Stopping, stopped or no longer the owner: no call is placed, and one being placed is interrupted. */
  private get winding(): boolean {
    return this.state === 'stopping' || this.state === 'stopped' || this.state === 'lost_lease'
  }

  /** Stops without any clean-up, as a crash would (tests). */
  abandonRun(): void {
    this.state = 'stopped'
    this.interrupt()
  }

  private async tick(): Promise<void> {
    if (this.ticking || this.state === 'stopped' || this.state === 'lost_lease') return
    this.ticking = true
    try {
      const now = this.ctx.clock.now()
      if (now - this.lastLease >= (this.ctx.settings.leaseSec * 1000) / 3 && !(await this.renewLease())) {
        this.state = 'lost_lease'
        this.interrupt()
        this.ctx.log(`lost the lease of campaign ${this.campaign.id}`, undefined)
        return
      }
      if (this.state !== 'running') return
      const agents = this.ctx.agents(this.tenant).of(this.campaign.id)
      const decision = this.pacer.decide({
        now: now / 1000,
        agents: agents.map((a) => ({ state: a.state, since: a.since / 1000 })),
        calls: [...this.calls.values()]
          .filter((c) => c.phase !== 'connected')
          .map((c) => ({
            phase: c.phase as 'ringing' | 'detecting' | 'waiting',
            since: c.phaseSince / 1000,
          })),
      })
      this.lastDecision = decision
      let launch = decision.launch
      while (launch > 0 && this.state === 'running') {
        const lead = await this.nextLead()
        if (!lead) break
        if (await this.dialSafely(lead)) launch--
      }
    } finally {
      this.ticking = false
    }
  }

  private async nextLead(): Promise<Lead | undefined> {
    if (this.buffer.length === 0) {
      const claimed = await this.ctx.store(this.tenant).leads.claim(this.campaign.id, {
        worker: this.worker,
        limit: CLAIM_BATCH,
        now: new Date(this.ctx.clock.now()),
        ...(this.ctx.settings.listOrder ? { order: this.ctx.settings.listOrder } : {}),
      })
      this.buffer.push(...claimed)
      if (!claimed.length) this.exhaustedAt ??= this.ctx.clock.now()
      else this.exhaustedAt = undefined
    }
    return this.buffer.shift()
  }

  /** One lead that cannot be dialled (a stored row the checks refuse to read) is set aside, not the tick. */
  private async dialSafely(lead: Lead): Promise<boolean> {
    try {
      return await this.dial(lead)
    } catch (e) {
      this.ctx.log(
        `lead ${lead.contactId} of campaign ${this.campaign.id} could not be dialled; retried in an hour`,
        e,
      )
      await this.ctx
        .store(this.tenant)
        .leads.release(this.campaign.id, [lead.contactId], {
          worker: this.worker,
          notBefore: new Date(this.ctx.clock.now() + 3600_000),
        })
        .catch(() => undefined)
      return false
    }
  }

  /** Guard, callback check, permit, originate. True when a call was launched. */
  private async dial(lead: Lead): Promise<boolean> {
    const s = this.tenant
    const store = this.ctx.store(s)
    const at = new Date(this.ctx.clock.now())
    const contact = await store.contacts.get(lead.contactId)
    const phone = contact?.phones.find((p) => p.primary)?.e164 ?? contact?.phones[0]?.e164
    if (!contact || contact.mergedInto || !phone) {
      await store.leads.settle(this.campaign.id, lead.contactId, { status: 'done', outcome: 'no_phone' })
      return false
    }
    const callId = `${this.campaign.id}:${newId('InteractionId')}`
    // a callback: not before its time, and reserved for its agent when it has one
    const callback = await store.callbacks.active(this.campaign.id, contact.id)
    let reserved: AgentId | undefined
    if (callback?.status === 'scheduled') {
      if (callback.dueAt.getTime() > at.getTime() + 1000) {
        await store.leads.release(this.campaign.id, [contact.id], {
          worker: this.worker,
          notBefore: callback.dueAt,
        })
        return false
      }
      if (callback.agentId) {
        const owner = this.ctx.agents(s).get(callback.agentId)
        if (owner?.state === 'available' && (await this.ctx.reserve(s, owner.agentId, callId)))
          reserved = owner.agentId
        else if (!owner && callback.ifAgentAway === 'anyone') reserved = undefined
        else {
          // the owner is busy (or away and the policy says wait): look again soon. A predictive
          // campaign keeps agents busy, free only between calls, so a minute's cadence could miss the
          // owner's free moments for a quarter of an hour
          await store.leads.release(this.campaign.id, [contact.id], {
            worker: this.worker,
            notBefore: new Date(at.getTime() + CALLBACK_OWNER_RECHECK_MS),
          })
          return false
        }
      }
      if (!(await store.callbacks.take(callback.id, at))) {
        if (reserved) await this.ctx.unreserve(s, reserved)
        return false
      }
    }
    const history = await store.interactions.find({
      campaignId: this.campaign.id,
      contactId: contact.id,
      limit: 100,
    })
    const attempts = history
      .filter((i) => i.disposition)
      .map((i) => ({
        at: i.startedAt,
        disposition: i.disposition!,
        ...(this.ctx.categoryOf(i.disposition!) ? { category: this.ctx.categoryOf(i.disposition!)! } : {}),
      }))
    const verdict = await this.guard.check(
      {
        contactId: contact.id,
        phone,
        timeZone: contact.timeZone ?? 'UTC',
        attempts: callback ? [] : attempts,
      },
      at,
    )
    if (!verdict.allowed) {
      this.stats.refused++
      if (reserved) await this.ctx.unreserve(s, reserved)
      const codes = verdict.reasons.map((r) => r.code)
      const final = codes.some((c) =>
        ['attempt_limit', 'disposition_attempt_limit', 'do_not_call', 'opted_out', 'suppressed'].includes(c),
      )
      const outcome = `refused: ${codes.join(', ')}`
      if (final) await store.leads.settle(this.campaign.id, contact.id, { status: 'done', outcome })
      else
        await store.leads.release(this.campaign.id, [contact.id], {
          worker: this.worker,
          notBefore: new Date(at.getTime() + 15 * 60_000),
        })
      this.ctx.emit('dial.refused', {
        tenantId: s.tenantId,
        campaignId: this.campaign.id,
        contactId: contact.id,
        reasons: verdict.reasons,
      })
      return false
    }
    // the permit and the open interaction commit together, atomic against suppression
    const interaction: Interaction = {
      tenantId: s.tenantId,
      id: newId('InteractionId') as InteractionId,
      contactId: contact.id,
      channel: 'voice',
      direction: 'outbound',
      campaignId: this.campaign.id,
      startedAt: at,
      durations: { ringSec: 0, talkSec: 0, holdSec: 0, wrapSec: 0 },
      recordingIds: [],
      callId,
      ...(lead.listId ? { listId: lead.listId } : {}),
      ...(reserved ? { agentId: reserved } : {}),
      createdAt: at,
      updatedAt: at,
    }
    const permitted = await this.ctx.write(s, 'runner.permit', async (tx, emit) => {
      if (!(await tx.leads.permit(this.campaign.id, contact.id, { worker: this.worker, callId })))
        return false
      await tx.interactions.insert(interaction)
      await emit('interaction.logged', { tenantId: s.tenantId, interaction })
      return true
    })
    if (!permitted) {
      if (reserved) await this.ctx.unreserve(s, reserved)
      return false
    }
    const call: CallSession = {
      callId,
      tenant: s,
      run: this,
      contact,
      phone,
      interactionId: interaction.id,
      phase: 'ringing',
      phaseSince: at.getTime(),
      startedAt: at.getTime(),
      ...(reserved ? { reservedAgent: reserved } : {}),
      ...(callback ? { callbackId: callback.id } : {}),
    }
    this.calls.set(callId, call)
    this.ctx.watch(call)
    this.stats.dials++
    this.pacer.observe({ type: 'dial', at: at.getTime() / 1000, count: 1 })
    this.ctx.work.spawn(
      () => this.place(call),
      (e) => this.ctx.log(`call ${callId} failed`, e),
    )
    return true
  }

  /** Originate, then connect, abandon or code the outcome. */
  private async place(call: CallSession): Promise<void> {
    const tel = this.ctx.telephony
    const c = this.campaign
    // suppressed since the permit, or the run began to stop while this dial was being prepared (its
    // checks await storage, so stop() may already have hung up the calls it knew of): never placed
    if (call.suppressed || this.winding) {
      await this.finish(call, 'INTERRUPTED', { ringSec: 0 })
      return
    }
    let answered: AnsweredCall | undefined
    try {
      answered = await tel.originate({
        target: { type: 'number', number: call.phone },
        callId: call.callId,
        role: 'customer',
        ...(c.callerId ? { callerId: c.callerId } : {}),
        ringTimeoutSec: Math.max(c.regime.minRingSec, this.ctx.settings.ringTimeoutSec),
        detectMachine: c.answeringMachine !== 'disabled' && c.answeringMachine !== 'connect_agent',
        metadata: { campaignId: c.id, contactId: call.contact!.id },
      })
    } catch (e) {
      const ringSec = (this.ctx.clock.now() - call.startedAt) / 1000
      const outcome = dialOutcomeOf(e)
      if (call.suppressed || call.cancelled || (this.winding && outcome === 'failed')) {
        // cancelled by us (stopping, or the contact suppressed while it rang): says nothing of the
        // list, and the lead is retried (or stays suppressed), not failed
        await this.finish(call, 'INTERRUPTED', { ringSec })
        return
      }
      this.pacer.observe({ type: 'outcome', at: this.ctx.clock.now() / 1000, outcome, ringSec })
      const code = outcome === 'busy' ? 'BUSY' : outcome === 'no_answer' ? 'NO_ANSWER' : 'FAILED'
      await this.finish(call, code, { ringSec })
      return
    }
    const now = this.ctx.clock.now()
    call.answeredAt = now
    call.ringSec = answered.ringSec
    const person = answered.answeredBy !== 'machine'
    this.pacer.observe({
      type: 'outcome',
      at: now / 1000,
      outcome: person ? 'person' : 'machine',
      ringSec: answered.ringSec,
    })
    if (call.suppressed) {
      await this.ctx.hangup(call.callId, 'cancelled')
      await this.finish(call, 'INTERRUPTED', { ringSec: answered.ringSec })
      return
    }
    if (!person && c.answeringMachine !== 'connect_agent') {
      await this.ctx.hangup(call.callId, 'machine')
      await this.finish(call, 'MACHINE', { ringSec: answered.ringSec })
      return
    }
    this.stats.personAnswers++
    call.phase = 'waiting'
    call.phaseSince = now
    const agent = await this.ctx.connect(call, c.regime.abandonment.maxWaitSec)
    const waitSec = (this.ctx.clock.now() - now) / 1000
    if (!agent && call.suppressed) {
      // suppressed while the person waited (or while the agent's phone rang): never bridged,
      // and not an abandoned call either (no message, not counted against the regime's rate)
      await this.ctx.hangup(call.callId, 'cancelled')
      await this.finish(call, 'INTERRUPTED', { ringSec: answered.ringSec })
      return
    }
    if (!agent) {
      this.stats.abandoned++
      this.pacer.observe({ type: 'connect', at: this.ctx.clock.now() / 1000, waitSec, abandoned: true })
      this.guard.recordAbandoned(call.contact!.id, new Date(this.ctx.clock.now()))
      if (
        c.abandonMessage &&
        this.ctx.telephony.capabilities.playMedia &&
        this.ctx.telephony.call(call.callId)
      )
        await this.ctx.telephony.playMessage(call.callId, { media: c.abandonMessage }).catch(() => undefined)
      await this.ctx.hangup(call.callId, 'abandoned')
      await this.finish(call, 'ABANDONED', { ringSec: answered.ringSec })
      return
    }
    this.stats.connects++
    this.pacer.observe({ type: 'connect', at: this.ctx.clock.now() / 1000, waitSec, abandoned: false })
  }

  /** Learns the talk and wrap times of a connected call (the runtime calls it). */
  observeTalk(talkSec: number, wrapSec?: number): void {
    const at = this.ctx.clock.now() / 1000
    this.pacer.observe({ type: 'talk', at, durationSec: talkSec })
    if (wrapSec !== undefined) this.pacer.observe({ type: 'wrap_up', at, durationSec: wrapSec })
  }

  /** A call that never reached an agent: close and code its interaction, in one transaction. */
  async finish(call: CallSession, code: string, d: { ringSec: number }): Promise<void> {
    const s = call.tenant
    const endedAt = new Date(this.ctx.clock.now())
    await this.ctx.write(s, 'runner.finish', async (tx, emit) => {
      const i = await tx.interactions.get(call.interactionId)
      if (!i) return
      const talkSec = call.answeredAt ? Math.max(0, (endedAt.getTime() - call.answeredAt) / 1000) : 0
      await tx.interactions.update({
        ...i,
        endedAt,
        durations: { ...i.durations, ringSec: d.ringSec, talkSec },
        updatedAt: endedAt,
      })
      // a callback nobody answered is missed (first: coding the attempt would close it as done)
      if (call.callbackId) {
        const cb = await tx.callbacks.get(call.callbackId)
        if (cb?.status === 'dialing')
          await tx.callbacks.update({ ...cb, status: 'missed', updatedAt: endedAt })
      }
      if (!i.disposition)
        await applyDisposition(tx, emit, {
          tenant: s.tenantId,
          id: i.id,
          input: DispositionInput.parse({ code }),
          at: endedAt,
        })
    })
    if (call.reservedAgent) await this.ctx.unreserve(s, call.reservedAgent)
    this.calls.delete(call.callId)
  }

  /** A `dialing` lead of a dead owner: close its open interaction (INTERRUPTED) and retry it by the rules. */
  private async closeOrphan(lead: Lead): Promise<void> {
    const s = this.tenant
    const at = new Date(this.ctx.clock.now())
    await this.ctx.write(s, 'runner.recover', async (tx, emit) => {
      const i = lead.callId ? await tx.interactions.findByCall(lead.callId) : undefined
      if (i && !i.endedAt) await tx.interactions.update({ ...i, endedAt: at, updatedAt: at })
      if (i && !i.disposition)
        await applyDisposition(tx, emit, {
          tenant: s.tenantId,
          id: i.id,
          input: DispositionInput.parse({ code: 'INTERRUPTED' }),
          at,
        })
      else
        await tx.leads.settle(this.campaign.id, lead.contactId, { status: 'pending', outcome: 'INTERRUPTED' })
    })
    if (!lead.callId) return
    await this.ctx.hangup(lead.callId, 'cancelled')
    // the agent the dead owner had reserved or connected for this call: free again
    for (const a of await s.sessions.open({ campaignId: this.campaign.id }))
      if (
        a.callId === lead.callId &&
        (a.state === 'reserved' || a.state === 'on_call' || a.state === 'wrap_up')
      ) {
        const next = await s.sessions.setState(a.agentId, 'available').catch(() => undefined)
        if (next) this.ctx.agents(s).apply(next)
      }
  }

  /** The contact was suppressed: cancel a ringing call, drop a waiting one before it reaches an agent. */
  async suppressed(contactId: ContactId): Promise<void> {
    this.buffer = this.buffer.filter((l) => l.contactId !== contactId)
    for (const call of this.calls.values()) {
      if (call.contact!.id !== contactId) continue
      call.suppressed = true
      if (call.phase === 'ringing') await this.ctx.hangup(call.callId, 'cancelled')
    }
  }

  /** The list is exhausted: nothing pending, claimed or in flight for a while. */
  get exhausted(): boolean {
    return this.exhaustedAt !== undefined && this.calls.size === 0 && this.buffer.length === 0
  }
}
