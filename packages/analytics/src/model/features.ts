import type { Contact, DispositionCategory, Interaction } from '@switchboard/core'

/** Which of the contact's own fields feed the model, besides its history. */
export interface FeatureOptions {
  /** Custom attributes (numbers, or booleans as 1/0; missing or other values: 0). */
  readonly attributes?: ReadonlyArray<string>
  /** Tags, each a 1/0 feature. */
  readonly tags?: ReadonlyArray<string>
}

const CONNECT: ReadonlySet<DispositionCategory> = new Set(['contact_no_sale', 'callback', 'sale'])
const UNANSWERED: ReadonlySet<DispositionCategory> = new Set([
  'no_answer',
  'busy',
  'machine',
  'abandoned',
  'failed',
])
/** How far back "days since the last interaction" looks (older counts as this). */
const MAX_DAYS = 365

/** History features, the same for every instance: built from interactions and their dispositions. */
const HISTORY = [
  'log(1 + interactions)',
  'connects',
  'callbacks asked',
  'unanswered attempts',
  'inbound interactions',
  'log(1 + talk minutes)',
  'days since last interaction',
  'never contacted',
  'has email',
] as const

/** The model's feature names, in the order `leadFeatures` returns values. */
export const featureNames = (o: FeatureOptions): string[] => [
  ...(o.attributes ?? []).map((a) => `attributes.${a}`),
  ...(o.tags ?? []).map((t) => `tag ${t}`),
  ...HISTORY,
]

/**
 * One lead's feature values: its attributes and tags as they are, and what
 * its interactions (those given: the caller decides the cut-off) and their
 * dispositions say about it at `now`.
 */
export function leadFeatures(
  o: FeatureOptions,
  contact: Contact,
  interactions: ReadonlyArray<Interaction>,
  categoryOf: (code: string) => DispositionCategory | undefined,
  now: Date,
): number[] {
  const attrs = (o.attributes ?? []).map((a) => {
    const v = contact.attributes[a]
    return typeof v === 'number' ? v : v === true ? 1 : 0
  })
  const tags = (o.tags ?? []).map((t) => (contact.tags.includes(t) ? 1 : 0))
  let connects = 0
  let callbacks = 0
  let unanswered = 0
  let inbound = 0
  let talkSec = 0
  let last = Number.NEGATIVE_INFINITY
  for (const i of interactions) {
    const category = i.disposition ? categoryOf(i.disposition) : undefined
    if (category && CONNECT.has(category)) connects++
    if (category === 'callback') callbacks++
    if (category && UNANSWERED.has(category)) unanswered++
    if (i.direction === 'inbound') inbound++
    talkSec += i.durations.talkSec
    last = Math.max(last, i.startedAt.getTime())
  }
  const days = Number.isFinite(last)
    ? Math.min(MAX_DAYS, Math.max(0, (now.getTime() - last) / 86_400_000))
    : MAX_DAYS
  return [
    ...attrs,
    ...tags,
    Math.log1p(interactions.length),
    connects,
    callbacks,
    unanswered,
    inbound,
    Math.log1p(talkSec / 60),
    days,
    interactions.length ? 0 : 1,
    contact.emails.length ? 1 : 0,
  ]
}

/** A decided lead: it bought (1) or said no (0), at the first interaction that decided it. */
export interface Outcome {
  readonly label: 0 | 1
  readonly at: Date
}

const NO: ReadonlySet<DispositionCategory> = new Set(['contact_no_sale', 'do_not_call'])

/**
 * The outcome the model learns: the first interaction coded with a sale
 * category (1) or a refusal (`contact_no_sale`, `do_not_call`: 0). Undecided
 * leads (no such interaction yet) have none.
 */
export function outcomeOf(
  interactions: ReadonlyArray<Interaction>,
  categoryOf: (code: string) => DispositionCategory | undefined,
): Outcome | undefined {
  let first: Outcome | undefined
  for (const i of interactions) {
    const c = i.disposition ? categoryOf(i.disposition) : undefined
    const label = c === 'sale' ? 1 : c && NO.has(c) ? 0 : undefined
    if (label === undefined) continue
    if (!first || i.startedAt < first.at) first = { label, at: i.startedAt }
  }
  return first
}
