import {
  type AnsweredCall,
  CallCancelled,
  type CallId,
  type ClickToCallRequest,
  type ClickToCallResult,
  type HangupCause,
  type OriginateRequest,
  type TransferRequest,
} from '@switchboard/core'
import type { CallLedger } from './ledger.js'

/** The leg operations agent-first click-to-call is built from. */
export interface LegOperations {
  originate(request: OriginateRequest): Promise<AnsweredCall>
  hangup(callId: CallId, cause?: HangupCause): Promise<void>
  bridge(a: CallId, b: CallId): Promise<void>
}

/**
 * Agent-first click-to-call, the same on every backend: ring the agent, then
 * the customer, then bridge them. A failed customer leg hangs the agent up; an
 * agent who hung up meanwhile leaves the customer leg abandoned.
 */
export async function agentFirstClickToCall(
  legs: LegOperations,
  isLive: (callId: CallId) => boolean,
  request: ClickToCallRequest,
): Promise<ClickToCallResult> {
  const agent = await legs.originate({
    target: { type: 'agent', agentId: request.agentId },
    role: 'agent',
    ...(request.agentCallId !== undefined ? { callId: request.agentCallId } : {}),
    ...(request.agentRingTimeoutSec !== undefined ? { ringTimeoutSec: request.agentRingTimeoutSec } : {}),
    ...(request.metadata ? { metadata: request.metadata } : {}),
  })
  let customer: AnsweredCall
  try {
    customer = await legs.originate({
      target: request.customer,
      role: 'customer',
      ...(request.callerId !== undefined ? { callerId: request.callerId } : {}),
      ...(request.customerCallId !== undefined ? { callId: request.customerCallId } : {}),
      ...(request.customerRingTimeoutSec !== undefined
        ? { ringTimeoutSec: request.customerRingTimeoutSec }
        : {}),
      ...(request.metadata ? { metadata: request.metadata } : {}),
    })
  } catch (err) {
    await legs.hangup(agent.callId, 'normal')
    throw err
  }
  if (!isLive(agent.callId)) {
    await legs.hangup(customer.callId, 'abandoned')
    throw new CallCancelled({ callId: agent.callId })
  }
  await legs.bridge(agent.callId, customer.callId)
  return { agentCallId: agent.callId, customerCallId: customer.callId, answeredBy: customer.answeredBy }
}

/**
 * The second half of a blind transfer, the same on every backend (each first
 * releases the leg `callId` was bridged to in its own way): call the target,
 * and bridge it to `callId` unless that party hung up meanwhile.
 */
export async function connectBlindTransfer(
  legs: LegOperations,
  ledger: Pick<CallLedger, 'has' | 'event'>,
  callId: CallId,
  request: Extract<TransferRequest, { type: 'blind' }>,
): Promise<void> {
  const next = await legs.originate({
    target: request.target,
    ...(request.callId !== undefined ? { callId: request.callId } : {}),
    ...(request.ringTimeoutSec !== undefined ? { ringTimeoutSec: request.ringTimeoutSec } : {}),
  })
  if (!ledger.has(callId)) {
    await legs.hangup(next.callId, 'normal')
    return
  }
  await legs.bridge(callId, next.callId)
  ledger.event(callId, { type: 'transferred', kind: 'blind', toCallId: next.callId, target: request.target })
}
