import {
  type AgentId,
  AgentId as AgentIdSchema,
  AgentSession,
  applyDisposition,
  type CallEvent,
  type CampaignId,
  type Contact,
  ContactId,
  conflict,
  type DispositionCategory,
  DispositionInput,
  type DispositionResult,
  EventLog,
  type HangupCause,
  type InboundCall,
  type Interaction,
  type InteractionId,
  type LeadOrder,
  newId,
  type Refusal,
  type Switchboard,
  scopedStore,
  type TelephonyBackend,
  type TenantApi,
  type TenantStore,
  validationFailed,
} from '@switchboard/core'
import { ComplianceGuard } from '@switchboard/dialer'
import { Effect } from 'effect'
import mittImport from 'mitt'
import { AgentPool } from './agent-pool.js'
import { CampaignRun, type CampaignRunStatus } from './campaign-run.js'
import { type RuntimeClock, systemClock, Work } from './clock.js'
import type { CallSession, RuntimeContext } from './context.js'
import { ClickToCallRefused } from './errors.js'
import type { CallOffered, RuntimeEvents } from './events.js'
import { ClickToCallInputSchema, parseInput, RuntimeOptionsInput } from './inputs.js'

export interface CampaignRuntimeOptions {
  /** The telephony backend (default: the instance's). */
  readonly telephony?: TelephonyBackend
  /** The clock timers run on (default: the system's; a simulation passes its ManualClock). */
  readonly clock?: RuntimeClock
  /** This runner's name on leases and claims (default: a random one per runtime). */
  readonly worker?: string
  /** Inbound calls: which tenant they belong to, and how long a caller waits for an agent (seconds, default 60). */
  readonly inbound?: { readonly tenant: string; readonly maxWaitSec?: number }
  /** How often suppressions recorded by other processes are read (ms, default 250). */
  readonly followIntervalMs?: number
  /**
   * How long a campaign's lease lasts without a renewal, in seconds (default
   * 15; renewed every third of it): how soon another runner takes over a dead
   * owner's campaign.
   */
  readonly leaseSec?: number
  /** How long a customer's phone rings before the attempt is NO_ANSWER, in seconds (default 25; never under the regime's `minRingSec`). */
  readonly ringTimeoutSec?: number
  /** How often a campaign decides how many calls to launch, in ms (default 1000). */
  readonly tickMs?: number
  readonly log?: (message: string, error: unknown) => void
  /**
   * The order campaigns claim their list in, within a priority (callbacks
   * first either way): `'fifo'` (the default, first in, first out) or a
   * plugin's column keyed by contact, highest first: an expected value such
   * as `leadScoring(...).expectedValueOrder`.
   */
  readonly listOrder?: 'fifo' | LeadOrder
}

export interface ClickToCallInput {
  readonly agentId: AgentId
  readonly contactId: ContactId
  /** The campaign whose regime, purpose and caller id apply. */
  readonly campaignId: CampaignId
  /** Default: the contact's primary phone. */
  readonly phone?: string
}

/**
 * The campaign runtime: the one place where core, storage, the dialer engine
 * and telephony meet. It runs campaigns (one owner per campaign, through a
 * lease), connects answered people to the longest-idle agent, pops the
 * screen, places click-to-call calls after the checks, records by policy or
 * on demand, takes dispositions, and cancels calls to contacts suppressed
 * while they ring.
 *
 * @example
 * ```ts
 * import { createCampaignRuntime } from '@switchboard/campaigns'
 *
 * const runtime = createCampaignRuntime(sb) // sb = createSwitchboard({ storage, telephony })
 * runtime.on('call.offered', (pop) => console.log(pop.agentId, pop.contact?.firstName, pop.timeline.length))
 * const ana = await acme.agents.create({ name: 'Ana' })
 * await acme.sessions.login(ana.id, { campaignIds: [campaign.id] })
 * await runtime.start('acme', campaign.id)
 * // ... when Ana's call ends:
 * await runtime.dispose('acme', ana.id, { code: 'SALE', outcomeValue: { amountMinor: 4900, currency: 'EUR' } })
 * await runtime.stop('acme', campaign.id)
 * ```
 */
