// Quickstart: a SQLite-backed Switchboard in a file, a messy CSV imported,
// its data-quality report, a screen pop and a consent decision.
import { rmSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { type Contact, createSwitchboard, type ImportProgress } from '@switchboard/core'
import { summarizeRejections } from '@switchboard/core/import'
import { qualityReport } from '@switchboard/core/quality'
import { sqliteStorage } from '@switchboard/storage-sqlite'
import { progressBar } from './progress.ts'

const here = (f: string) => fileURLToPath(new URL(`../${f}`, import.meta.url))
const dbFile = here('quickstart.db')
for (const suffix of ['', '-wal', '-shm']) rmSync(dbFile + suffix, { force: true })

const sb = await createSwitchboard({ storage: sqliteStorage({ file: dbFile }) })
const acme = sb.tenant('acme')

const mapping = {
  externalRef: 'customer_id',
  firstName: 'first_name',
  lastName: 'last_name',
  phones: 'phone',
  emails: 'email',
  address: { country: 'country', region: 'state' },
  openBalance: 'open_balance',
  lifecycle: 'stage',
}

const bar = progressBar('import')
let last: ImportProgress | undefined
const result = await acme.contacts.import(here('contacts.csv'), {
  mapping,
  defaultCountry: 'US',
  onProgress: (p) => {
    last = p
    bar.update(p)
  },
})
bar.done(last!)

console.log(`\n== Import of contacts.csv (${result.ms.toFixed(0)} ms)`)
console.log(`rows read        ${result.rows}`)
console.log(`imported         ${result.imported}`)
console.log(`duplicates       ${result.duplicates.length} (skipped; each points at the contact it matched)`)
console.log(`rejected         ${result.rejected.length}`)

console.log('\n== Rejected rows by reason')
for (const g of summarizeRejections(result.rejected)) {
  const lines = g.lines.slice(0, 6).join(', ') + (g.lines.length > 6 ? ', ...' : '')
  console.log(
    `${String(g.count).padStart(5)}  ${g.reason}  (${g.column ? `column ${g.column}, ` : ''}e.g. ${JSON.stringify(g.example)}; lines ${lines})`,
  )
}

const dup = result.duplicates[0]
if (dup) {
  console.log(`\n== Why line ${dup.line} is a duplicate of ${dup.duplicateOf} (score ${dup.score})`)
  for (const e of dup.evidence) console.log(`  +${e.weight.toFixed(2)}  ${e.field} ${e.how}: ${e.detail}`)
}

const contacts: Contact[] = []
for (let page = await acme.contacts.list({ limit: 1000 }); page.length; ) {
  contacts.push(...page)
  page = await acme.contacts.list({ limit: 1000, after: page.at(-1)!.id })
}
const q = qualityReport(contacts)
console.log('\n== Data quality of the stored contacts')
console.log(
  `contacts ${q.contacts}, with phone ${q.withPhone}, with e-mail ${q.withEmail}, unreachable ${q.unreachable}`,
)
console.log('phone types     ', q.phoneTypes)
console.log('phone countries ', q.countries)
console.log('time zone from  ', q.timeZoneSources)
console.log('lifecycle       ', q.lifecycle)

const again = await acme.contacts.import(here('contacts.csv'), { mapping, defaultCountry: 'US' })
console.log(
  `\n== Same file imported again: ${again.imported} new, ${again.duplicates.length} recognised as existing`,
)

// Screen pop: an inbound call from a number typed differently than in the CSV.
const someone = contacts.find((c) => c.phones[0]?.country === 'US')!
const pop = await acme.contacts.screenPop(someone.phones[0]!.e164.replace('+1', ''), 'US')
console.log(
  `\n== Screen pop for ${someone.phones[0]!.e164}: ${pop.status}${pop.status === 'identified' ? ` -> ${pop.contact.displayName} (${pop.contact.timeZone})` : ''}`,
)

// Consent: may we call this person for marketing now, and at 22:30 their time?
await acme.consent.record({
  contactId: someone.id,
  channel: 'voice',
  purpose: 'marketing',
  status: 'opted_out',
  source: 'agent call',
  evidence: 'call recording 00:02:14',
})
const decision = await acme.consent.canContact(someone.id, { channel: 'voice', purpose: 'marketing' })
console.log(`\n== May we call ${someone.displayName} for marketing now? ${decision.allowed ? 'yes' : 'no'}`)
for (const r of decision.reasons) console.log(`  - ${r.code}: ${r.message}`)
const service = await acme.consent.canContact(someone.id, {
  channel: 'voice',
  purpose: 'service',
  at: new Date('2026-03-12T05:30:00Z'),
})
console.log(`== And for service at ${service.localTimes.join(', ')}? ${service.allowed ? 'yes' : 'no'}`)
for (const r of service.reasons) console.log(`  - ${r.code}: ${r.message}`)

await sb.close()
