// Deterministic synthetic contacts for the benchmarks: row i is always the
// same person, so the pipeline and the raw baseline insert the same rows.
import { normalizePhone } from '@switchboard/core/quality'

const FIRST = [
  'James',
  'Mary',
  'John',
  'Patricia',
  'Robert',
  'Jennifer',
  'Michael',
  'Linda',
  'Carlos',
  'Lucía',
  'Wei',
  'Aisha',
]
const LAST = [
  'Smith',
  'Johnson',
  'Garcia',
  'Miller',
  'Davis',
  'Martinez',
  'López',
  'Taylor',
  'Nguyen',
  'Chen',
  "O'Brien",
]
const AREAS = [
  ['212', 'NY'],
  ['415', 'CA'],
  ['312', 'IL'],
  ['713', 'TX'],
  ['305', 'FL'],
  ['206', 'WA'],
  ['303', 'CO'],
  ['602', 'AZ'],
  ['404', 'GA'],
  ['617', 'MA'],
] as const

export interface Row {
  id: string
  first: string
  last: string
  phone: string
  e164: string
  email: string
  state: string
  balance: string
}

// Exchanges (NXX) that libphonenumber's full metadata accepts, per area code.
const EXCHANGES = AREAS.map(([area]) => {
  const ok: number[] = []
  for (let x = 200; x < 1000; x++) if (normalizePhone(`+1${area}${x}4567`).ok) ok.push(x)
  return ok
})

/** Row i (0-based). Every 50th row repeats an earlier person with a typo (a duplicate to find). */
export function row(i: number): Row {
  const dup = i % 50 === 49
  const j = dup ? i - 17 : i
  const [area, state] = AREAS[j % AREAS.length]!
  const exchanges = EXCHANGES[j % AREAS.length]!
  const k = Math.floor(j / AREAS.length)
  const exchange = exchanges[Math.floor(k / 10000) % exchanges.length]!
  const line = String(k % 10000).padStart(4, '0')
  const first = FIRST[j % FIRST.length]!
  const last0 = LAST[(j >> 3) % LAST.length]!
  const last = dup ? `${last0.slice(0, 2)}${last0[3] ?? ''}${last0[2]}${last0.slice(4)}` : last0
  return {
    id: `C${i}`,
    first,
    last,
    phone: `(${area}) ${exchange}-${line}`,
    e164: `+1${area}${exchange}${line}`,
    email: `${first}.${j}@example.com`.toLowerCase(),
    state,
    balance: j % 3 === 0 ? `${(j % 5000) + 0.5}` : '',
  }
}

export const header = 'customer_id,first_name,last_name,phone,email,country,state,open_balance'

export const csvLine = (r: Row) =>
  [r.id, r.first, r.last, r.phone, r.email, 'US', r.state, r.balance].join(',')

export const mapping = {
  externalRef: 'customer_id',
  firstName: 'first_name',
  lastName: 'last_name',
  phones: 'phone',
  emails: 'email',
  address: { country: 'country', region: 'state' },
  openBalance: 'open_balance',
}
