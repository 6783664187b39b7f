/** Small SIP helpers: user parts of URIs and headers, caller identification. */

/** The user part of a SIP URI or name-addr header (`"Bob" <sip:+331@x>;tag=1` → `+331`). */
export const userOf = (value: string | undefined): string | undefined => {
  if (!value) return undefined
  const m = /<?(?:sips?|tel):([^@;>]+)/i.exec(value)
  return m?.[1] ? decodeURIComponent(m[1]) : undefined
}

/** The URI inside a name-addr (`"Bob" <sip:b@x>;tag=1` → `sip:b@x`). */
export const uriOf = (value: string): string => {
  const m = /<([^>]+)>/.exec(value)
  return (m?.[1] ?? value.split(';')[0] ?? value).trim()
}

export const tagOf = (value: string | undefined): string | undefined =>
  value ? /;\s*tag=([^;>\s]+)/i.exec(value)?.[1] : undefined

export interface CallerIdentity {
  readonly from: string
  readonly fromHeader: string
  readonly pAssertedIdentity?: string
  readonly withheld: boolean
}

/** Caller number: P-Asserted-Identity when present, otherwise From; withheld on Privacy: id or anonymous. */
export const callerOf = (headers: { get(name: string): string | undefined }): CallerIdentity => {
  const fromHeader = userOf(headers.get('from')) ?? 'anonymous'
  const pai = userOf(headers.get('p-asserted-identity'))
  const privacy = (headers.get('privacy') ?? '').toLowerCase()
  const withheld = /\b(id|user|header)\b/.test(privacy) || /^anonymous$/i.test(fromHeader)
  return {
    from: withheld ? 'anonymous' : (pai ?? fromHeader),
    fromHeader: withheld ? 'anonymous' : fromHeader,
    withheld,
    ...(pai !== undefined && !withheld ? { pAssertedIdentity: pai } : {}),
  }
}

/** SIP INFO body for one DTMF digit (application/dtmf-relay; its Duration is in milliseconds on the wire). */
export const dtmfInfoBody = (digit: string, durationMs = 160): string =>
  `Signal=${digit}\r\nDuration=${durationMs}\r\n`

export const digitFromInfo = (
  contentType: string | undefined,
  body: string | undefined,
): string | undefined => {
  if (!body) return undefined
  if (/dtmf-relay/i.test(contentType ?? '')) return /Signal\s*=\s*([0-9*#A-D])/i.exec(body)?.[1]
  if (/application\/dtmf/i.test(contentType ?? '')) return /^\s*([0-9*#A-D])/i.exec(body)?.[1]
  return undefined
}
