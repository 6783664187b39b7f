/**
 * `@switchboard/core/domain`: the isomorphic part of core. Zod schemas and
 * their types, branded ids, the one vocabulary of every package (regimes,
 * dial modes, agent states, dial outcomes, disposition categories, refusal
 * codes, durations in seconds), typed errors and the pure consent decision.
 * No Node built-ins: a browser bundle can import it (checked by a bundle test).
 */

// The call-script runner is pure (zod, templates, no storage): a browser agent desktop walks scripts with it.
export * from '../scripts/index.js'
export * from './agent.js'
export * from './agent-session.js'
export * from './callback.js'
export * from './campaign.js'
export * from './case.js'
export * from './common.js'
export * from './consent.js'
export * from './consent-audit.js'
export * from './consent-decision.js'
export * from './contact.js'
export * from './dialing.js'
export * from './disposition.js'
export * from './dnc-registry.js'
export * from './email.js'
export * from './errors.js'
export * from './ids.js'
export * from './interaction.js'
export * from './purpose.js'
export * from './recording.js'
export * from './refusal.js'
export * from './regime.js'
export * from './rule.js'
export * from './segment.js'
export * from './text.js'
export * from './time.js'
