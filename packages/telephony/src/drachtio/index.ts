import { createRequire } from 'node:module'
import { type DrachtioBackendOptions, DrachtioTelephony } from './backend.js'
import { RtpengineMedia, type RtpengineOptions } from './media.js'
import type { SrfLike } from './srf-like.js'

export { type DrachtioBackendOptions, type DrachtioServerOptions, DrachtioTelephony } from './backend.js'
export {
  type AnchoredLeg,
  type MediaAnchor,
  type MediaSide,
  RtpengineError,
  RtpengineMedia,
  type RtpengineOptions,
} from './media.js'
export { digestResponse, parseDigest, Registrar, type RegistrarOptions } from './registrar.js'
export {
  answerDirection,
  directionOf,
  endpointOf,
  holdSdp,
  mediaChanged,
  type SdpDirection,
  unbridgedSdp,
  withDirection,
} from './sdp.js'
export { type CallerIdentity, callerOf, tagOf, uriOf, userOf } from './sip.js'
export type {
  CreateUACOptionsLike,
  DialogLike,
  SipMessageLike,
  SrfLike,
  SrfRequestLike,
  SrfResponseLike,
} from './srf-like.js'

/** A new drachtio-srf `Srf` instance (loaded on demand, so the simulated entry point never loads it). */
export const createSrf = (): SrfLike => {
  const require = createRequire(import.meta.url)
  const Srf = require('drachtio-srf') as new () => SrfLike
  return new Srf()
}

export interface DrachtioConfig extends Omit<DrachtioBackendOptions, 'srf' | 'media'> {
  /** Defaults to a new drachtio-srf instance. */
  readonly srf?: SrfLike
  /** rtpengine's ng address; without it recording and playing media are reported absent. */
  readonly rtpengine?: RtpengineOptions
}

/** Creates the SIP backend: `await backend.start()` connects to drachtio-server. */
export const drachtio = (config: DrachtioConfig): DrachtioTelephony => {
  const { srf, rtpengine, ...rest } = config
  return new DrachtioTelephony({
    ...rest,
    srf: srf ?? createSrf(),
    ...(rtpengine ? { media: new RtpengineMedia(rtpengine), closeMediaOnStop: true } : {}),
  })
}
