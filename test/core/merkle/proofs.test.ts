/**
 * Proofs built from stored nodes, checked by our RFC 9162 verifiers: exhaustively for every
 * (index, size) and (size1, size2) up to 64, by property at larger sizes that reach the stored
 * levels 4 and 8, against tampering, and for their read cost at a million leaves.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

import { sha256 } from '../../../src/core/bytes.js';
import {
  consistencyProof,
  hashLeaf,
  inclusionProof,
  MerkleFrontier,
  rootAt,
  rootFromInclusionProof,
  rootFromLeafHashes,
  verifyConsistency,
  verifyInclusion,
} from '../../../src/core/merkle/index.js';
import { expectErrorCode } from '../../helpers/errors.js';
import { MemoryNodeSource } from '../../helpers/memory-node-source.js';

const LARGE = 1100;
const entries = Array.from({ length: LARGE }, (_, i) => sha256(`entry ${i}`));
const leafHashes = entries.map((entry) => hashLeaf(entry));
const source = MemoryNodeSource.fromLeafData(entries);

/** Frontier roots at every size 0…LARGE: the roots a verifier is handed. */
const roots: Uint8Array[] = (() => {
  const frontier = MerkleFrontier.empty();
  const all = [frontier.root()];
  for (const leafHash of leafHashes) {
    frontier.append(leafHash);
    all.push(frontier.root());
  }
  return all;
})();

function rootOf(size: number): Uint8Array {
  return roots[size]!;
}

function flipBit(proof: readonly Uint8Array[], element: number, bit: number): Uint8Array[] {
  return proof.map((hash, i) => {
    const copy = new Uint8Array(hash);
    if (i === element) copy[bit >> 3]! ^= 1 << (bit & 7);
    return copy;
  });
}

/** (n, i) with 1 ≤ n ≤ max and 0 ≤ i < n. */
const sizeAndIndex = (max: number) =>
  fc.integer({ min: 1, max }).chain((n) => fc.tuple(fc.constant(n), fc.nat({ max: n - 1 })));

/** (m, n) with 1 ≤ m < n ≤ max: sizes whose proof is not empty. */
const growingSizes = (max: number) =>
  fc
    .integer({ min: 2, max })
    .chain((n) => fc.tuple(fc.integer({ min: 1, max: n - 1 }), fc.constant(n)));

describe('inclusionProof', () => {
  it('verifies against the frontier root for every size n ≤ 64 and every index < n', async () => {
    for (let n = 1; n <= 64; n++) {
      for (let i = 0; i < n; i++) {
        const proof = await inclusionProof(i, n, source);
        verifyInclusion(leafHashes[i]!, i, n, proof, rootOf(n));
      }
    }
  });

  it('verifies at random sizes up to 1,100, where levels 4 and 8 are stored', async () => {
    await fc.assert(
      fc.asyncProperty(sizeAndIndex(LARGE), async ([n, i]) => {
        verifyInclusion(leafHashes[i]!, i, n, await inclusionProof(i, n, source), rootOf(n));
      }),
      { numRuns: 300 },
    );
  });

  it('leads rootFromInclusionProof to the reference root', async () => {
    const proof = await inclusionProof(700, 1000, source);
    const root = rootFromInclusionProof(leafHashes[700]!, 700, 1000, proof);
    expect(root).toEqual(rootFromLeafHashes(leafHashes.slice(0, 1000)));
  });

  describe('when a proof is tampered with', () => {
    it('reports MERKLE_ROOT_MISMATCH for any flipped bit of any element', async () => {
      await fc.assert(
        fc.asyncProperty(
          sizeAndIndex(64),
          fc.nat(),
          fc.nat({ max: 255 }),
          async ([n, i], e, bit) => {
            const proof = await inclusionProof(i, n, source);
            fc.pre(proof.length > 0);
            const tampered = flipBit(proof, e % proof.length, bit);
            expectErrorCode(
              () => verifyInclusion(leafHashes[i]!, i, n, tampered, rootOf(n)),
              'MERKLE_ROOT_MISMATCH',
            );
          },
        ),
        { numRuns: 500 },
      );
    });

    it('reports MERKLE_PROOF_WRONG_LENGTH for a dropped or an added element', async () => {
      await fc.assert(
        fc.asyncProperty(sizeAndIndex(64), fc.nat(), async ([n, i], at) => {
          const proof = await inclusionProof(i, n, source);
          const added = [...proof];
          added.splice(at % (proof.length + 1), 0, sha256(`extra ${at}`));
          expectErrorCode(
            () => verifyInclusion(leafHashes[i]!, i, n, added, rootOf(n)),
            'MERKLE_PROOF_WRONG_LENGTH',
          );
          fc.pre(proof.length > 0);
          const dropped = proof.filter((_, k) => k !== at % proof.length);
          expectErrorCode(
            () => verifyInclusion(leafHashes[i]!, i, n, dropped, rootOf(n)),
            'MERKLE_PROOF_WRONG_LENGTH',
          );
        }),
        { numRuns: 500 },
      );
    });
  });
});