export interface CampaignRuntime {
  start(tenant: string, campaignId: CampaignId): Promise<CampaignRunStatus>
  pause(tenant: string, campaignId: CampaignId): Promise<CampaignRunStatus>
  resume(tenant: string, campaignId: CampaignId): Promise<CampaignRunStatus>
  /**
   * Stops the campaign here: no new dial, unplaced leads handed back, the
   * lease released. `drain` (default true) lets connected calls end (ringing
   * ones are cancelled); `drain: false` hangs up every call at once.
   */
  stop(tenant: string, campaignId: CampaignId, options?: { readonly drain?: boolean }): Promise<void>
  status(tenant: string, campaignId: CampaignId): CampaignRunStatus | undefined
  /** Codes the agent's current (or just ended) call; committed when it resolves; the agent is then ready. */
  dispose(
    tenant: string,
    agentId: AgentId,
    input: DispositionInput,
    /** `callId`: the call the agent's screen shows; refused (Conflict) when the agent is on another one. */
    options?: { readonly callId?: string },
  ): Promise<DispositionResult>
  /** Agent leg first, then the customer, after consent, do-not-call and calling-window checks (else ClickToCallRefused with every reason). */
  clickToCall(tenant: string, input: ClickToCallInput): Promise<{ interaction: Interaction; callId: string }>
  /**
   * The agent says who an unidentified caller is: the choice is logged on a new interaction,
   * whose subject says whether an identity check on this call (`contacts.verify` with its
   * `callId`) verified that contact, and by which fields.
   */
  identify(tenant: string, callId: string, contactId: ContactId): Promise<Interaction>
  /** Starts recording the agent's call (policy on_demand or always_with_pause). */
  startRecording(tenant: string, agentId: AgentId): Promise<void>
  stopRecording(tenant: string, agentId: AgentId): Promise<void>
  /** The agent ends their connected call (the customer's leg; the agent then wraps up as after any call). */
  hangup(tenant: string, agentId: AgentId): Promise<void>
  on<K extends keyof RuntimeEvents>(type: K, handler: (event: RuntimeEvents[K]) => void): () => void
  /** Resolves once the work set off so far has settled (a simulation advances time after it). */
  settled(): Promise<void>
  /** Stops every campaign (hanging up its calls) and every listener. */
  close(): Promise<void>
  /** Drops everything as a crash would: no clean-up, leases left to expire (failover drills and tests). */
  halt(): void
}

// mitt ships CJS-flavoured typings for an ESM default export: take whichever the loader gave.
const mitt = ((mittImport as unknown as { default?: unknown }).default ??
  mittImport) as typeof mittImport.default

const SUPPRESSION_EVENTS = ['leads.suppressed', 'consent.changed', 'dnc.added'] as const

