import { Context } from 'effect'
import { type ConsentPurposeInput, DEFAULT_PURPOSES } from '../domain/purpose.js'

/** Instance-wide settings the services read (from `createSwitchboard` options). */
export interface InstanceSettings {
  /** Purposes every tenant has declared from the start (a tenant may add its own). */
  readonly purposes: ReadonlyArray<ConsentPurposeInput>
  /** How far in the future a capture time may lie (clock skew between machines), in seconds. */
  readonly maxClockSkewSec: number
}

export class Settings extends Context.Service<Settings, InstanceSettings>()('@switchboard/core/Settings') {}

export const defaultSettings: InstanceSettings = { purposes: DEFAULT_PURPOSES, maxClockSkewSec: 300 }
