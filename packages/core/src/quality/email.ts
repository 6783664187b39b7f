export type EmailCheck =
  | { readonly ok: true; readonly address: string }
  | { readonly ok: false; readonly message: string }

// Pragmatic syntax check: an RFC 5322 dot-atom local part (with RFC 6531's
// Unicode letters), a dotted domain whose last label is letters.
const ATOM = "[\\p{L}\\p{N}!#$%&'*+/=?^_`{|}~-]+"
const LABEL = '[\\p{L}\\p{N}]([\\p{L}\\p{N}-]{0,61}[\\p{L}\\p{N}])?'
const EMAIL = new RegExp(`^${ATOM}(\\.${ATOM})*@(${LABEL}\\.)+\\p{L}{2,63}$`, 'u')

/** Lower-cases and checks an e-mail address; explains what is wrong. */
export function normalizeEmail(raw: string): EmailCheck {
  const address = raw.trim().toLowerCase()
  if (!address) return { ok: false, message: 'e-mail is empty' }
  if (!address.includes('@')) return { ok: false, message: 'e-mail has no @' }
  if (address.length > 254) return { ok: false, message: 'e-mail is longer than 254 characters' }
  if (!EMAIL.test(address)) return { ok: false, message: 'e-mail is not of the form name@domain.tld' }
  return { ok: true, address }
}
