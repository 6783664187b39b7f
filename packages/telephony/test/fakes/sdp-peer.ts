import { answerDirection, directionOf, type SdpDirection } from '../../src/drachtio/sdp.js'

/** A far end's description: PCMU on `address:port` with `direction`. */
export const peerSdp = (port: number, direction: SdpDirection = 'sendrecv', address = '127.0.0.2'): string =>
  `v=0\r\no=peer 1 1 IN IP4 ${address}\r\ns=-\r\nc=IN IP4 ${address}\r\nt=0 0\r\nm=audio ${port} RTP/AVP 0 101\r\na=rtpmap:0 PCMU/8000\r\na=rtpmap:101 telephone-event/8000\r\na=${direction}\r\n`

/**
 * What a faithful phone answers to `offer` (RFC 3264 §6.1): its own address and port, the direction the
 * offer allows (sendonly ↔ recvonly, inactive stays inactive).
 */
export const answerSdp = (offer: string | undefined, port: number, address = '127.0.0.2'): string =>
  peerSdp(port, answerDirection(offer ? directionOf(offer) : 'sendrecv'), address)
