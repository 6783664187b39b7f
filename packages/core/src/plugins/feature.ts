import type { DispositionCode } from '../domain/disposition.js'
import type { EventMap } from '../events.js'
import type { PluginMigration } from './migration.js'

type Handler<K extends keyof EventMap> = (event: EventMap[K]) => void | Promise<void>

/**
 * A feature plugin (enrichment, payments, scoring, a channel) is a factory
 * returning one of these literals: what it needs, the event handlers,
 * disposition codes and migrations it contributes.
 */
export interface FeaturePlugin {
  readonly id: string
  /** Capabilities it needs from the instance; assembly fails with a clear error when missing. */
  readonly needs?: ReadonlyArray<'telephony' | 'storage.concurrentWriters' | 'storage.skipLocked'>
  readonly migrations?: ReadonlyArray<PluginMigration>
  readonly on?: { readonly [K in keyof EventMap]?: Handler<K> }
  readonly dispositionCodes?: ReadonlyArray<Pick<DispositionCode, 'code' | 'label' | 'category' | 'flags'>>
}

/** Identity helper that keeps the literal's types. */
export const definePlugin = <P extends FeaturePlugin>(plugin: P): P => plugin
