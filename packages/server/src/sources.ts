import type { CampaignRuntime } from '@switchboard/campaigns'
import type { Recording, Switchboard } from '@switchboard/core'
import type { CallTracker } from './call-tracker.js'
import type { Journals } from './journal.js'

/**
 * Feeds the journals (and the call tracker) from the runtime's and core's
 * in-process events. Returns the function that unsubscribes all of them.
 */
export function wireSources(
  sb: Switchboard,
  runtime: CampaignRuntime,
  journals: Journals,
  calls: CallTracker,
  /** The instance's clock (a simulation's virtual one): the runtime's `call.ended` carries no time. */
  now: () => number,
): () => void {
  const offs: Array<() => void> = []
  const add = (tenant: string, type: string, data: unknown, agentId?: string): void => {
    journals.of(tenant).append(type, data, agentId)
  }

  const recording = (tenant: string, type: string, r: Recording, on: boolean) => {
    const c = calls.find(tenant, {
      ...(r.callId ? { callId: r.callId } : {}),
      interactionId: r.interactionId,
    })
    if (c) c.recording = on
    add(tenant, type, { recording: r }, r.agentId ?? c?.agentId)
  }

  offs.push(
    runtime.on('call.offered', (e) => {
      calls.offered(e)
      add(e.tenantId, 'call.offered', e, e.agentId)
    }),
    runtime.on('call.connected', (e) => {
      const c = calls.get(e.tenantId, e.callId)
      if (c) c.connected = true
      add(e.tenantId, 'call.connected', e, e.agentId)
    }),
    runtime.on('call.ended', (e) => {
      const c = calls.get(e.tenantId, e.callId)
      const endedAt = new Date(now())
      if (c) {
        c.endedAt = endedAt
        if (e.wrapUntil) c.wrapUntil = e.wrapUntil
        c.recording = false
      }
      // `endedAt` (the instance's clock) added: the runtime's event carries no time
      add(e.tenantId, 'call.ended', { ...e, endedAt }, e.agentId)
    }),
    runtime.on('dial.refused', (e) => add(e.tenantId, 'dial.refused', e)),
    sb.on('agent.state_changed', (e) => {
      const { tenantId: _t, sessionId: _s, seq: _q, ...change } = e.change
      calls.stateChanged(e.tenantId, change.agentId, change.to, change.callId)
      add(e.tenantId, 'agent.state_changed', change, e.change.agentId)
    }),
    sb.on('interaction.disposed', (e) => calls.disposed(e.tenantId, e.interaction.id)),
    sb.on('case.escalated', (e) => add(e.tenantId, 'case.escalated', { case: e.case, reason: e.reason })),
    sb.on('consent.changed', (e) =>
      add(e.tenantId, 'consent.changed', { record: e.record, suppressedLeads: e.suppressedLeads }),
    ),
    sb.on('dnc.added', (e) =>
      add(e.tenantId, 'dnc.added', { entry: e.entry, suppressedLeads: e.suppressedLeads }),
    ),
    sb.on('leads.suppressed', (e) =>
      add(e.tenantId, 'leads.suppressed', {
        contactId: e.contactId,
        reason: e.reason,
        suppressed: e.suppressed,
      }),
    ),
    sb.on('callback.scheduled', (e) =>
      add(e.tenantId, 'callback.booked', { callback: e.callback }, e.callback.agentId),
    ),
    sb.on('recording.started', (e) => recording(e.tenantId, 'recording.started', e.recording, true)),
    sb.on('recording.stopped', (e) => recording(e.tenantId, 'recording.stopped', e.recording, false)),
  )
  return () => {
    for (const off of offs) off()
  }
}
