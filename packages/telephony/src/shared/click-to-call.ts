import {
  type AnsweredCall,
  CallCancelled,
  type CallId,
  type ClickToCallRequest,
  type ClickToCallResult,
  type HangupCause,
  type OriginateRequest,
} from '@switchboard/core'

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
    ...(request.agentRingTimeoutMs !== undefined ? { ringTimeoutMs: request.agentRingTimeoutMs } : {}),
    ...(request.metadata ? { metadata: request.metadata } : {}),
  })
  let customer: AnsweredCall
  try {
    customer = await legs.originate({
      target: request.customer,
      role: 'customer',
      ...(request.callerId !== undefined ? { callerId: request.callerId } : {}),
      ...(request.customerCallId !== undefined ? { callId: request.customerCallId } : {}),
      ...(request.customerRingTimeoutMs !== undefined
        ? { ringTimeoutMs: request.customerRingTimeoutMs }
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
