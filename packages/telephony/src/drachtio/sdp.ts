/**
 * The few SDP facts the SIP backend reasons about (RFC 4566, offer/answer by RFC 3264 and RFC 6337): the
 * audio stream's address, port and direction. Everything else in a description is passed through untouched.
 */

/** A stream's direction attribute; `sendrecv` when none is given (RFC 4566 §6). */
export type SdpDirection = 'sendrecv' | 'sendonly' | 'recvonly' | 'inactive'

const DIRECTION = /^a=(sendrecv|sendonly|recvonly|inactive)\s*$/m

/** The audio stream's direction (a media-level attribute wins over a session-level one). */
export const directionOf = (sdp: string): SdpDirection => {
  const audio = sdp.search(/^m=audio /m)
  const media = audio >= 0 ? DIRECTION.exec(sdp.slice(audio)) : null
  const session = DIRECTION.exec(audio >= 0 ? sdp.slice(0, audio) : sdp)
  return (media?.[1] ?? session?.[1] ?? 'sendrecv') as SdpDirection
}

/** The same description with the audio stream's direction set to `direction` (one attribute, media level). */
export const withDirection = (sdp: string, direction: SdpDirection): string => {
  const eol = sdp.includes('\r\n') ? '\r\n' : '\n'
  const lines = sdp.split(/\r?\n/).filter((l) => !/^a=(sendrecv|sendonly|recvonly|inactive)\s*$/.test(l))
  while (lines.length && lines[lines.length - 1] === '') lines.pop()
  const audio = lines.findIndex((l) => l.startsWith('m=audio '))
  if (audio < 0) return sdp
  let end = lines.findIndex((l, i) => i > audio && l.startsWith('m='))
  if (end < 0) end = lines.length
  lines.splice(end, 0, `a=${direction}`)
  return `${lines.join(eol)}${eol}`
}

/** What an answerer may do with an offered direction (RFC 3264 §6.1): sendonly ↔ recvonly, the rest as is. */
export const answerDirection = (offered: SdpDirection): SdpDirection =>
  offered === 'sendonly' ? 'recvonly' : offered === 'recvonly' ? 'sendonly' : offered

/** The audio stream's connection address and port (`c=` at media level, else session level). */
export const endpointOf = (sdp: string): { readonly address: string; readonly port: number } => {
  const audio = sdp.search(/^m=audio /m)
  const mediaPart = audio >= 0 ? sdp.slice(audio) : ''
  const c = /^c=IN IP[46] (\S+)/m.exec(mediaPart) ?? /^c=IN IP[46] (\S+)/m.exec(sdp)
  const port = Number(/^m=audio (\d+)/m.exec(sdp)?.[1] ?? 0)
  return { address: c?.[1] ?? '', port }
}

/** True when two descriptions send the far end somewhere else or change what flows (a re-INVITE is due). */
export const mediaChanged = (before: string | undefined, after: string): boolean => {
  if (!before) return true
  const a = endpointOf(before)
  const b = endpointOf(after)
  return a.address !== b.address || a.port !== b.port || directionOf(before) !== directionOf(after)
}

const description = (address: string, port: number, direction: SdpDirection): string =>
  [
    'v=0',
    `o=switchboard ${Date.now()} 1 IN IP4 ${address}`,
    's=switchboard',
    `c=IN IP4 ${address}`,
    't=0 0',
    `m=audio ${port} RTP/AVP 0 8 101`,
    'a=rtpmap:0 PCMU/8000',
    'a=rtpmap:8 PCMA/8000',
    'a=rtpmap:101 telephone-event/8000',
    'a=fmtp:101 0-16',
    `a=${direction}`,
    '',
  ].join('\r\n')

/**
 * The anchor's internal side before a leg is bridged: `sendrecv`, so that the phone facing the anchor is
 * told to send and receive (its media reaches the anchor, which records it and plays prompts into it), and
 * the discard port (9), so that what the anchor forwards to the internal side goes nowhere until a bridge
 * points it at the other leg.
 */
export const unbridgedSdp = (address = '127.0.0.1'): string => description(address, 9, 'sendrecv')

/**
 * The offer of an unanchored leg before it is bridged: `inactive` with a real address (RFC 3264 §8.4 asks
 * for the address to stay valid; `c=0.0.0.0` is RFC 2543's hold and says nothing routable).
 */
export const holdSdp = (address = '127.0.0.1'): string => description(address, 9, 'inactive')
