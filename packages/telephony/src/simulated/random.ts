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

/** A duration distribution in milliseconds. */
export type Distribution =
  | { readonly type: 'fixed'; readonly ms: number }
  | { readonly type: 'uniform'; readonly minMs: number; readonly maxMs: number }
  | {
      readonly type: 'exponential'
      readonly meanMs: number
      readonly minMs?: number
      readonly maxMs?: number
    }
  | {
      readonly type: 'lognormal'
      readonly medianMs: number
      readonly sigma: number
      readonly minMs?: number
      readonly maxMs?: number
    }

export const fixed = (ms: number): Distribution => ({ type: 'fixed', ms })
export const uniform = (minMs: number, maxMs: number): Distribution => ({ type: 'uniform', minMs, maxMs })

export const sample = (rng: Rng, d: Distribution): number => {
  const clamp = (x: number, min = 0, max = Number.POSITIVE_INFINITY) =>
    Math.round(Math.min(max, Math.max(min, x)))
  switch (d.type) {
    case 'fixed':
      return clamp(d.ms)
    case 'uniform':
      return clamp(d.minMs + rng.next() * (d.maxMs - d.minMs))
    case 'exponential':
      return clamp(-Math.log(1 - rng.next()) * d.meanMs, d.minMs, d.maxMs)
    case 'lognormal':
      return clamp(d.medianMs * Math.exp(d.sigma * rng.normal()), d.minMs, d.maxMs)
  }
}
