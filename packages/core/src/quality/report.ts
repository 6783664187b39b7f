import type { Contact } from '../domain/contact.js'

export interface QualityReport {
  readonly contacts: number
  readonly withPhone: number
  readonly withEmail: number
  /** Neither a phone nor an e-mail: nobody can reach them. */
  readonly unreachable: number
  readonly phoneTypes: Record<string, number>
  readonly countries: Record<string, number>
  /** Where each contact's time zone came from ('none': calling windows use every zone of the country). */
  readonly timeZoneSources: Record<string, number>
  readonly lifecycle: Record<string, number>
}

const bump = (o: Record<string, number>, k: string) => {
  o[k] = (o[k] ?? 0) + 1
}

/** Counts what a list of contacts holds, for the data-quality report. */
export function qualityReport(contacts: Iterable<Contact>): QualityReport {
  let n = 0
  let withPhone = 0
  let withEmail = 0
  let unreachable = 0
  const phoneTypes: Record<string, number> = {}
  const countries: Record<string, number> = {}
  const timeZoneSources: Record<string, number> = {}
  const lifecycle: Record<string, number> = {}
  for (const c of contacts) {
    n++
    if (c.phones.length) withPhone++
    if (c.emails.length) withEmail++
    if (!c.phones.length && !c.emails.length) unreachable++
    for (const p of c.phones) {
      bump(phoneTypes, p.type)
      bump(countries, p.country ?? 'unknown')
    }
    bump(timeZoneSources, c.timeZoneSource ?? 'none')
    bump(lifecycle, c.lifecycle)
  }
  return { contacts: n, withPhone, withEmail, unreachable, phoneTypes, countries, timeZoneSources, lifecycle }
}
