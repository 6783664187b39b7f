/** Seeded pseudo-random numbers (mulberry32): same seed, same simulation. */
export class Rng {
  private state: number

  constructor(seed: number) {
    this.state = seed >>> 0 || 0x9e3779b9
  }

  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0
    let t = this.state
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }

  normal(): number {
    const u = Math.max(this.next(), 1e-12)
    const v = this.next()
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v)
  }

  /** Picks a key with probability proportional to its weight. */
  pick<K extends string>(weights: Readonly<Partial<Record<K, number>>>): K {
    const entries = Object.entries(weights).filter(([, w]) => typeof w === 'number' && w > 0) as [K, number][]
    const total = entries.reduce((s, [, w]) => s + w, 0)
    if (entries.length === 0 || total <= 0) throw new Error('no positive weight to pick from')
    let r = this.next() * total
    for (const [k, w] of entries) {
      r -= w
      if (r < 0) return k
    }
    return entries[entries.length - 1]![0]
  }
}

/** A duration distribution, in seconds. */
export type Distribution =
  | { readonly type: 'fixed'; readonly sec: number }
  | { readonly type: 'uniform'; readonly minSec: number; readonly maxSec: number }
  | {
      readonly type: 'exponential'
      readonly meanSec: number
      readonly minSec?: number
      readonly maxSec?: number
    }
  | {
      readonly type: 'lognormal'
      readonly medianSec: number
      readonly sigma: number
      readonly minSec?: number
      readonly maxSec?: number
    }

/** Always `sec` seconds. */
export const fixed = (sec: number): Distribution => ({ type: 'fixed', sec })
/** Uniform between `minSec` and `maxSec` seconds. */
export const uniform = (minSec: number, maxSec: number): Distribution => ({ type: 'uniform', minSec, maxSec })

/** Draws a duration in seconds (to the millisecond, never negative). */
export const sample = (rng: Rng, d: Distribution): number => {
  const clamp = (x: number, min = 0, max = Number.POSITIVE_INFINITY) =>
    Math.round(Math.min(max, Math.max(min, x)) * 1_000) / 1_000
  switch (d.type) {
    case 'fixed':
      return clamp(d.sec)
    case 'uniform':
      return clamp(d.minSec + rng.next() * (d.maxSec - d.minSec))
    case 'exponential':
      return clamp(-Math.log(1 - rng.next()) * d.meanSec, d.minSec, d.maxSec)
    case 'lognormal':
      return clamp(d.medianSec * Math.exp(d.sigma * rng.normal()), d.minSec, d.maxSec)
  }
}
