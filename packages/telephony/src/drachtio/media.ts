import { createRequire } from 'node:module'
import { msToSec, secToMs } from '../shared/units.js'

/**
 * Media anchoring for the SIP backend. drachtio is signalling only: with an anchor (rtpengine), media of
 * a leg flows through the anchor, which can record it and play prompts into it. Without an anchor the
 * backend reports `recording` and `playMedia` as absent.
 *
 * Model: each anchored leg is one rtpengine call (call-id `sb-<leg id>`) with two sides: `remote` (the
 * phone or trunk at the far end of the leg, tag = its SIP tag) and `internal` (tag `sb-<leg id>`), which
 * is whatever the leg is bridged to: nothing yet (the discard port), or the internal side of the other
 * leg's anchor. Every change is one SDP offer/answer through the anchor, in either direction:
 * `offer(leg, side, sdp)` gives the description for the other side, `answer(leg, offerer, sdp)` the
 * description for the offerer.
 */
export type MediaSide = 'internal' | 'remote'

export interface MediaAnchor {
  /** `side` offers `sdp` (a new leg, a re-INVITE, a bridge); returns the description for the other side. */
  offer(leg: AnchoredLeg, side: MediaSide, sdp: string): Promise<string>
  /** The side that did not offer answers with `sdp`; returns the description for `offerer`. */
  answer(leg: AnchoredLeg, offerer: MediaSide, sdp: string): Promise<string>
  startRecording(leg: AnchoredLeg): Promise<void>
  stopRecording(leg: AnchoredLeg): Promise<void>
  /** Plays a file to the remote party; resolves with its duration in seconds. */
  play(leg: AnchoredLeg, file: string): Promise<number>
  /**
   * Sends one DTMF digit to the remote party as an RFC 4733 telephone-event inside the RTP, lasting
   * `durationSec`. Anchors that cannot leave it out (the backend then sends SIP INFO).
   */
  playDtmf?(leg: AnchoredLeg, digit: string, durationSec: number): Promise<void>
  release(leg: AnchoredLeg): Promise<void>
  close(): Promise<void>
  /** Where recordings are written, when known. */
  readonly recordingLocation?: string
}

export interface AnchoredLeg {
  /** rtpengine call-id. */
  readonly mediaCallId: string
  readonly internalTag: string
  remoteTag?: string
}

interface NgClient {
  offer(port: number, host: string, opts: Record<string, unknown>): Promise<NgReply>
  answer(port: number, host: string, opts: Record<string, unknown>): Promise<NgReply>
  delete(port: number, host: string, opts: Record<string, unknown>): Promise<NgReply>
  startRecording(port: number, host: string, opts: Record<string, unknown>): Promise<NgReply>
  stopRecording(port: number, host: string, opts: Record<string, unknown>): Promise<NgReply>
  playMedia(port: number, host: string, opts: Record<string, unknown>): Promise<NgReply>
  playDTMF(port: number, host: string, opts: Record<string, unknown>): Promise<NgReply>
  blockMedia(port: number, host: string, opts: Record<string, unknown>): Promise<NgReply>
  unblockMedia(port: number, host: string, opts: Record<string, unknown>): Promise<NgReply>
  ping(port: number, host: string): Promise<NgReply>
  close(): void
}

interface NgReply {
  result?: string
  'error-reason'?: string
  sdp?: string
  duration?: number
  [key: string]: unknown
}

export interface RtpengineOptions {
  readonly host: string
  /** The ng control port (`--listen-ng`). */
  readonly port: number
  /** Reply timeout per ng command, in seconds (default 2). */
  readonly timeoutSec?: number
  /** The daemon's `--recording-dir`, reported as the recording location. */
  readonly recordingDir?: string
  /** Keep other media off a leg while a prompt plays (default true). */
  readonly blockWhilePlaying?: boolean
  /**
   * How `sendDtmf` reaches the far end: `'rfc4733'` (default), telephone-events that rtpengine injects into
   * the RTP (offers carry `inject DTMF`), or `'info'`, SIP INFO `application/dtmf-relay`.
   */
  readonly dtmf?: 'rfc4733' | 'info'
}

export class RtpengineError extends Error {
  constructor(
    readonly command: string,
    readonly reason: string,
  ) {
    super(`rtpengine ${command}: ${reason}`)
    this.name = 'RtpengineError'
  }
}

/** rtpengine over the ng protocol (UDP), through `rtpengine-client`. */
export class RtpengineMedia implements MediaAnchor {
  readonly recordingLocation?: string
  private readonly client: NgClient

