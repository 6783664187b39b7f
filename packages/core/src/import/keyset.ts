/**
 * A compact set of 32-bit hashes of strings (open addressing, 4 bytes a slot,
 * at most half full). `has` may say yes for a key never added (about one in
 * 4 billion per stored key), never no for one that was: the import uses it
 * to decide which keys are worth a database lookup, and the lookup decides.
 * Three keys for each of a million contacts take about 32 MB.
 */
export class KeySet {
  #table = new Int32Array(1 << 16)
  #mask = (1 << 16) - 1
  #size = 0

  static hash(key: string): number {
    // FNV-1a over the UTF-16 code units, then murmur3's finaliser to spread the bits.
    let h = 0x811c9dc5
    for (let i = 0; i < key.length; i++) {
      h ^= key.charCodeAt(i)
      h = Math.imul(h, 0x01000193)
    }
    h ^= h >>> 16
    h = Math.imul(h, 0x85ebca6b)
    h ^= h >>> 13
    h = Math.imul(h, 0xc2b2ae35)
    h ^= h >>> 16
    return h | 0 || 1 // 0 marks an empty slot
  }

  get size(): number {
    return this.#size
  }

  has(key: string): boolean {
    const h = KeySet.hash(key)
    const t = this.#table
    for (let i = h & this.#mask; t[i] !== 0; i = (i + 1) & this.#mask) if (t[i] === h) return true
    return false
  }

  add(key: string): void {
    this.#insert(KeySet.hash(key))
    if (this.#size * 2 > this.#table.length) this.#grow()
  }

  #insert(h: number): void {
    const t = this.#table
    let i = h & this.#mask
    for (; t[i] !== 0; i = (i + 1) & this.#mask) if (t[i] === h) return
    t[i] = h
    this.#size++
  }

  #grow(): void {
    const old = this.#table
    this.#table = new Int32Array(old.length * 2)
    this.#mask = this.#table.length - 1
    this.#size = 0
    for (const h of old) if (h !== 0) this.#insert(h)
  }
}
