// The root entry point loads neither drachtio-srf nor rtpengine-client: import the SIP backend from
// '@switchboard/telephony/drachtio'.
export * from './simulated/index.js'
