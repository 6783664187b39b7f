import type { Contact } from '../domain/contact.js'
import { foldName, jaroWinkler } from './name.js'

export interface MatchEvidence {
  readonly field: 'externalRef' | 'phone' | 'email' | 'name' | 'company' | 'postalCode'
  readonly how: 'exact' | 'similar'
  readonly detail: string
  readonly weight: number
}

export interface DuplicateScore {
  readonly score: number
  readonly verdict: 'duplicate' | 'possible' | 'distinct'
  readonly evidence: MatchEvidence[]
}

/** Scores at or above this are treated as the same person; imports skip them. */
export const DUPLICATE_THRESHOLD = 0.8
/** Scores at or above this are worth a human look. */
export const POSSIBLE_THRESHOLD = 0.5

const fullName = (c: Contact) => foldName(`${c.firstName ?? ''}${c.lastName ?? ''}` || c.displayName)

/**
 * An explainable duplicate score: each shared or similar field adds a stated
 * weight, so a supervisor can see why two records were judged the same.
 * A shared phone alone is not enough (families and offices share numbers).
 */
export function scoreDuplicate(a: Contact, b: Contact): DuplicateScore {
  const evidence: MatchEvidence[] = []
  if (a.externalRef && a.externalRef === b.externalRef) {
    evidence.push({ field: 'externalRef', how: 'exact', detail: a.externalRef, weight: 1 })
  }
  const phone = a.phones.find((p) => b.phones.some((q) => q.e164 === p.e164))
  if (phone) evidence.push({ field: 'phone', how: 'exact', detail: phone.e164, weight: 0.5 })
  const email = a.emails.find((e) => b.emails.some((f) => f.address === e.address))
  if (email) evidence.push({ field: 'email', how: 'exact', detail: email.address, weight: 0.5 })
  const na = fullName(a)
  const nb = fullName(b)
  if (na && na === nb) evidence.push({ field: 'name', how: 'exact', detail: a.displayName, weight: 0.4 })
  else if (na && nb) {
    const sim = jaroWinkler(na, nb)
    if (sim >= 0.88) {
      evidence.push({
        field: 'name',
        how: 'similar',
        detail: `${a.displayName} ~ ${b.displayName} (${sim.toFixed(2)})`,
        weight: Math.round(0.4 * sim * 100) / 100,
      })
    }
  }
  if (a.company && b.company && foldName(a.company) === foldName(b.company)) {
    evidence.push({ field: 'company', how: 'exact', detail: a.company, weight: 0.1 })
  }
  if (a.address?.postalCode && a.address.postalCode === b.address?.postalCode) {
    evidence.push({ field: 'postalCode', how: 'exact', detail: a.address.postalCode, weight: 0.1 })
  }
  const score = Math.min(1, Math.round(evidence.reduce((s, e) => s + e.weight, 0) * 100) / 100)
  const verdict =
    score >= DUPLICATE_THRESHOLD ? 'duplicate' : score >= POSSIBLE_THRESHOLD ? 'possible' : 'distinct'
  return { score, verdict, evidence }
}

/** The best-scoring candidate that is not `contact` itself. */
export function bestMatch(
  contact: Contact,
  candidates: Iterable<Contact>,
): { candidate: Contact; score: DuplicateScore } | undefined {
  let best: { candidate: Contact; score: DuplicateScore } | undefined
  for (const candidate of candidates) {
    if (candidate.id === contact.id) continue
    const score = scoreDuplicate(contact, candidate)
    if (!best || score.score > best.score.score) best = { candidate, score }
  }
  return best
}
