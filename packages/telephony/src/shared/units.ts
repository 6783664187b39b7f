/**
 * The one place where units are converted. The telephony contract speaks seconds (durations) and epoch
 * milliseconds (instants); timers (`Clock.setTimeout`, the platform's `setTimeout`) take milliseconds.
 */

/** A duration in seconds as a timer delay in milliseconds (whole, not negative). */
export const secToMs = (sec: number): number => Math.max(0, Math.round(sec * 1_000))

/** A duration in milliseconds as seconds. */
export const msToSec = (ms: number): number => ms / 1_000

/** Seconds elapsed between two instants (epoch ms); never negative. */
export const elapsedSec = (fromMs: number, toMs: number): number => msToSec(Math.max(0, toMs - fromMs))
