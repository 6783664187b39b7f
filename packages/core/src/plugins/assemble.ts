import type { z } from 'zod'
import { type DispositionCategory, type DispositionCode, SYSTEM_DISPOSITIONS } from '../domain/disposition.js'
import { validationFailed } from '../domain/errors.js'
import { EventType } from '../domain/rule.js'
import type { RuleHandler } from '../rules/types.js'
import type { InstanceSettings } from '../services/config.js'
import { CORE_EVENTS } from '../services/event-log.js'
import type { FeaturePlugin } from './feature.js'
import { pluginTablePrefix } from './migration.js'
import type { PluginSegmentField } from './storage.js'

const IDENTIFIER = /^[a-z_][a-z0-9_]{0,62}$/
const HANDLER = /^[A-Za-z_][A-Za-z0-9_.-]{0,63}$/

const refuse = (field: string, value: unknown, message: string) => {
  throw validationFailed('plugins', [{ field, value, message }])
}

/**
 * What the plugins add to the instance's settings: segment fields,
 * disposition categories, event schemas and rule actions; with the host's
 * rule handlers. Each name is checked here, at assembly, so a mistake fails
 * `createSwitchboard` rather than a query later.
 */
export function pluginSettings(
  plugins: ReadonlyArray<FeaturePlugin>,
  handlers: { readonly [name: string]: RuleHandler },
): Pick<
  InstanceSettings,
  | 'segmentFields'
  | 'dispositionCategories'
  | 'dispositionCodes'
  | 'eventSchemas'
  | 'ruleActions'
  | 'ruleHandlers'
> {
  const segmentFields = new Map<string, PluginSegmentField>()
  const dispositionCodes = new Map<string, Pick<DispositionCode, 'code' | 'label' | 'category' | 'flags'>>()
  // The runner's own codes are known everywhere (segments, reports).
  const dispositionCategories = new Map<string, DispositionCategory>(
    SYSTEM_DISPOSITIONS.map((d) => [d.code, d.category]),
  )
  const eventSchemas = new Map<string, z.ZodType>()
  const ruleActions = new Map<
    string,
    InstanceSettings['ruleActions'] extends ReadonlyMap<string, infer D> ? D : never
  >()
  for (const p of plugins) {
    for (const f of p.segmentFields ?? []) {
      const at = `plugins[${p.id}].segmentFields`
      if (
        !f.name?.startsWith(`${p.id}.`) ||
        !/^[A-Za-z_][A-Za-z0-9_]{0,63}$/.test(f.name.slice(p.id.length + 1))
      )
        refuse(at, f.name, `must be named "${p.id}.<name>" (letters, digits, _)`)
      if (!f.table?.startsWith(pluginTablePrefix(p.id)) || !IDENTIFIER.test(f.table))
        refuse(at, f.table, `must be one of the plugin's tables (named ${pluginTablePrefix(p.id)}...)`)
      for (const col of [f.column, f.contactColumn ?? 'contact_id'])
        if (!IDENTIFIER.test(col)) refuse(at, col, 'must be a column name (lower case, digits, _)')
      if (!['string', 'number', 'boolean'].includes(f.type))
        refuse(at, f.type, 'must be string, number or boolean')
      if (segmentFields.has(f.name)) refuse(at, f.name, 'two plugins declare this field')
      segmentFields.set(f.name, f)
    }
    for (const d of p.dispositionCodes ?? []) {
      dispositionCategories.set(d.code, d.category)
      dispositionCodes.set(d.code, d)
    }
    for (const [type, schema] of Object.entries(p.events ?? {})) {
      const at = `plugins[${p.id}].events`
      if (!EventType.safeParse(type).success)
        refuse(at, type, 'must be an event type such as "payment.recorded"')
      if (CORE_EVENTS.has(type)) refuse(at, type, "is one of core's events")
      if (eventSchemas.has(type)) refuse(at, type, 'two plugins declare this event')
      eventSchemas.set(type, schema)
    }
    for (const [type, def] of Object.entries(p.ruleActions ?? {})) {
      const at = `plugins[${p.id}].ruleActions`
      if (!type.startsWith(`${p.id}.`)) refuse(at, type, `must be named "${p.id}.<name>"`)
      ruleActions.set(type, def)
    }
  }
  for (const name of Object.keys(handlers))
    if (!HANDLER.test(name) || typeof handlers[name] !== 'function')
      refuse('ruleHandlers', name, 'must be a function under a name of letters, digits, _ . -')
  return {
    segmentFields,
    dispositionCategories,
    dispositionCodes,
    eventSchemas,
    ruleActions,
    ruleHandlers: new Map(Object.entries(handlers)),
  }
}
