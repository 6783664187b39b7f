import type { ContactId, Refusal } from '@switchboard/core'

/** A click-to-call the checks refused: every reason, so the agent sees all of them at once. */
export class ClickToCallRefused extends Error {
  readonly _tag = 'ClickToCallRefused'
  constructor(
    readonly contactId: ContactId,
    readonly reasons: ReadonlyArray<Refusal>,
  ) {
    super(
      `click-to-call to ${contactId} refused: ${reasons.map((r) => `${r.code} (${r.message})`).join('; ')}`,
    )
  }
}
