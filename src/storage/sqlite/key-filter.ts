/**
 * @module
 * A Bloom filter over id lookup keys (the first 48 bits of a content id, uniformly random), so that
 * checking a batch of new ids — nearly always absent — costs a few bit tests instead of an index
 * probe each. Two bit positions per key, cut from the key's own bits; at 16 bits per key the false
 * positive rate is about 1.4%, and a false positive only costs the probe it would have made.
 */
export class KeyFilter {
  readonly #bits: Uint32Array;
  readonly #mask: number;
  readonly capacity: number;
  #count = 0;

  /** A filter for up to `capacity` keys (rounded up to a power of two of bits). */
  constructor(capacity: number) {
    let bits = 1 << 20;
    while (bits < capacity * 16) bits *= 2;
    this.#bits = new Uint32Array(bits / 32);
    this.#mask = bits - 1;
    this.capacity = bits / 16;
  }

  get count(): number {
    return this.#count;
  }

  get full(): boolean {
    return this.#count > this.capacity;
  }

  // The two positions are the key's low bits and its bits from 24 up: independent, since the key
  // is a hash.

  add(key: number): void {
    this.#count++;
    const a = key & this.#mask;
    const b = Math.floor(key / 16_777_216) & this.#mask;
    this.#bits[a >>> 5]! |= 1 << (a & 31);
    this.#bits[b >>> 5]! |= 1 << (b & 31);
  }

  mayContain(key: number): boolean {
    const a = key & this.#mask;
    if ((this.#bits[a >>> 5]! & (1 << (a & 31))) === 0) return false;
    const b = Math.floor(key / 16_777_216) & this.#mask;
    return (this.#bits[b >>> 5]! & (1 << (b & 31))) !== 0;
  }
}
