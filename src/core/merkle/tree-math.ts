/**
 * @module
 * Index arithmetic of the tree and the argument checks shared by the builders and verifiers.
 * Sizes and indices are safe integers up to 2^53 − 1, beyond the 32 bits that JavaScript's bitwise
 * operators keep, so every shift and bit test here is written with division instead.
 */
import { SHA256_SIZE } from '../bytes.js';
import { InputError } from '../errors.js';

/** Coordinates of a perfect subtree: level L, index i covers leaves [i·2^L, (i+1)·2^L). */
export interface NodeId {
  readonly level: number;
  readonly index: number;
}

export function pow2(exponent: number): number {
  return 2 ** exponent;
}

export function shiftRight(value: number, bits: number): number {
  return Math.floor(value / pow2(bits));
}

export function isOdd(value: number): boolean {
  return value % 2 === 1;
}

/** Number of bits needed to write `value` (0 for 0). */
export function bitLength(value: number): number {
  let bits = 0;
  for (let rest = value; rest > 0; rest = Math.floor(rest / 2)) bits++;
  return bits;
}

/** bitLength(a XOR b): the number of low bits in which a and b may differ. */
export function differingBits(a: number, b: number): number {
  let bits = 0;
  for (let x = a, y = b; x !== y; x = Math.floor(x / 2), y = Math.floor(y / 2)) bits++;
  return bits;
}

export function popCount(value: number): number {
  let count = 0;
  for (let rest = value; rest > 0; rest = Math.floor(rest / 2)) count += rest % 2;
  return count;
}

/** Trailing zero bits of a positive value. */
export function trailingZeros(value: number): number {
  let zeros = 0;
  for (let rest = value; rest % 2 === 0; rest /= 2) zeros++;
  return zeros;
}

/**
 * The perfect subtrees covering [start, end), largest first, where start is a multiple of a power
 * of two larger than end − start: the whole tree (start = 0) or the right edge of a subtree. Their
 * fold from the right is the RFC 9162 §2.1.1 hash of the range, since MTH splits at the largest
 * power of two below the size, which is the first of these subtrees.
 */
export function rightEdgeNodes(start: number, end: number): NodeId[] {
  const nodes: NodeId[] = [];
  const count = end - start;
  let position = start;
  for (let level = bitLength(count) - 1; level >= 0; level--) {
    if (isOdd(shiftRight(count, level))) {
      nodes.push({ level, index: position / pow2(level) });
      position += pow2(level);
    }
  }
  return nodes;
}

/**
 * Proof length for a leaf (RFC 9162 §2.1.3.1): one sibling per level below the level where the
 * leaf's path and the last leaf's path meet (`inner`), then one left neighbour per set bit above.
 */
export function inclusionProofLength(index: number, size: number): number {
  const inner = differingBits(index, size - 1);
  return inner + popCount(shiftRight(index, inner));
}

/**
 * Proof length between sizes 0 < size1 < size2 (RFC 9162 §2.1.4.1): the inclusion path of the
 * largest perfect subtree ending at size1, preceded by that subtree's own hash unless it is the
 * whole first tree (size1 a power of two), whose root the verifier already holds.
 */
export function consistencyProofLength(size1: number, size2: number): number {
  if (size1 === size2) return 0;
  const shift = trailingZeros(size1);
  const inner = differingBits(size1 - 1, size2 - 1);
  const border = popCount(shiftRight(size1 - 1, inner));
  const seed = size1 === pow2(shift) ? 0 : 1;
  return seed + inner - shift + border;
}

/** @throws MERKLE_SIZE_OUT_OF_RANGE unless `size` is a safe integer ≥ 0. */
export function assertTreeSize(size: number, what = 'tree size'): void {
  if (!Number.isSafeInteger(size) || size < 0) {
    throw new InputError('MERKLE_SIZE_OUT_OF_RANGE', `${what} ${size} is not a safe integer ≥ 0`, {
      details: { what, size },
    });
  }
}

/** @throws MERKLE_INDEX_OUT_OF_RANGE unless 0 ≤ index < size. */
export function assertLeafIndex(index: number, size: number): void {
  if (!Number.isSafeInteger(index) || index < 0 || index >= size) {
    throw new InputError(
      'MERKLE_INDEX_OUT_OF_RANGE',
      `leaf index ${index} is outside a tree of size ${size}`,
      { details: { index, size } },
    );
  }
}

/** @throws MERKLE_BAD_HASH_SIZE unless `hash` is a SHA-256 digest (32 bytes). */
export function assertHashSize(hash: Uint8Array, what: string): void {
  if (hash.byteLength !== SHA256_SIZE) {
    throw new InputError(
      'MERKLE_BAD_HASH_SIZE',
      `${what} is ${hash.byteLength} bytes, not ${SHA256_SIZE}`,
      { details: { what, bytes: hash.byteLength } },
    );
  }
}

/** @throws MERKLE_CONSISTENCY_SIZE_ORDER, MERKLE_CONSISTENCY_FROM_EMPTY */
export function assertConsistencySizes(size1: number, size2: number): void {
  if (size1 > size2) {
    throw new InputError(
      'MERKLE_CONSISTENCY_SIZE_ORDER',
      `size1 ${size1} is larger than size2 ${size2}`,
      { details: { size1, size2 } },
    );
  }
  if (size1 === 0) {
    throw new InputError(
      'MERKLE_CONSISTENCY_FROM_EMPTY',
      'a consistency proof from the empty tree proves nothing and is refused',
      { details: { size1, size2 } },
    );
  }
}
