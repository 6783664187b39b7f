// Helpers for the screen-pop and click-to-call tests: ring the simulated
// network's inbound side, and record every telephony event in order.
import type { CallOffered } from '@switchboard/campaigns'
import type { TelephonyEvent } from '@switchboard/core'
import type { World } from './harness.ts'

/** The number customers dial (the contact center's own). */
export const SERVICE_NUMBER = '+12125550100'

/** Every `call.offered` the runtime emits from now on. */
export function offers(w: World): CallOffered[] {
  const seen: CallOffered[] = []
  w.runtime.on('call.offered', (e) => seen.push(e))
  return seen
}

/** Every telephony event from now on, in the order the network emitted them. */
export function telephonyLog(w: World): TelephonyEvent[] {
  const seen: TelephonyEvent[] = []
  w.tel.onEvent((e) => seen.push(e))
  return seen
}

/**
 * A customer calls in (from `from`, or withheld), then virtual time runs for
 * `waitSec`. Returns the call id, when it arrived (epoch ms) and the screen
 * pops for that call.
 */
export async function ringIn(
  w: World,
  seen: CallOffered[],
  call: { readonly from: string; readonly withheld?: boolean; readonly talkSec?: number },
  waitSec = 3,
): Promise<{ callId: string; arrivedAt: number; pops: CallOffered[] }> {
  const arrivedAt = w.clock.now()
  const callId = w.tel.placeInboundCall({
    from: call.from,
    to: SERVICE_NUMBER,
    talkSec: call.talkSec ?? 20,
    patienceSec: 30,
    ...(call.withheld ? { withheld: true } : {}),
  })
  await w.advance(waitSec)
  return { callId, arrivedAt, pops: seen.filter((p) => p.callId === callId) }
}

/** Index of the first event matching `pred` (-1 when none). */
export function indexOf(events: ReadonlyArray<TelephonyEvent>, pred: (e: TelephonyEvent) => boolean): number {
  return events.findIndex(pred)
}