export function createCampaignRuntime(
  sb: Switchboard,
  options: CampaignRuntimeOptions = {},
): CampaignRuntime {
  parseInput('campaign runtime', RuntimeOptionsInput, options, 'options')
  const telephony = options.telephony ?? sb.telephony
  if (!telephony)
    throw validationFailed('campaign runtime', [
      {
        field: 'telephony',
        value: undefined,
        message: 'give a telephony backend (here or to createSwitchboard)',
      },
    ])
  const clock = options.clock ?? systemClock
  const worker = options.worker ?? `runner-${Math.random().toString(36).slice(2, 10)}`
  const work = new Work()
  const bus = mitt<RuntimeEvents>()
  const log = (message: string, error: unknown) => {
    bus.emit('runtime.error', { message, error })
    if (!bus.all.get('runtime.error')?.length)
      (options.log ?? console.error)(`@switchboard/campaigns: ${message}`, error)
  }
  const runs = new Map<string, CampaignRun>()
  const pools = new Map<string, AgentPool>()
  /** Customer calls by id, and each agent's current or last uncoded call. */
  const calls = new Map<string, CallSession>()
  const agentCall = new Map<string, CallSession>()
  const wrapTimers = new Map<string, unknown>()
  const reserving = new Set<string>()
  const categories = new Map<string, DispositionCategory>()
  const unsubscribe: Array<() => void> = []
  const followers = new Map<string, () => void>()
  let closed = false
  /** Set by `halt()`: from then on the runtime writes nothing and touches no call, as a dead process would not. */
  let halted = false
  const dead = () => Promise.reject(new Error('the campaign runtime was halted'))

  const apis = new Map<string, TenantApi>()
  /** The tenant API, with its storage work counted (see `settled`). */
  const tenantApi = (id: string): TenantApi => {
    let api = apis.get(id)
    if (!api) {
      api = work.tracked(sb.tenant(id), 1, () => halted)
      apis.set(id, api)
    }
    return api
  }
  const key = (tenant: string, id: string) => `${tenant}\u0000${id}`
  const poolOf = (tenant: TenantApi) => {
    let p = pools.get(tenant.tenantId)
    if (!p) {
      p = new AgentPool()
      pools.set(tenant.tenantId, p)
    }
    return p
  }
  const sleep = (ms: number) => new Promise<void>((r) => clock.setTimeout(r, ms))
  const write: RuntimeContext['write'] = (tenant, operation, fn) =>
    halted
      ? dead()
      : work.io(
          sb.run(
            Effect.gen(function* () {
              const l = yield* EventLog
              return yield* l.write(tenant.tenantId, operation, fn)
            }),
          ) as Promise<never>,
        )
  const hangup = async (callId: string, cause: HangupCause) => {
    if (!halted && telephony.call(callId)) await telephony.hangup(callId, cause).catch(() => undefined)
  }
  const setAgent = async (
    tenant: TenantApi,
    agentId: AgentId,
    to: 'available' | 'reserved' | 'on_call' | 'wrap_up',
    callId?: string,
  ) => {
    const s = await tenant.sessions.setState(agentId, to, callId ? { callId } : {})
    poolOf(tenant).apply(s)
    return s
  }
  const reserve = async (tenant: TenantApi, agentId: AgentId, callId?: string): Promise<boolean> => {
    if (reserving.has(agentId)) return false
    reserving.add(agentId)
    try {
      await setAgent(tenant, agentId, 'reserved', callId)
      return true
    } catch {
      // it paused or logged out meanwhile: read it again
      const s = await tenant.sessions.current(agentId).catch(() => undefined)
      if (s) poolOf(tenant).apply(s)
      return false
    } finally {
      reserving.delete(agentId)
    }
  }
  const unreserve = async (tenant: TenantApi, agentId: AgentId) => {
    const a = poolOf(tenant).get(agentId)
    if (a?.state === 'reserved')
      await setAgent(tenant, agentId, 'available').catch((e) => log('unreserve', e))
  }

  /** The screen pop for an identified contact, or a verification request. */
  const offer = async (
    call: CallSession,
    agentId: AgentId,
    direction: 'inbound' | 'outbound',
    pop?: CallOffered['verification'],
  ) => {
    const t = call.tenant
    const store = ctx.store(t)
    const contact = call.contact
    const [timeline, openCases] = contact
      ? await Promise.all([
          store.interactions.listByContact(contact.id, { limit: 20 }),
          store.cases.listByContact(contact.id, { openOnly: true }),
        ])
      : [[], []]
    const campaign = call.run?.campaign ?? call.campaign
    bus.emit('call.offered', {
      tenantId: t.tenantId,
      agentId,
      callId: call.callId,
      interactionId: call.interactionId,
      direction,
      ...(campaign ? { campaignId: campaign.id } : {}),
      ...(contact ? { contact } : {}),
      timeline,
      openCases,
      ...(campaign?.script ? { script: campaign.script } : {}),
      ...(pop ? { verification: pop } : {}),
    })
  }

  /**
   * Bridges the waiting call to `agentId` (reserved), pops the screen, records by policy.
   * False, and nothing bridged, when the contact was suppressed before the agent answered.
   */
  const bridgeTo = async (
    call: CallSession,
    agentId: AgentId,
    direction: 'inbound' | 'outbound',
    verification?: CallOffered['verification'],
  ): Promise<boolean> => {
    const t = call.tenant
    if (call.suppressed) return false
    call.agentId = agentId
    await offer(call, agentId, direction, verification)
    const agentLeg = await telephony.originate({
      target: { type: 'agent', agentId },
      role: 'agent',
      ringTimeoutSec: 10,
    })
    call.agentCallId = agentLeg.callId
    followAgentLeg(call, agentLeg.callId)
    // the agent's phone rang for a while: the contact may have been suppressed meanwhile
    if (call.suppressed) {
      await hangup(agentLeg.callId, 'normal')
      return false
    }
    if (!telephony.call(call.callId)) {
      await hangup(agentLeg.callId, 'normal')
      throw new Error('the customer hung up before the agent answered')
    }
    await telephony.bridge(call.callId, agentLeg.callId)
    call.phase = 'connected'
    call.phaseSince = clock.now()
    agentCall.set(key(t.tenantId, agentId), call)
    await setAgent(t, agentId, 'on_call', call.callId)
    await write(t, 'runner.connect', async (tx, emit) => {
      const i = await tx.interactions.get(call.interactionId)
      if (!i) return
      const next = { ...i, agentId, updatedAt: new Date(clock.now()) }
      await tx.interactions.update(next)
      await emit('interaction.updated', { tenantId: t.tenantId, interaction: next })
    })
    const policy = call.run?.campaign.recording ?? 'never'
    if ((policy === 'always' || policy === 'always_with_pause') && telephony.capabilities.recording)
      await startRec(call, 'policy').catch((e) => log('recording failed to start', e))
    bus.emit('call.connected', {
      tenantId: t.tenantId,
      agentId,
      callId: call.callId,
      interactionId: call.interactionId,
      waitSec: call.answeredAt ? (clock.now() - call.answeredAt) / 1000 : 0,
    })
    return true
  }

  const startRec = async (call: CallSession, by: 'policy' | 'agent') => {
    const info = await telephony.startRecording(call.callId)
    const rec = await call.tenant.recordings.started({
      interactionId: call.interactionId,
      callId: call.callId,
      uri: info.location ?? `${telephony.name}:recording:${info.recordingId}`,
      format: telephony.name === 'simulated' ? 'simulated' : 'pcap',
      startedAt: new Date(info.startedAt),
      startedBy: by,
    })
    call.recordingId = rec.id
  }
  const stopRec = async (call: CallSession, info?: { durationSec: number; location?: string }) => {
    const id = call.recordingId
    if (!id) return
    delete call.recordingId
    const stopped = info ?? (await telephony.stopRecording(call.callId).catch(() => undefined))
    await call.tenant.recordings.stopped(id as never, {
      durationSec: stopped?.durationSec ?? 0,
      ...(stopped && 'location' in stopped && stopped.location ? { uri: stopped.location } : {}),
    })
  }

  /**
   * The agent hanging up their phone ends the customer's call: a backend leaves the other leg of a bridge
   * up, unbridged, and nothing else would ever end it.
   */
  const followAgentLeg = (call: CallSession, agentCallId: string) => {
    const off = telephony.onCallEvent(agentCallId, (ev) => {
      if (ev.type !== 'ended') return
      off()
      if (call.phase === 'connected' && calls.get(call.callId) === call) void hangup(call.callId, 'normal')
    })
  }

  const connect: RuntimeContext['connect'] = async (call, maxWaitSec) => {
    const t = call.tenant
    const campaignId = call.run?.campaign.id
    const deadline = clock.now() + maxWaitSec * 1000
    let agentId = call.reservedAgent
    delete call.reservedAgent
    while (!agentId && !call.suppressed && clock.now() < deadline && telephony.call(call.callId)) {
      const idle = campaignId ? poolOf(t).idle(campaignId, reserving) : poolOf(t).anyIdle(reserving)
      for (const a of idle) {
        if (await reserve(t, a.agentId, call.callId)) {
          agentId = a.agentId
          break
        }
      }
      if (!agentId) await sleep(100)
    }
    if (!agentId || call.suppressed || !telephony.call(call.callId)) {
      if (agentId) await unreserve(t, agentId)
      return undefined
    }
    try {
      if (await bridgeTo(call, agentId, call.run ? 'outbound' : 'inbound')) return agentId
      await unreserve(t, agentId)
      return undefined
    } catch (e) {
      // a caller who hangs up while the agent's phone rings abandoned the call: not a fault
      if (telephony.call(call.callId)) log(`could not connect ${call.callId} to ${agentId}`, e)
      await unreserve(t, agentId)
      if (call.agentCallId) await hangup(call.agentCallId, 'normal')
      return undefined
    }
  }

  /** The customer's leg ended after a connect: close the interaction, start the agent's wrap-up. */
  const customerEnded = async (call: CallSession, ev: Extract<CallEvent, { type: 'ended' }>) => {
    const t = call.tenant
    calls.delete(call.callId)
    if (call.recordingId) await stopRec(call, { durationSec: 0 }).catch((e) => log('recording stop', e))
    if (call.agentCallId) await hangup(call.agentCallId, 'normal')
    const endedAt = new Date(clock.now())
    const talkSec = ev.durations.talkSec
    const coded = await write(t, 'runner.end', async (tx, emit) => {
      const i = await tx.interactions.get(call.interactionId)
      if (!i) return true
      const next = {
        ...i,
        endedAt,
        durations: {
          ...i.durations,
          ringSec: call.ringSec ?? ev.durations.ringSec,
          talkSec,
          holdSec: ev.durations.holdSec,
        },
        updatedAt: endedAt,
      }
      await tx.interactions.update(next)
      await emit('interaction.updated', { tenantId: t.tenantId, interaction: next })
      return !!i.disposition
    })
    call.run?.calls.delete(call.callId)
    call.run?.observeTalk(talkSec)
    const agentId = call.agentId
    if (!agentId) return
    const wrapSec = call.run?.campaign.wrapUpSec ?? 60
    if (coded) {
      agentCall.delete(key(t.tenantId, agentId))
      await setAgent(t, agentId, 'available').catch((e) => log('agent ready', e))
      bus.emit('call.ended', {
        tenantId: t.tenantId,
        callId: call.callId,
        interactionId: call.interactionId,
        agentId,
        talkSec,
      })
      return
    }
    await setAgent(t, agentId, 'wrap_up', call.callId).catch((e) => log('agent wrap-up', e))
    if (closed) return
    const wrapUntil = new Date(clock.now() + wrapSec * 1000)
    const k = key(t.tenantId, agentId)
    wrapTimers.set(
      k,
      clock.setTimeout(
        () =>
          work.spawn(
            () => wrapTimeout(t, agentId, call),
            (e) => log('wrap timeout', e),
          ),
        wrapSec * 1000,
      ),
    )
    bus.emit('call.ended', {
      tenantId: t.tenantId,
      callId: call.callId,
      interactionId: call.interactionId,
      agentId,
      talkSec,
      wrapUntil,
    })
  }

  const wrapTimeout = async (t: TenantApi, agentId: AgentId, call: CallSession) => {
    const k = key(t.tenantId, agentId)
    wrapTimers.delete(k)
    if (agentCall.get(k) !== call) return
    agentCall.delete(k)
    const at = new Date(clock.now())
    await write(t, 'runner.wrapTimeout', async (tx, emit) => {
      const i = await tx.interactions.get(call.interactionId)
      if (i && !i.disposition)
        await applyDisposition(tx, emit, {
          tenant: t.tenantId,
          id: i.id,
          input: DispositionInput.parse({
            code: 'WRAP_TIMEOUT',
            wrapSec: call.run?.campaign.wrapUpSec ?? 60,
          }),
          at,
        })
    })
    const a = poolOf(t).get(agentId)
    if (a?.state === 'wrap_up') await setAgent(t, agentId, 'available').catch((e) => log('agent ready', e))
  }

  const watch = (call: CallSession) => {
    calls.set(call.callId, call)
    const off = telephony.onCallEvent(call.callId, (ev) => {
      if ((ev.type === 'initiated' || ev.type === 'ringing') && call.suppressed)
        void hangup(call.callId, 'cancelled')
      if (ev.type === 'answered') call.phase = 'detecting'
      if (ev.type === 'recording-stopped' && call.recordingId)
        work.spawn(
          () =>
            stopRec(call, { durationSec: ev.durationSec, ...(ev.location ? { location: ev.location } : {}) }),
          (e) => log('recording stop', e),
        )
      if (ev.type === 'ended') {
        off()
        if (call.phase === 'connected')
          work.spawn(
            () => customerEnded(call, ev),
            (e) => log('call end', e),
          )
        else calls.delete(call.callId)
      }
    })
  }

  const ctx: RuntimeContext = {
    clock,
    settings: {
      leaseSec: options.leaseSec ?? 15,
      ringTimeoutSec: options.ringTimeoutSec ?? 25,
      tickMs: options.tickMs ?? 1000,
      ...(options.listOrder && options.listOrder !== 'fifo' ? { listOrder: options.listOrder } : {}),
    },
    work,
    telephony,
    store: (t: TenantApi): TenantStore => work.tracked(scopedStore(sb.storage, t.tenantId), 1, () => halted),
    write,
    agents: poolOf,
    reserve,
    unreserve,
    connect,
    hangup,
    watch,
    categoryOf: (code) => categories.get(code),
    emit: (type, event) => bus.emit(type, event),
    sleep,
    log,
  }

  const onSuppressed = (
    tenantId: string,
    contactIds: ReadonlyArray<string>,
    phones: ReadonlyArray<string>,
  ) => {
    for (const r of runs.values()) {
      if (r.tenant.tenantId !== tenantId) continue
      for (const id of contactIds)
        work.spawn(
          () => r.suppressed(id as ContactId),
          (e) => log('suppression', e),
        )
      for (const c of r.calls.values())
        if (phones.includes(c.phone))
          work.spawn(
            () => r.suppressed(c.contact!.id),
            (e) => log('suppression', e),
          )
    }
  }
  unsubscribe.push(
    sb.on('leads.suppressed', (e) => onSuppressed(e.tenantId, [e.contactId], [])),
    sb.on('consent.changed', (e) => {
      if (e.suppressedLeads > 0) onSuppressed(e.tenantId, [e.record.contactId], [])
    }),
    sb.on('dnc.added', (e) => onSuppressed(e.tenantId, [], [e.entry.phone])),
    sb.on('agent.state_changed', (e) => pools.get(e.tenantId)?.apply(e.session)),
    sb.on('disposition.defined', (e) => {
      categories.set(e.code.code, e.code.category)
    }),
  )

  /** Follows suppressions other processes record (the in-process bus covers this one's). */
  const follow = (t: TenantApi) => {
    if (followers.has(t.tenantId)) return
    const stop = t.events.follow(
      (ev) => {
        // this instance's own events came through the in-process bus already
        if (ev.origin === sb.origin) return
        const p = ev.payload as Record<string, unknown>
        if (ev.type === 'leads.suppressed') onSuppressed(t.tenantId, [p.contactId as string], [])
        if (ev.type === 'consent.changed')
          onSuppressed(t.tenantId, [(p.record as { contactId: string }).contactId], [])
        if (ev.type === 'dnc.added') onSuppressed(t.tenantId, [], [(p.entry as { phone: string }).phone])
        if (ev.type === 'agent.state_changed') {
          // the log holds JSON: dates come back as strings
          const session = AgentSession.safeParse(p.session)
          if (session.success) poolOf(t).apply(session.data)
        }
      },
      { types: [...SUPPRESSION_EVENTS, 'agent.state_changed'], intervalMs: options.followIntervalMs ?? 250 },
    )
    followers.set(t.tenantId, stop)
  }

  const loadCategories = async (t: TenantApi) => {
    for (const d of await t.dispositions.list()) categories.set(d.code, d.category)
  }
  const refreshAgents = async (t: TenantApi) => poolOf(t).refresh(await t.sessions.open())

  // Inbound: identify, queue to the longest-idle agent, pop the screen (or ask to verify).
  if (options.inbound && telephony.capabilities.inbound) {
    const t = tenantApi(options.inbound.tenant)
    const maxWait = options.inbound.maxWaitSec ?? 60
    unsubscribe.push(
      telephony.onInbound((inbound: InboundCall) =>
        work.spawn(
          () => takeInbound(t, inbound, maxWait),
          (e) => log(`inbound ${inbound.callId}`, e),
        ),
      ),
    )
  }
  const takeInbound = async (t: TenantApi, inbound: InboundCall, maxWaitSec: number) => {
    await refreshAgents(t)
    const pop = await t.contacts.screenPop(inbound.withheld ? undefined : inbound.from)
    // the call started when it came in, not when the lookup answered
    const at = new Date(inbound.at)
    const identified = pop.status === 'identified' ? pop.contact : undefined
    let interactionId = newId('InteractionId') as InteractionId
    if (identified) {
      const i = await t.interactions.log({
        contactId: identified.id,
        channel: 'voice',
        direction: 'inbound',
        startedAt: at,
        callId: inbound.callId,
      })
      interactionId = i.id
    }
    const call: CallSession = {
      callId: inbound.callId,
      tenant: t,
      ...(identified ? { contact: identified } : {}),
      phone: inbound.from,
      interactionId,
      phase: 'waiting',
      phaseSince: clock.now(),
      startedAt: at.getTime(),
      answeredAt: clock.now(),
    }
    await telephony.answer(inbound.callId)
    watch(call)
    const verification: CallOffered['verification'] | undefined =
      pop.status === 'identified'
        ? undefined
        : {
            reason: pop.status,
            candidates: pop.status === 'ambiguous' ? pop.candidates : [],
            verify: pop.verify,
          }
    const deadline = clock.now() + maxWaitSec * 1000
    waiting: while (clock.now() < deadline && telephony.call(call.callId)) {
      for (const a of poolOf(t).anyIdle(reserving)) {
        if (await reserve(t, a.agentId)) {
          try {
            await bridgeTo(call, a.agentId, 'inbound', verification)
          } catch (e) {
            await unreserve(t, a.agentId)
            // a caller who hangs up while the agent's phone rings abandoned the call: not a
            // fault, and their interaction is closed and coded below like any unanswered one
            if (!telephony.call(call.callId)) break waiting
            log('inbound connect', e)
          }
          return
        }
      }
      await sleep(250)
    }
    await hangup(call.callId, 'abandoned')
    calls.delete(call.callId)
    // nobody took it: close the caller's interaction and code it, in one transaction
    const endedAt = new Date(clock.now())
    await write(t, 'inbound.abandoned', async (tx, emit) => {
      const i = await tx.interactions.get(call.interactionId)
      if (!i || i.endedAt) return
      await tx.interactions.update({
        ...i,
        endedAt,
        durations: { ...i.durations, ringSec: 0, talkSec: 0 },
        updatedAt: endedAt,
      })
      if (!i.disposition)
        await applyDisposition(tx, emit, {
          tenant: t.tenantId,
          id: i.id,
          input: DispositionInput.parse({ code: 'ABANDONED' }),
          at: endedAt,
        })
    })
  }

  const runOf = (tenant: string, campaignId: CampaignId) => runs.get(key(tenant, campaignId))

  return {
    async start(tenant, campaignId) {
      const t = tenantApi(tenant)
      const existing = runOf(tenant, campaignId)
      if (existing && existing.state !== 'stopped' && existing.state !== 'lost_lease')
        return existing.status()
      const campaign = await t.campaigns.get(campaignId)
      await loadCategories(t)
      await refreshAgents(t)
      follow(t)
      const run = new CampaignRun(ctx, t, campaign, worker)
      if (!(await run.start())) {
        const lease = await scopedStore(sb.storage, t.tenantId).campaignLeases.get(campaign.id)
        throw validationFailed('campaign runtime', [
          {
            field: 'campaignId',
            value: campaignId,
            message: `is run by ${lease?.owner} until ${lease?.until.toISOString()}; it takes over when that lease runs out`,
          },
        ])
      }
      runs.set(key(tenant, campaignId), run)
      // agent changes by other processes reach this one through the log; a periodic read is the backstop
      return run.status()
    },
    async pause(tenant, campaignId) {
      const run = runOf(tenant, campaignId)
      if (!run)
        throw validationFailed('campaign runtime', [
          { field: 'campaignId', value: campaignId, message: 'is not running here' },
        ])
      run.pause()
      await tenantApi(tenant).campaigns.setStatus(campaignId, 'paused')
      return run.status()
    },
    async resume(tenant, campaignId) {
      const run = runOf(tenant, campaignId)
      if (!run)
        throw validationFailed('campaign runtime', [
          { field: 'campaignId', value: campaignId, message: 'is not running here' },
        ])
      await tenantApi(tenant).campaigns.setStatus(campaignId, 'active')
      run.resume()
      return run.status()
    },
    async stop(tenant, campaignId, stopOptions) {
      await runOf(tenant, campaignId)?.stop(stopOptions)
    },
    status: (tenant, campaignId) => runOf(tenant, campaignId)?.status(),
    async dispose(tenant, agentId, input, disposeOptions) {
      const t = tenantApi(tenant)
      const k = key(t.tenantId, agentId)
      const call = agentCall.get(k)
      if (call && disposeOptions?.callId && call.callId !== disposeOptions.callId)
        throw conflict(
          'disposition',
          `agent ${agentId} is on call ${call.callId} (${poolOf(t).get(agentId)?.state}), not ${disposeOptions.callId}`,
        )
      if (!call)
        throw validationFailed('disposition', [
          {
            field: 'agentId',
            value: agentId,
            message: 'has no call to code (code an interaction with dispositions.apply)',
          },
        ])
      const a = poolOf(t).get(agentId)
      const wrapSec = a?.state === 'wrap_up' ? (clock.now() - a.since) / 1000 : 0
      const result = await t.dispositions.apply(call.interactionId, { wrapSec, ...input })
      // read again after the write: meanwhile the wrap-up may have run out (WRAP_TIMEOUT) and the agent
      // been given the next call, which this coding must not end
      if (agentCall.get(k) === call && poolOf(t).get(agentId)?.state === 'wrap_up') {
        agentCall.delete(k)
        clock.clearTimeout(wrapTimers.get(k))
        wrapTimers.delete(k)
        call.run?.observeTalk(0, wrapSec)
        await setAgent(t, agentId, 'available')
      }
      return result
    },
    async clickToCall(tenant, raw) {
      const input = parseInput('click to call', ClickToCallInputSchema, raw)
      const t = tenantApi(tenant)
      const [contact, campaign] = await Promise.all([
        t.contacts.get(input.contactId),
        t.campaigns.get(input.campaignId),
      ])
      const phone = input.phone ?? contact.phones.find((p) => p.primary)?.e164 ?? contact.phones[0]?.e164
      const at = new Date(clock.now())
      const reasons: Refusal[] = []
      if (!phone)
        reasons.push({
          code: 'no_address_for_channel',
          message: `contact ${contact.id} has no phone to call`,
        })
      else {
        const guard = new ComplianceGuard({ campaign, canContact: (id, q) => t.consent.canContact(id, q) })
        const v = await guard.check({ contactId: contact.id, phone, timeZone: contact.timeZone ?? 'UTC' }, at)
        reasons.push(...v.reasons)
      }
      if (reasons.length) throw new ClickToCallRefused(contact.id, reasons)
      const callId = `c2c:${newId('InteractionId')}`
      await setAgent(t, input.agentId, 'reserved', callId)
      const interaction = await t.interactions.log({
        contactId: contact.id,
        channel: 'voice',
        direction: 'outbound',
        agentId: input.agentId,
        campaignId: campaign.id,
        startedAt: at,
        callId,
      })
      const call: CallSession = {
        callId,
        tenant: t,
        contact: contact as Contact,
        phone: phone!,
        interactionId: interaction.id,
        phase: 'ringing',
        phaseSince: at.getTime(),
        startedAt: at.getTime(),
        agentId: input.agentId,
        campaign,
      }
      watch(call)
      try {
        const r = await telephony.clickToCall({
          agentId: input.agentId,
          customer: { type: 'number', number: phone! },
          customerCallId: callId,
          ...(campaign.callerId ? { callerId: campaign.callerId } : {}),
        })
        call.agentCallId = r.agentCallId
        followAgentLeg(call, r.agentCallId)
        call.answeredAt = clock.now()
        call.phase = 'connected'
        agentCall.set(key(t.tenantId, input.agentId), call)
        await setAgent(t, input.agentId, 'on_call', callId)
        await offer(call, input.agentId, 'outbound')
        // the agent's leg rang first and the customer answered: they are talking now
        bus.emit('call.connected', {
          tenantId: t.tenantId,
          agentId: input.agentId,
          callId,
          interactionId: interaction.id,
          waitSec: 0,
        })
      } catch (e) {
        calls.delete(callId)
        const endedAt = new Date(clock.now())
        await write(t, 'clickToCall.failed', async (tx, emit) => {
          const i = await tx.interactions.get(interaction.id)
          if (!i) return
          await tx.interactions.update({ ...i, endedAt, updatedAt: endedAt })
          const code =
            (e as { _tag?: string })._tag === 'CallBusy'
              ? 'BUSY'
              : (e as { _tag?: string })._tag === 'CallNoAnswer'
                ? 'NO_ANSWER'
                : 'FAILED'
          await applyDisposition(tx, emit, {
            tenant: t.tenantId,
            id: i.id,
            input: DispositionInput.parse({ code }),
            at: endedAt,
          })
        })
        await setAgent(t, input.agentId, 'available').catch(() => undefined)
        throw e
      }
      return { interaction, callId }
    },
    async identify(tenant, callId, contactIdIn) {
      const contactId = parseInput('identify', ContactId, contactIdIn, 'contactId')
      const t = tenantApi(tenant)
      const call = calls.get(callId)
      if (!call)
        throw validationFailed('identify', [
          { field: 'callId', value: callId, message: 'is not a live call of this runtime' },
        ])
      const contact = await t.contacts.get(contactId)
      // An identity check on this call (tenant.contacts.verify with its callId) that verified this contact.
      const checked = (await t.contacts.verifications({ callId })).findLast(
        (c) => c.status === 'verified' && c.contactId === contact.id,
      )
      const i = await t.interactions.log({
        contactId: contact.id,
        channel: 'voice',
        direction: 'inbound',
        startedAt: new Date(call.startedAt),
        callId,
        ...(call.agentId ? { agentId: call.agentId } : {}),
        subject: `caller identified by the agent (number ${call.phone || 'withheld'})${
          checked ? `; identity verified by ${checked.asked.join(', ')}` : '; identity not verified'
        }`,
      })
      call.contact = contact
      ;(call as { interactionId: InteractionId }).interactionId = i.id
      return i
    },
    async startRecording(tenant, agentIdIn) {
      const agentId = parseInput('startRecording', AgentIdSchema, agentIdIn, 'agentId')
      const call = agentCall.get(key(tenant, agentId))
      if (call?.phase !== 'connected' || calls.get(call.callId) !== call)
        throw validationFailed('recording', [
          { field: 'agentId', value: agentId, message: 'is not on a call' },
        ])
      const policy = call.run?.campaign.recording ?? 'on_demand'
      if (policy === 'never' || policy === 'always')
        throw validationFailed('recording', [
          { field: 'agentId', value: agentId, message: `the campaign's recording policy is ${policy}` },
        ])
      if (!call.recordingId) await startRec(call, 'agent')
    },
    async stopRecording(tenant, agentIdIn) {
      const agentId = parseInput('stopRecording', AgentIdSchema, agentIdIn, 'agentId')
      const call = agentCall.get(key(tenant, agentId))
      if (!call?.recordingId)
        throw validationFailed('recording', [
          { field: 'agentId', value: agentId, message: 'is not recording' },
        ])
      if (call.run?.campaign.recording === 'always')
        throw validationFailed('recording', [
          { field: 'agentId', value: agentId, message: 'the campaign records every call' },
        ])
      await stopRec(call)
    },
    async hangup(tenant, agentIdIn) {
      const agentId = parseInput('hangup', AgentIdSchema, agentIdIn, 'agentId')
      const call = agentCall.get(key(tenant, agentId))
      // the agent's last call stays theirs until coded: only a live one (still in `calls`) can be ended
      if (call?.phase !== 'connected' || calls.get(call.callId) !== call)
        throw validationFailed('hangup', [{ field: 'agentId', value: agentId, message: 'is not on a call' }])
      // Ending the customer's leg runs the same path as the customer hanging up: talk time, wrap-up, events.
      await hangup(call.callId, 'normal')
    },
    on(type, handler) {
      bus.on(type, handler as never)
      return () => bus.off(type, handler as never)
    },
    async settled() {
      await work.settled()
    },
    async close() {
      if (closed) return
      closed = true
      for (const r of runs.values()) await r.stop({ drain: false })
      // inbound and click-to-call calls too: their ends are written before the instance closes
      for (const c of [...calls.values()]) await hangup(c.callId, 'normal')
      await work.settled()
      for (const f of followers.values()) f()
      for (const u of unsubscribe) u()
      for (const t of wrapTimers.values()) clock.clearTimeout(t)
    },
    halt() {
      closed = true
      halted = true
      for (const r of runs.values()) r.abandonRun()
      for (const f of followers.values()) f()
      for (const u of unsubscribe) u()
      for (const t of wrapTimers.values()) clock.clearTimeout(t)
    },
  }
}
