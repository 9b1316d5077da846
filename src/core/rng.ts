/**
 * A seeded pseudo-random generator (SplitMix64 seeding xoshiro128**): the same seed gives the
 * same sequence on every platform, so anything drawn from it replays exactly.
 */
import { InputError } from './errors.js';
import type { Rng } from './ports.js';

const MASK64 = (1n << 64n) - 1n;

function splitMix64(state: bigint): [bigint, number] {
  const next = (state + 0x9e3779b97f4a7c15n) & MASK64;
  let z = next;
  z = ((z ^ (z >> 30n)) * 0xbf58476d1ce4e5b9n) & MASK64;
  z = ((z ^ (z >> 27n)) * 0x94d049bb133111ebn) & MASK64;
  z = z ^ (z >> 31n);
  return [next, Number(z & 0xffffffffn)];
}

export class SeededRng implements Rng {
  readonly #s = new Uint32Array(4);

  constructor(seed: number | bigint) {
    let state = BigInt.asUintN(64, BigInt(seed));
    for (let i = 0; i < 4; i++) {
      const [next, word] = splitMix64(state);
      state = next;
      this.#s[i] = word;
    }
  }

  /** The generator's position, to resume it with {@link restore}. */
  state(): RngState {
    return [...this.#s].map((w) => w.toString(16).padStart(8, '0')).join('');
  }

  /**
   * Moves the generator to a saved position.
   * @throws INPUT_SCHEMA_VIOLATION for text that is not 32 hex digits or an all-zero state.
   */
  restore(state: RngState): void {
    if (!/^[0-9a-f]{32}$/.test(state) || /^0{32}$/.test(state)) {
      throw new InputError('INPUT_SCHEMA_VIOLATION', 'an rng state is 32 hex digits, not all zero');
    }
    for (let i = 0; i < 4; i++) this.#s[i] = Number.parseInt(state.slice(8 * i, 8 * i + 8), 16);
  }

  /** xoshiro128** (Blackman & Vigna): 32 random bits. */
  nextUint32(): number {
    const s = this.#s;
    let [s0, s1, s2, s3] = [s[0]!, s[1]!, s[2]!, s[3]!];
    const result = Math.imul(rotl(Math.imul(s1, 5) >>> 0, 7), 9) >>> 0;
    const t = (s1 << 9) >>> 0;
    s2 = (s2 ^ s0) >>> 0;
    s3 = (s3 ^ s1) >>> 0;
    s1 = (s1 ^ s2) >>> 0;
    s0 = (s0 ^ s3) >>> 0;
    s2 = (s2 ^ t) >>> 0;
    s3 = rotl(s3, 11);
    s[0] = s0;
    s[1] = s1;
    s[2] = s2;
    s[3] = s3;
    return result;
  }

  next(): number {
    return this.nextUint32() / 2 ** 32;
  }

  /** Uniform integer in [min, max]. */
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }

  fill(bytes: Uint8Array): Uint8Array {
    for (let i = 0; i < bytes.length; i += 4) {
      const word = this.nextUint32();
      for (let j = 0; j < 4 && i + j < bytes.length; j++) bytes[i + j] = (word >>> (8 * j)) & 0xff;
    }
    return bytes;
  }
}

/**
 * The state of a {@link SeededRng}, four 32-bit words in hex: what a state snapshot records so that
 * a run resumed from it draws the numbers the original drew next.
 */
export type RngState = string;

function rotl(x: number, k: number): number {
  return ((x << k) | (x >>> (32 - k))) >>> 0;
}
