// The simulated agents and callers: agents code each call after a talk and
// wrap-up time (sales, no interest, callbacks two hours later, do-not-call
// requests), record some calls on demand and take one break; known customers
// call in every few minutes; the service desk sweeps its SLA clocks. Seeded:
// the same seed gives the same shift.
import type { AgentId } from '@switchboard/core'
import { Rng } from '@switchboard/telephony/simulated'
import { type Center, SERVICE_NUMBER } from './center.ts'

export interface SimulationOptions {
  readonly seed: number
  /** The agents to drive (the human seat is left alone). */
  readonly agents: ReadonlyArray<AgentId>
  /** How long the shift lasts, in virtual seconds (breaks and inbound calls fall inside it). */
  readonly shiftSec: number
  /** Seconds between inbound calls (default 240; 0: none). */
  readonly inboundEverySec?: number
}

export interface Simulation {
  /** Background failures (a refused disposition, a failed pause): a sound shift has none. */
  readonly failures: unknown[]
  /** Stops reacting to events (timers already set still fire). */
  stop(): void
}

export function simulate(center: Center, o: SimulationOptions): Simulation {
  const { t, runtime, clock, telephony } = center
  const rng = new Rng(o.seed)
  const mine = new Set<string>(o.agents)
  const failures: unknown[] = []
  const fail = (e: unknown) => void failures.push(e)
  const direction = new Map<string, 'inbound' | 'outbound'>()
  let stopped = false
  const offs = [
    runtime.on('call.offered', (p) => {
      if (mine.has(p.agentId)) direction.set(p.callId, p.direction)
    }),
    // about one call in four is recorded on demand (the campaign's policy)
    runtime.on('call.connected', (e) => {
      if (stopped || !mine.has(e.agentId) || direction.get(e.callId) !== 'outbound' || rng.next() >= 0.25)
        return
      void runtime.startRecording(t.tenantId, e.agentId).catch(fail)
    }),
    runtime.on('call.ended', (e) => {
      if (stopped || !e.agentId || !e.wrapUntil || !mine.has(e.agentId)) return
      const agentId = e.agentId
      const inbound = direction.get(e.callId) === 'inbound'
      direction.delete(e.callId)
      const r = rng.next()
      const code = inbound
        ? 'SERVICE'
        : r < 0.2
          ? 'SALE'
          : r < 0.8
            ? 'NO_INTEREST'
            : r < 0.93
              ? 'CALLBACK'
              : 'DNC'
      const amountMinor = 1000 + Math.floor(rng.next() * 9000)
      clock.setTimeout(
        () => {
          void runtime
            .dispose(
              t.tenantId,
              agentId,
              {
                code,
                ...(code === 'SALE' ? { outcomeValue: { amountMinor, currency: 'USD' } } : {}),
                ...(code === 'CALLBACK'
                  ? {
                      callback: { dueAt: new Date(clock.now() + 2 * 3600_000), ifAgentAway: 'wait' as const },
                    }
                  : {}),
              },
              { callId: e.callId },
            )
            .catch(fail)
        },
        (5 + rng.next() * 40) * 1000,
      )
    }),
  ]
  // one ten-minute break per agent, at a seeded time, once it is free
  for (const agentId of o.agents) {
    const tryPause = () => {
      if (stopped) return
      void t.sessions
        .pause(agentId, 'break')
        .then(() => clock.setTimeout(() => void t.sessions.ready(agentId).catch(fail), 600_000))
        .catch(() => clock.setTimeout(tryPause, 20_000))
    }
    clock.setTimeout(tryPause, (0.1 + rng.next() * 0.7) * o.shiftSec * 1000)
  }
  // known customers call in
  const every = o.inboundEverySec ?? 240
  if (every > 0)
    for (let k = 1; k * every < o.shiftSec; k++)
      clock.setTimeout(
        () => {
          if (stopped) return
          const caller = center.contacts[Math.floor(rng.next() * center.contacts.length)]!
          telephony.placeInboundCall({
            from: caller.phones[0]!.e164,
            to: SERVICE_NUMBER,
            patienceSec: 60,
            talkSec: 30 + Math.floor(rng.next() * 60),
          })
        },
        k * every * 1000,
      )
  // the service desk escalates cases past their SLA every quarter of an hour
  const sweep = () => {
    if (stopped) return
    void t.desk.sweep().catch(fail)
    clock.setTimeout(sweep, 900_000)
  }
  clock.setTimeout(sweep, 900_000)
  return {
    failures,
    stop() {
      stopped = true
      for (const off of offs) off()
    },
  }
}
