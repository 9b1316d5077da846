/**
 * The index arithmetic works on numbers up to 2^53 − 1, where JavaScript's 32-bit bitwise
 * operators would silently wrap: checked against BigInt, and end to end on a virtual tree of
 * 2^53 − 1 leaves.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

import { sha256 } from '../../../src/core/bytes.js';
import {
  consistencyProof,
  hashChildren,
  inclusionProof,
  MerkleFrontier,
  type MerkleNodeSource,
  rootAt,
  verifyConsistency,
  verifyInclusion,
} from '../../../src/core/merkle/index.js';
import {
  bitLength,
  differingBits,
  popCount,
  rightEdgeNodes,
  shiftRight,
  trailingZeros,
} from '../../../src/core/merkle/tree-math.js';

const safe = fc.maxSafeNat();

describe('tree arithmetic beyond 32 bits', () => {
  it('agrees with BigInt bit operations on every safe integer', () => {
    fc.assert(
      fc.property(safe, safe, fc.integer({ min: 0, max: 53 }), (a, b, bits) => {
        const [x, y] = [BigInt(a), BigInt(b)];
        expect(bitLength(a)).toBe(x.toString(2).replace(/^0$/, '').length);
        expect(differingBits(a, b)).toBe((x ^ y).toString(2).replace(/^0$/, '').length);
        expect(popCount(a)).toBe([...x.toString(2)].filter((c) => c === '1').length);
        expect(shiftRight(a, bits)).toBe(Number(x >> BigInt(bits)));
        if (a > 0)
          expect(trailingZeros(a)).toBe(x.toString(2).length - x.toString(2).lastIndexOf('1') - 1);
      }),
      { numRuns: 1000 },
    );
  });

  it('decomposes [0, n) into contiguous perfect subtrees, largest first', () => {
    fc.assert(
      fc.property(safe, (n) => {
        let position = 0;
        let previous = 54;
        for (const { level, index } of rightEdgeNodes(0, n)) {
          expect(level).toBeLessThan(previous);
          expect(index * 2 ** level).toBe(position);
          position += 2 ** level;
          previous = level;
        }
        expect(position).toBe(n);
      }),
    );
  });
});

/**
 * Every leaf of this virtual tree is the same, so node (L, i) is U_L for all i and the store
 * answers any read at once. Equal siblings cannot tell positions apart, but any slip in the
 * arithmetic of lengths, levels or folds still changes the hash sequence and fails verification.
 */
const uniform: Uint8Array[] = [sha256('leaf')];
for (let level = 1; level <= 53; level++) {
  uniform.push(hashChildren(uniform[level - 1]!, uniform[level - 1]!));
}
const virtualTree: MerkleNodeSource = {
  readNodes: (level, from, to) =>
    Promise.resolve(Array.from({ length: to - from }, () => uniform[level]!)),
};

describe('a virtual tree of up to 2^53 − 1 leaves', () => {
  it('yields inclusion proofs that verify against rootAt', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc
          .integer({ min: 1, max: Number.MAX_SAFE_INTEGER })
          .chain((n) => fc.tuple(fc.constant(n), fc.integer({ min: 0, max: n - 1 }))),
        async ([size, index]) => {
          const proof = await inclusionProof(index, size, virtualTree);
          verifyInclusion(uniform[0]!, index, size, proof, await rootAt(size, virtualTree));
        },
      ),
      { numRuns: 300 },
    );
  });

  it('yields consistency proofs that verify against rootAt', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc
          .integer({ min: 2, max: Number.MAX_SAFE_INTEGER })
          .chain((n) => fc.tuple(fc.integer({ min: 1, max: n - 1 }), fc.constant(n))),
        async ([size1, size2]) => {
          const proof = await consistencyProof(size1, size2, virtualTree);
          const [root1, root2] = [
            await rootAt(size1, virtualTree),
            await rootAt(size2, virtualTree),
          ];
          verifyConsistency(size1, size2, proof, root1, root2);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('restores a frontier at the largest safe size', async () => {
    const frontier = await MerkleFrontier.restore(Number.MAX_SAFE_INTEGER, virtualTree);
    expect(frontier.toJSON().hashes).toHaveLength(53);
    expect(frontier.root()).toEqual(await rootAt(Number.MAX_SAFE_INTEGER, virtualTree));
  });
});
