/**
 * The subset of drachtio-srf the backend uses, as structural types (the way kysely talks to drivers).
 * The real `Srf` satisfies it; tests pass scripted fakes.
 */

export interface SipMessageLike {
  readonly body?: string
  get(name: string): string | undefined
  has(name: string): boolean
}

export interface SrfRequestLike extends SipMessageLike {
  readonly method: string
  readonly uri: string
  readonly callId?: string
  readonly source_address?: string
  cancel?(callback?: (err: unknown) => void): void
  on(event: 'cancel', listener: () => void): unknown
}

export interface SrfResponseLike {
  readonly status?: number
  send(status: number, reason?: string | object, opts?: object): void
}

export interface DialogLike {
  readonly sip: { readonly callId: string; readonly localTag: string; readonly remoteTag: string }
  readonly local: { readonly sdp: string }
  readonly remote: { readonly sdp: string }
  destroy(opts?: { headers?: Record<string, string> }): Promise<unknown> | unknown
  modify(sdp: string): Promise<string>
  request(opts: { method: string; headers?: Record<string, string>; body?: string }): Promise<unknown>
  on(event: 'destroy', listener: (msg?: SipMessageLike) => void): unknown
  /** `modify` is a re-INVITE from the far end (drachtio-srf answers it itself only when nobody listens). */
  on(
    event: 'info' | 'refer' | 'modify',
    listener: (req: SrfRequestLike, res: SrfResponseLike) => void,
  ): unknown
}

export interface CreateUACOptionsLike {
  localSdp: string
  headers?: Record<string, string>
  auth?: { username: string; password: string }
  proxy?: string
}

export interface SrfLike {
  connect(opts: { host: string; port: number; secret: string }): unknown
  listen(opts: { port: number; host?: string; secret: string }): unknown
  disconnect(): unknown
  on(event: 'connect', listener: (err: Error | null | undefined, hostport?: string) => void): unknown
  on(event: 'close' | 'error' | 'reconnecting', listener: (...args: unknown[]) => void): unknown
  invite(handler: (req: SrfRequestLike, res: SrfResponseLike) => void): unknown
  register(handler: (req: SrfRequestLike, res: SrfResponseLike) => void): unknown
  createUAC(
    uri: string,
    opts: CreateUACOptionsLike,
    progress?: {
      /** drachtio-srf calls it as (err, req) although its typings say (req). */
      cbRequest?: (err: unknown, req?: SrfRequestLike) => void
      cbProvisional?: (res: SrfResponseLike) => void
    },
  ): Promise<DialogLike>
  createUAS(req: SrfRequestLike, res: SrfResponseLike, opts: { localSdp: string }): Promise<DialogLike>
}
