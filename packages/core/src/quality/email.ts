export type EmailCheck =
  | { readonly ok: true; readonly address: string }
  | { readonly ok: false; readonly message: string }

// Pragmatic syntax check (RFC 5322 dot-atom local part, a dotted domain with a letter TLD).
const EMAIL =
  /^[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*@([A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z]{2,63}$/

/** Lower-cases and checks an e-mail address; explains what is wrong. */
export function normalizeEmail(raw: string): EmailCheck {
  const address = raw.trim().toLowerCase()
  if (!address) return { ok: false, message: 'e-mail is empty' }
  if (!address.includes('@')) return { ok: false, message: 'e-mail has no @' }
  if (address.length > 254) return { ok: false, message: 'e-mail is longer than 254 characters' }
  if (!EMAIL.test(address)) return { ok: false, message: 'e-mail is not of the form name@domain.tld' }
  return { ok: true, address }
}
