/**
 * @module
 * Proof verification (RFC 9162 §2.1.3.2, §2.1.4.2). Pure and synchronous; every failure throws a
 * typed error whose code names the reason. Checks run in a fixed order so that the code is
 * predictable when several things are wrong: sizes and index, then the hashes that enter a hash
 * computation (leaf, proof elements), then the proof length, then the roots' sizes, then their
 * values.
 */
import { bytesEqual, toHex } from '../bytes.js';
import { IntegrityError } from '../errors.js';
import { copyHash, hashChildren } from './hashing.js';
import {
  assertConsistencySizes,
  assertHashSize,
  assertLeafIndex,
  assertTreeSize,
  consistencyProofLength,
  inclusionProofLength,
  isOdd,
  pow2,
  trailingZeros,
} from './tree-math.js';

/**
 * The root that an inclusion proof implies for `leafHash` at `index` in a tree of `size` leaves
 * (RFC 9162 §2.1.3.2 up to, not including, the comparison with a known root).
 * @throws MERKLE_SIZE_OUT_OF_RANGE; MERKLE_INDEX_OUT_OF_RANGE unless index < size;
 *   MERKLE_BAD_HASH_SIZE for a leaf hash or proof element not 32 bytes;
 *   MERKLE_PROOF_WRONG_LENGTH when the proof has more or fewer elements than (index, size) implies.
 */
export function rootFromInclusionProof(
  leafHash: Uint8Array,
  index: number,
  size: number,
  proof: readonly Uint8Array[],
): Uint8Array {
  assertTreeSize(size);
  assertLeafIndex(index, size);
  assertHashSize(leafHash, 'leaf hash');
  assertProofHashes(proof);
  assertProofLength(proof, inclusionProofLength(index, size), { index, size });

  // The loop of RFC 9162 §2.1.3.2. With the length checked, sn reaches 0 exactly at the last
  // element, so the algorithm's own "sn is 0" failures cannot occur.
  let fn = index;
  let sn = size - 1;
  let r = leafHash;
  for (const p of proof) {
    if (isOdd(fn) || fn === sn) {
      r = hashChildren(p, r);
      while (!isOdd(fn) && fn !== 0) [fn, sn] = [fn / 2, Math.floor(sn / 2)];
    } else {
      r = hashChildren(r, p);
    }
    [fn, sn] = [Math.floor(fn / 2), Math.floor(sn / 2)];
  }
  return proof.length === 0 ? copyHash(r) : r;
}

/**
 * Checks that `leafHash` is the leaf at `index` of the tree of `size` leaves whose root is `root`.
 * @throws as {@link rootFromInclusionProof}; MERKLE_BAD_HASH_SIZE for a root not 32 bytes;
 *   MERKLE_ROOT_MISMATCH when the proof leads to another root.
 */
export function verifyInclusion(
  leafHash: Uint8Array,
  index: number,
  size: number,
  proof: readonly Uint8Array[],
  root: Uint8Array,
): void {
  const computed = rootFromInclusionProof(leafHash, index, size, proof);
  assertHashSize(root, 'root');
  assertRootsMatch(computed, root, 'the proof does not lead to the root', { index, size });
}

/**
 * Checks that the tree of `size1` leaves with root `root1` is a prefix of the tree of `size2`
 * leaves with root `root2` (RFC 9162 §2.1.4.2). Equal sizes need an empty proof and equal roots;
 * there nothing is hashed, so the roots are compared as given, whatever their length, as
 * transparency-dev's verifier does (its probe set accepts equal 12-byte roots at equal sizes).
 * @throws MERKLE_SIZE_OUT_OF_RANGE; MERKLE_CONSISTENCY_SIZE_ORDER when size1 > size2;
 *   MERKLE_CONSISTENCY_FROM_EMPTY when size1 is 0, whatever the proof (nothing to prove);
 *   MERKLE_BAD_HASH_SIZE for a proof element or (unequal sizes) a root not 32 bytes;
 *   MERKLE_PROOF_WRONG_LENGTH when the proof has more or fewer elements than the sizes imply;
 *   MERKLE_ROOT_MISMATCH when the proof does not lead to both roots.
 */
export function verifyConsistency(
  size1: number,
  size2: number,
  proof: readonly Uint8Array[],
  root1: Uint8Array,
  root2: Uint8Array,
): void {
  assertTreeSize(size1, 'size1');
  assertTreeSize(size2, 'size2');
  assertConsistencySizes(size1, size2);
  assertProofHashes(proof);
  assertProofLength(proof, consistencyProofLength(size1, size2), { size1, size2 });
  if (size1 === size2) {
    assertRootsMatch(root1, root2, 'two trees of the same size have different roots', {
      size1,
      size2,
    });
    return;
  }
  assertHashSize(root1, 'root1');
  assertHashSize(root2, 'root2');

  // RFC 9162 §2.1.4.2 from the prepending of first_hash on; the length check above stands in for
  // its empty-path and "sn is 0" failures.
  const path = size1 === pow2(trailingZeros(size1)) ? [root1, ...proof] : proof;
  let fn = size1 - 1;
  let sn = size2 - 1;
  while (isOdd(fn)) [fn, sn] = [Math.floor(fn / 2), Math.floor(sn / 2)];
  let fr = path[0]!;
  let sr = fr;
  for (const c of path.slice(1)) {
    if (isOdd(fn) || fn === sn) {
      fr = hashChildren(c, fr);
      sr = hashChildren(c, sr);
      while (!isOdd(fn) && fn !== 0) [fn, sn] = [fn / 2, Math.floor(sn / 2)];
    } else {
      sr = hashChildren(sr, c);
    }
    [fn, sn] = [Math.floor(fn / 2), Math.floor(sn / 2)];
  }
  assertRootsMatch(fr, root1, 'the proof does not lead to root1', { size1, size2 });
  assertRootsMatch(sr, root2, 'the proof does not lead to root2', { size1, size2 });
}

function assertProofHashes(proof: readonly Uint8Array[]): void {
  for (const [i, element] of proof.entries()) assertHashSize(element, `proof element ${i}`);
}

function assertProofLength(
  proof: readonly Uint8Array[],
  expected: number,
  context: Readonly<Record<string, number>>,
): void {
  if (proof.length !== expected) {
    throw new IntegrityError(
      'MERKLE_PROOF_WRONG_LENGTH',
      `proof has ${proof.length} elements; ${expected} expected`,
      { details: { ...context, length: proof.length, expected } },
    );
  }
}

function assertRootsMatch(
  computed: Uint8Array,
  expected: Uint8Array,
  message: string,
  context: Readonly<Record<string, number>>,
): void {
  if (!bytesEqual(computed, expected)) {
    throw new IntegrityError('MERKLE_ROOT_MISMATCH', message, {
      details: { ...context, computed: toHex(computed), expected: toHex(expected) },
    });
  }
}
