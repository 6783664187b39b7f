import { z } from 'zod'

// The one e-mail rule of the project (the schema and the data-quality check
// share it): an RFC 5322 dot-atom local part with RFC 6531's Unicode letters,
// a dotted domain whose last label is letters, at most 254 characters, lower case.
const ATOM = "[\\p{L}\\p{N}!#$%&'*+/=?^_`{|}~-]+"
const LABEL = '[\\p{L}\\p{N}]([\\p{L}\\p{N}-]{0,61}[\\p{L}\\p{N}])?'
const EMAIL = new RegExp(`^${ATOM}(\\.${ATOM})*@(${LABEL}\\.)+\\p{L}{2,63}$`, 'u')

export type EmailCheck =
  | { readonly ok: true; readonly address: string }
  | { readonly ok: false; readonly message: string }

/** Trims and lower-cases an e-mail address and checks it; explains what is wrong. */
export function checkEmail(raw: string): EmailCheck {
  const address = raw.trim().toLowerCase()
  if (!address) return { ok: false, message: 'e-mail is empty' }
  if (!address.includes('@')) return { ok: false, message: 'e-mail has no @' }
  if (address.length > 254) return { ok: false, message: 'e-mail is longer than 254 characters' }
  if (!EMAIL.test(address)) return { ok: false, message: 'e-mail is not of the form name@domain.tld' }
  return { ok: true, address }
}

/** A normalised e-mail address (what `checkEmail` accepts and returns). */
export const EmailAddress = z.string().superRefine((s, ctx) => {
  const check = checkEmail(s)
  if (!check.ok) ctx.addIssue({ code: 'custom', message: check.message })
  else if (check.address !== s) ctx.addIssue({ code: 'custom', message: 'must be trimmed and lower case' })
})
