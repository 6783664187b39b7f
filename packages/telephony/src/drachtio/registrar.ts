import { createHash, randomBytes } from 'node:crypto'
import { uriOf, userOf } from './sip.js'
import type { SrfRequestLike, SrfResponseLike } from './srf-like.js'

const md5 = (s: string): string => createHash('md5').update(s).digest('hex')

export interface RegistrarOptions {
  readonly realm: string
  /** Agent id (digest username) → password. */
  readonly users: Readonly<Record<string, string>>
  /** Longest registration accepted (default 3 600 s). */
  readonly maxExpiresSec?: number
  readonly now?: () => number
}

/** Parses `Digest a="b", c=d` into a record. */
export const parseDigest = (header: string): Record<string, string> => {
  const out: Record<string, string> = {}
  for (const m of header.replace(/^\s*Digest\s+/i, '').matchAll(/(\w+)=(?:"([^"]*)"|([^,\s]*))/g)) {
    out[m[1]!.toLowerCase()] = m[2] ?? m[3] ?? ''
  }
  return out
}

/** The digest response a client computes (RFC 2617, qop=auth or none). */
export const digestResponse = (p: {
  username: string
  realm: string
  password: string
  method: string
  uri: string
  nonce: string
  nc?: string
  cnonce?: string
  qop?: string
}): string => {
  const ha1 = md5(`${p.username}:${p.realm}:${p.password}`)
  const ha2 = md5(`${p.method}:${p.uri}`)
  return p.qop
    ? md5(`${ha1}:${p.nonce}:${p.nc ?? ''}:${p.cnonce ?? ''}:${p.qop}:${ha2}`)
    : md5(`${ha1}:${p.nonce}:${ha2}`)
}

/** An in-memory SIP registrar with digest authentication: agents' softphones register their contact. */
export class Registrar {
  private readonly bindings = new Map<string, { contact: string; expiresAt: number }>()
  private readonly nonces = new Map<string, number>()
  private readonly now: () => number

  constructor(private readonly options: RegistrarOptions) {
    this.now = options.now ?? Date.now
  }

  /** The registered contact URI of an agent, if its registration is current. */
  lookup(agentId: string): string | undefined {
    const b = this.bindings.get(agentId)
    if (!b) return undefined
    if (b.expiresAt <= this.now()) {
      this.bindings.delete(agentId)
      return undefined
    }
    return b.contact
  }

  /** Agent whose registered contact matches a URI's user@host (to tag inbound calls from agents). */
  agentForUri(uri: string): string | undefined {
    const user = userOf(uri)
    return user !== undefined && this.options.users[user] !== undefined && this.lookup(user)
      ? user
      : undefined
  }

  handle(req: SrfRequestLike, res: SrfResponseLike): void {
    const auth = req.get('authorization')
    if (!auth) {
      this.challenge(res)
      return
    }
    const d = parseDigest(auth)
    const username = d.username ?? ''
    const password = this.options.users[username]
    const issued = d.nonce ? this.nonces.get(d.nonce) : undefined
    if (password === undefined || issued === undefined || d.realm !== this.options.realm) {
      this.challenge(res)
      return
    }
    const expected = digestResponse({
      username,
      realm: this.options.realm,
      password,
      method: req.method,
      uri: d.uri ?? req.uri,
      nonce: d.nonce ?? '',
      ...(d.nc !== undefined ? { nc: d.nc } : {}),
      ...(d.cnonce !== undefined ? { cnonce: d.cnonce } : {}),
      ...(d.qop !== undefined ? { qop: d.qop } : {}),
    })
    if (expected !== d.response) {
      res.send(403, 'Forbidden')
      return
    }
    const contactHeader = req.get('contact') ?? ''
    const expiresParam = /;\s*expires=(\d+)/i.exec(contactHeader)?.[1]
    const expires = Math.min(
      Number(expiresParam ?? req.get('expires') ?? 3600),
      this.options.maxExpiresSec ?? 3600,
    )
    if (expires === 0 || contactHeader.trim() === '*') {
      this.bindings.delete(username)
      res.send(200)
      return
    }
    const contact = uriOf(contactHeader)
    this.bindings.set(username, { contact, expiresAt: this.now() + expires * 1000 })
    res.send(200, { headers: { Contact: `<${contact}>;expires=${expires}` } })
  }

  private challenge(res: SrfResponseLike): void {
    const nonce = randomBytes(16).toString('hex')
    this.nonces.set(nonce, this.now())
    if (this.nonces.size > 10_000) this.nonces.delete(this.nonces.keys().next().value as string)
    res.send(401, {
      headers: {
        'WWW-Authenticate': `Digest realm="${this.options.realm}", nonce="${nonce}", qop="auth", algorithm=MD5`,
      },
    })
  }
}