describe('consistencyProof', () => {
  it('verifies for every 1 ≤ m ≤ n ≤ 64', async () => {
    for (let n = 1; n <= 64; n++) {
      for (let m = 1; m <= n; m++) {
        const proof = await consistencyProof(m, n, source);
        if (m === n) expect(proof).toEqual([]);
        verifyConsistency(m, n, proof, rootOf(m), rootOf(n));
      }
    }
  });

  it('verifies at random sizes up to 1,100', async () => {
    await fc.assert(
      fc.asyncProperty(growingSizes(LARGE), async ([m, n]) => {
        verifyConsistency(m, n, await consistencyProof(m, n, source), rootOf(m), rootOf(n));
      }),
      { numRuns: 300 },
    );
  });

  describe('when a proof is tampered with', () => {
    it('reports MERKLE_ROOT_MISMATCH for any flipped bit of any element', async () => {
      await fc.assert(
        fc.asyncProperty(
          growingSizes(64),
          fc.nat(),
          fc.nat({ max: 255 }),
          async ([m, n], e, bit) => {
            const proof = await consistencyProof(m, n, source);
            const tampered = flipBit(proof, e % proof.length, bit);
            expectErrorCode(
              () => verifyConsistency(m, n, tampered, rootOf(m), rootOf(n)),
              'MERKLE_ROOT_MISMATCH',
            );
          },
        ),
        { numRuns: 500 },
      );
    });

    it('reports MERKLE_PROOF_WRONG_LENGTH for a dropped or an added element', async () => {
      await fc.assert(
        fc.asyncProperty(growingSizes(64), fc.nat(), async ([m, n], at) => {
          const proof = await consistencyProof(m, n, source);
          const added = [...proof];
          added.splice(at % (proof.length + 1), 0, sha256(`extra ${at}`));
          expectErrorCode(
            () => verifyConsistency(m, n, added, rootOf(m), rootOf(n)),
            'MERKLE_PROOF_WRONG_LENGTH',
          );
          const dropped = proof.filter((_, k) => k !== at % proof.length);
          expectErrorCode(
            () => verifyConsistency(m, n, dropped, rootOf(m), rootOf(n)),
            'MERKLE_PROOF_WRONG_LENGTH',
          );
        }),
        { numRuns: 500 },
      );
    });

    it('reports MERKLE_ROOT_MISMATCH when the first root is another size’s', async () => {
      await fc.assert(
        fc.asyncProperty(growingSizes(64), async ([m, n]) => {
          const proof = await consistencyProof(m, n, source);
          expectErrorCode(
            () => verifyConsistency(m, n, proof, rootOf(m - 1 || n), rootOf(n)),
            'MERKLE_ROOT_MISMATCH',
          );
        }),
      );
    });
  });
});

describe('at 1,000,000 leaves', () => {
  const SIZE = 1_000_000;
  /** Stored levels 0, 4, 8, 12, 16: two runs each (the path, the right edge) at most. */
  const MAX_READS = 2 * 5;

  it('builds proofs in at most two reads per stored level, and they verify', async () => {
    const big = MemoryNodeSource.fromLeafData(
      (function* leaves() {
        const data = new Uint8Array(4);
        const view = new DataView(data.buffer);
        for (let i = 0; i < SIZE; i++) {
          view.setUint32(0, i);
          yield data;
        }
      })(),
    );
    const root = big.root();
    const sample = fc.sample(
      fc.tuple(fc.nat({ max: SIZE - 1 }), fc.integer({ min: 1, max: SIZE })),
      {
        numRuns: 100,
        seed: 42,
      },
    );
    for (const [index, size1] of [...sample, [0, 1], [SIZE - 1, SIZE - 1], [524_288, 524_288]]) {
      big.resetCounters();
      const proof = await inclusionProof(index!, SIZE, big);
      expect(big.reads).toBeLessThanOrEqual(MAX_READS);
      expect(big.nodesRead).toBeLessThanOrEqual(MAX_READS * 32);
      const [leafHash] = await big.readNodes(0, index!, index! + 1);
      verifyInclusion(leafHash!, index!, SIZE, proof, root);

      big.resetCounters();
      const consistency = await consistencyProof(size1!, SIZE, big);
      expect(big.reads).toBeLessThanOrEqual(MAX_READS);
      expect(big.nodesRead).toBeLessThanOrEqual(MAX_READS * 32);
      verifyConsistency(size1!, SIZE, consistency, await rootAt(size1!, big), root);
    }
  });
});
