import { Context } from 'effect'
import type { z } from 'zod'
import type { DispositionCategory, DispositionCode } from '../domain/disposition.js'
import { type ConsentPurposeInput, DEFAULT_PURPOSES } from '../domain/purpose.js'
import type { PluginSegmentField } from '../plugins/storage.js'
import type { PluginRuleActionDefinition, RuleHandler } from '../rules/types.js'

/** Instance-wide settings the services read (from `createSwitchboard` options and the plugins). */
export interface InstanceSettings {
  /** Purposes every tenant has declared from the start (a tenant may add its own). */
  readonly purposes: ReadonlyArray<ConsentPurposeInput>
  /** How far in the future a capture time may lie (clock skew between machines), in seconds. */
  readonly maxClockSkewSec: number
  /** Segment fields the plugins declared, by name. */
  readonly segmentFields: ReadonlyMap<string, PluginSegmentField>
  /** Disposition code -> category, from the plugins' disposition codes. */
  readonly dispositionCategories: ReadonlyMap<string, DispositionCategory>
  /** The plugins' disposition codes, by code. */
  readonly dispositionCodes: ReadonlyMap<
    string,
    Pick<DispositionCode, 'code' | 'label' | 'category' | 'flags'>
  >
  /** Payload schemas of the events plugins declared (recorded with `events.record`). */
  readonly eventSchemas: ReadonlyMap<string, z.ZodType>
  /** Rule actions the plugins added. */
  readonly ruleActions: ReadonlyMap<string, PluginRuleActionDefinition>
  /** Host handlers rules may call (through the outbox). */
  readonly ruleHandlers: ReadonlyMap<string, RuleHandler>
  /** This instance's name in the event log (`StoredEvent.origin`). */
  readonly origin: string
}

export class Settings extends Context.Service<Settings, InstanceSettings>()('@switchboard/core/Settings') {}

export const defaultSettings: InstanceSettings = {
  purposes: DEFAULT_PURPOSES,
  maxClockSkewSec: 300,
  segmentFields: new Map(),
  dispositionCategories: new Map(),
  dispositionCodes: new Map(),
  eventSchemas: new Map(),
  ruleActions: new Map(),
  ruleHandlers: new Map(),
  origin: 'switchboard',
}