  constructor(private readonly options: RtpengineOptions) {
    const require = createRequire(import.meta.url)
    const { Client } = require('rtpengine-client') as {
      Client: new (opts: { timeout: number; localAddress?: string }) => NgClient
    }
    this.client = new Client({ timeout: secToMs(options.timeoutSec ?? 2), localAddress: '0.0.0.0' })
    if (options.recordingDir !== undefined) this.recordingLocation = options.recordingDir
  }

  async ping(): Promise<boolean> {
    const r = await this.client.ping(this.options.port, this.options.host)
    return r.result === 'pong'
  }

  private async ng(command: keyof NgClient, opts: Record<string, unknown>): Promise<NgReply> {
    const fn = this.client[command] as (
      port: number,
      host: string,
      o: Record<string, unknown>,
    ) => Promise<NgReply>
    const reply = await fn.call(this.client, this.options.port, this.options.host, opts)
    if (reply.result !== 'ok')
      throw new RtpengineError(String(command), reply['error-reason'] ?? String(reply.result))
    return reply
  }

  /** Offer flags: DTMF injection needs the audio to go through rtpengine's codec path (`inject DTMF`). */
  private get flags(): string[] {
    return this.options.dtmf === 'info' ? [] : ['inject DTMF']
  }

  private tag(leg: AnchoredLeg, side: MediaSide): string | undefined {
    return side === 'internal' ? leg.internalTag : leg.remoteTag
  }

  async offer(leg: AnchoredLeg, side: MediaSide, sdp: string): Promise<string> {
    const other = this.tag(leg, side === 'internal' ? 'remote' : 'internal')
    const r = await this.ng('offer', {
      'call-id': leg.mediaCallId,
      'from-tag': this.tag(leg, side) ?? 'remote',
      ...(other !== undefined ? { 'to-tag': other } : {}),
      sdp,
      replace: ['origin', 'session-connection'],
      ...(this.flags.length ? { flags: this.flags } : {}),
    })
    return r.sdp ?? ''
  }

  async answer(leg: AnchoredLeg, offerer: MediaSide, sdp: string): Promise<string> {
    const r = await this.ng('answer', {
      'call-id': leg.mediaCallId,
      'from-tag': this.tag(leg, offerer) ?? 'remote',
      'to-tag': this.tag(leg, offerer === 'internal' ? 'remote' : 'internal') ?? 'remote',
      sdp,
      replace: ['origin', 'session-connection'],
      ...(this.flags.length ? { flags: this.flags } : {}),
    })
    return r.sdp ?? ''
  }

  async startRecording(leg: AnchoredLeg): Promise<void> {
    await this.ng('startRecording', { 'call-id': leg.mediaCallId })
  }

  async stopRecording(leg: AnchoredLeg): Promise<void> {
    await this.ng('stopRecording', { 'call-id': leg.mediaCallId })
  }

  async play(leg: AnchoredLeg, file: string): Promise<number> {
    const block = this.options.blockWhilePlaying !== false
    if (block) await this.ng('blockMedia', { 'call-id': leg.mediaCallId, 'from-tag': leg.internalTag })
    const r = await this.ng('playMedia', {
      'call-id': leg.mediaCallId,
      'from-tag': leg.remoteTag ?? 'remote',
      file,
    })
    // rtpengine reports the playback's duration in milliseconds.
    const durationMs = typeof r.duration === 'number' ? r.duration : 0
    if (block) {
      setTimeout(() => {
        this.ng('unblockMedia', { 'call-id': leg.mediaCallId, 'from-tag': leg.internalTag }).catch(() => {})
      }, durationMs).unref()
    }
    return msToSec(durationMs)
  }

  async playDtmf(leg: AnchoredLeg, digit: string, durationSec: number): Promise<void> {
    if (this.options.dtmf === 'info') throw new RtpengineError('play DTMF', 'DTMF is sent as SIP INFO')
    // the selected party is the one that generates the event: the internal side, towards the remote party
    await this.ng('playDTMF', {
      'call-id': leg.mediaCallId,
      'from-tag': leg.internalTag,
      code: digit,
      duration: secToMs(durationSec),
    })
  }

  async release(leg: AnchoredLeg): Promise<void> {
    await this.ng('delete', { 'call-id': leg.mediaCallId, 'delete delay': 0 }).catch(() => {})
  }

  async close(): Promise<void> {
    try {
      this.client.close()
    } catch {
      // already closed
    }
  }
}
