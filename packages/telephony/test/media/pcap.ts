import { readFileSync } from 'node:fs'

export interface PcapPacket {
  readonly tsMs: number
  readonly data: Buffer
}

/** Reads a classic libpcap file (any link type); returns the packets with their timestamps. */
export const readPcap = (path: string): { linkType: number; packets: PcapPacket[] } => {
  const buf = readFileSync(path)
  if (buf.length < 24) return { linkType: -1, packets: [] }
  const magic = buf.readUInt32LE(0)
  const le = magic === 0xa1b2c3d4 || magic === 0xa1b23c4d
  const nano = magic === 0xa1b23c4d || magic === 0x4d3cb2a1
  const u32 = (o: number) => (le ? buf.readUInt32LE(o) : buf.readUInt32BE(o))
  const linkType = u32(20)
  const packets: PcapPacket[] = []
  let off = 24
  while (off + 16 <= buf.length) {
    const sec = u32(off)
    const frac = u32(off + 4)
    const incl = u32(off + 8)
    off += 16
    if (off + incl > buf.length) break
    packets.push({ tsMs: sec * 1000 + (nano ? frac / 1e6 : frac / 1e3), data: buf.subarray(off, off + incl) })
    off += incl
  }
  return { linkType, packets }
}

/** Finds the IPv4 header in a captured frame (raw IP, or Ethernet, or Linux cooked) and returns UDP info. */
export const udpOf = (frame: Buffer): { srcPort: number; dstPort: number; payload: Buffer } | undefined => {
  for (const start of [0, 14, 16]) {
    if (frame.length < start + 28) continue
    const vihl = frame[start]!
    if (vihl >> 4 !== 4) continue
    const ihl = (vihl & 0x0f) * 4
    if (frame[start + 9] !== 17) continue
    const u = start + ihl
    if (frame.length < u + 8) continue
    return {
      srcPort: frame.readUInt16BE(u),
      dstPort: frame.readUInt16BE(u + 2),
      payload: frame.subarray(u + 8),
    }
  }
  return undefined
}
